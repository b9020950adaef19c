"""The report as one PDF, rendered with Qt (QTextDocument onto QPdfWriter, in memory), Korean and English.

Every piece of user text is HTML-escaped before it reaches the document, so a testimony holding ``<img src=…>``
prints as those characters. The fonts used are embedded by Qt (subsets). Before anything is rendered, every
character of the report is checked against the fonts on this machine: one that no font covers refuses the
report with a message naming it, instead of printing an empty box in a document meant as evidence.
"""

from __future__ import annotations

import dataclasses
import html
import os
from collections.abc import Iterator
from dataclasses import dataclass

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, Qt, QUrl
from PySide6.QtGui import (
    QFont,
    QFontDatabase,
    QFontMetricsF,
    QGuiApplication,
    QImage,
    QPdfWriter,
    QRawFont,
    QTextDocument,
)

from safecase.errors import UsageError
from safecase.services.reports.charts import bar_chart, months_or_years
from safecase.services.reports.labels import Labels, labels_for
from safecase.services.reports.model import CaseSection, ReportContent
from safecase.services.reports.paginate import (
    PAGE_LAYOUT,
    Heading,
    headings,
    layout_device,
    paginate,
    paint,
    text_width,
)

# Latin text (and the spaces between Korean words) comes from the first family: some Korean fonts map the space to
# a glyph that PDF text extraction reads back as U+0001, which would break copying and searching the report.
LATIN_FAMILIES = ("DejaVu Sans", "Liberation Sans", "Noto Sans", "Arial", "Helvetica")
KOREAN_FAMILIES = ("NanumGothic", "Noto Sans CJK KR", "Noto Sans KR", "Malgun Gothic", "Apple SD Gothic Neo")
HAN_FAMILIES = ("Noto Sans CJK SC", "WenQuanYi Micro Hei", "Microsoft YaHei", "PingFang SC")
RESOLUTION = 300


def ensure_gui_application() -> QGuiApplication:
    """Qt's fonts and painting need an application object; the command line gets an offscreen one."""
    existing = QGuiApplication.instance()
    if existing is not None:
        assert isinstance(existing, QGuiApplication)
        return existing
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    return QGuiApplication(["safecase"])


def body_families() -> list[str]:
    """The report's font stack: an installed Latin family, then Korean, then Chinese ones (Qt falls back along it)."""
    installed = set(QFontDatabase.families())
    stack = [
        next((f for f in group if f in installed), "") for group in (LATIN_FAMILIES, KOREAN_FAMILIES, HAN_FAMILIES)
    ]
    if not stack[1]:
        korean = QFontDatabase.families(QFontDatabase.WritingSystem.Korean)
        stack[1] = korean[0] if korean else ""
    return [family for family in stack if family] or [QFont().defaultFamily()]


def body_font(point_size: float = 10) -> QFont:
    font = QFont()
    font.setFamilies(body_families())
    font.setPointSizeF(point_size)
    return font


def uncovered_character(texts: Iterator[str], families: list[str]) -> str | None:
    """The first character no installed font can draw (Qt falls back across fonts), or None."""
    stack = [QRawFont.fromFont(QFont(family)) for family in families]
    fallbacks: list[QRawFont] | None = None
    for char in sorted({c for text in texts for c in text if not c.isspace()}):
        if any(font.supportsCharacter(ord(char)) for font in stack):
            continue
        if fallbacks is None:
            fallbacks = [QRawFont.fromFont(QFont(name)) for name in QFontDatabase.families()]
        if not any(font.supportsCharacter(ord(char)) for font in fallbacks):
            return char
    return None


def report_texts(content: ReportContent, labels: Labels) -> Iterator[str]:
    """Every string that will be printed: the content (redactions excepted: never printed) and the labels."""
    yield from labels.all_texts()
    yield from _strings(dataclasses.replace(content, redactions=()))


