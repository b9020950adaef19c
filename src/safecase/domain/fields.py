"""The field-spec language: each field type validates and normalises a value, emits its JSON Schema, and finds
the references to other records it holds. Record kinds are declared with these types in ``record_types``, so
validation, schema and link extraction cannot drift apart.

This module holds the scalar types; lists, objects and cross-field rules are in ``structures`` and ``rules``.
"""

from __future__ import annotations

import re
import unicodedata
from abc import ABC, abstractmethod
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, Final

from safecase.domain.ids import EXAMPLE_RECORD_ID, RECORD_ID_PATTERN, RecordId, parse_record_id
from safecase.domain.kinds import Kind
from safecase.domain.partial_date import DESCRIPTION, MAX_YEAR, MIN_YEAR, PARTIAL_DATE_PATTERN, PartialDate
from safecase.domain.vocabulary import Vocabulary
from safecase.errors import ValidationError

SHORT_TEXT_MAX: Final = 1_000
LONG_TEXT_MAX: Final = 1_000_000
LIST_MAX: Final = 10_000


class _Absent:
    """The value of a field that is not there (or was empty and so was dropped)."""

    _instance: _Absent | None = None

    def __new__(cls) -> _Absent:
        if cls._instance is None:
            cls._instance = super().__new__(cls)
        return cls._instance

    def __repr__(self) -> str:
        return "ABSENT"

    def __bool__(self) -> bool:
        return False


ABSENT: Final = _Absent()


@dataclass(frozen=True)
class At:
    """Where a value sits: the record kind and the dotted path (``acts[0].victim_id``) for errors, links."""

    kind: str
    path: str = ""

    def key(self, name: str) -> At:
        return At(self.kind, f"{self.path}.{name}" if self.path else name)

    def index(self, position: int) -> At:
        return At(self.kind, f"{self.path}[{position}]")

    def error(self, message: str) -> ValidationError:
        return ValidationError(message, field=self.path)


@dataclass(frozen=True)
class Reference:
    """A field of a record that names another record; the storage layer turns each into a link row."""

    field: str
    target_id: RecordId
    target_kinds: frozenset[Kind]


class FieldType(ABC):
    """One type of value. ``validate`` returns the normalised value, or ABSENT for a dropped empty value."""

    @abstractmethod
    def validate(self, value: object, at: At) -> object: ...

    @abstractmethod
    def schema(self) -> dict[str, Any]: ...

    @abstractmethod
    def describe(self) -> str:
        """What a valid value looks like, completing "must be ..." (e.g. "true or false")."""

    def references(self, value: object, at: At) -> Iterator[Reference]:
        return iter(())

    def target_kinds(self) -> frozenset[Kind]:
        """Every kind of record this type can refer to."""
        return frozenset()


# Control characters (C0, DEL, C1) and unpaired surrogates cannot be shown or stored safely.
_BAD_ONE_LINE = re.compile("[\x00-\x1f\x7f-\x9f\ud800-\udfff]")
_BAD_MULTILINE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff]")
_NFC_GROWTH = 3  # NFC lengthens text by at most this factor
_SCHEMA_ONE_LINE = r"^[^\u0000-\u001f\u007f-\u009f]*$"
_SCHEMA_MULTILINE = r"^[^\u0000-\u0008\u000b-\u001f\u007f-\u009f]*$"


