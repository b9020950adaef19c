"""The kinds of record a vault holds, with their labels in English and Korean."""

from __future__ import annotations

from enum import StrEnum

from safecase.errors import ValidationError


class Kind(StrEnum):
    CASE = "case"
    PERSON = "person"
    CONTACT = "contact"
    TESTIMONY = "testimony"
    CONSENT = "consent"
    EVENT = "event"
    ROUTE = "route"
    LOCATION = "location"
    OBSERVATION = "observation"
    TAG = "tag"
    ATTACHMENT = "attachment"

    def label(self, lang: str = "en") -> str:
        en, ko = _LABELS[self]
        return ko if lang == "ko" else en


_LABELS: dict[Kind, tuple[str, str]] = {
    Kind.CASE: ("Case", "사례"),
    Kind.PERSON: ("Person", "인물"),
    Kind.CONTACT: ("Contact", "연락처"),
    Kind.TESTIMONY: ("Testimony", "증언"),
    Kind.CONSENT: ("Consent", "동의"),
    Kind.EVENT: ("Event", "사건"),
    Kind.ROUTE: ("Route", "이동 경로"),
    Kind.LOCATION: ("Location", "장소"),
    Kind.OBSERVATION: ("Observation", "관찰 기록"),
    Kind.TAG: ("Tag", "태그"),
    Kind.ATTACHMENT: ("Evidence file", "증거 파일"),
}

# Records of these kinds are never edited once written: a consent is withdrawn by a new consent record that
# points at it (``withdraws_consent_id``), so the history of what was agreed stays exactly as it was given; an
# evidence file's intake record is its chain of custody, and a redacted or converted copy is a new attachment
# that names the original it derives from.
IMMUTABLE_KINDS: frozenset[Kind] = frozenset({Kind.CONSENT, Kind.ATTACHMENT})

# What an evidence file may be attached to.
ATTACHABLE_KINDS: frozenset[Kind] = frozenset({Kind.CASE, Kind.PERSON, Kind.TESTIMONY, Kind.EVENT, Kind.LOCATION})


def parse_kind(text: str) -> Kind:
    """The kind named `text` (e.g. from the command line); ValidationError naming the kinds otherwise."""
    try:
        return Kind(text.strip().lower())
    except ValueError:
        raise ValidationError(f"is not a record kind; use one of: {', '.join(Kind)}", field="kind") from None
