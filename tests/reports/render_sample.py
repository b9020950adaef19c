"""A hand-made, already redacted report (fictional people, real places) for the rendering tests."""

from __future__ import annotations

from safecase.services.reports.model import (
    CaseSection,
    EventEntry,
    PersonEntry,
    ReportContent,
    SourceEntry,
    Statistics,
)

SUMMARY_KO = "옌볜에서 체포되어 투먼에서 인계됨. <img src=x> & 'quotes'"
POLICY_KO = "유엔 특별절차 비공개 통보"


def sample_report(lang: str = "ko", *, extra_text: str = "") -> ReportContent:
    case = CaseSection(
        case_id="0b6f1c2e-0000-4000-8000-000000000001",
        title="투먼 다리 강제송환 2019" if lang == "ko" else "Forced returns at the Tumen bridge, 2019",
        summary=(
            "옌볜에서 체포되어 투먼에서 인계됨. <img src=x> & 'quotes'" if lang == "ko" else "Arrested in Yanbian."
        )
        + extra_text,
        victims=(
            PersonEntry("김영희", "여성", "1988년생 (추정)", "송환됨", "유엔 공유 동의"),
            PersonEntry("P-7K2M9Q", "남성", "30-39", "구금됨", "동의 없음"),
            PersonEntry("12명 집단", group_count=12),
        ),
        perpetrators=("국가보위성", "온성군 보위부"),
        events=(
            EventEntry("체포", "체포", "2019-03", "지린성 옌볜", ("중국 공안",), ("김영희",), "새벽에 체포됨."),
            EventEntry("인계", "이송", "2019-04", "투먼 세관", ("국가보위성",), ("김영희", "P-7K2M9Q"), ""),
        ),
        actions_taken="가족이 지역 당국에 문의함.",
        testimonies=("증언 2019-05",),
    )
    stats = Statistics(
        transfers_by_crossing={"투먼": 14, "단둥": 5, "난핑": 2},
        events_by_type={"체포": 3, "이송": 2, "구금": 4},
        events_by_month={"2019-03": 2, "2019-04": 3},
        people_by_sex={"여성": 8, "남성": 6},
        people_by_age={"20-29": 5, "30-39": 7},
    )
    return ReportContent(
        title="보고서: 중국 내 탈북민 강제송환" if lang == "ko" else "Report: forced returns of escapees from China",
        lang=lang,
        policy_name="un-special-procedures",
        policy_title="유엔 특별절차 비공개 통보"
        if lang == "ko"
        else "UN Special Procedures - confidential communication",
        generated_at="2026-11-28T10:00:00.000Z",
        submitter="Test Org",
        cases=(case,),
        statistics=stats,
        sources=(
            SourceEntry("testimony", "0b6f-1", "증언 2019-05", "2019-05"),
            SourceEntry("attachment", "0b6f-2", "photo.jpg", "2019-05-02", "ab" * 32, 1234),
        ),
        redactions=(),
    )
