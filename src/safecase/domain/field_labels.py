"""English and Korean labels and help for every field of every record kind, for forms and reports.

A field is named by its kind and its dotted path without list indices (``names.hangul``, ``acts.type``). English
labels are the field's ``title`` in ``record_types`` where it has one; help repeats (or lightly rewords) the
field's description. The tests check that every field has a label and that no label names a field that is gone.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass

from safecase.domain.kinds import Kind
from safecase.domain.record_types import RECORD_TYPES
from safecase.domain.structures import ListOf, Obj, Prop


@dataclass(frozen=True)
class FieldLabel:
    en: str
    ko: str
    help_en: str = ""
    help_ko: str = ""

    def label(self, lang: str = "en") -> str:
        return self.ko if lang == "ko" else self.en

    def help(self, lang: str = "en") -> str:
        return self.help_ko if lang == "ko" else self.help_en


def iter_props(obj: Obj, prefix: str = "") -> Iterator[tuple[str, Prop]]:
    """Every property of `obj` with its dotted path, depth first in declaration order; a nested object (or a list
    of objects) comes before its own properties."""
    for prop in obj.props:
        path = prefix + prop.name
        yield path, prop
        inner = prop.type.item if isinstance(prop.type, ListOf) else prop.type
        if isinstance(inner, Obj):
            yield from iter_props(inner, path + ".")


def field_paths(kind: Kind) -> tuple[str, ...]:
    """The dotted path of every field of `kind`, in declaration order (e.g. ``names``, ``names.hangul``)."""
    return tuple(path for path, _ in iter_props(RECORD_TYPES[kind].body))


_INDEX = re.compile(r"\[\d+\]")


def _lookup(kind: Kind, path: str) -> FieldLabel | None:
    return FIELD_LABELS.get((kind, _INDEX.sub("", path)))


def field_label(kind: Kind, path: str, lang: str = "en") -> str:
    """The label of the field at `path` (``acts[2].type`` is looked up as ``acts.type``). An unknown path gives
    its last segment made readable, so data from a newer version still shows."""
    found = _lookup(kind, path)
    if found is not None:
        return found.label(lang)
    last = _INDEX.sub("", path).rsplit(".", 1)[-1]
    return last.replace("_", " ").strip().capitalize()


def field_help(kind: Kind, path: str, lang: str = "en") -> str:
    """The help text of the field at `path`, or "" if it has none."""
    found = _lookup(kind, path)
    return found.help(lang) if found is not None else ""


# --- labels shared by several kinds ---

_NOTES = FieldLabel("Notes", "비고")
_TAGS = FieldLabel("Tags", "태그")
_CASES = FieldLabel("Cases", "관련 사례")
_SOURCE_TESTIMONIES = FieldLabel(
    "Source testimonies",
    "출처 증언",
    "The testimonies this information comes from.",
    "이 정보의 근거가 된 증언.",
)
_PERPETRATOR_INSTITUTION = FieldLabel("Perpetrator institution", "가해 기관")

# --- labels by kind ---

_CASE: Mapping[str, FieldLabel] = {
    "title": FieldLabel("Title", "사례명"),
    "status": FieldLabel("Status", "진행 상태"),
    "summary": FieldLabel("Summary", "개요"),
    "actions_taken": FieldLabel(
        "Action already taken",
        "이미 취한 조치",
        "What relatives, lawyers or authorities already did (inquiries, petitions), for reports.",
        "가족, 변호사, 당국이 이미 한 일 (문의, 청원 등). 보고서에 들어갑니다.",
    ),
    "sensitivity": FieldLabel("Sensitivity", "민감도"),
    "tag_ids": _TAGS,
    "opened_on": FieldLabel("Opened on", "개시일"),
}

_PERSON: Mapping[str, FieldLabel] = {
    "pseudonym": FieldLabel(
        "Pseudonym",
        "가명 코드",
        "A short code such as P-0042, never a real name. Assigned automatically when left out.",
        "P-0042와 같은 짧은 코드이며 실명을 쓰지 않습니다. 비워 두면 자동으로 부여됩니다.",
    ),
    "names": FieldLabel("Names", "이름"),
    "names.hangul": FieldLabel("Name in Hangul", "한글 이름", "e.g. 김영희", "예: 김영희"),
    "names.romanized": FieldLabel("Romanized name", "로마자 이름", "e.g. Kim Yeong-hui", "예: Kim Yeong-hui"),
    "names.chinese": FieldLabel("Name in Chinese characters", "한자 이름", "e.g. 金英姬", "예: 金英姬"),
    "aliases": FieldLabel(
        "Other names",
        "다른 이름",
        "Other names the person is known by.",
        "이 사람이 알려진 다른 이름(중국에서 쓴 이름 등).",
    ),
    "sex": FieldLabel("Sex", "성별"),
    "birth_year": FieldLabel("Birth year", "출생 연도"),
    "birth_year_approximate": FieldLabel(
        "Birth year is an estimate",
        "출생 연도 추정치",
        "Tick if the birth year is an estimate.",
        "출생 연도가 추정치이면 표시하십시오.",
    ),
    "origin": FieldLabel(
        "Place of origin",
        "출신지",
        "Home town or province, e.g. Hoeryong, North Hamgyong.",
        "고향 또는 출신 도. 예: 함경북도 회령",
    ),
    "status": FieldLabel("Status", "신변 상태"),
    "is_group": FieldLabel(
        "Is a group",
        "집단 여부",
        "Tick to record a group of unnamed victims counted together.",
        "이름을 알 수 없는 피해자 집단을 한꺼번에 기록할 때 표시하십시오.",
    ),
    "group_estimated_count": FieldLabel(
        "Estimated number in the group",
        "집단 추정 인원",
        "Required for a group: about how many people.",
        "집단인 경우 필수: 대략적인 인원수.",
    ),
    "group_count_source": FieldLabel(
        "Source of the group count",
        "집단 인원수 출처",
        "Required for a group: where the count comes from.",
        "집단인 경우 필수: 인원수의 출처.",
    ),
    "case_ids": _CASES,
    "tag_ids": _TAGS,
    "notes": _NOTES,
}

_CONTACT: Mapping[str, FieldLabel] = {
    "person_id": FieldLabel("Person", "대상 인물"),
    "type": FieldLabel("Contact type", "연락 방법"),
    "value": FieldLabel(
        "Contact details",
        "연락처 정보",
        "Phone number, messenger ID, address…",
        "전화번호, 메신저 ID, 주소 등.",
    ),
    "relation": FieldLabel(
        "Relation",
        "관계",
        "Whose contact this is, e.g. sister; leave empty if it is the person's own.",
        "누구의 연락처인지 적습니다(예: 자매). 본인의 연락처이면 비워 두십시오.",
    ),
    "notes": _NOTES,
}

_TESTIMONY: Mapping[str, FieldLabel] = {
    "case_ids": _CASES,
    "interviewee_id": FieldLabel("Interviewee", "면담 대상자"),
    "interviewer": FieldLabel("Interviewer", "면담자"),
    "interpreter": FieldLabel("Interpreter", "통역자"),
    "date": FieldLabel("Interview date", "면담 일자"),
    "place": FieldLabel(
        "Place",
        "면담 장소",
        "Where the interview took place, as text.",
        "면담이 이루어진 장소(자유 기술).",
    ),
    "place_location_id": FieldLabel("Place (location record)", "면담 장소(장소 기록)"),
    "language": FieldLabel(
        "Original language",
        "원문 언어",
        "The language of the original text.",
        "원문의 언어.",
    ),
    "original_text": FieldLabel("Original text", "원문"),
    "translation": FieldLabel("Translation", "번역문"),
    "translation_language": FieldLabel("Translation language", "번역 언어"),
    "summary": FieldLabel("Summary", "요약"),
    "tag_ids": _TAGS,
    "notes": _NOTES,
}

_CONSENT: Mapping[str, FieldLabel] = {
    "subject_person_id": FieldLabel("Subject", "동의 당사자"),
    "testimony_id": FieldLabel("Testimony", "관련 증언"),
    "scopes": FieldLabel(
        "Scopes",
        "동의 범위",
        "For each scope, whether the person agreed to it or not.",
        "항목마다 동의했는지 여부를 표시합니다.",
    ),
    "scopes.names_to_governments": FieldLabel(
        "Name may be given to governments",
        "정부에 이름 제공",
        "The person agrees that their name may be given to governments.",
        "본인의 이름을 정부 기관에 제공하는 데 동의합니다.",
    ),
    "scopes.names_in_public_reports": FieldLabel(
        "Name may appear in public reports",
        "공개 보고서에 이름 게재",
        "The person agrees that their name may appear in published reports.",
        "공개 보고서에 본인의 이름이 실리는 데 동의합니다.",
    ),
    "scopes.recontact": FieldLabel(
        "May be contacted again",
        "재연락 가능",
        "The person agrees to be contacted again later, e.g. to follow up.",
        "추후 확인 등을 위해 다시 연락하는 데 동의합니다.",
    ),
    "scopes.share_with_un": FieldLabel(
        "May be shared with the UN",
        "유엔과 공유",
        "The person agrees that their information may be shared with United Nations human-rights bodies.",
        "본인의 정보를 유엔 인권 기구와 공유하는 데 동의합니다.",
    ),
    "method": FieldLabel("Consent method", "동의 방식"),
    "given_by": FieldLabel(
        "Given by",
        "동의자",
        "Who gave consent: the person, or e.g. a guardian.",
        "동의한 사람: 본인 또는 보호자 등.",
    ),
    "recorded_by": FieldLabel("Recorded by", "기록자"),
    "given_on": FieldLabel("Given on", "동의 일자"),
    "withdraws_consent_id": FieldLabel(
        "Withdraws consent",
        "철회 대상 동의",
        "The earlier consent this record withdraws; every scope must then be “not agreed”.",
        "이 기록으로 철회하는 이전 동의. 이 경우 모든 동의 범위는 ‘동의하지 않음’이어야 합니다.",
    ),
    "notes": _NOTES,
}

_EVENT: Mapping[str, FieldLabel] = {
    "type": FieldLabel("Event type", "사건 유형"),
    "title": FieldLabel("Title", "제목"),
    "date": FieldLabel("Date", "발생일"),
    "end_date": FieldLabel(
        "End date",
        "종료일",
        "For events that lasted some time; not before the date.",
        "기간이 있는 사건의 경우. 발생일보다 앞설 수 없습니다.",
    ),
    "location_id": FieldLabel("Location", "발생 장소"),
    "from_location_id": FieldLabel("From", "출발지", "For transfers.", "이송의 경우."),
    "via_location_ids": FieldLabel("Via", "경유지", "For transfers, in order.", "이송의 경우, 거쳐 간 순서대로."),
    "to_location_id": FieldLabel("To", "도착지", "For transfers.", "이송의 경우."),
    "transport": FieldLabel("Means of transport", "이송 수단"),
    "people_count": FieldLabel(
        "Number of people",
        "관련 인원",
        "How many people the event concerned.",
        "사건과 관련된 인원수.",
    ),
    "people_count_source": FieldLabel(
        "Source of the count",
        "인원수 출처",
        "Where the number of people comes from.",
        "인원수의 출처.",
    ),
    "victim_ids": FieldLabel("Victims", "피해자"),
    "acts": FieldLabel(
        "Acts",
        "개별 행위",
        "Individual acts within the event, each with its victim.",
        "사건 안에서 일어난 개별 행위와 각각의 피해자.",
    ),
    "acts.type": FieldLabel("Act type", "행위 유형"),
    "acts.victim_id": FieldLabel("Victim", "피해자"),
    "acts.perpetrator_institution": _PERPETRATOR_INSTITUTION,
    "acts.perpetrator_unit": FieldLabel("Perpetrator unit", "가해 부서·부대"),
    "acts.description": FieldLabel("Description", "상세 내용"),
    "perpetrator_institution": _PERPETRATOR_INSTITUTION,
    "perpetrator_unit": FieldLabel(
        "Perpetrator unit",
        "가해 부서·부대",
        "e.g. Onsong county MSS detention centre guards",
        "예: 온성군 보위부 구류장 경비원",
    ),
    "source_testimony_ids": _SOURCE_TESTIMONIES,
    "case_ids": _CASES,
    "description": FieldLabel("Description", "상세 내용"),
    "tag_ids": _TAGS,
}

_ROUTE: Mapping[str, FieldLabel] = {
    "title": FieldLabel("Title", "제목"),
    "person_ids": FieldLabel("People", "관련 인물"),
    "event_ids": FieldLabel(
        "Events",
        "사건",
        "The events of the route, in the order they happened.",
        "경로를 이루는 사건들을 일어난 순서대로 입력합니다.",
    ),
    "case_ids": _CASES,
    "notes": _NOTES,
}

_LOCATION: Mapping[str, FieldLabel] = {
    "type": FieldLabel("Location type", "장소 유형"),
    "names": FieldLabel("Names", "명칭", "At least one name is required.", "명칭을 하나 이상 입력해야 합니다."),
    "names.ko": FieldLabel("Korean name", "한국어 명칭", "e.g. 신의주 집결소", "예: 신의주 집결소"),
    "names.en": FieldLabel("English name", "영어 명칭", "e.g. Sinuiju holding centre", "예: Sinuiju holding centre"),
    "names.zh": FieldLabel("Chinese name", "중국어 명칭", "e.g. 丹东边防看守所", "예: 丹东边防看守所"),
    "names.romanized": FieldLabel("Romanized name", "로마자 명칭", "e.g. Sinuiju jipkyulso", "예: Sinuiju jipkyulso"),
    "country": FieldLabel(
        "Country",
        "국가",
        "ISO 3166 code: KP North Korea, CN China, KR South Korea.",
        "ISO 3166 국가 코드: KP 북한, CN 중국, KR 한국.",
    ),
    "admin_area": FieldLabel(
        "Administrative area",
        "행정 구역",
        "Province, county or city.",
        "도, 군 또는 시.",
    ),
    "latitude": FieldLabel("Latitude", "위도"),
    "longitude": FieldLabel("Longitude", "경도"),
    "coordinate_precision": FieldLabel(
        "Coordinate precision",
        "좌표 정확도",
        "Required with coordinates.",
        "좌표를 입력하면 필수입니다.",
    ),
    "parent_location_id": FieldLabel(
        "Inside location",
        "상위 장소",
        "The larger place this one lies within.",
        "이 장소가 속한 더 큰 장소.",
    ),
    "notes": _NOTES,
}

_OBSERVATION: Mapping[str, FieldLabel] = {
    "type": FieldLabel("Observation type", "관찰 유형"),
    "date": FieldLabel("Date", "관찰 일자"),
    "location_id": FieldLabel("Location", "장소"),
    "person_id": FieldLabel("Person", "인물"),
    "people_count": FieldLabel(
        "Number of people held",
        "수용 인원",
        "For “people held”: how many people were held.",
        "‘수용 인원’ 관찰의 경우: 수용된 인원수.",
    ),
    "person_status": FieldLabel(
        "Person's status",
        "신변 상태",
        "For “person's status”: the status observed.",
        "‘신변 상태’ 관찰의 경우: 확인된 신변 상태.",
    ),
    "confidence": FieldLabel("Confidence", "신뢰도"),
    "source_testimony_ids": _SOURCE_TESTIMONIES,
    "source_note": FieldLabel(
        "Source note",
        "출처 메모",
        "Where the observation comes from, if not from a testimony.",
        "증언이 아닌 경우 관찰 내용의 출처.",
    ),
    "notes": _NOTES,
}

_TAG: Mapping[str, FieldLabel] = {
    "label": FieldLabel("Label", "태그 이름"),
    "label_ko": FieldLabel("Korean label", "한국어 태그 이름"),
    "description": FieldLabel("Description", "설명"),
}

_ATTACHMENT: Mapping[str, FieldLabel] = {
    "attached_to_id": FieldLabel("Attached to", "첨부 대상"),
    "file_name": FieldLabel("File name", "파일 이름", "The file's name when it was taken in.", "반입 당시 파일 이름."),
    "media_type": FieldLabel(
        "File type", "파일 형식", "Judged from the content, not the name.", "이름이 아닌 내용으로 판별한 형식."
    ),
    "size": FieldLabel("Size (bytes)", "크기 (바이트)", "Bytes, as taken in.", "반입 당시 바이트 수."),
    "sha256": FieldLabel(
        "SHA-256",
        "SHA-256 해시",
        "Fingerprint of the content when it was taken in; proves later that it was not altered.",
        "반입 당시 내용의 지문. 이후 변경되지 않았음을 증명합니다.",
    ),
    "intake_at": FieldLabel(
        "Taken in at", "반입 시각", "When the file entered the vault (UTC).", "파일이 금고에 들어온 시각 (UTC)."
    ),
    "intake_device": FieldLabel(
        "Taken in on device", "반입 기기", "The device that took the file in.", "파일을 반입한 기기."
    ),
    "intake_user": FieldLabel(
        "Taken in by", "반입 사용자", "The user account that took the file in.", "파일을 반입한 사용자 계정."
    ),
    "source": FieldLabel("Source", "출처"),
    "copy_role": FieldLabel(
        "Copy",
        "사본 구분",
        "Original as received, a working copy, or a redacted copy for sharing.",
        "받은 그대로의 원본, 작업 사본, 또는 공유용 편집 사본.",
    ),
    "derived_from_id": FieldLabel("Derived from", "원본 파일"),
    "derivation": FieldLabel(
        "How it was made",
        "생성 방법",
        "How the copy was made, e.g. faces blurred.",
        "사본을 만든 방법 (예: 얼굴 흐림 처리).",
    ),
    "original_modified_at": FieldLabel(
        "File last modified",
        "파일 최종 수정 시각",
        "The file's modification time when it was taken in.",
        "반입 당시 파일의 최종 수정 시각.",
    ),
    "duration_ms": FieldLabel(
        "Length (ms)", "길이 (밀리초)", "For recordings: length in milliseconds.", "녹음의 경우: 길이 (밀리초)."
    ),
    "description": FieldLabel("Description", "설명"),
}

_BY_KIND: Mapping[Kind, Mapping[str, FieldLabel]] = {
    Kind.CASE: _CASE,
    Kind.PERSON: _PERSON,
    Kind.CONTACT: _CONTACT,
    Kind.TESTIMONY: _TESTIMONY,
    Kind.CONSENT: _CONSENT,
    Kind.EVENT: _EVENT,
    Kind.ROUTE: _ROUTE,
    Kind.LOCATION: _LOCATION,
    Kind.OBSERVATION: _OBSERVATION,
    Kind.TAG: _TAG,
    Kind.ATTACHMENT: _ATTACHMENT,
}

FIELD_LABELS: Mapping[tuple[Kind, str], FieldLabel] = {
    (kind, path): label for kind, labels in _BY_KIND.items() for path, label in labels.items()
}