def _strings(value: object) -> Iterator[str]:
    if isinstance(value, str):
        yield value
    elif dataclasses.is_dataclass(value) and not isinstance(value, type):
        for item in dataclasses.fields(value):
            yield from _strings(getattr(value, item.name))
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from _strings(key)
            yield from _strings(item)
    elif isinstance(value, (tuple, list)):
        for item in value:
            yield from _strings(item)


@dataclass(frozen=True)
class RenderedReport:
    pdf: bytes
    outline: tuple[Heading, ...]  # the headings with their pages, for the PDF's bookmarks


def render_pdf(content: ReportContent) -> bytes:
    """The report's PDF bytes (unsigned, without the annex and bookmarks: see ``report.unsigned_pdf``)."""
    return render_report(content).pdf


def render_report(content: ReportContent) -> RenderedReport:
    ensure_gui_application()
    labels = labels_for(content.lang)
    families = body_families()
    missing = uncovered_character(report_texts(content, labels), families)
    if missing is not None:
        raise UsageError(
            f"No font on this computer can print the character U+{ord(missing):04X} ({missing!r}) used in the "
            "report: install a font that has it (e.g. fonts-nanum for Korean), or remove it from the record."
        )
    device = layout_device()
    document = QTextDocument()
    document.setDefaultFont(body_font(10))
    document.setDocumentMargin(0)
    _add_charts(document, content, labels)
    document.setHtml(ReportHtml(content, labels).html())
    paginate(document, device)
    pages = document.pageCount()
    footers = [_footer(content.title, labels.page_of(page + 1, pages), device) for page in range(pages)]
    return RenderedReport(_print(document, footers, content.title), tuple(headings(document)))


def _footer(title: str, page_text: str, device: QImage) -> QTextDocument:
    """One line: the title (cut to fit, a long case title must not run into the page's text) and the page number."""
    font = body_font(7.5)
    room = text_width() * 0.75
    metrics = QFontMetricsF(font, device)
    shown_title = metrics.elidedText(" ".join(title.split()), Qt.TextElideMode.ElideRight, room)
    footer = QTextDocument()
    footer.setDefaultFont(font)
    footer.setDocumentMargin(0)
    footer.documentLayout().setPaintDevice(device)
    footer.setTextWidth(text_width())
    footer.setHtml(
        "<table width='100%' cellspacing='0' cellpadding='0' style='color:#555555'><tr>"
        f"<td>{_e(shown_title)}</td><td align='right'>{_e(page_text)}</td></tr></table>"
    )
    return footer


def _print(document: QTextDocument, footers: list[QTextDocument], title: str) -> bytes:
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    writer = QPdfWriter(buffer)
    writer.setResolution(RESOLUTION)
    writer.setTitle(title)
    writer.setCreator("SafeCase")
    writer.setPageLayout(PAGE_LAYOUT)
    paint(document, writer, footers)
    del writer  # finishes the PDF
    buffer.close()
    return bytes(data.data())


def _add_charts(document: QTextDocument, content: ReportContent, labels: Labels) -> None:
    for index, (name, counts) in enumerate(_chart_data(content, labels)):
        if counts:
            in_order = name in (labels.chart_months, labels.chart_ages)
            image = bar_chart(name, counts, body_families(), other=labels.other, in_order=in_order)
            document.addResource(QTextDocument.ResourceType.ImageResource, QUrl(_chart_url(index)), image)


def _chart_data(content: ReportContent, labels: Labels) -> list[tuple[str, dict[str, int]]]:
    stats = content.statistics
    return [
        (labels.chart_transfers, stats.transfers_by_crossing),
        (labels.chart_event_types, stats.events_by_type),
        (labels.chart_months, months_or_years(stats.events_by_month)),
        (labels.chart_sex, stats.people_by_sex),
        (labels.chart_ages, stats.people_by_age),
    ]


def _chart_url(index: int) -> str:
    return f"chart://{index}"


