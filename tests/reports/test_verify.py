"""Verifying a signed report with no vault: what passes, and the one message each kind of tampering gets."""

from __future__ import annotations

import datetime
import io
import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.serialization import NoEncryption
from cryptography.x509.oid import NameOID
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.sign import fields, signers

from safecase.crypto.contact_card import ContactCard, make_card, read_card
from safecase.errors import IntegrityError, UsageError
from safecase.services.reports.signing import ReportSigner, SignedReport, sign_report
from safecase.services.reports.verify import VerifiedReport, verify_report
from safecase.services.session import VaultSession
from safecase.services.vault import VaultService
from tests.conftest import PASSPHRASE, Cli
from tests.reports.signing_fixtures import (
    content_stream_offset,
    flip_byte,
    flip_hex_digit,
    incremental_update,
    make_pdf,
    signature_value_offset,
)

CREATED_AT = "2026-11-28T10:00:00.000Z"


@pytest.fixture
def signed(session: VaultSession) -> SignedReport:
    return sign_report(session, make_pdf(), reason="Submission to the UN")


@pytest.fixture
def other_session(vaults: VaultService, tmp_path: Path) -> Iterator[VaultSession]:
    created = vaults.create(tmp_path / "other-vault", PASSPHRASE, "Someone Else", "Other Org")
    with vaults.unlock(created.folder, PASSPHRASE) as opened:
        yield opened


def card_of(session: VaultSession) -> ContactCard:
    record = session.identity_record()
    return read_card(make_card(session.identity, record.display_name, record.organisation, CREATED_AT))


def refused(pdf: bytes, minisig: str | None, **expected: object) -> str:
    with pytest.raises(IntegrityError) as caught:
        verify_report(pdf, minisig, **expected)  # type: ignore[arg-type]
    return caught.value.message


def test_an_intact_report_names_its_signer(session: VaultSession, signed: SignedReport) -> None:
    result = verify_report(signed.pdf, signed.minisig)
    assert isinstance(result, VerifiedReport)
    assert (result.signer_name, result.organisation) == ("Test Worker", "Test Org")
    assert result.fingerprint == session.identity.public().fingerprint()
    assert result.signed_at.endswith("Z") and result.signed_at[:4].isdigit()
    assert len(result.pdf_sha256) == 64


def test_the_expected_signer_by_fingerprint_or_card(session: VaultSession, signed: SignedReport) -> None:
    fingerprint = session.identity.public().fingerprint()
    assert verify_report(signed.pdf, signed.minisig, signer_fingerprint=fingerprint).fingerprint == fingerprint
    digits_only = fingerprint.replace(" ", "")
    assert verify_report(signed.pdf, signed.minisig, signer_fingerprint=digits_only).fingerprint == fingerprint
    assert verify_report(signed.pdf, signed.minisig, card=card_of(session)).fingerprint == fingerprint


def test_an_incremental_update_after_signing_is_refused(signed: SignedReport) -> None:
    message = refused(incremental_update(signed.pdf), signed.minisig)
    assert "changed after it was signed (an incremental update)" in message


def test_a_byte_flip_in_the_signed_content_is_refused(signed: SignedReport) -> None:
    message = refused(flip_byte(signed.pdf, content_stream_offset(signed.pdf)), signed.minisig)
    assert "signature does not verify: the PDF was altered after it was signed" in message


def test_a_byte_flip_in_the_signature_is_refused(signed: SignedReport) -> None:
    message = refused(flip_hex_digit(signed.pdf, signature_value_offset(signed.pdf)), signed.minisig)
    assert "signature does not verify" in message


def test_a_stripped_signature_is_refused(signed: SignedReport) -> None:
    assert "has no signature" in refused(make_pdf(), signed.minisig)


def test_a_byte_flip_outside_the_signed_range_is_caught_by_the_detached_signature(signed: SignedReport) -> None:
    """The zero padding after the CMS in /Contents is signed by nothing in PAdES; minisign covers every byte."""
    padding = signed.pdf.index(b"0000000000>") + 4
    message = refused(flip_hex_digit(signed.pdf, padding), signed.minisig)
    assert "does not match this PDF: the PDF or the signature was altered" in message


def _sign_with_pyhanko(pdf: bytes, key_der: bytes, certificate_der: bytes, field: str) -> bytes:
    metadata = signers.PdfSignatureMetadata(field_name=field, subfilter=fields.SigSeedSubFilter.PADES)
    output = io.BytesIO()
    signer = ReportSigner(key_der, certificate_der, CREATED_AT).pyhanko_signer()
    signers.sign_pdf(IncrementalPdfFileWriter(io.BytesIO(pdf)), metadata, signer=signer, output=output)
    return output.getvalue()


def _unbound_certificate() -> tuple[bytes, bytes]:
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "Some CA customer")])
    usage = x509.KeyUsage(True, True, False, False, False, False, False, False, False)
    certificate = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(11)
        .not_valid_before(datetime.datetime(2020, 1, 1, tzinfo=datetime.UTC))
        .not_valid_after(datetime.datetime(2100, 1, 1, tzinfo=datetime.UTC))
        .add_extension(usage, critical=True)
        .sign(key, hashes.SHA256())
    )
    key_der = key.private_bytes(serialization.Encoding.DER, serialization.PrivateFormat.PKCS8, NoEncryption())
    return key_der, certificate.public_bytes(serialization.Encoding.DER)


def test_a_pdf_signed_without_a_safecase_identity_is_refused(signed: SignedReport) -> None:
    key_der, certificate_der = _unbound_certificate()
    foreign = _sign_with_pyhanko(make_pdf(), key_der, certificate_der, "Signature1")
    assert "not signed by a SafeCase identity" in refused(foreign, signed.minisig)


