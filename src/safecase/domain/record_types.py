"""The kinds of record and the fields each may hold: the one source of truth for validation, JSON Schema,
references between records and (with ``presentation``) what search indexes."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Final

from safecase.domain import vocabulary as v
from safecase.domain.fields import (
    LONG_TEXT_MAX,
    Boolean,
    Choice,
    CountryCode,
    Integer,
    Number,
    PartialDateType,
    Ref,
    Text,
)
from safecase.domain.kinds import Kind
from safecase.domain.partial_date import MAX_YEAR, MIN_YEAR
from safecase.domain.rules import AllFalseWhen, AtLeastOne, NotBefore, Requires, When
from safecase.domain.structures import ListOf, Obj, Prop

MAX_PEOPLE_COUNT: Final = 10_000_000
PSEUDONYM_PATTERN: Final = r"^[A-Za-z0-9][A-Za-z0-9._-]{0,31}$"

SHORT = Text()
LONG = Text(max_length=LONG_TEXT_MAX, multiline=True)
DATE = PartialDateType()
PSEUDONYM = Text(
    max_length=32,
    pattern=PSEUDONYM_PATTERN,
    pattern_hint="a short code such as P-0042 (up to 32 letters A-Z, digits, - . or _), never a name",
)


def ref(*kinds: Kind) -> Ref:
    return Ref(frozenset(kinds))


def refs(*kinds: Kind, min_items: int = 0) -> ListOf:
    return ListOf(ref(*kinds), min_items=min_items, unique=True)


def choice(vocabulary: v.Vocabulary) -> Choice:
    return Choice(vocabulary)


def count(minimum: int) -> Integer:
    return Integer(minimum, MAX_PEOPLE_COUNT)


@dataclass(frozen=True)
class RecordType:
    kind: Kind
    description: str
    body: Obj


def _tag_ids() -> Prop:
    return Prop("tag_ids", refs(Kind.TAG), title="Tags")


def _case_ids() -> Prop:
    return Prop("case_ids", refs(Kind.CASE), title="Cases")


def _notes() -> Prop:
    return Prop("notes", LONG)


CASE = RecordType(
    Kind.CASE,
    "A documentation file grouping people, testimonies and events.",
    Obj(
        (
            Prop("title", SHORT, required=True),
            Prop("status", choice(v.CASE_STATUSES), default="open"),
            Prop("summary", LONG),
            Prop(
                "actions_taken",
                LONG,
                title="Action already taken",
                description="What relatives, lawyers or authorities already did (inquiries, petitions), for reports.",
            ),
            Prop("sensitivity", choice(v.SENSITIVITIES), default="normal"),
            _tag_ids(),
            Prop("opened_on", DATE, title="Opened on"),
        ),
        empty_is_absent=False,
    ),
)

_PERSON_NAMES = Obj(
    (
        Prop("hangul", SHORT, title="Name in Hangul", description="e.g. 김영희"),
        Prop("romanized", SHORT, title="Romanized name", description="e.g. Kim Yeong-hui"),
        Prop("chinese", SHORT, title="Name in Chinese characters", description="e.g. 金英姬"),
    )
)

PERSON = RecordType(
    Kind.PERSON,
    "A person, or a group of people counted together. The pseudonym is the only identifier that reports show "
    "without consent; the service assigns one when it is left out.",
    Obj(
        (
            Prop("pseudonym", PSEUDONYM, description="Assigned automatically when left out."),
            Prop("names", _PERSON_NAMES),
            Prop("aliases", ListOf(SHORT), description="Other names the person is known by."),
            Prop("sex", choice(v.SEXES)),
            Prop("birth_year", Integer(MIN_YEAR, MAX_YEAR)),
            Prop("birth_year_approximate", Boolean(), description="True if the birth year is an estimate."),
            Prop("origin", SHORT, description="Home town or province, e.g. Hoeryong, North Hamgyong."),
            Prop("status", choice(v.PERSON_STATUSES)),
            Prop("is_group", Boolean(), title="Is a group", description="True for a group of unnamed victims."),
            Prop("group_estimated_count", count(1), description="Required for a group: how many people."),
            Prop("group_count_source", SHORT, description="Required for a group: where the count comes from."),
            _case_ids(),
            _tag_ids(),
            _notes(),
        ),
        rules=(
            Requires("birth_year_approximate", ("birth_year",)),
            When(
                "is_group",
                True,
                requires=("group_estimated_count", "group_count_source"),
                only_then=("group_estimated_count", "group_count_source"),
            ),
        ),
        empty_is_absent=False,
    ),
)

CONTACT = RecordType(
    Kind.CONTACT,
    "How to reach a person. The most sensitive data in the vault: never indexed for search nor in reports.",
    Obj(
        (
            Prop("person_id", ref(Kind.PERSON), required=True, title="Person"),
            Prop("type", choice(v.CONTACT_TYPES), required=True),
            Prop("value", Text(multiline=True), required=True, description="Number, messenger id, address..."),
            Prop(
                "relation",
                SHORT,
                description="Whose contact this is, e.g. sister; empty if the person's own.",
            ),
            _notes(),
        ),
        empty_is_absent=False,
    ),
)

TESTIMONY = RecordType(
    Kind.TESTIMONY,
    "One interview with one interviewee.",
    Obj(
        (
            _case_ids(),
            Prop("interviewee_id", ref(Kind.PERSON), required=True, title="Interviewee"),
            Prop("interviewer", SHORT),
            Prop("interpreter", SHORT),
            Prop("date", DATE),
            Prop("place", SHORT, description="Where the interview took place, as text."),
            Prop("place_location_id", ref(Kind.LOCATION), title="Place (location record)"),
            Prop("language", choice(v.LANGUAGES), description="Language of the original text."),
            Prop("original_text", LONG),
            Prop("translation", LONG),
            Prop("translation_language", choice(v.LANGUAGES)),
            Prop("summary", LONG),
            _tag_ids(),
            _notes(),
        ),
        empty_is_absent=False,
    ),
)

_SCOPES = Obj(
    tuple(Prop(term.code, Boolean(), required=True, title=term.en, description=term.ko) for term in v.CONSENT_SCOPES)
)

CONSENT = RecordType(
    Kind.CONSENT,
    "What a person agreed to. Never edited: a withdrawal is a new consent record with every scope false that "
    "names the consent it withdraws.",
    Obj(
        (
            Prop("subject_person_id", ref(Kind.PERSON), required=True, title="Subject"),
            Prop("testimony_id", ref(Kind.TESTIMONY), title="Testimony"),
            Prop(
                "scopes",
                _SCOPES,
                required=True,
                description="Each scope true (agreed) or false (not agreed).",
            ),
            Prop("method", choice(v.CONSENT_METHODS), required=True),
            Prop("given_by", SHORT, description="Who gave consent: the person, or e.g. a guardian."),
            Prop("recorded_by", SHORT),
            Prop("given_on", DATE, required=True, title="Given on"),
            Prop("withdraws_consent_id", ref(Kind.CONSENT), title="Withdraws consent"),
            _notes(),
        ),
        rules=(AllFalseWhen("withdraws_consent_id", "scopes", v.CONSENT_SCOPES.codes),),
        empty_is_absent=False,
    ),
)

_ACT = Obj(
    (
        Prop("type", choice(v.EVENT_TYPES), required=True),
        Prop("victim_id", ref(Kind.PERSON), title="Victim"),
        Prop("perpetrator_institution", choice(v.PERPETRATOR_INSTITUTIONS)),
        Prop("perpetrator_unit", SHORT),
        Prop("description", LONG),
    )
)

EVENT = RecordType(
    Kind.EVENT,
    "What happened, when, where, to whom and by whom. end_date must not be before date.",
    Obj(
        (
            Prop("type", choice(v.EVENT_TYPES), required=True),
            Prop("title", SHORT),
            Prop("date", DATE),
            Prop("end_date", DATE, description="For events that lasted; not before date."),
            Prop("location_id", ref(Kind.LOCATION), title="Location"),
            Prop("from_location_id", ref(Kind.LOCATION), title="From", description="For transfers."),
            Prop("via_location_ids", refs(Kind.LOCATION), title="Via", description="For transfers, in order."),
            Prop("to_location_id", ref(Kind.LOCATION), title="To", description="For transfers."),
            Prop("transport", choice(v.TRANSPORTS)),
            Prop("people_count", count(0), description="How many people the event concerned."),
            Prop("people_count_source", SHORT, description="Where the people count comes from."),
            Prop("victim_ids", refs(Kind.PERSON), title="Victims"),
            Prop("acts", ListOf(_ACT), description="Individual acts within the event, each with its victim."),
            Prop("perpetrator_institution", choice(v.PERPETRATOR_INSTITUTIONS)),
            Prop("perpetrator_unit", SHORT, description="e.g. Onsong county MSS detention centre guards"),
            Prop("source_testimony_ids", refs(Kind.TESTIMONY), title="Source testimonies"),
            _case_ids(),
            Prop("description", LONG),
            _tag_ids(),
        ),
        rules=(Requires("end_date", ("date",)), NotBefore("end_date", "date")),
        empty_is_absent=False,
    ),
)

ROUTE = RecordType(
    Kind.ROUTE,
    "A chain of events in order, e.g. detention centre -> border crossing -> holding centre.",
    Obj(
        (
            Prop("title", SHORT),
            Prop("person_ids", refs(Kind.PERSON), title="People"),
            Prop(
                "event_ids",
                refs(Kind.EVENT, min_items=1),
                required=True,
                title="Events",
                missing="is required: at least one event id, in the order of the route",
            ),
            _case_ids(),
            _notes(),
        ),
        empty_is_absent=False,
    ),
)

_LOCATION_NAMES = Obj(
    (
        Prop("ko", SHORT, title="Korean name", description="e.g. 신의주 집결소"),
        Prop("en", SHORT, title="English name", description="e.g. Sinuiju holding centre"),
        Prop("zh", SHORT, title="Chinese name", description="e.g. 丹东边防看守所"),
        Prop("romanized", SHORT, title="Romanized name", description="e.g. Sinuiju jipkyulso"),
    )
)

LOCATION = RecordType(
    Kind.LOCATION,
    "A place: detention or holding centre, border crossing, prison camp, town... Coordinates are optional.",
    Obj(
        (
            Prop("type", choice(v.LOCATION_TYPES), required=True),
            Prop(
                "names",
                _LOCATION_NAMES,
                required=True,
                missing="is required: at least one name (ko, en, zh or romanized)",
            ),
            Prop(
                "country",
                CountryCode(),
                description="ISO 3166 code: KP North Korea, CN China, KR South Korea.",
            ),
            Prop("admin_area", SHORT, title="Administrative area", description="Province, county or city."),
            Prop("latitude", Number(-90, 90)),
            Prop("longitude", Number(-180, 180)),
            Prop(
                "coordinate_precision",
                choice(v.COORDINATE_PRECISIONS),
                description="Required with coordinates.",
            ),
            Prop("parent_location_id", ref(Kind.LOCATION), title="Inside location"),
            _notes(),
        ),
        rules=(
            Requires("latitude", ("longitude", "coordinate_precision")),
            Requires("longitude", ("latitude", "coordinate_precision")),
            Requires("coordinate_precision", ("latitude", "longitude")),
        ),
        empty_is_absent=False,
    ),
)

OBSERVATION = RecordType(
    Kind.OBSERVATION,
    "A dated observation: how many people were held somewhere, a person's status, a last contact.",
    Obj(
        (
            Prop("type", choice(v.OBSERVATION_TYPES), required=True),
            Prop("date", DATE, required=True),
            Prop("location_id", ref(Kind.LOCATION), title="Location"),
            Prop("person_id", ref(Kind.PERSON), title="Person"),
            Prop("people_count", count(0), description="For people_held: how many people were held."),
            Prop("person_status", choice(v.PERSON_STATUSES), description="For person_status: the status seen."),
            Prop("confidence", choice(v.CONFIDENCE), required=True),
            Prop("source_testimony_ids", refs(Kind.TESTIMONY), title="Source testimonies"),
            Prop("source_note", SHORT, description="Where the observation comes from, if not a testimony."),
            _notes(),
        ),
        rules=(
            AtLeastOne(("location_id", "person_id")),
            When("type", "people_held", requires=("people_count",), only_then=("people_count",)),
            When("type", "person_status", requires=("person_status", "person_id"), only_then=("person_status",)),
            When("type", "last_contact", requires=("person_id",)),
        ),
        empty_is_absent=False,
    ),
)

TAG = RecordType(
    Kind.TAG,
    "A label to group records across cases.",
    Obj(
        (
            Prop("label", SHORT, required=True, title="Label"),
            Prop("label_ko", SHORT, title="Korean label"),
            Prop("description", LONG),
        ),
        empty_is_absent=False,
    ),
)

SHA256_HEX = Text(max_length=64, pattern=r"^[0-9a-f]{64}$", pattern_hint="64 lower-case hexadecimal digits")
UTC_TIMESTAMP = Text(
    max_length=40,
    pattern=r"^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}(\.[0-9]{1,6})?Z$",
    pattern_hint="an ISO 8601 UTC time such as 2026-03-01T09:30:00.000Z",
)
MAX_FILE_SIZE: Final = 2**50  # a petabyte: any real file; keeps the value an exact JSON number

ATTACHMENT = RecordType(
    Kind.ATTACHMENT,
    "An evidence file kept encrypted in the vault, with its chain of custody from intake. Never edited: a "
    "redacted or converted copy is a new attachment that names the original it derives from.",
    Obj(
        (
            Prop(
                "attached_to_id",
                ref(Kind.CASE, Kind.PERSON, Kind.TESTIMONY, Kind.EVENT, Kind.LOCATION),
                required=True,
                title="Attached to",
            ),
            Prop("file_name", Text(max_length=255), required=True, description="The file's name at intake."),
            Prop("media_type", Text(max_length=100), required=True, description="Judged from the content."),
            Prop("size", Integer(0, MAX_FILE_SIZE), required=True, description="Bytes, as taken in."),
            Prop("sha256", SHA256_HEX, required=True, title="SHA-256", description="Of the content, as taken in."),
            Prop("intake_at", UTC_TIMESTAMP, required=True, title="Taken in at"),
            Prop("intake_device", SHORT, required=True, description="The device that took the file in."),
            Prop("intake_user", SHORT, required=True, description="The user account that took the file in."),
            Prop("source", choice(v.ATTACHMENT_SOURCES), required=True),
            Prop("copy_role", choice(v.COPY_ROLES), default="original", title="Copy"),
            Prop("derived_from_id", ref(Kind.ATTACHMENT), title="Derived from"),
            Prop("derivation", SHORT, description="How the copy was made, e.g. faces blurred."),
            Prop("original_modified_at", UTC_TIMESTAMP, description="The file's modification time at intake."),
            Prop("duration_ms", Integer(0, MAX_FILE_SIZE), description="For recordings: length in milliseconds."),
            Prop("description", LONG),
        ),
        rules=(
            When("copy_role", "working", requires=("derived_from_id",)),
            When("copy_role", "redacted", requires=("derived_from_id",)),
            Requires("derivation", ("derived_from_id",)),
        ),
        empty_is_absent=False,
    ),
)

RECORD_TYPES: Mapping[Kind, RecordType] = {
    record_type.kind: record_type
    for record_type in (
        CASE,
        PERSON,
        CONTACT,
        TESTIMONY,
        CONSENT,
        EVENT,
        ROUTE,
        LOCATION,
        OBSERVATION,
        TAG,
        ATTACHMENT,
    )
}
