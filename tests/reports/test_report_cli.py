"""`safecase report` end to end: a signed PDF with its annex that `safecase verify` and stock tools accept."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest

from tests.conftest import Cli

CASE = {"title": "Forced returns at Namyang, 2020", "summary": "Three people handed over at the Namyang bridge."}


def _vault_with_a_case(cli: Cli, tmp_path: Path) -> str:
    assert cli("init", "--name", "Park Coordinator", "--org", "Test Org", "--recovery-key-file",
               str(tmp_path / "r.key")).code == 0  # fmt: skip
    source = tmp_path / "case.json"
    source.write_text(json.dumps(CASE), encoding="utf-8")
    added = cli("record", "add", "case", str(source))
    assert added.code == 0, added.err
    return added.out.strip()


def test_report_policies_lists_the_three_policies(cli: Cli) -> None:
    listed = cli("report", "policies", "--json")
    assert listed.code == 0
    assert {item["name"] for item in json.loads(listed.out)} >= {"un-special-procedures", "public", "internal"}


def test_a_report_is_written_signed_and_verified_without_the_vault(cli: Cli, tmp_path: Path) -> None:
    case_id = _vault_with_a_case(cli, tmp_path)
    pdf = tmp_path / "report.pdf"
    made = cli("report", "--case", case_id, "--policy", "un-special-procedures", "--lang", "ko", "-o", str(pdf))
    assert made.code == 0, made.err
    assert pdf.read_bytes().startswith(b"%PDF-") and (tmp_path / "report.pdf.minisig").exists()
    checked = cli("verify", str(pdf), "--vault", str(tmp_path / "nowhere"))
    assert checked.code == 0, checked.err
    assert "Park Coordinator" in checked.out
    data = bytearray(pdf.read_bytes())
    data[len(data) // 3] ^= 0x20
    pdf.write_bytes(bytes(data))
    broken = cli("verify", str(pdf), "--vault", str(tmp_path / "nowhere"))
    assert broken.code == 4 and broken.err.startswith("safecase: ") and broken.err.count("\n") == 1


@pytest.mark.skipif(shutil.which("pdfdetach") is None, reason="poppler-utils (pdfdetach) is not installed")
def test_the_signed_report_carries_its_annex(cli: Cli, tmp_path: Path) -> None:
    case_id = _vault_with_a_case(cli, tmp_path)
    pdf = tmp_path / "report.pdf"
    assert cli("report", "--case", case_id, "--policy", "public", "-o", str(pdf)).code == 0
    listed = subprocess.run(["pdfdetach", "-list", str(pdf)], capture_output=True, text=True, check=True).stdout
    assert "annex.json" in listed and "annex.csv" in listed


def test_bad_report_requests_are_refused_in_one_line(cli: Cli, tmp_path: Path) -> None:
    case_id = _vault_with_a_case(cli, tmp_path)
    unknown = cli("report", "--case", case_id, "--policy", "press-release", "-o", str(tmp_path / "x.pdf"))
    assert unknown.code == 2 and "report policies" in unknown.err
    nothing = cli("report", "--policy", "public", "-o", str(tmp_path / "x.pdf"))
    assert nothing.code == 2
    assert not (tmp_path / "x.pdf").exists()


@pytest.mark.skipif(shutil.which("age") is None, reason="the age tool is not installed")
def test_a_report_encrypted_for_a_contact_opens_with_their_age_key(cli: Cli, tmp_path: Path) -> None:
    import pyrage

    case_id = _vault_with_a_case(cli, tmp_path)
    office = pyrage.x25519.Identity.generate()
    key = tmp_path / "office.key"
    key.write_text(str(office) + "\n", encoding="utf-8")
    assert cli("contact", "add", "--age", str(office.to_public()), "--name", "OHCHR Seoul").code == 0
    sealed = tmp_path / "report.pdf.age"
    made = cli("report", "--case", case_id, "--policy", "un-special-procedures", "-o", str(sealed),
               "--encrypt-to", "OHCHR Seoul")  # fmt: skip
    assert made.code == 0, made.err
    out = tmp_path / "opened"
    out.mkdir()
    opened = subprocess.run(["age", "-d", "-i", str(key), str(sealed)], capture_output=True, check=True).stdout
    subprocess.run(["tar", "-x", "-C", str(out)], input=opened, check=True)
    assert sorted(p.name for p in out.iterdir()) == ["report.pdf", "report.pdf.minisig"]
    assert cli("verify", str(out / "report.pdf")).code == 0


def test_words_marked_for_redaction_are_hidden_in_the_report_and_can_be_unmarked(cli: Cli, tmp_path: Path) -> None:
    case_id = _vault_with_a_case(cli, tmp_path)
    refused = cli("report", "redact", case_id, "--field", "summary", "--text", "not in the text")
    assert refused.code == 2 and "does not contain" in refused.err
    marked = cli("report", "redact", case_id, "--field", "summary", "--text", "Namyang bridge", "--reason", "source")
    assert marked.code == 0, marked.err
    listed = cli("report", "redactions", case_id, "--json")
    spans = json.loads(listed.out)
    assert [(s["field"], s["reason"]) for s in spans] == [("summary", "source")]
    pdf = tmp_path / "hidden.pdf"
    assert cli("report", "--case", case_id, "--policy", "internal", "-o", str(pdf)).code == 0
    if shutil.which("pdftotext"):
        text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, check=True).stdout.decode()
        assert "Namyang bridge" not in text and "[redacted]" in text
    assert "Namyang bridge" in cli("record", "show", case_id).out  # the record itself is untouched
    assert cli("report", "unredact", str(spans[0]["id"])).code == 0
    assert json.loads(cli("report", "redactions", "--json").out) == []