@dataclass(frozen=True)
class Text(FieldType):
    """Text, NFC-normalised and stripped; empty text is dropped. One line unless `multiline` (CR LF -> LF)."""

    max_length: int = SHORT_TEXT_MAX
    multiline: bool = False
    pattern: str | None = None  # anchored with ^ and $, ASCII only
    pattern_hint: str = ""

    def validate(self, value: object, at: At) -> object:
        if not isinstance(value, str):
            raise at.error(f"must be {self.describe()}")
        if len(value) > _NFC_GROWTH * self.max_length:  # too long whatever NFC does; skip normalising it
            raise at.error(f"is too long ({len(value):,} characters); shorten it to at most {self.max_length:,}")
        text = unicodedata.normalize("NFC", value)
        if self.multiline:
            text = text.replace("\r\n", "\n").replace("\r", "\n")
        text = unicodedata.normalize("NFC", text.strip())
        if not text:
            return ABSENT
        if len(text) > self.max_length:
            raise at.error(f"is too long ({len(text):,} characters); shorten it to at most {self.max_length:,}")
        if (_BAD_MULTILINE if self.multiline else _BAD_ONE_LINE).search(text):
            raise at.error(self._bad_character_message())
        if self.pattern is not None and re.fullmatch(self.pattern, text, re.ASCII) is None:
            raise at.error(f"must be {self.describe()}")
        return text

    def _bad_character_message(self) -> str:
        if self.multiline:
            return "contains control characters or broken Unicode; remove them (line breaks and tabs are fine)"
        return "must be a single line of text: remove line breaks, tabs and control characters"

    def describe(self) -> str:
        if self.pattern_hint:
            return self.pattern_hint
        lines = "text" if self.multiline else "one line of text"
        return f"{lines} of at most {self.max_length:,} characters"

    def schema(self) -> dict[str, Any]:
        pattern = self.pattern or (_SCHEMA_MULTILINE if self.multiline else _SCHEMA_ONE_LINE)
        return {"type": "string", "minLength": 1, "maxLength": self.max_length, "pattern": pattern}


@dataclass(frozen=True)
class CountryCode(FieldType):
    """An ISO 3166-1 alpha-2 country code, stored upper-case (``KP``, ``CN``)."""

    def validate(self, value: object, at: At) -> object:
        if not isinstance(value, str):
            raise at.error(f"must be {self.describe()}")
        code = value.strip()
        if not code:
            return ABSENT
        if re.fullmatch("[A-Za-z]{2}", code, re.ASCII) is None:
            raise at.error(f"must be {self.describe()}")
        return code.upper()

    def describe(self) -> str:
        return "a two-letter ISO 3166 country code such as KP or CN"

    def schema(self) -> dict[str, Any]:
        return {"type": "string", "pattern": "^[A-Z]{2}$"}


def _number(value: int) -> str:
    return f"{value:,}" if abs(value) >= 10_000 else str(value)


@dataclass(frozen=True)
class Integer(FieldType):
    """A whole number in a range. Strict: no text, no booleans, no 3.0."""

    minimum: int
    maximum: int

    def validate(self, value: object, at: At) -> object:
        if isinstance(value, bool) or not isinstance(value, int):
            raise at.error(f"must be {self.describe()}, written as a plain number")
        if not self.minimum <= value <= self.maximum:
            raise at.error(f"must be {self.describe()}")
        return value

    def describe(self) -> str:
        return f"a whole number from {_number(self.minimum)} to {_number(self.maximum)}"

    def schema(self) -> dict[str, Any]:
        return {"type": "integer", "minimum": self.minimum, "maximum": self.maximum}


@dataclass(frozen=True)
class Number(FieldType):
    """A finite number in a range, stored as a float (coordinates)."""

    minimum: float
    maximum: float

    def validate(self, value: object, at: At) -> object:
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise at.error(f"must be {self.describe()}, written as a plain number")
        if not self.minimum <= value <= self.maximum:  # NaN fails this too
            raise at.error(f"must be {self.describe()}")
        return float(value)

    def describe(self) -> str:
        return f"a number from {self.minimum:g} to {self.maximum:g}"

    def schema(self) -> dict[str, Any]:
        return {"type": "number", "minimum": self.minimum, "maximum": self.maximum}


@dataclass(frozen=True)
class Boolean(FieldType):
    def validate(self, value: object, at: At) -> object:
        if not isinstance(value, bool):
            raise at.error(f"must be {self.describe()}, written without quotes")
        return value

    def describe(self) -> str:
        return "true or false"

    def schema(self) -> dict[str, Any]:
        return {"type": "boolean"}


