"""The PDF renderer: Korean and English text with embedded fonts, escaped user text, charts, a refusal for
characters no font has."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from safecase.errors import UsageError
from safecase.services.reports.render import render_pdf
from tests.reports.render_sample import sample_report


def _text_of(pdf: bytes, tmp_path: Path) -> str:
    path = tmp_path / "r.pdf"
    path.write_bytes(pdf)
    done = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, check=True)
    return done.stdout.decode("utf-8")


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler-utils (pdftotext) is not installed")
@pytest.mark.parametrize("lang", ["ko", "en"])
def test_the_report_prints_its_text_with_the_fonts_embedded(lang: str, tmp_path: Path) -> None:
    pdf = render_pdf(sample_report(lang))
    assert pdf.startswith(b"%PDF-")
    text = _text_of(pdf, tmp_path)
    assert "투먼" in text and ("김영희" in text)
    assert ("피해자" if lang == "ko" else "Alleged victims") in text
    assert "<img src=x>" in text or lang == "en"  # user text is printed, never interpreted
    fonts = subprocess.run(["pdffonts", str(tmp_path / "r.pdf")], capture_output=True, check=True).stdout.decode()
    rows = [line.split() for line in fonts.splitlines()[2:]]
    assert rows and all("yes" in row[-5:-2] for row in rows), fonts  # every font embedded


def test_a_character_no_font_has_is_refused_by_name() -> None:
    with pytest.raises(UsageError, match="U\\+E000"):
        render_pdf(sample_report("en", extra_text="\ue000"))
