"""Fuzzing report verification (``verify_report``, what ``safecase verify`` runs, with no vault).

What is attacked: the PDF reader, signature lookup, coverage check, CMS validation and certificate binding of a
real signed report, fed PDFs with one of their tokens (numbers, names, keywords, references, hex strings) replaced
with an odd one, deleted or repeated, byte-level mutations of the whole file, and arbitrary bytes; the detached
signature stays the original's. What must hold: every input but the original PDF is refused with an IntegrityError
(exit 4) in one line; nothing else is raised, whatever the PDF parser meets.
"""

from __future__ import annotations

import functools
import re

import pytest
from hypothesis import strategies as st

from tests.adversarial import fuzz_targets
from tests.adversarial.fuzz_support import Sample, fuzz_inputs, run_fuzzer
from tests.adversarial.tamper_artefacts import signed_report

TOKEN = re.compile(
    rb"/[A-Za-z0-9#._-]+|[-+]?\d*\.\d+|[-+]?\d+|<<|>>|\[|\]|<[0-9A-Fa-f]*>|\((?:[^()\\]|\\.){0,64}\)"
    rb"|\b(?:obj|endobj|R|stream|endstream|xref|trailer|startxref|true|false|null)\b"
)
ODD_TOKENS = [b"-1", b"0", b"99999999999999999999", b"1.5", b"1e5", b".", b"-.", b"+", b"--1", b"0.0.0", b"/Sig",
              b"/DocTimeStamp", b"/Type", b"/Annots", b"null", b"true", b"<<", b">>", b"[", b"]", b"(", b")", b"R",
              b"0 0 R", b"9999 0 R", b"1 0 R", b"endobj", b"stream", b"/Filter /FlateDecode", b"/Length 0",
              b"/ByteRange [0 1 2 3]", b"%", b"\x00", b"<ZZ>", b"<>", b"()", b"(\\"]  # fmt: skip


@pytest.fixture(autouse=True)
def _widget_capable_qt_application(qapp: object) -> None:
    """The signed report is rendered with Qt: pytest-qt's QApplication must exist first."""


@functools.cache
def token_spans(pdf: bytes) -> tuple[tuple[int, int], ...]:
    return tuple((m.start(), m.end()) for m in TOKEN.finditer(pdf))


@st.composite
def pdf_token_variants(draw: st.DrawFn, pdf: bytes) -> bytes:
    """The PDF with one to three tokens replaced by an odd token or another of its own, deleted, or repeated."""
    spans = token_spans(pdf)
    data = pdf
    for _ in range(draw(st.integers(1, 3))):
        start, end = draw(st.sampled_from(spans))
        start, end = min(start, len(data)), min(end, len(data))  # spans are the original's: close enough
        other = draw(st.sampled_from(spans))
        edit = draw(st.sampled_from(["odd", "odd", "other", "delete", "repeat"]))
        if edit == "odd":
            replacement = draw(st.sampled_from(ODD_TOKENS))
        elif edit == "other":
            replacement = pdf[other[0] : other[1]]
        elif edit == "delete":
            replacement = b""
        else:
            replacement = data[start:end] * 2
        data = data[:start] + replacement + data[end:]
    return data


def test_fuzz_report_verification() -> None:
    pdf = Sample(signed_report().pdf)
    inputs = fuzz_inputs([pdf], pdf_token_variants(pdf), pdf_token_variants(pdf))
    run_fuzzer(fuzz_targets.target("report-verify"), inputs, quick=150, full=5_000)