@dataclass(frozen=True)
class Choice(FieldType):
    """A code from a controlled vocabulary; empty text is dropped."""

    vocabulary: Vocabulary

    def validate(self, value: object, at: At) -> object:
        if value == "":
            return ABSENT
        if value not in self.vocabulary:
            raise at.error(f"must be {self.describe()}")
        return value

    def describe(self) -> str:
        return "one of: " + ", ".join(self.vocabulary.codes)

    def schema(self) -> dict[str, Any]:
        labels = {term.code: {"en": term.en, "ko": term.ko} for term in self.vocabulary}
        return {
            "type": "string",
            "enum": list(self.vocabulary.codes),
            "x-vocabulary": self.vocabulary.name,
            "x-labels": labels,
        }


@dataclass(frozen=True)
class PartialDateType(FieldType):
    """A partial date in its text form (see ``partial_date``)."""

    def validate(self, value: object, at: At) -> object:
        if not isinstance(value, str):
            raise at.error(f"must be {self.describe()}")
        if not value.strip():
            return ABSENT
        try:
            return str(PartialDate.parse(value))
        except ValidationError as error:
            raise at.error(error.reason) from None

    def describe(self) -> str:
        return DESCRIPTION

    def schema(self) -> dict[str, Any]:
        return {"type": "string", "pattern": PARTIAL_DATE_PATTERN, "format": "x-partial-date"}


_ISO_TIMESTAMP = re.compile(
    r"[0-9]{4}-[0-9]{2}-[0-9]{2}[T ][0-9]{2}:[0-9]{2}(:[0-9]{2}(\.[0-9]{1,6})?)?(Z|[+-][0-9]{2}:[0-9]{2})",
    re.ASCII,
)
TIMESTAMP_PATTERN: Final = r"^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}\.[0-9]{3}Z$"


@dataclass(frozen=True)
class Timestamp(FieldType):
    """A moment with a time zone, stored in UTC with milliseconds: ``2019-03-14T09:30:00.000Z``."""

    def validate(self, value: object, at: At) -> object:
        if not isinstance(value, str):
            raise at.error(f"must be {self.describe()}")
        text = value.strip()
        if not text:
            return ABSENT
        moment = _parse_timestamp(text)
        if moment is None:
            raise at.error(f"must be {self.describe()}")
        return moment.isoformat(timespec="milliseconds").replace("+00:00", "Z")

    def describe(self) -> str:
        return "a date and time with a time zone, such as 2019-03-14T09:30:00Z"

    def schema(self) -> dict[str, Any]:
        return {"type": "string", "format": "date-time", "pattern": TIMESTAMP_PATTERN}


def _parse_timestamp(text: str) -> datetime | None:
    if _ISO_TIMESTAMP.fullmatch(text) is None:
        return None
    try:
        moment = datetime.fromisoformat(text).astimezone(UTC)
    except (ValueError, OverflowError):
        return None
    return moment if MIN_YEAR <= moment.year <= MAX_YEAR else None


@dataclass(frozen=True)
class Ref(FieldType):
    """The id of another record, of one of `kinds`; stored lower-case."""

    kinds: frozenset[Kind]

    def validate(self, value: object, at: At) -> object:
        if isinstance(value, str) and not value.strip():
            return ABSENT
        try:
            return parse_record_id(value)
        except ValidationError:
            raise at.error(f"must be {self.describe()}") from None

    def describe(self) -> str:
        return f"the id of {self.kinds_text()} record (a UUID such as {EXAMPLE_RECORD_ID})"

    def kinds_text(self) -> str:
        names = sorted(self.kinds)
        article = "an" if names[0][0] in "aeiou" else "a"
        return f"{article} {' or '.join(names)}"

    def schema(self) -> dict[str, Any]:
        return {
            "type": "string",
            "format": "uuid",
            "pattern": RECORD_ID_PATTERN,
            "x-refers-to": sorted(self.kinds),
        }

    def references(self, value: object, at: At) -> Iterator[Reference]:
        if isinstance(value, str):
            yield Reference(at.path, RecordId(value), self.kinds)

    def target_kinds(self) -> frozenset[Kind]:
        return self.kinds
