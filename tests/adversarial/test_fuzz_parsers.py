"""Fuzzing the parsers of outside input that need no vault: header, card, identity QR code, minisign, tar, manifest,
record line, age.

What is attacked: each parser, fed structure-aware variants of a real input (fields edited with the checksum or
signature put right again, so the input gets past the first check), byte-level mutations, and arbitrary bytes.
What must hold: the input is parsed, and then passes the checks in fuzz_targets.py on what may be accepted (one
spelling of a header, a verified signature only over the original, the plaintext of an intact age stream only), or
it is refused with the parser's documented SafeCaseError in one line. Anything else fails the test and is kept under
regressions/ (see fuzz_support.py).
"""

from __future__ import annotations

import base64
import hashlib
import io
import json
from collections.abc import Sequence
from typing import Any

from hypothesis import strategies as st

from safecase.crypto import contact_card, minisign
from safecase.crypto.encoding import b64encode, canonical_json
from safecase.storage.tar_stream import BLOCK, TarWriter
from tests.adversarial import fuzz_targets
from tests.adversarial.fuzz_support import (
    ODD_STRINGS,
    arbitrary,
    fuzz_inputs,
    json_mutated,
    mutated,
    near_misses,
    run_fuzzer,
    samples,
)
from tests.adversarial.tamper_artefacts import exchange, sender_identity

# -- seeds ------------------------------------------------------------------------------------------------------


def header_seed() -> bytes:
    return (exchange().receiver / "header.json").read_bytes()


