"""Reports: time from a vault of 500 testimonies to a signed PDF, against rendering the same text bare.

A vault holds 500 fictional testimonies with their interviewees and an event each (a transfer at a border
crossing), filed under 5 cases (50 with ``--quick``), filled before anything is timed. The timed operation is
what `safecase report` does in memory: ``build_report`` (policy "un-special-procedures", Korean), rendering with
charts, embedding the annex, and signing (PAdES + minisign). The baseline renders the same words, joined as
plain paragraphs, with a bare QTextDocument onto a QPdfWriter in the same run. Target: at most 10 s.
"""

from __future__ import annotations

import dataclasses
import time
from collections.abc import Iterator

from PySide6.QtCore import QBuffer, QByteArray, QIODevice
from PySide6.QtGui import QPdfWriter, QTextDocument

from benchmarks.corpus import CorpusGenerator
from benchmarks.figures import Context, Figure, Target, log, median
from benchmarks.vaults import create_encrypted_vault, open_encrypted_session
from safecase.domain.kinds import Kind
from safecase.services.records import PendingWrite, RecordService
from safecase.services.reports.content import ReportRequest, build_report
from safecase.services.reports.labels import labels_for
from safecase.services.reports.model import ReportContent
from safecase.services.reports.render import body_font, ensure_gui_application, report_texts
from safecase.services.reports.report import unsigned_pdf
from safecase.services.reports.signing import sign_report
from safecase.services.session import VaultSession

NAME = "report"
TIME_TARGET = Target("<=", 10.0, "s")
CASES = 5


def _fill(session: VaultSession, stories: int, seed: int) -> list[str]:
    records = RecordService(session)
    crossings = [records.prepare_new(Kind.LOCATION, {"names": {"en": name}, "type": "border_crossing"})
                 for name in ("Tumen", "Namyang", "Dandong", "Sinuiju", "Hoeryong")]  # fmt: skip
    cases = [records.prepare_new(Kind.CASE, {"title": f"Benchmark case {n + 1}"}) for n in range(CASES)]
    records.write_batch([*crossings, *cases])
    writes: list[PendingWrite] = []
    for number, story in enumerate(CorpusGenerator(seed).stories(stories)):
        filed = [cases[number % CASES].record_id]
        writes.append(records.prepare_new(Kind.PERSON, {**story.person, "case_ids": filed}, story.person_id))
        writes.append(records.prepare_new(Kind.TESTIMONY, {**story.testimony, "case_ids": filed}, story.testimony_id))
        event = {
            "type": "transfer",
            "date": f"2019-{number % 12 + 1:02d}",
            "to_location_id": crossings[number % len(crossings)].record_id,
            "victim_ids": [story.person_id],
            "source_testimony_ids": [story.testimony_id],
            "case_ids": filed,
        }
        writes.append(records.prepare_new(Kind.EVENT, event))
    for start in range(0, len(writes), 900):
        records.write_batch(writes[start : start + 900])
    return [case.record_id for case in cases]


def _bare_render(content: ReportContent) -> float:
    """The same words as plain paragraphs through a bare QTextDocument: what rendering alone costs."""
    text = "\n\n".join(report_texts(dataclasses.replace(content), labels_for(content.lang)))
    started = time.perf_counter()
    document = QTextDocument()
    document.setDefaultFont(body_font(10))
    document.setPlainText(text)
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    writer = QPdfWriter(buffer)
    document.print_(writer)
    del writer
    return time.perf_counter() - started


def run(ctx: Context) -> Iterator[Figure]:
    stories = 50 if ctx.quick else 500
    rounds = 2 if ctx.quick else 3
    ensure_gui_application()
    folder = ctx.workdir / "report-vault"
    create_encrypted_vault(folder)
    with open_encrypted_session(folder) as session:
        case_ids = _fill(session, stories, ctx.seed)
        request = ReportRequest(tuple(case_ids), (), "un-special-procedures", "ko")
        timings: list[float] = []
        bare: list[float] = []
        pages_bytes = 0
        for round_number in range(rounds):
            started = time.perf_counter()
            content = build_report(session, request)
            signed = sign_report(session, unsigned_pdf(content), reason=content.policy_title)
            timings.append(time.perf_counter() - started)
            pages_bytes = len(signed.pdf)
            bare.append(_bare_render(content))
            log(f"{NAME}: round {round_number + 1}/{rounds}: signed PDF {timings[-1]:.2f} s, bare {bare[-1]:.2f} s")
    value, baseline = median(timings), median(bare)
    params = {"testimonies": stories, "cases": CASES, "rounds": rounds, "pdf_bytes": pages_bytes, "lang": "ko"}
    yield Figure("report_signed_pdf_seconds", round(value, 3), "s", round(baseline, 4), TIME_TARGET, params)
