"""Controlled vocabularies: the codes a record may use for types, statuses and the like.

Records store only the code (``forced_repatriation``); each term carries an English and a Korean label for
forms, lists and reports. Codes are stable identifiers: never rename one, add a new term instead.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Term:
    code: str
    en: str
    ko: str

    def label(self, lang: str = "en") -> str:
        return self.ko if lang == "ko" else self.en


@dataclass(frozen=True)
class Vocabulary:
    """An ordered set of terms, looked up by code."""

    name: str
    en: str
    ko: str
    terms: tuple[Term, ...]
    _by_code: Mapping[str, Term] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        by_code = {term.code: term for term in self.terms}
        if len(by_code) != len(self.terms):
            raise ValueError(f"vocabulary {self.name} repeats a code")
        object.__setattr__(self, "_by_code", by_code)

    @property
    def codes(self) -> tuple[str, ...]:
        return tuple(term.code for term in self.terms)

    def __contains__(self, code: object) -> bool:
        return isinstance(code, str) and code in self._by_code

    def __iter__(self) -> Iterator[Term]:
        return iter(self.terms)

    def __len__(self) -> int:
        return len(self.terms)

    def get(self, code: str) -> Term:
        """The term for `code`; KeyError if the vocabulary has no such code."""
        return self._by_code[code]

    def label(self, code: str, lang: str = "en") -> str:
        """The label of `code`, or the code itself if unknown (so old data still displays)."""
        term = self._by_code.get(code)
        return term.label(lang) if term else code


def _vocab(name: str, en: str, ko: str, *terms: tuple[str, str, str]) -> Vocabulary:
    return Vocabulary(name, en, ko, tuple(Term(*term) for term in terms))


_OTHER = ("other", "Other", "기타")

EVENT_TYPES = _vocab(
    "event_type",
    "Event type",
    "사건 유형",
    ("arrest", "Arrest", "체포"),
    ("detention", "Detention", "구금"),
    ("interrogation", "Interrogation", "심문"),
    ("torture_or_ill_treatment", "Torture or ill-treatment", "고문 또는 가혹행위"),
    ("forced_labour", "Forced labour", "강제노동"),
    ("sexual_violence", "Sexual violence", "성폭력"),
    ("forced_repatriation", "Forced repatriation", "강제송환"),
    ("transfer", "Transfer", "이송"),
    ("border_crossing", "Border crossing", "국경 넘기"),
    ("disappearance", "Disappearance", "실종"),
    ("death_in_custody", "Death in custody", "구금 중 사망"),
    ("release", "Release", "석방"),
    ("escape", "Escape", "탈출"),
    ("family_punishment", "Punishment of family members", "가족 연좌제 처벌"),
    _OTHER,
)

LOCATION_TYPES = _vocab(
    "location_type",
    "Location type",
    "장소 유형",
    ("detention_centre", "Detention centre", "구금시설(구류장)"),
    ("holding_centre", "Holding centre", "집결소"),
    ("border_crossing", "Border crossing point", "국경 통과 지점"),
    ("border_post", "Border post", "국경 초소"),
    ("prison_camp", "Prison camp", "교화소"),
    ("political_prison_camp", "Political prison camp", "정치범수용소(관리소)"),
    ("police_station", "Police station", "경찰서·안전부"),
    ("state_security_office", "State security office", "보위부"),
    ("labour_training_camp", "Labour training camp", "노동단련대"),
    ("hospital", "Hospital", "병원"),
    ("city", "City or town", "도시"),
    ("village", "Village", "마을"),
    ("safe_house", "Safe house", "은신처"),
    _OTHER,
)

PERSON_STATUSES = _vocab(
    "person_status",
    "Person status",
    "신변 상태",
    ("escaped", "Escaped", "탈북"),
    ("in_hiding", "In hiding", "은신 중"),
    ("detained", "Detained", "구금 중"),
    ("repatriated", "Forcibly repatriated", "강제송환됨"),
    ("imprisoned", "Imprisoned", "수감 중"),
    ("disappeared", "Disappeared", "실종"),
    ("released", "Released", "석방됨"),
    ("resettled", "Resettled", "정착"),
    ("deceased", "Deceased", "사망"),
    ("unknown", "Unknown", "미상"),
)

SEXES = _vocab(
    "sex",
    "Sex",
    "성별",
    ("female", "Female", "여성"),
    ("male", "Male", "남성"),
    _OTHER,
    ("unknown", "Unknown", "미상"),
)

CONSENT_SCOPES = _vocab(
    "consent_scope",
    "Consent scope",
    "동의 범위",
    ("names_to_governments", "Name may be given to governments", "정부에 이름 제공"),
    ("names_in_public_reports", "Name may appear in public reports", "공개 보고서에 이름 게재"),
    ("recontact", "May be contacted again", "재연락 가능"),
    ("share_with_un", "May be shared with the UN", "유엔과 공유"),
)

CONSENT_METHODS = _vocab(
    "consent_method",
    "Consent method",
    "동의 방식",
    ("written", "Written", "서면"),
    ("oral_recorded", "Oral, recorded", "구두(녹음)"),
    ("oral_witnessed", "Oral, witnessed", "구두(증인 입회)"),
    ("electronic", "Electronic", "전자"),
)

TRANSPORTS = _vocab(
    "transport",
    "Transport",
    "이송 수단",
    ("public_security_van", "Public security van", "공안 호송차"),
    ("bus_under_armed_guard", "Bus under armed guard", "무장 호송 버스"),
    ("train", "Train", "열차"),
    ("truck", "Truck", "트럭"),
    ("on_foot", "On foot", "도보"),
    _OTHER,
)

OBSERVATION_TYPES = _vocab(
    "observation_type",
    "Observation type",
    "관찰 유형",
    ("people_held", "People held", "수용 인원"),
    ("person_status", "Person's status", "신변 상태"),
    ("last_contact", "Last contact", "마지막 연락"),
)

# Berkeley Protocol on Digital Open Source Investigations: the original as received, working copies made to
# handle it (converted, transcoded) and redacted copies made to share it. Only the original is evidence.
COPY_ROLES = _vocab(
    "copy_role",
    "Copy",
    "사본 구분",
    ("original", "Original", "원본"),
    ("working", "Working copy", "작업 사본"),
    ("redacted", "Redacted copy", "편집 사본"),
)

ATTACHMENT_SOURCES = _vocab(
    "attachment_source",
    "Source",
    "출처",
    ("file", "File taken in", "파일 반입"),
    ("recording", "Recorded in SafeCase", "SafeCase 녹음"),
    ("recovered_recording", "Recording recovered after a crash", "중단 후 복구된 녹음"),
    ("derived", "Made from another file", "다른 파일에서 생성"),
)

CONFIDENCE = _vocab(
    "confidence",
    "Confidence",
    "신뢰도",
    ("low", "Low", "낮음"),
    ("medium", "Medium", "보통"),
    ("high", "High", "높음"),
)

CASE_STATUSES = _vocab(
    "case_status",
    "Case status",
    "사례 상태",
    ("open", "Open", "진행 중"),
    ("under_review", "Under review", "검토 중"),
    ("closed", "Closed", "종결"),
    ("archived", "Archived", "보관"),
)

SENSITIVITIES = _vocab(
    "sensitivity",
    "Sensitivity",
    "민감도",
    ("normal", "Normal", "일반"),
    ("high", "High", "높음"),
    ("critical", "Critical", "매우 높음"),
)

CONTACT_TYPES = _vocab(
    "contact_type",
    "Contact type",
    "연락 방법",
    ("phone", "Phone", "전화"),
    ("messenger", "Messenger", "메신저"),
    ("email", "Email", "이메일"),
    ("address", "Address", "주소"),
    ("relative", "Through a relative", "친척을 통해"),
    _OTHER,
)

COORDINATE_PRECISIONS = _vocab(
    "coordinate_precision",
    "Coordinate precision",
    "좌표 정확도",
    ("exact", "Exact", "정확"),
    ("approximate", "Approximate", "대략"),
    ("town", "Town level", "시·읍 수준"),
    ("region", "Region level", "지역 수준"),
)

LANGUAGES = _vocab(
    "language",
    "Language",
    "언어",
    ("ko", "Korean", "한국어"),
    ("en", "English", "영어"),
    ("zh", "Chinese", "중국어"),
    ("ja", "Japanese", "일본어"),
    ("ru", "Russian", "러시아어"),
    _OTHER,
)

PERPETRATOR_INSTITUTIONS = _vocab(
    "perpetrator_institution",
    "Perpetrator institution",
    "가해 기관",
    ("ministry_of_state_security", "Ministry of State Security (DPRK)", "국가보위성"),
    ("ministry_of_social_security", "Ministry of Social Security (DPRK)", "사회안전성"),
    ("korean_peoples_army", "Korean People's Army", "조선인민군"),
    ("chinese_public_security", "Chinese public security (police)", "중국 공안"),
    ("chinese_border_defence", "Chinese border defence", "중국 변방부대"),
    _OTHER,
)

VOCABULARIES: Mapping[str, Vocabulary] = {
    vocab.name: vocab
    for vocab in (
        EVENT_TYPES,
        LOCATION_TYPES,
        PERSON_STATUSES,
        SEXES,
        CONSENT_SCOPES,
        CONSENT_METHODS,
        TRANSPORTS,
        OBSERVATION_TYPES,
        CONFIDENCE,
        CASE_STATUSES,
        SENSITIVITIES,
        CONTACT_TYPES,
        COORDINATE_PRECISIONS,
        LANGUAGES,
        PERPETRATOR_INSTITUTIONS,
        COPY_ROLES,
        ATTACHMENT_SOURCES,
    )
}


def lookup(vocabulary: str, code: str) -> Term:
    """The term `code` of the vocabulary named `vocabulary` (e.g. ``lookup("event_type", "arrest")``)."""
    return VOCABULARIES[vocabulary].get(code)
