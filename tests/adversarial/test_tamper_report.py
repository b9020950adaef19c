"""Tamper sweep of a signed report: every byte of the PDF and of its ``.minisig`` flipped, and both cut.

What is attacked: ``safecase verify FILE`` (no vault) on a report made by ``safecase report`` from a one-case vault.
What must hold (docs/REPORTS.md, "Signatures and safecase verify"): every change is refused with exit 4 and one line
saying which check failed. The PAdES signature covers every byte but its own /Contents value, so a flip anywhere
else must be caught by the PDF check itself (never left to the detached signature); a flip inside /Contents is
caught by the CMS check or, where it changes nothing the CMS reads (a hex digit's case, the zero padding), by the
minisign signature over every byte. In the ``.minisig``, only the "untrusted comment" text is unsigned (the minisign
format); SafeCase never shows it, so a change there must verify with the very same verdict, and is tried apart.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import pytest

from safecase.cli.verify_command import signer_line
from safecase.crypto import report_certificate
from safecase.errors import ExitCode, SafeCaseError, shown
from safecase.services.reports import verify as verify_module
from safecase.services.reports.verify import verify_report
from tests.adversarial.figures import budget
from tests.adversarial.tamper_artefacts import SignedReport, run_cli, signed_report
from tests.adversarial.tamper_support import (
    Sweep,
    Variant,
    cli_problem,
    cuts,
    flips,
    full_budget,
    positions,
)

PDF_MESSAGES = [
    verify_module._NOT_A_PDF,
    verify_module._NO_SIGNATURE,
    verify_module._SIGNATURE_UNREADABLE,
    verify_module._MORE_THAN_ONE,
    verify_module._INCREMENTAL_UPDATE,
    verify_module._NOT_COVERED,
    verify_module._CMS_FAILS,
    verify_module._CERTIFICATE_INVALID,
]
IDENTITY_MESSAGES = [
    report_certificate._NOT_A_CERTIFICATE,
    report_certificate._NOT_BOUND,
    report_certificate._BAD_BINDING,
    report_certificate._FORGED_BINDING,
]
DETACHED = (
    verify_module._MINISIGN_DAMAGED,
    verify_module._MINISIGN_OTHER_KEY,
    verify_module._MINISIGN_MISMATCH,
    verify_module._MINISIGN_COMMENT,
)


@pytest.fixture(autouse=True)
def _widget_capable_qt_application(qapp: object) -> None:
    """Reports render with Qt: pytest-qt's QApplication must exist before the report is made."""


@dataclass(frozen=True)
class Bench:
    report: SignedReport
    pdf: Path
    minisig: Path

    @property
    def detached_messages(self) -> list[str]:
        return [message.format(label=shown(self.minisig)) for message in DETACHED]

    def verify(self, pdf: bytes, minisig: bytes) -> tuple[int, str, str]:
        """What `safecase verify` (with --signer) says: exit code, stdout, stderr."""
        self.pdf.write_bytes(pdf)
        self.minisig.write_bytes(minisig)
        return run_cli(["verify", str(self.pdf), "--signature", str(self.minisig), "--signer",
                        self.report.signer_fingerprint])  # fmt: skip

    def verdict(self, pdf: bytes, minisig: bytes) -> tuple[int, str, str]:
        """The same verdict from the service the command runs (the command line builds its whole argument parser
        for each call, which would make the sweep ten times slower): exit code, the signer line, the error line."""
        try:
            result = verify_report(pdf, minisig, signer_fingerprint=self.report.signer_fingerprint,
                                   minisig_label=shown(self.minisig))  # fmt: skip
        except SafeCaseError as error:
            return int(error.exit_code), "", f"safecase: {error.message}\n"
        except Exception as error:  # a crash: reported as the command line's error boundary would
            return ExitCode.ERROR, "", f"safecase: unexpected internal error ({type(error).__name__}: {error})\n"
        return ExitCode.OK, signer_line(result) + "\n", ""