def test_a_pdf_with_two_signatures_is_refused(signed: SignedReport) -> None:
    key_der, certificate_der = _unbound_certificate()
    once = _sign_with_pyhanko(make_pdf(), key_der, certificate_der, "First")
    twice = _sign_with_pyhanko(once, key_der, certificate_der, "Second")
    assert "more than one signature" in refused(twice, signed.minisig)


def test_something_that_is_not_a_pdf_is_refused() -> None:
    assert "not a PDF" in refused(b"GIF89a not a pdf at all", None)


def test_a_report_signed_by_another_vault_is_not_the_expected_signer(
    session: VaultSession, other_session: VaultSession
) -> None:
    other = sign_report(other_session, make_pdf(), reason="test")
    expected = session.identity.public().fingerprint()
    message = refused(other.pdf, other.minisig, signer_fingerprint=expected)
    assert f"signed by someone else: its signer's fingerprint is {other_session.identity.public().fingerprint()}" in (
        message
    )
    assert expected in message
    assert "someone else than the contact card's owner" in refused(other.pdf, other.minisig, card=card_of(session))
    assert verify_report(other.pdf, other.minisig).signer_name == "Someone Else"


def test_a_swapped_detached_signature_is_refused(
    session: VaultSession, other_session: VaultSession, signed: SignedReport
) -> None:
    same_signer = sign_report(session, make_pdf("another report"), reason="test")
    assert "does not match this PDF" in refused(signed.pdf, same_signer.minisig)
    other_signer = sign_report(other_session, make_pdf(), reason="test")
    assert "made by another key than the PDF's signer" in refused(signed.pdf, other_signer.minisig)


def test_a_missing_or_damaged_detached_signature_is_refused(signed: SignedReport) -> None:
    assert "The detached signature file is missing" in refused(signed.pdf, None)
    assert "damaged or not a minisign signature" in refused(signed.pdf, "untrusted comment: x\n")
    lines = signed.minisig.splitlines()
    lines[2] += " (edited)"
    assert "trusted comment" in refused(signed.pdf, "\n".join(lines) + "\n")


def test_a_mistyped_fingerprint_is_a_usage_error(signed: SignedReport) -> None:
    with pytest.raises(UsageError, match="8 groups of 5 digits"):
        verify_report(signed.pdf, signed.minisig, signer_fingerprint="12345 6789")


# The command line (the in-process `cli` fixture; `verify` opens no vault).


@pytest.fixture
def signed_files(signed: SignedReport, tmp_path: Path) -> Path:
    pdf_path = tmp_path / "report.pdf"
    pdf_path.write_bytes(signed.pdf)
    (tmp_path / "report.pdf.minisig").write_text(signed.minisig, encoding="utf-8")
    return pdf_path


def test_cli_verify_prints_the_signer_without_any_vault(
    cli: Cli, session: VaultSession, signed_files: Path, tmp_path: Path
) -> None:
    fingerprint = session.identity.public().fingerprint()
    nowhere = tmp_path / "no-vault-here"
    result = cli("verify", str(signed_files), "--signer", fingerprint, "--vault", str(nowhere))
    assert result.code == 0, result.err
    assert result.out.startswith(f"Signed by Test Worker (Test Org), fingerprint {fingerprint}, at ")
    assert result.out.endswith("; the PDF and its detached signature are intact.\n")
    assert result.err == ""
    assert not nowhere.exists()


def test_cli_verify_json_and_the_unchecked_signer_note(cli: Cli, session: VaultSession, signed_files: Path) -> None:
    result = cli("verify", str(signed_files), "--json")
    assert result.code == 0, result.err
    shown = json.loads(result.out)
    assert shown["fingerprint"] == session.identity.public().fingerprint()
    assert shown["signer_checked"] is False
    assert shown["signer_name"] == "Test Worker"
    assert "compare the fingerprint" in result.err


def test_cli_verify_with_a_card(cli: Cli, session: VaultSession, signed_files: Path, tmp_path: Path) -> None:
    record = session.identity_record()
    card_path = tmp_path / "worker.card.json"
    card_path.write_bytes(make_card(session.identity, record.display_name, record.organisation, CREATED_AT))
    result = cli("verify", str(signed_files), "--card", str(card_path))
    assert result.code == 0, result.err
    assert "fingerprint" in result.out and result.err == ""


def test_cli_verify_exits_4_with_one_line_on_tampering(cli: Cli, signed_files: Path) -> None:
    signed_files.write_bytes(incremental_update(signed_files.read_bytes()))
    result = cli("verify", str(signed_files))
    assert result.code == 4
    assert result.out == ""
    assert result.err.count("\n") == 1
    assert result.err.startswith("safecase: The PDF was changed after it was signed (an incremental update)")


def test_cli_verify_names_the_missing_detached_signature(cli: Cli, signed_files: Path) -> None:
    minisig = signed_files.with_name("report.pdf.minisig")
    moved = signed_files.with_name("elsewhere.minisig")
    minisig.rename(moved)
    result = cli("verify", str(signed_files))
    assert result.code == 4
    assert (
        result.err
        == f"safecase: The detached signature {minisig} is missing: get it from the signer together with the PDF\n"
    )
    assert cli("verify", str(signed_files), "--signature", str(moved)).code == 0


def test_cli_verify_refuses_another_signer(cli: Cli, signed_files: Path, other_session: VaultSession) -> None:
    result = cli("verify", str(signed_files), "--signer", other_session.identity.public().fingerprint())
    assert result.code == 4
    assert result.err.startswith("safecase: The PDF was signed by someone else")
    assert result.err.count("\n") == 1
