"""The PDF renderer: Korean and English text with embedded fonts, escaped user text, charts, a refusal for
characters no font has."""

from __future__ import annotations

import dataclasses
import re
import shutil
import subprocess
from collections import Counter
from pathlib import Path
from random import Random

import pytest

from safecase.errors import UsageError
from safecase.services.reports.charts import MAX_BARS, months_or_years
from safecase.services.reports.model import EventEntry, ReportContent
from safecase.services.reports.render import render_pdf, render_report
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


def test_a_long_series_of_months_is_charted_by_year_not_lumped_into_other() -> None:
    short = {"2019-04": 1, "2019-03": 2}
    assert list(months_or_years(short).items()) == [("2019-03", 2), ("2019-04", 1)]
    long = {f"{2015 + n // 12}-{n % 12 + 1:02d}": 1 for n in range(MAX_BARS + 6)}
    assert months_or_years(long) == {"2015": 12, "2016": 12, "2017": 6}


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler-utils (pdftotext) is not installed")
def test_every_page_has_a_footer_and_every_section_a_bookmark_on_its_page(tmp_path: Path) -> None:
    content = sample_report("en")
    rendered = render_report(content)
    text = _text_of(rendered.pdf, tmp_path)
    pages = text.count("\f")
    assert pages >= 2
    assert all(f"Page {page} of {pages}" in text for page in range(1, pages + 1))
    titles = [heading.title for heading in rendered.outline]
    assert titles[:2] == [content.title, "Summary"] and titles[-1].startswith("Sources")
    assert content.cases[0].title in titles
    for heading in rendered.outline:  # each bookmark points at the page that prints its heading
        page_text = text.split("\f")[heading.page]
        assert heading.title in page_text
        assert 0 < heading.top < 842  # within an A4 page, in points from its top


def _long_report(cases: int = 8) -> ReportContent:
    """Cases whose every word is unique (W<case>x<n>, L<case>x<event>x<n>), long enough to break across pages in
    the middle of text and of table cells."""
    base = sample_report("en")
    random = Random(7)
    made = []
    for i in range(cases):
        events = tuple(
            EventEntry(f"E{i}-{j}", "arrest", "2019-03", "Jilin", ("police",), ("P-X",), _words(f"L{i}x{j}x", random))
            for j in range(random.randint(1, 5))
        )
        title = f"Case heading number {i:02d}"
        made.append(dataclasses.replace(base.cases[0], title=title, summary=_words(f"W{i}x", random), events=events))
    return dataclasses.replace(base, title="A long report " + "with a very long title " * 12, cases=tuple(made))


def _words(prefix: str, random: Random) -> str:
    return " ".join(f"{prefix}{k}" for k in range(random.randint(5, 300)))


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler-utils (pdftotext) is not installed")
def test_a_long_report_breaks_pages_without_losing_or_repeating_a_line(tmp_path: Path) -> None:
    content = _long_report()
    rendered = render_report(content)
    text = _text_of(rendered.pdf, tmp_path)
    pages = text.split("\f")[:-1]
    assert len(pages) >= 10
    printed = Counter(re.findall(r"\b[WL]\d+x\d+(?:x\d+)?\b", text))
    written = {w for case in content.cases for w in case.summary.split()}
    written |= {w for case in content.cases for event in case.events for w in event.description.split()}
    assert set(printed) == written  # nothing lost at a page break
    assert [w for w, n in printed.items() if n > 1] == []  # nor printed twice (even hidden above a clip)
    for heading in rendered.outline:
        assert heading.title in " ".join(pages[heading.page].split()), heading
    for number, page in enumerate(pages, start=1):  # the long title is cut to one line, beside the page number
        assert page.count(f"Page {number} of {len(pages)}") == 1
        assert "A long report with a very long title" in page
