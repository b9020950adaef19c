"""The annex travels inside the PDF: standard tools list and extract it byte for byte."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from safecase.services.reports.embedding import Attachment, embed_files
from safecase.services.reports.render import render_pdf
from tests.reports.render_sample import sample_report


@pytest.mark.skipif(shutil.which("pdfdetach") is None, reason="poppler-utils (pdfdetach) is not installed")
def test_embedded_annex_files_are_listed_and_extracted_by_pdfdetach(tmp_path: Path) -> None:
    annex = b'{"schema": "safecase-report-annex", "cases": []}'
    csv = "case,event\n투먼,이송\n".encode()
    pdf = embed_files(
        render_pdf(sample_report("en")),
        [
            Attachment("annex.json", annex, "application/json", "Machine-readable annex"),
            Attachment("annex.csv", csv, "text/csv", "Events as CSV"),
        ],
    )
    path = tmp_path / "report.pdf"
    path.write_bytes(pdf)
    listed = subprocess.run(["pdfdetach", "-list", str(path)], capture_output=True, check=True, text=True).stdout
    assert "annex.json" in listed and "annex.csv" in listed
    out = tmp_path / "out"
    out.mkdir()
    subprocess.run(["pdfdetach", "-saveall", "-o", str(out), str(path)], check=True, capture_output=True)
    assert (out / "annex.json").read_bytes() == annex and (out / "annex.csv").read_bytes() == csv
