"""Record ids: random UUIDs in canonical lower-case text form."""

from __future__ import annotations

import re
import uuid
from typing import NewType

from safecase.errors import ValidationError

RecordId = NewType("RecordId", str)

EXAMPLE_RECORD_ID = "0b6f3a52-9c1e-4d7a-8f20-5e4b1c9d7a63"
RECORD_ID_PATTERN = r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$"
_CANONICAL_UUID = re.compile(RECORD_ID_PATTERN, re.ASCII)


def new_record_id() -> RecordId:
    """A fresh random (version 4) record id."""
    return RecordId(str(uuid.uuid4()))


def parse_record_id(text: object, field: str = "") -> RecordId:
    """Accept canonical UUID text in any letter case (surrounding spaces ignored) and return it lower-cased.

    Braces, ``urn:uuid:`` prefixes and hyphen-less forms are refused, so one record has exactly one spelling.
    """
    if isinstance(text, str):
        candidate = text.strip().lower()
        if _CANONICAL_UUID.match(candidate):
            return RecordId(candidate)
    raise ValidationError(f"is not a record id (a UUID such as {EXAMPLE_RECORD_ID})", field=field)