def _e(text: str) -> str:
    """User text as HTML: escaped, line breaks kept."""
    return html.escape(text, quote=True).replace("\n", "<br/>")


class ReportHtml:
    """The report's HTML for QTextDocument (its HTML subset: tables, headings, images)."""

    def __init__(self, content: ReportContent, labels: Labels) -> None:
        self._content = content
        self._labels = labels

    def html(self) -> str:
        parts = [
            "<html><body>",
            self._cover(),
            self._summary(),
            *(self._case(case) for case in self._content.cases),
            self._sources(),
            "</body></html>",
        ]
        return "".join(parts)

    def _cover(self) -> str:
        c, lb = self._content, self._labels
        return (
            f"<h1>{_e(c.title)}</h1>"
            f"<p><b>{_e(lb.policy)}:</b> {_e(c.policy_title)}<br/>"
            f"<b>{_e(lb.generated)}:</b> {_e(c.generated_at)}<br/>"
            f"<b>{_e(lb.submitter)}:</b> {_e(c.submitter)}</p>"
            f"<p><i>{_e(lb.signature_note)}</i></p>"
        )

    def _summary(self) -> str:
        c, lb = self._content, self._labels
        victims = sum(len(case.victims) for case in c.cases)
        events = sum(len(case.events) for case in c.cases)
        charts = "".join(
            f'<p><img src="{_chart_url(index)}" width="620"/></p>'
            for index, (_name, counts) in enumerate(_chart_data(c, lb))
            if counts
        )
        return (
            f"<h2>{_e(lb.summary)}</h2>"
            f"<p>{_e(lb.summary_counts(len(c.cases), victims, events, len(c.sources)))}</p>{charts}"
        )

    def _case(self, case: CaseSection) -> str:
        lb = self._labels
        rows = "".join(
            f"<tr><td>{_e(p.label)}</td><td>{_e(p.sex)}</td><td>{_e(p.age_text)}</td><td>{_e(p.status)}</td>"
            f"<td>{_e(p.consent)}</td></tr>"
            for p in case.victims
        )
        events = "".join(
            f"<tr><td>{_e(ev.date_text)}</td><td>{_e(ev.place_text)}</td><td>{_e(ev.type_label)}</td>"
            f"<td>{_e(', '.join(ev.perpetrators))}</td><td>{_e(ev.description)}</td></tr>"
            for ev in case.events
        )
        return (
            f"<h2>{_e(case.title)}</h2>"
            f"<h3>{_e(lb.victims)}</h3>{_table(lb.victim_columns, rows)}"
            f"<h3>{_e(lb.perpetrators)}</h3><p>{_e(', '.join(case.perpetrators) or lb.none)}</p>"
            f"<h3>{_e(lb.events)}</h3>{_table(lb.event_columns, events)}"
            f"<h3>{_e(lb.description)}</h3><p>{_e(case.summary or lb.none)}</p>"
            f"<h3>{_e(lb.actions_taken)}</h3><p>{_e(case.actions_taken or lb.none)}</p>"
            f"<h3>{_e(lb.testimonies)}</h3><p>{_e(', '.join(case.testimonies) or lb.none)}</p>"
        )

    def _sources(self) -> str:
        lb = self._labels
        rows = "".join(
            f"<tr><td>{_e(lb.kind_label(s.kind))}</td><td>{_e(s.label)}</td><td>{_e(s.date_text)}</td>"
            f'<td><font face="monospace" size="2">{_e(s.sha256)}</font></td></tr>'
            for s in self._content.sources
        )
        return f"<h2>{_e(lb.sources)}</h2><p>{_e(lb.sources_note)}</p>{_table(lb.source_columns, rows)}"


def _table(columns: tuple[str, ...], rows: str) -> str:
    head = "".join(f"<th align='left'>{_e(column)}</th>" for column in columns)
    return f"<table border='1' cellspacing='0' cellpadding='4' width='100%'><tr>{head}</tr>{rows}</table>"
