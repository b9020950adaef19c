"""The record API the services and storage layers use: validate and normalise bodies, JSON Schema, references
to other records, search documents and display titles. Everything here derives from ``record_types``.

A *body* is the JSON object a record version stores; the envelope (id, kind, revision, times, device, deleted)
belongs to the storage layer and never appears in a body.
"""

from __future__ import annotations

import graphlib
from collections.abc import Callable, Mapping
from typing import Any, Final

from safecase.domain.fields import At, Reference
from safecase.domain.ids import RecordId
from safecase.domain.kinds import IMMUTABLE_KINDS, Kind
from safecase.domain.presentation import SearchDocument
from safecase.domain.presentation import display_title as _display_title
from safecase.domain.presentation import search_document as _search_document
from safecase.domain.record_types import RECORD_TYPES, RecordType
from safecase.domain.vocabulary import CONSENT_SCOPES
from safecase.errors import ValidationError

__all__ = [
    "IMMUTABLE_KINDS",
    "SCHEMA_BASE_URI",
    "Reference",
    "SearchDocument",
    "display_title",
    "ensure_editable",
    "json_schema",
    "kinds_in_dependency_order",
    "needs_pseudonym",
    "normalise_for_storage",
    "references",
    "search_document",
    "validate_body",
    "withdrawal_of",
]

SCHEMA_BASE_URI: Final = "https://safecase.invalid/schema/"
_SCHEMA_COMMENT = (
    "Describes bodies as validate_body returns them (the stored form). validate_body also accepts, and "
    "normalises: surrounding spaces, non-NFC text, CR LF line breaks, empty strings and empty lists or "
    "objects in optional fields (dropped), upper-case ids and lower-case country codes. Some rules are "
    "checked by validate_body only and described in text, e.g. end_date not before date."
)


def _record_type(kind: Kind | str) -> RecordType:
    return RECORD_TYPES[Kind(kind)]


def validate_body(kind: Kind, body: object) -> dict[str, Any]:
    """The normalised body, or ValidationError naming the first field at fault (``acts[1].type``).

    Idempotent: validating a normalised body (also after a JSON round trip) returns it unchanged. A person
    body may lack its pseudonym here; ``normalise_for_storage`` supplies it.
    """
    kind = Kind(kind)
    if not isinstance(body, dict):
        raise ValidationError(f'a {kind} record must be a JSON object, such as {{"field": "value"}}')
    result = _record_type(kind).body.validate(body, At(kind))
    assert isinstance(result, dict)
    return result


def needs_pseudonym(kind: Kind, body: Mapping[str, Any]) -> bool:
    """Whether `body` (normalised) is a person without a pseudonym, which the service must assign."""
    return Kind(kind) is Kind.PERSON and "pseudonym" not in body


def normalise_for_storage(kind: Kind, body: object, *, assign_pseudonym: Callable[[], str]) -> dict[str, Any]:
    """``validate_body``, then for a person without a pseudonym one from `assign_pseudonym` (validated too).

    This is the body to store: every stored person has a pseudonym. `assign_pseudonym` is called only when
    needed (the service draws a random code and checks that no stored person has it).
    """
    normalised = validate_body(kind, body)
    if not needs_pseudonym(kind, normalised):
        return normalised
    return validate_body(kind, {"pseudonym": assign_pseudonym(), **normalised})


def ensure_editable(kind: Kind) -> None:
    """Refuse to edit a record of an immutable kind. create and delete are up to the service."""
    if Kind(kind) is Kind.ATTACHMENT:
        raise ValidationError(
            "evidence files are never edited; a redacted or converted copy is a new attachment that names the "
            "original in derived_from_id"
        )
    if Kind(kind) in IMMUTABLE_KINDS:
        raise ValidationError(
            "consent records are never edited; to withdraw consent, add a new consent record with every "
            "scope false and withdraws_consent_id set to this one"
        )


def withdrawal_of(
    consent_id: RecordId, consent: Mapping[str, Any], *, method: str, given_on: str, **fields: object
) -> dict[str, Any]:
    """A validated body withdrawing `consent`: same subject and testimony, every scope false.

    `fields` may add given_by, recorded_by and notes.
    """
    body: dict[str, Any] = {
        "subject_person_id": consent.get("subject_person_id"),
        "scopes": {code: False for code in CONSENT_SCOPES.codes},
        "method": method,
        "given_on": given_on,
        "withdraws_consent_id": consent_id,
        **fields,
    }
    if "testimony_id" in consent:
        body["testimony_id"] = consent["testimony_id"]
    return validate_body(Kind.CONSENT, body)


def json_schema(kind: Kind) -> dict[str, Any]:
    """A JSON Schema (draft 2020-12) for bodies of `kind`; a fresh dict each call."""
    record_type = _record_type(kind)
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": f"{SCHEMA_BASE_URI}{record_type.kind}.json",
        "title": record_type.kind.label(),
        "description": record_type.description,
        "$comment": _SCHEMA_COMMENT,
        **record_type.body.schema(),
    }


def references(kind: Kind, body: Mapping[str, Any]) -> list[Reference]:
    """Every reference in a normalised body, with its dotted field path, in field order."""
    record_type = _record_type(kind)
    return list(record_type.body.references(dict(body), At(record_type.kind)))


def search_document(kind: Kind, body: Mapping[str, Any]) -> SearchDocument:
    """What full-text search indexes for a normalised body. Contacts: the type label only, no text."""
    return _search_document(Kind(kind), body)


def display_title(kind: Kind, body: Mapping[str, Any], *, lang: str = "en") -> str:
    """A short label for lists (``P-0042 · Kim Yeong-hui``); `lang` is ``en`` or ``ko``."""
    return _display_title(Kind(kind), body, lang=lang)


def kinds_in_dependency_order() -> tuple[Kind, ...]:
    """Every kind, each after the kinds its records may refer to (self-references aside).

    Creating or importing records in this order means a reference's target is already there, except for
    references between records of the same kind (a location inside a location, a withdrawn consent).
    """
    sorter: graphlib.TopologicalSorter[Kind] = graphlib.TopologicalSorter()
    for kind in Kind:
        sorter.add(kind, *sorted(RECORD_TYPES[kind].body.target_kinds() - {kind}))
    return tuple(sorter.static_order())
