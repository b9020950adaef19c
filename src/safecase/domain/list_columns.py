"""The columns each record list shows, with their headers in English and Korean and how a cell reads.

Names are columns of the kind's ``<kind>_list`` view (migration 3). Lists never show record ids, and a contact
list never shows the contact's value: it is not in the view, and it must not be on screen in a list.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from safecase.domain import vocabulary as v
from safecase.domain.kinds import Kind

CHECK_MARK = "✓"


class CellStyle(StrEnum):
    TEXT = "text"
    FLAG = "flag"  # a yes/no value (SQLite gives 1 or 0): a check mark or nothing
    TIMESTAMP = "timestamp"  # a stored UTC timestamp, shown as local date and time to the minute


@dataclass(frozen=True)
class ListColumn:
    name: str
    en: str
    ko: str
    vocabulary: v.Vocabulary | None = None
    style: CellStyle = CellStyle.TEXT

    def label(self, lang: str = "en") -> str:
        return self.ko if lang == "ko" else self.en

    def cell_text(self, value: object, lang: str = "en") -> str:
        """What the list shows for `value` (as read from the view)."""
        if value is None:
            return ""
        if self.style is CellStyle.FLAG or isinstance(value, bool):
            return CHECK_MARK if value in (True, 1, "1", "true") else ""
        if self.vocabulary is not None and isinstance(value, str):
            return self.vocabulary.label(value, lang)
        if self.style is CellStyle.TIMESTAMP and isinstance(value, str):
            return _local_minute(value)
        return str(value)


def _local_minute(text: str) -> str:
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        return text
    if moment.tzinfo is None:
        return text
    return moment.astimezone().strftime("%Y-%m-%d %H:%M")


def _flag(name: str, en: str, ko: str) -> ListColumn:
    return ListColumn(name, en, ko, style=CellStyle.FLAG)


UPDATED = ListColumn("updated_at", "Updated", "수정일", style=CellStyle.TIMESTAMP)

LIST_COLUMNS: Mapping[Kind, tuple[ListColumn, ...]] = {
    Kind.CASE: (
        ListColumn("title", "Title", "사례명"),
        ListColumn("status", "Status", "진행 상태", v.CASE_STATUSES),
        ListColumn("sensitivity", "Sensitivity", "민감도", v.SENSITIVITIES),
        ListColumn("opened_on", "Opened on", "개시일"),
        UPDATED,
    ),
    Kind.PERSON: (
        ListColumn("pseudonym", "Pseudonym", "가명 코드"),
        ListColumn("name_hangul", "Name (Hangul)", "한글 이름"),
        ListColumn("name_romanized", "Name (romanized)", "로마자 이름"),
        ListColumn("sex", "Sex", "성별", v.SEXES),
        ListColumn("birth_year", "Born", "출생 연도"),
        ListColumn("status", "Status", "신변 상태", v.PERSON_STATUSES),
        _flag("is_group", "Group", "집단"),
        UPDATED,
    ),
    Kind.CONTACT: (
        ListColumn("person_pseudonym", "Person", "대상 인물"),
        ListColumn("type", "Contact type", "연락 방법", v.CONTACT_TYPES),
        ListColumn("relation", "Relation", "관계"),
        UPDATED,
    ),
    Kind.TESTIMONY: (
        ListColumn("date", "Date", "면담 일자"),
        ListColumn("interviewee_pseudonym", "Interviewee", "면담 대상자"),
        ListColumn("interviewer", "Interviewer", "면담자"),
        ListColumn("place", "Place", "면담 장소"),
        ListColumn("language", "Language", "원문 언어", v.LANGUAGES),
        UPDATED,
    ),
    Kind.CONSENT: (
        ListColumn("given_on", "Given on", "동의 일자"),
        ListColumn("subject_pseudonym", "Subject", "동의 당사자"),
        _flag("names_to_governments", "Name to governments", "정부 이름 제공"),
        _flag("names_in_public_reports", "Name in reports", "보고서 실명 게재"),
        _flag("recontact", "Recontact", "재연락"),
        _flag("share_with_un", "Share with UN", "유엔 공유"),
        UPDATED,
    ),
    Kind.EVENT: (
        ListColumn("date", "Date", "발생일"),
        ListColumn("type", "Type", "사건 유형", v.EVENT_TYPES),
        ListColumn("title", "Title", "제목"),
        ListColumn("location_name", "Location", "발생 장소"),
        ListColumn("people_count", "People", "관련 인원"),
        UPDATED,
    ),
    Kind.ROUTE: (
        ListColumn("title", "Title", "제목"),
        ListColumn("event_count", "Events", "사건 수"),
        UPDATED,
    ),
    Kind.LOCATION: (
        ListColumn("type", "Type", "장소 유형", v.LOCATION_TYPES),
        ListColumn("name_ko", "Korean name", "한국어 명칭"),
        ListColumn("name_en", "English name", "영어 명칭"),
        ListColumn("name_zh", "Chinese name", "중국어 명칭"),
        ListColumn("country", "Country", "국가"),
        UPDATED,
    ),
    Kind.OBSERVATION: (
        ListColumn("date", "Date", "관찰 일자"),
        ListColumn("type", "Type", "관찰 유형", v.OBSERVATION_TYPES),
        ListColumn("people_count", "People held", "수용 인원"),
        ListColumn("confidence", "Confidence", "신뢰도", v.CONFIDENCE),
        UPDATED,
    ),
    Kind.TAG: (
        ListColumn("label", "Label", "태그 이름"),
        ListColumn("label_ko", "Korean label", "한국어 태그 이름"),
        UPDATED,
    ),
    Kind.ATTACHMENT: (
        ListColumn("file_name", "File", "파일"),
        ListColumn("media_type", "Type", "형식"),
        ListColumn("size", "Bytes", "바이트"),
        ListColumn("copy_role", "Copy", "사본 구분", v.COPY_ROLES),
        ListColumn("intake_at", "Taken in", "반입 시각", style=CellStyle.TIMESTAMP),
        UPDATED,
    ),
}

# Most recently changed first: what a field worker just wrote is at the top.
DEFAULT_SORT: Mapping[Kind, tuple[str, bool]] = {kind: ("updated_at", True) for kind in Kind}