@pytest.fixture
def bench(tmp_path: Path) -> Bench:
    report = signed_report()
    bench = Bench(report, tmp_path / "report.pdf", tmp_path / "report.pdf.minisig")
    code, out, _err = bench.verify(report.pdf, report.minisig)
    assert code == 0 and "intact" in out  # the untouched pair verifies: the sweep's refusals are its own doing
    return bench


def contents_range(pdf: bytes) -> range:
    """The /Contents hex string (with its < >): the only bytes the PAdES signature does not cover."""
    found = re.search(rb"/ByteRange\s*\[\s*(\d+)\s+(\d+)\s+(\d+)\s+(\d+)\s*\]", pdf)
    assert found is not None
    start, first, second, _ = map(int, found.groups())
    assert start == 0
    return range(first, second)


def pdf_structure(pdf: bytes) -> list[int]:
    """Where the PDF's structure is: object and section keywords, the signature's byte range, its value's ends."""
    keywords = rb"\d+ \d+ obj|endobj|stream\r?\n|endstream|xref|trailer|startxref|%%EOF|/ByteRange[^\]]*\]"
    marks = {m.start() for m in re.finditer(keywords, pdf)} | {m.end() for m in re.finditer(keywords, pdf)}
    signature = contents_range(pdf)
    found = re.search(rb"/ByteRange[^\]]*\]", pdf)
    assert found is not None
    byte_range = range(found.start(), found.end())
    return sorted({*marks, *byte_range, signature.start, signature.start + 1, signature.stop - 1, signature.stop})


def sweep_pdf(bench: Bench, sweep: Sweep, variants: Iterable[Variant], allowed: Iterable[str]) -> None:
    codes = (ExitCode.INTEGRITY,)
    for variant in variants:
        result = bench.verdict(variant.data, bench.report.minisig)
        if result[0] == ExitCode.OK:
            sweep.accepted_variant(variant)
        elif "unexpected internal error" in result[2]:
            sweep.crashed(variant, RuntimeError(result[2].strip()))
        else:
            sweep.refused(variant, cli_problem(result, codes, list(allowed)))


def test_every_byte_of_a_signed_report_flipped_is_refused(bench: Bench) -> None:
    pdf = bench.report.pdf
    unsigned = contents_range(pdf)
    places = positions(len(pdf), pdf_structure(pdf), quick=300, full=len(pdf))
    signed_places = [p for p in places if p not in unsigned]
    sweep = Sweep("Signed report: every byte flipped")
    # Outside /Contents the PDF signature itself must refuse: no detached-signature message is allowed there.
    sweep_pdf(bench, sweep, flips(pdf, signed_places), [*PDF_MESSAGES, *IDENTITY_MESSAGES])
    inside = [p for p in places if p in unsigned]
    sweep_pdf(bench, sweep, flips(pdf, inside), [*PDF_MESSAGES, *IDENTITY_MESSAGES, *bench.detached_messages])
    sweep.publish(
        f"{len(places)} of {len(pdf)} bytes (all at the full budget), one bit each; outside /Contents the PAdES check "
        "refuses each itself, inside it the CMS or the .minisig does; exit 4"
    )


def test_a_signed_report_cut_at_every_boundary_is_refused(bench: Bench) -> None:
    pdf = bench.report.pdf
    lengths = {*pdf_structure(pdf), *range(len(pdf) - 32, len(pdf))}
    lengths |= set(positions(len(pdf), (), quick=60, full=len(pdf), seed=3))
    sweep = Sweep("Signed report: truncated at every boundary")
    sweep_pdf(bench, sweep, cuts(pdf, lengths), PDF_MESSAGES)
    sweep.publish("each object, stream, xref, trailer and byte-range boundary, the last 32 bytes, and a sample; exit 4")


