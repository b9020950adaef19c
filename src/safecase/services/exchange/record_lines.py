"""One record version per line in a bundle's ``records/NNNNNN.jsonl`` members, and the strict reading of one.

A line is the version as ``safecase history ID --json`` shows it, plus the revisions it was written over:
``{"body":…,"deleted":false,"id":…,"kind":…,"origin_device":…,"parents":[…],"revision":…,"written_at":…}``
(keys sorted, no spaces, UTF-8). Reading checks the envelope against itself (the device and time inside the
revision), that parents come before the version, and that the body is exactly what this SafeCase would have stored
for its kind, so every laptop derives the same state from the same lines.
"""

from __future__ import annotations

import json
import re
from typing import Any

from safecase.crypto.encoding import parse_json
from safecase.domain.clock import iso_from_ms
from safecase.domain.hlc import Revision
from safecase.domain.ids import parse_record_id
from safecase.domain.kinds import Kind
from safecase.domain.records import validate_body
from safecase.errors import IntegrityError, ValidationError
from safecase.storage.records import RecordVersion, StoredVersionText, canonical_json

MAX_PARENTS = 64
_PLAIN_TEXT = re.compile(r"[0-9A-Za-z.:_-]+")  # ids, kinds, revisions, device ids, ISO times: nothing JSON escapes
_ENVELOPE = frozenset({"id", "kind", "revision", "parents", "deleted", "origin_device", "written_at", "body"})


class RecordLineError(IntegrityError):
    def __init__(self, where: str, detail: str) -> None:
        super().__init__(f"The bundle holds a malformed record ({where}: {detail}); nothing was imported.")


def version_line(version: RecordVersion) -> bytes:
    line = {
        "id": version.record_id,
        "kind": version.kind,
        "revision": version.revision,
        "parents": sorted(version.parents),
        "deleted": version.deleted,
        "origin_device": version.origin_device,
        "written_at": version.written_at,
        "body": version.body,
    }
    return json.dumps(line, sort_keys=True, ensure_ascii=False, separators=(",", ":")).encode("utf-8") + b"\n"


def stored_version_line(stored: StoredVersionText) -> bytes:
    """``version_line`` of a stored version, built from its stored canonical text without parsing anything.

    The stored body and parents are canonical JSON already (sorted keys, no spaces), and the other fields are plain
    ASCII identifiers and times that JSON writes as they are; ``body`` sorts first among the keys. A stored value
    that is not such a plain text (a damaged or edited database) falls back to ``version_line``. tests/exchange
    check the two give the same bytes.
    """
    plain = (stored.record_id, stored.kind, stored.origin_device, stored.revision, stored.written_at)
    if not all(_PLAIN_TEXT.fullmatch(text) for text in plain):
        return version_line(_parsed(stored))
    deleted = "true" if stored.deleted else "false"
    return (
        f'{{"body":{stored.body_json},"deleted":{deleted},"id":"{stored.record_id}","kind":"{stored.kind}",'
        f'"origin_device":"{stored.origin_device}","parents":{stored.parents_json},"revision":"{stored.revision}",'
        f'"written_at":"{stored.written_at}"}}\n'
    ).encode()


def _parsed(stored: StoredVersionText) -> RecordVersion:
    return RecordVersion(
        stored.record_id, stored.kind, stored.revision, bool(stored.deleted), json.loads(stored.body_json),
        stored.origin_device, stored.written_at, tuple(json.loads(stored.parents_json)),
    )  # fmt: skip


def parse_version_line(line: bytes, where: str) -> RecordVersion:
    """The version a line holds; RecordLineError naming ``where`` (member and line number) if it is not one."""
    try:
        raw = parse_json(line)
    except (ValueError, RecursionError):
        raise RecordLineError(where, "not JSON") from None
    try:
        return _version(raw)
    except ValidationError as error:
        raise RecordLineError(where, error.message) from None
    except (KeyError, TypeError, ValueError) as exc:
        raise RecordLineError(where, str(exc) or type(exc).__name__) from None


def _version(raw: Any) -> RecordVersion:
    if not isinstance(raw, dict) or set(raw) != _ENVELOPE:
        raise ValueError("unexpected fields")
    record_id = parse_record_id(raw["id"], "id")
    if raw["id"] != record_id:
        raise ValueError("id not in canonical form")
    kind = Kind(raw["kind"])
    revision = Revision.parse(raw["revision"])
    if raw["origin_device"] != revision.device_id or raw["written_at"] != iso_from_ms(revision.wall_ms):
        raise ValueError("device or time differ from the revision")
    parents = raw["parents"]
    if not isinstance(parents, list) or len(parents) > MAX_PARENTS or parents != sorted(set(parents)):
        raise ValueError("bad parents")
    if any(Revision.parse(p) >= revision for p in parents):
        raise ValueError("a parent is not older than its version")
    if not isinstance(raw["deleted"], bool):
        raise ValueError("bad deleted flag")
    body = raw["body"]
    if canonical_json(validate_body(kind, body)) != canonical_json(body):
        raise ValueError("body not as SafeCase stores it")
    if kind is Kind.PERSON and "pseudonym" not in body:
        raise ValueError("person without pseudonym")
    return RecordVersion(
        record_id, kind.value, raw["revision"], raw["deleted"], body, raw["origin_device"], raw["written_at"],
        tuple(parents),
    )  # fmt: skip
