"""The wizard's list of what a report leaves out, in the interface's language, from the same codes the command
line describes in English."""

from __future__ import annotations

import re

import pytest
from PySide6.QtWidgets import QApplication

from safecase.domain.kinds import Kind
from safecase.services.reports.model import ConsentGap, LeftOut, Pseudonymised, Redaction
from safecase.services.reports.redaction_notes import describe
from safecase.ui.i18n import LanguageSwitcher
from safecase.ui.reports.left_out_text import LeftOutText

HANGUL = re.compile(r"[가-힣]")
SAMPLES = [
    Redaction("p1", LeftOut.NAME, "consent", "P-7K2M9Q", ConsentGap.WITHDRAWN.value, "2024-03-01"),
    Redaction("p2", LeftOut.NAME, "consent", "P-8H3N2R", ConsentGap.MISSING.value),
    Redaction("p3", LeftOut.NAME, "consent", "P-9J4P3S", ConsentGap.NOT_COVERED.value),
    Redaction("p4", LeftOut.NAME, "policy", "P-2A5B6C", "public"),
    Redaction("c1", LeftOut.CONTACT_DETAILS, "policy", "P-7K2M9Q"),
    Redaction("t1", LeftOut.INTERVIEW_DETAILS, "policy"),
    Redaction("e1", LeftOut.EVENT_DATE, "policy", detail="month"),
    Redaction("e1", LeftOut.EVENT_END_DATE, "policy", detail="year"),
    Redaction("t1", LeftOut.TESTIMONY_DATE, "policy", detail="month"),
    Redaction("e1", LeftOut.EVENT_PLACE, "policy", detail="region"),
    Redaction("k1", LeftOut.TEXT_SPAN, "manual", "summary", "hiding place", kind=Kind.CASE.value),
    Redaction("e1", LeftOut.WORDS_IN_TEXT, "policy", "description", "public", kind=Kind.EVENT.value),
]


def test_every_kind_of_item_is_covered_by_the_samples() -> None:
    assert {sample.item for sample in SAMPLES} == set(LeftOut)


@pytest.mark.parametrize("redaction", SAMPLES, ids=lambda r: f"{r.item.value}-{r.reason}")
def test_each_item_reads_as_a_sentence_in_english_and_korean(qapp: QApplication, redaction: Redaction) -> None:
    switcher = LanguageSwitcher(qapp)
    english = LeftOutText("en").describe(redaction)
    assert "%1" not in english and "{" not in describe(redaction)
    try:
        assert switcher.use("ko")
        korean = LeftOutText("ko").describe(redaction)
    finally:
        switcher.use("en")
    assert HANGUL.search(korean), korean
    assert "%1" not in korean
    for kept in (
        redaction.subject if redaction.item in (LeftOut.NAME, LeftOut.CONTACT_DETAILS) else "",
        redaction.date,
    ):
        assert kept in english and kept in korean


def test_a_withdrawn_consent_says_when(qapp: QApplication) -> None:
    person = Pseudonymised("P-7K2M9Q", ConsentGap.WITHDRAWN, "2024-03-01")
    assert LeftOutText("en").pseudonymised(person) == "P-7K2M9Q: consent withdrawn on 2024-03-01"
