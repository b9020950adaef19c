"""Replays every input the fuzzers kept under regressions/<target>/, and the bugs they found, end to end.

What must hold: each kept input is now handled as documented (parsed and passing the target's checks, or refused
with its documented error in one line); a bundle exploiting a found bug is refused and changes nothing.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from safecase.crypto import identity as identity_module
from safecase.errors import ExitCode, IntegrityError
from safecase.services.exchange.importer import BundleImporter
from tests.adversarial import fuzz_targets
from tests.adversarial.fuzz_bundles import with_manifest_edit, with_record_line
from tests.adversarial.fuzz_support import REGRESSIONS
from tests.adversarial.tamper_artefacts import (
    encrypt_to_receiver,
    exchange,
    open_vault,
    run_cli,
    sender_identity,
    signed_report,
    snapshot,
)
from tests.conftest import PASSPHRASE


@pytest.fixture(autouse=True)
def _widget_capable_qt_application(qapp: object) -> None:
    """Replaying a report crasher makes the signed report first, which renders with Qt."""


@pytest.mark.parametrize("path", fuzz_targets.regression_files(), ids=lambda p: f"{p.parent.name}/{p.stem}")
def test_a_kept_input_is_handled_as_documented(path: Path) -> None:
    fuzz_targets.target(path.parent.name).check(path.read_bytes())


def test_every_kept_input_belongs_to_a_known_fuzzer() -> None:
    assert {path.parent.name for path in fuzz_targets.regression_files()} <= set(fuzz_targets.TARGETS)


def _revision(change: Callable[[str], str]) -> Callable[[dict[str, Any]], None]:
    def edit(version: dict[str, Any]) -> None:
        version["revision"] = change(version["revision"])

    return edit


@pytest.mark.parametrize(
    "change",
    [lambda r: r + "\n", lambda r: "\u0660" + r[1:], lambda r: r[:20] + "\uff10" + r[21:]],
    ids=["trailing-line-break", "arabic-indic-zero-first", "fullwidth-zero-in-counter"],
)
def test_a_signed_bundle_with_a_revision_in_another_spelling_is_refused(
    tmp_path: Path, change: Callable[[str], str]
) -> None:
    """Found by the record-line fuzzer: Revision.parse took a trailing line break and non-ASCII digits, so a team
    member's bundle could store a second spelling of a revision, or one that means the same time but sorts after
    every real revision (U+0660 > "9"), which would stay the record's current state whatever is written later."""
    bundle = tmp_path / "respelled.safecase-bundle"
    bundle.write_bytes(encrypt_to_receiver(with_record_line(exchange().plaintext, _revision(change))))
    with open_vault(exchange().receiver_copy(tmp_path / "vault")) as session:
        before = snapshot(session)
        with pytest.raises(IntegrityError, match=r"malformed record \(records/000001.jsonl line 1") as refused:
            BundleImporter(session).import_bundle(bundle)
        assert refused.value.exit_code == ExitCode.INTEGRITY
        assert snapshot(session) == before


def test_the_same_bundle_with_the_revision_as_written_imports(tmp_path: Path) -> None:
    bundle = tmp_path / "as-written.safecase-bundle"
    bundle.write_bytes(encrypt_to_receiver(with_record_line(exchange().plaintext, _revision(lambda r: r))))
    with open_vault(exchange().receiver_copy(tmp_path / "vault")) as session:
        assert BundleImporter(session).import_bundle(bundle).new_records >= 3


def test_safecase_verify_refuses_the_pdfs_that_crashed_its_reader_in_one_line(tmp_path: Path) -> None:
    """Found by the report tamper sweep and fuzzer: a malformed number (decimal.InvalidOperation) or xref stream
    (AssertionError) escaped pyHanko as an internal error instead of "not a PDF / damaged signature", exit 4."""
    crashers = sorted((REGRESSIONS / "report-verify").glob("*.bin"))
    assert crashers
    signature = tmp_path / "report.pdf.minisig"
    signature.write_bytes(signed_report().minisig)
    for crasher in crashers:
        pdf = tmp_path / "report.pdf"
        pdf.write_bytes(crasher.read_bytes())
        code, out, err = run_cli(["verify", str(pdf), "--signature", str(signature)])
        assert code == ExitCode.INTEGRITY and out == "", (crasher.name, err)
        assert err.count("\n") == 1 and err.startswith("safecase: ") and "internal error" not in err, err


def test_contact_verify_refuses_a_qr_code_with_digits_of_another_script_in_one_line(tmp_path: Path) -> None:
    """Found by the QR code fuzzer: a code whose digest part held non-ASCII characters (here Arabic-Indic digits)
    reached hmac.compare_digest, which raises TypeError for such text: an internal error instead of exit 2."""
    payload = sender_identity().public().qr_payload()
    prefix, digest = payload.rsplit(":", 1)
    respelled = f"{prefix}:{digest.translate(str.maketrans('0123456789', '٠١٢٣٤٥٦٧٨٩'))}"
    folder = exchange().receiver_copy(tmp_path / "vault")
    secret = tmp_path / "passphrase.txt"
    secret.write_text(PASSPHRASE + "\n", encoding="utf-8")
    with open_vault(folder) as session:
        before = snapshot(session)
    code, out, err = run_cli(["contact", "verify", "Kim Field Worker", "--qr", respelled, "--vault", str(folder),
                              "--passphrase-file", str(secret)])  # fmt: skip
    assert (code, out) == (ExitCode.USAGE, "") and err == f"safecase: {identity_module._BAD_QR}\n", err
    with open_vault(folder) as session:
        assert snapshot(session) == before


@pytest.mark.parametrize("created_at", ["٢025-11-24T16:00:00.000Z", "2025-11-24T1٦:00:00.000Z"])
def test_a_signed_bundle_dated_with_digits_of_another_script_is_refused(tmp_path: Path, created_at: str) -> None:
    """Found by the manifest fuzzer: the creation time's pattern took any Unicode digit (strptime reads them too), so
    a sender's bundle could be stored and shown with a date in another spelling than UTC ISO 8601."""

    def redate(fields: dict[str, Any]) -> None:
        fields["created_at"] = created_at

    bundle = tmp_path / "redated.safecase-bundle"
    bundle.write_bytes(encrypt_to_receiver(with_manifest_edit(exchange().plaintext, redate)))
    with open_vault(exchange().receiver_copy(tmp_path / "vault")) as session:
        before = snapshot(session)
        with pytest.raises(IntegrityError, match=r"manifest is malformed \(bad creation time\)") as refused:
            BundleImporter(session).import_bundle(bundle)
        assert refused.value.exit_code == ExitCode.INTEGRITY
        assert snapshot(session) == before
