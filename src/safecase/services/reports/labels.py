"""The fixed words of a report, in Korean and English (the command line has no Qt translator; these are few)."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, fields


@dataclass(frozen=True)
class Labels:
    policy: str
    generated: str
    submitter: str
    signature_note: str
    summary: str
    victims: str
    perpetrators: str
    events: str
    description: str
    actions_taken: str
    testimonies: str
    sources: str
    sources_note: str
    none: str
    other: str
    chart_transfers: str
    chart_event_types: str
    chart_months: str
    chart_sex: str
    chart_ages: str
    victim_columns: tuple[str, ...]
    event_columns: tuple[str, ...]
    source_columns: tuple[str, ...]
    testimony: str
    attachment: str
    counts_text: str  # {cases} {victims} {events} {sources}
    page_text: str  # {page} {pages}

    def summary_counts(self, cases: int, victims: int, events: int, sources: int) -> str:
        return self.counts_text.format(cases=cases, victims=victims, events=events, sources=sources)

    def page_of(self, page: int, pages: int) -> str:
        return self.page_text.format(page=page, pages=pages)

    def kind_label(self, kind: str) -> str:
        return self.testimony if kind == "testimony" else self.attachment

    def all_texts(self) -> Iterator[str]:
        for item in fields(self):
            value = getattr(self, item.name)
            yield from value if isinstance(value, tuple) else (value,)


ENGLISH = Labels(
    policy="Disclosure policy",
    generated="Generated",
    submitter="Submitted by",
    signature_note="This document is signed. Check the signature in your PDF reader, or with `safecase verify` and "
    "the detached .minisig file.",
    summary="Summary",
    victims="Alleged victims",
    perpetrators="Alleged perpetrators",
    events="Events",
    description="Description",
    actions_taken="Action already taken",
    testimonies="Testimonies",
    sources="Sources (chain of custody)",
    sources_note="Each evidence file is identified by the SHA-256 recorded when it was taken in.",
    none="—",
    other="other",
    chart_transfers="People transferred per border crossing",
    chart_event_types="Events per type",
    chart_months="Events per month",
    chart_sex="People by sex",
    chart_ages="People by age",
    victim_columns=("Person", "Sex", "Age", "Status", "Consent"),
    event_columns=("Date", "Place", "Type", "Perpetrators", "Description"),
    source_columns=("Kind", "Source", "Date", "SHA-256"),
    testimony="testimony",
    attachment="evidence file",
    counts_text="{cases} case(s), {victims} alleged victim(s), {events} event(s), {sources} source(s).",
    page_text="Page {page} of {pages}",
)

KOREAN = Labels(
    policy="공개 정책",
    generated="작성 일시",
    submitter="제출자",
    signature_note="이 문서는 서명되어 있습니다. PDF 뷰어에서 서명을 확인하거나, `safecase verify`와 별도의 .minisig "
    "파일로 확인하십시오.",
    summary="요약",
    victims="피해자",
    perpetrators="가해 주체",
    events="사건",
    description="상세 내용",
    actions_taken="이미 취한 조치",
    testimonies="증언",
    sources="출처 (증거 관리 연속성)",
    sources_note="각 증거 파일은 접수할 때 기록한 SHA-256으로 식별됩니다.",
    none="—",
    other="기타",
    chart_transfers="국경 통과 지점별 이송 인원",
    chart_event_types="유형별 사건",
    chart_months="월별 사건",
    chart_sex="성별 인원",
    chart_ages="연령별 인원",
    victim_columns=("인물", "성별", "나이", "상태", "동의"),
    event_columns=("날짜", "장소", "유형", "가해 주체", "내용"),
    source_columns=("종류", "출처", "날짜", "SHA-256"),
    testimony="증언",
    attachment="증거 파일",
    counts_text="사례 {cases}건, 피해자 {victims}명, 사건 {events}건, 출처 {sources}건.",
    page_text="{pages}쪽 중 {page}쪽",
)


def labels_for(lang: str) -> Labels:
    return KOREAN if lang == "ko" else ENGLISH
