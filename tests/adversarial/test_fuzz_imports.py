"""Fuzzing the importers of outside data into a vault: bundles (contents re-signed), and record files (JSON, JSON
Lines, CSV) as ``safecase import`` reads them.

What is attacked: ``BundleImporter.import_bundle`` with bundles whose manifest, record lines, evidence file,
signature or member list were changed and then signed again by the sender (so the change meets the checks behind
the signature), or whose tar was damaged; and ``read_rows`` + ``import_rows`` with valid rows of several kinds made
wrong in every way (odd values, swapped and dropped fields, broken references, odd CSV columns and cells).
What must hold: the input is imported, or refused with its documented error (a bundle: IntegrityError, exit 4; a
record file: UsageError or ValidationError) in one line, and a refused input leaves the vault exactly as it was.
"""

from __future__ import annotations

import csv
import io
import json
import uuid
from typing import Any

from hypothesis import strategies as st

from safecase.domain.kinds import Kind
from tests.adversarial import fuzz_targets
from tests.adversarial.fuzz_bundles import build_tar, resigned, split_members
from tests.adversarial.fuzz_support import (
    ODD_STRINGS,
    arbitrary,
    fuzz_inputs,
    json_mutated,
    mutated,
    run_fuzzer,
    samples,
)
from tests.adversarial.tamper_artefacts import exchange
from tests.factories import make_body

# -- bundles ------------------------------------------------------------------------------------------------------

ODD_MEMBER_NAMES = ["records/000002.jsonl", "records/000001.jsonl", "manifest.json", "attachments/x", "../escape",
                    f"attachments/{uuid.UUID(int=7)}", "records/1.jsonl", "a" * 100]  # fmt: skip


@st.composite
def bundle_variants(draw: st.DrawFn) -> bytes:
    """The real bundle's plaintext with one part changed and (except for the signature) signed again."""
    members = split_members(exchange().plaintext)
    kind = draw(st.sampled_from(["manifest", "record", "record", "attachment", "signature", "members"]))
    if kind == "manifest":
        manifest = draw(json_mutated([json.loads(members[0][1])], styles=["canonical"]))
        return build_tar(resigned([(members[0][0], manifest), *members[1:]], fix_member_list=False))
    if kind == "signature":
        members[1] = (members[1][0], draw(mutated([members[1][1]])))
        return build_tar(members)
    if kind == "members":
        return build_tar(resigned(draw(_member_list_edit(members))))
    index = next(i for i, (name, _) in enumerate(members) if name.startswith("records/" if kind == "record" else "at"))
    name, data = members[index]
    if kind == "record":
        lines = data.split(b"\n")
        line = draw(st.integers(0, max(0, len(lines) - 2)))
        lines[line] = draw(json_mutated([json.loads(lines[line])], styles=["canonical", "plain"]))
        data = b"\n".join(lines)
    else:
        data = draw(mutated([data]))
    members[index] = (name, data)
    return build_tar(resigned(members))


@st.composite
def _member_list_edit(draw: st.DrawFn, members: list[tuple[str, bytes]]) -> list[tuple[str, bytes]]:
    head, rest = members[:2], members[2:]
    edit = draw(st.sampled_from(["drop", "duplicate", "reverse", "add", "rename"]))
    where = draw(st.integers(0, len(rest) - 1))
    if edit == "drop":
        del rest[where]
    elif edit == "duplicate":
        rest.insert(where, rest[where])
    elif edit == "reverse":
        rest.reverse()
    else:
        name = draw(st.sampled_from(ODD_MEMBER_NAMES))
        if edit == "add":
            rest.insert(where, (name, draw(st.binary(max_size=64))))
        else:
            rest[where] = (name, rest[where][1])
    return head + rest


def test_fuzz_bundle_import() -> None:
    plaintext = exchange().plaintext
    inputs = st.one_of(bundle_variants(), bundle_variants(), mutated(samples([plaintext])), arbitrary(max_size=1024))
    run_fuzzer(fuzz_targets.target("bundle-import"), inputs, quick=150, full=4_000)


# -- record files -------------------------------------------------------------------------------------------------