def minisig_comment(minisig: bytes) -> range:
    """The unsigned text after "untrusted comment: " on the first line."""
    start = len(b"untrusted comment: ")
    return range(start, minisig.index(b"\n"))


def sweep_minisig(bench: Bench, sweep: Sweep, variants: Iterable[Variant]) -> None:
    for variant in variants:
        result = bench.verdict(bench.report.pdf, variant.data)
        if result[0] == ExitCode.OK:
            sweep.accepted_variant(variant)
        else:
            sweep.refused(variant, cli_problem(result, (ExitCode.INTEGRITY,), bench.detached_messages))


def test_every_bit_of_the_detached_signature_flipped_is_refused(bench: Bench) -> None:
    minisig = bench.report.minisig
    comment = minisig_comment(minisig)
    step = 1 if full_budget() else max(1, len(minisig) // budget(100, len(minisig)))
    lines = [i for i, byte in enumerate(minisig) if byte == 0x0A]
    places = sorted({*range(0, len(minisig), step), *lines, *(n + 1 for n in lines[:-1])} - set(comment))
    sweep = Sweep("Signed report's .minisig: every byte flipped")
    sweep_minisig(bench, sweep, flips(minisig, places, lambda _: full_budget()))
    sweep.publish(
        f"{len(places)} bytes of the {len(minisig)}-byte .minisig (every one but the unsigned comment text at the full "
        "budget, with all 8 bits), each line break and line start; exit 4"
    )


def test_the_detached_signature_cut_anywhere_is_refused(bench: Bench) -> None:
    minisig = bench.report.minisig
    content = len(minisig.rstrip(b"\n"))  # without only its final newline it is the same signature
    step = 1 if full_budget() else max(1, content // budget(60, content))
    lines = [i for i, byte in enumerate(minisig) if byte == 0x0A]
    sweep = Sweep("Signed report's .minisig: truncated at every byte")
    lengths = {*range(0, content, step), *lines, *(n + 1 for n in lines)}
    sweep_minisig(bench, sweep, cuts(minisig, {n for n in lengths if n < content}))
    sweep.publish("every line boundary and every byte (a sample of them at the quick budget); exit 4")


def test_a_changed_untrusted_comment_verifies_with_the_same_verdict(bench: Bench) -> None:
    """Not tampering: minisign leaves that line unsigned and SafeCase neither shows nor stores it."""
    report = bench.report
    expected = bench.verdict(report.pdf, report.minisig)
    sweep = Sweep("Signed report's .minisig: unsigned comment text changed (not tampering)")
    for variant in flips(report.minisig, minisig_comment(report.minisig), lambda _: full_budget()):
        result = bench.verdict(report.pdf, variant.data)
        if result[0] == ExitCode.OK:
            sweep.refused(variant, None if result == expected else f"another verdict: {result}")
        else:  # a flip to a byte that is no longer text, or a line break: the file is damaged
            sweep.refused(variant, cli_problem(result, (ExitCode.INTEGRITY,), bench.detached_messages))
    sweep.publish("one bit per byte (all 8 at the full budget); held: the same verdict and output as the original")


def test_the_command_line_refuses_tampered_reports_in_one_line(bench: Bench) -> None:
    """A sample of the variants above through `safecase verify` itself: exit 4 and one line, as the service said."""
    report = bench.report
    step = max(1, len(report.pdf) // budget(12, 120))
    for position in range(0, len(report.pdf), step):
        for pdf, minisig in (
            (next(iter(flips(report.pdf, [position]))).data, report.minisig),
            (report.pdf[:position], report.minisig),
            (report.pdf, next(iter(flips(report.minisig, [position % len(report.minisig)]))).data),
        ):
            result = bench.verify(pdf, minisig)
            assert result == bench.verdict(pdf, minisig), (position, result)
            assert result[0] == ExitCode.INTEGRITY or (pdf == report.pdf and minisig[:19] == report.minisig[:19])
            assert result[2].count("\n") <= 1 and "internal error" not in result[2], result