def tar_members(plaintext: bytes) -> list[tuple[int, int]]:
    """(header offset, size) of each member of a ustar archive."""
    found, offset = [], 0
    while offset + BLOCK <= len(plaintext) and any(plaintext[offset : offset + BLOCK]):
        size = int(plaintext[offset + 124 : offset + 135], 8)
        found.append((offset, size))
        offset += BLOCK + -(-size // BLOCK) * BLOCK
    return found


def member_data(plaintext: bytes, index: int) -> bytes:
    offset, size = tar_members(plaintext)[index]
    return plaintext[offset + BLOCK : offset + BLOCK + size]


def small_tar() -> bytes:
    out = io.BytesIO()
    writer = TarWriter(out)
    writer.add("manifest.json", b"{}")
    writer.add("records/000001.jsonl", b'{"a":1}\n' * 80)
    writer.close()
    return out.getvalue()


# -- fixups: put a checksum or signature right after an edit ------------------------------------------------------


def with_checksum(fields: Any) -> Any:
    fields.pop("checksum", None)
    fields["checksum"] = hashlib.sha256(canonical_json(fields)).hexdigest()
    return fields


def signed_card(fields: Any) -> Any:
    fields.pop("signature", None)
    signed = b"safecase contact card v1\n" + canonical_json(fields)
    fields["signature"] = b64encode(sender_identity().sign(signed))
    return fields


# -- the fuzzers ------------------------------------------------------------------------------------------------


def test_fuzz_vault_header() -> None:
    seed = header_seed()
    structured = json_mutated([json.loads(seed)], fixup=with_checksum, styles=["canonical"])
    run_fuzzer(fuzz_targets.target("vault-header"), fuzz_inputs([seed], structured), quick=300, full=8_000)


def test_fuzz_contact_card() -> None:
    seed = exchange().sender_card
    structured = json_mutated([json.loads(seed)], fixup=signed_card, styles=["pretty", "canonical"])
    assert contact_card.read_card(seed)  # the seed itself is a good card
    run_fuzzer(fuzz_targets.target("contact-card"), fuzz_inputs([seed], structured), quick=300, full=8_000)


@st.composite
def minisig_variants(draw: st.DrawFn) -> bytes:
    """A signature with one line changed: its text, its decoded bytes (re-encoded as valid base64), its ending."""
    lines = fuzz_targets.minisig_seed().decode("utf-8").split("\n")[:4]
    index = draw(st.integers(0, 3))
    kind = draw(st.sampled_from(["text", "decoded", "algorithm", "endings", "extra"]))
    if kind == "text":
        lines[index] = draw(st.text(max_size=80) | st.sampled_from(["untrusted comment: ", "trusted comment: "]))
    elif kind in {"decoded", "algorithm"} and index in (1, 3):
        raw = bytearray(base64.b64decode(lines[index]))
        if kind == "algorithm" and index == 1:
            raw[:2] = draw(st.sampled_from([b"Ed", b"ED", b"EE", b"\x00\x00"]))
        else:
            raw[draw(st.integers(0, len(raw) - 1))] ^= 1 << draw(st.integers(0, 7))
        keep = draw(st.sampled_from([len(raw), len(raw), len(raw) - 1, 10]))
        lines[index] = base64.b64encode(bytes(raw[:keep])).decode("ascii")
    elif kind == "endings":
        return "\r\n".join(lines).encode("utf-8") + draw(st.sampled_from([b"", b"\r\n", b"\n\n", b"\r"]))
    elif kind == "extra":
        lines.insert(index, draw(st.text(max_size=20)))
    return ("\n".join(lines) + "\n").encode("utf-8", "surrogatepass")


def test_fuzz_minisign_signature() -> None:
    seed = fuzz_targets.minisig_seed()
    run_fuzzer(
        fuzz_targets.target("minisign-signature"), fuzz_inputs([seed], minisig_variants()), quick=300, full=8_000
    )


def test_fuzz_minisign_public_key() -> None:
    public = sender_identity().public_key_bytes
    seeds = [minisign.public_key_file_text(public).encode(), minisign.public_key_base64(public).encode()]
    run_fuzzer(fuzz_targets.target("minisign-public-key"), fuzz_inputs(seeds), quick=200, full=5_000)


@st.composite
def qr_variants(draw: st.DrawFn, payload: str) -> bytes:
    """An identity code with one of its colon-separated parts changed a little (or replaced by an odd text)."""
    parts = payload.split(":")
    index = draw(st.integers(0, len(parts) - 1))
    parts[index] = draw(st.sampled_from(near_misses(parts[index])) | st.sampled_from(ODD_STRINGS) | st.text(max_size=8))
    if draw(st.booleans()):
        parts.insert(draw(st.integers(0, len(parts))), draw(st.text(max_size=4)))
    return ":".join(parts).encode("utf-8", "surrogatepass")


def test_fuzz_contact_qr_code() -> None:
    payload = sender_identity().public().qr_payload()
    seed = payload.encode()
    run_fuzzer(fuzz_targets.target("contact-qr"), fuzz_inputs([seed], qr_variants(payload)), quick=300, full=8_000)


@st.composite
def tar_header_variants(draw: st.DrawFn, seeds: Sequence[bytes]) -> bytes:
    """An archive with one header field set to an odd value, its checksum usually put right again."""
    data = bytearray(draw(st.sampled_from(seeds)))
    offset, _size = draw(st.sampled_from(tar_members(bytes(data))))
    start, length = draw(st.sampled_from([(0, 100), (100, 8), (124, 12), (136, 12), (156, 1), (257, 8), (345, 155)]))
    value = draw(
        st.sampled_from([b"", b"\x00", b"0", b"7" * 11, b"77777777777", b"\x80" + b"\xff" * 11, b"5", b"x", b"L",
                         b"../../etc/passwd", b"/abs", b"ustar  \x00", b"a" * 100, b" 123 ", b"0000000000\x00"])
        | st.binary(max_size=length)
    )  # fmt: skip
    data[offset + start : offset + start + length] = value[:length].ljust(length, b"\0")
    if draw(st.booleans()):
        header = data[offset : offset + BLOCK]
        checksum = sum(header[:148]) + 8 * 32 + sum(header[156:])
        data[offset + 148 : offset + 156] = b"%06o\0 " % checksum
    return bytes(data)


def test_fuzz_tar_stream() -> None:
    seeds = samples([exchange().plaintext, small_tar()])
    run_fuzzer(fuzz_targets.target("tar-stream"), fuzz_inputs(seeds, tar_header_variants(seeds)), quick=300, full=8_000)


def test_fuzz_bundle_manifest() -> None:
    seed = member_data(exchange().plaintext, 0)
    structured = json_mutated([json.loads(seed)], styles=["canonical", "plain"])
    run_fuzzer(fuzz_targets.target("bundle-manifest"), fuzz_inputs([seed], structured), quick=300, full=8_000)


def test_fuzz_bundle_record_lines() -> None:
    records = member_data(exchange().plaintext, 2)
    seeds = [line for line in records.split(b"\n") if line]
    structured = json_mutated([json.loads(line) for line in seeds], styles=["canonical", "plain"])
    run_fuzzer(fuzz_targets.target("record-line"), fuzz_inputs(seeds, structured), quick=400, full=12_000)


def test_fuzz_age_stream() -> None:
    seed = fuzz_targets.age_seed()
    header_end = seed.index(b"\n", seed.index(b"\n--- ") + 1) + 1
    near_header = mutated(samples([seed[:header_end]])).map(lambda head: head + seed[header_end:])
    cut = st.integers(0, len(seed)).map(lambda n: seed[:n])
    inputs = st.one_of(near_header, mutated(samples([seed])), arbitrary(), cut)
    run_fuzzer(fuzz_targets.target("age-stream"), inputs, quick=200, full=5_000)