def seed_rows() -> list[dict[str, Any]]:
    """Valid rows of several kinds, referring to each other by the ids the file gives them."""
    person, location = str(uuid.UUID(int=1)), str(uuid.UUID(int=2))
    rows: list[dict[str, Any]] = [
        {"kind": "person", "id": person, **make_body(Kind.PERSON)},
        {"kind": "location", "id": location, **make_body(Kind.LOCATION)},
        {"kind": "case", **make_body(Kind.CASE)},
        {"kind": "event", **make_body(Kind.EVENT), "victim_ids": [person], "location_id": location},
        {"kind": "testimony", **make_body(Kind.TESTIMONY, interviewee_id=person)},
        {"kind": "tag", **make_body(Kind.TAG)},
    ]
    return rows


def _flat(row: dict[str, Any], prefix: str = "") -> dict[str, str]:
    cells: dict[str, str] = {}
    for key, value in row.items():
        if isinstance(value, dict):
            cells.update(_flat(value, f"{prefix}{key}."))
        elif isinstance(value, list):
            cells[prefix + key] = json.dumps(value, ensure_ascii=False)
        else:
            cells[prefix + key] = "true" if value is True else "false" if value is False else str(value)
    return cells


def csv_text(rows: list[dict[str, str]], columns: list[str]) -> bytes:
    out = io.StringIO()
    writer = csv.DictWriter(out, columns, extrasaction="ignore")
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue().encode("utf-8", "surrogatepass")


def csv_seed(kind: str) -> tuple[list[dict[str, str]], list[str]]:
    """Two rows of one kind that refer to nothing, as CSV cells under dotted column names."""
    rows = [_flat({"kind": kind, **make_body(Kind(kind))}) for _ in range(2)]
    return rows, sorted({column for row in rows for column in row})


ODD_CELLS = ["nan", "inf", "-0", "1e999", "9" * 5000, "[", "[" * 3000, '["a",', "true", "yes", "", " ", "\x00",
             "=cmd|' /C calc'!A0", '"', "\r\n", *ODD_STRINGS]  # fmt: skip


@st.composite
def csv_variants(draw: st.DrawFn) -> bytes:
    """One kind's rows as CSV, with cells, columns or the header made odd."""
    rows, columns = csv_seed(draw(st.sampled_from(["person", "location", "case", "event", "tag"])))
    for _ in range(draw(st.integers(1, 3))):
        edit = draw(st.sampled_from(["cell", "cell", "column", "duplicate", "drop"]))
        column = draw(st.sampled_from(columns))
        if edit == "cell":
            rows[draw(st.integers(0, len(rows) - 1))][column] = draw(st.sampled_from(ODD_CELLS) | st.text(max_size=20))
        elif edit == "column":
            new = draw(st.sampled_from([column + ".x", column.split(".")[0], "", "id", "kind", "names", "x.y.z"]))
            columns.append(new)
            for row in rows:
                row[new] = draw(st.sampled_from(ODD_CELLS))
        elif edit == "duplicate":
            columns.append(column)
        elif len(columns) > 1:
            columns.remove(column)
    return csv_text(rows, columns)


def _jsonl(rows: list[dict[str, Any]]) -> bytes:
    return b"\n".join(json.dumps(row, ensure_ascii=False).encode("utf-8") for row in rows)


def test_fuzz_record_import_json() -> None:
    rows = seed_rows()
    seed = json.dumps(rows, ensure_ascii=False).encode()
    structured = json_mutated([rows, {"records": rows}])
    run_fuzzer(fuzz_targets.target("record-import-json"), fuzz_inputs([seed], structured), quick=150, full=4_000)


def test_fuzz_record_import_json_lines() -> None:
    rows = seed_rows()
    seed = _jsonl(rows)
    structured = st.lists(json_mutated(rows, styles=["plain", "canonical"]), min_size=1, max_size=8).map(b"\n".join)
    lines = json_mutated(rows, styles=["plain", "canonical"]).map(lambda line: seed + b"\n" + line)
    run_fuzzer(
        fuzz_targets.target("record-import-jsonl"), fuzz_inputs([seed], structured, lines), quick=150, full=4_000
    )


def test_fuzz_record_import_csv() -> None:
    seeds = [csv_text(*csv_seed(kind)) for kind in ("person", "location", "event")]
    run_fuzzer(fuzz_targets.target("record-import-csv"), fuzz_inputs(seeds, csv_variants()), quick=150, full=4_000)
