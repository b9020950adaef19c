"""Redaction, checked on the signed PDF itself: the text of every page, the document metadata, the bookmarks and
the embedded annex files, in Korean and English, under every policy (the content-level checks are in
test_content.py; this proves the renderer and the annex add nothing)."""

from __future__ import annotations

import io
import shutil
import subprocess
import unicodedata
from pathlib import Path

import pytest
from pyhanko.pdf_utils.reader import PdfFileReader

from safecase.services.reports.content import ReportRequest, build_report
from safecase.services.reports.report import unsigned_pdf
from safecase.services.reports.signing import sign_report
from safecase.services.session import VaultSession
from tests.reports.case_vault import CONSENTED, EXACT_DATES, MESSENGER, PHONE, CaseVault, build_case_vault

pytestmark = pytest.mark.skipif(
    not all(shutil.which(tool) for tool in ("pdftotext", "pdfinfo", "pdfdetach")),
    reason="poppler-utils (pdftotext, pdfinfo, pdfdetach) is not installed",
)


def _squash(text: str) -> str:
    folded = unicodedata.normalize("NFC", text).casefold()
    return "".join(c for c in folded if c.isalnum())


def _everything_in(pdf: bytes, folder: Path) -> str:
    path = folder / "report.pdf"
    path.write_bytes(pdf)
    run = lambda *args: subprocess.run(args, capture_output=True, check=True).stdout.decode("utf-8", "replace")  # noqa: E731
    parts = [run("pdftotext", str(path), "-"), run("pdfinfo", "-meta", str(path)), run("pdfinfo", str(path))]
    attached = folder / "attached"
    attached.mkdir()
    subprocess.run(["pdfdetach", "-saveall", "-o", str(attached), str(path)], check=True, capture_output=True)
    parts += [item.read_text(encoding="utf-8") for item in sorted(attached.iterdir())]
    assert len(list(attached.iterdir())) == 2  # annex.json and annex.csv
    titles = bookmark_titles(pdf)
    assert len(titles) >= 3  # the title, the summary, the case, the sources
    parts += titles
    parts.append(pdf.decode("latin-1"))  # any string left in the file itself
    return "\n".join(parts)


def bookmark_titles(pdf: bytes) -> list[str]:
    """The titles of the PDF's outline, as a reader's bookmarks panel shows them (decoded from UTF-16)."""
    outlines = PdfFileReader(io.BytesIO(pdf)).root["/Outlines"]
    titles, entry = [], outlines["/First"]
    while entry is not None:
        titles.append(str(entry["/Title"]))
        entry = entry["/Next"] if "/Next" in entry else None  # noqa: SIM401  # [] dereferences, get() does not
    return titles


def _date_forms(iso: str) -> tuple[str, ...]:
    year, month, day = iso.split("-")
    return (iso, f"{year}.{month}.{day}", f"{year}/{month}/{day}", f"{year}년 {int(month)}월 {int(day)}일")


@pytest.mark.parametrize("lang", ["en", "ko"])
@pytest.mark.parametrize("policy", ["un-special-procedures", "public", "internal"])
def test_the_signed_pdf_carries_no_withheld_name_contact_or_finer_date(
    session: VaultSession, tmp_path: Path, policy: str, lang: str
) -> None:
    vault: CaseVault = build_case_vault(session)
    content = build_report(session, ReportRequest((vault.case_id,), (), policy, lang))
    pdf = sign_report(session, unsigned_pdf(content), reason=content.policy_title).pdf
    raw = _everything_in(pdf, tmp_path)
    text = _squash(raw)
    forbidden = [*vault.forbidden_names(), PHONE, MESSENGER]
    if policy == "public":
        forbidden += CONSENTED.values()
        # Dates are matched as dates (squashing would join a month "2019-08" to a following "20-29" age band).
        dates = [d for d in EXACT_DATES if any(form in raw for form in _date_forms(d))]
        assert not dates, dates
    leaked = [item for item in forbidden if _squash(item) in text]
    assert not leaked, leaked
    if policy != "public":
        assert _squash(CONSENTED["romanized"]) in text  # the consented name is there: the check can fail
