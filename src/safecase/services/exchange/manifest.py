"""The bundle manifest: the first member of every bundle, signed by the sender, naming everything that follows.

A bundle's plaintext is a tar stream: ``manifest.json``, ``manifest.json.minisig`` (a minisign signature by the
sender's Ed25519 key, so stock ``minisign`` can check it), then ``records/NNNNNN.jsonl`` (every version of every
record carried, one per line) and ``attachments/<attachment id>`` (the evidence files, as plain bytes inside the
encrypted bundle). The manifest lists those members in order with their size and SHA-256; nothing else may appear.
Parsing is strict and bounded: a manifest that is not exactly this shape is refused before anything else is read.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from safecase.crypto.encoding import b64decode_strict, b64encode, canonical_json, parse_json
from safecase.crypto.identity import PublicIdentity
from safecase.errors import IntegrityError

FORMAT = "safecase-bundle"
FORMAT_VERSION = 1
MANIFEST_NAME = "manifest.json"
SIGNATURE_NAME = "manifest.json.minisig"
RECORDS_PREFIX = "records/"
ATTACHMENTS_PREFIX = "attachments/"

MAX_MANIFEST_BYTES = 16 << 20
MAX_SIGNATURE_BYTES = 4 << 10
MAX_MEMBERS = 65_536
MAX_RECIPIENTS = 256
MAX_MEMBER_BYTES = 8**11 - 1  # what a ustar header's 11 octal digits hold
RECORDS_CHUNK_BYTES = 4 << 20  # a records member is cut at the first line that ends past this
MAX_RECORD_LINE_BYTES = 16 << 20  # one version of one record, as JSON
# Brackets, braces and commas a manifest may hold, counted over its raw bytes before it is parsed: at most MAX_MEMBERS
# members make about 4 * 65,536 of them, names and scope about 120,000 more. Parsing (before the signature can be
# checked) then holds tens of MiB at most, where 16 MiB of "[{},{},…]" would take some 400 MiB.
MAX_MANIFEST_STRUCTURE = 1 << 19

_UUID = r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}"
RECORDS_MEMBER = re.compile(r"^records/[0-9]{6}\.jsonl$")
ATTACHMENT_MEMBER = re.compile(rf"^attachments/({_UUID})$")
_BUNDLE_ID = re.compile(rf"^{_UUID}$")
_SHA256 = re.compile(r"^[0-9a-f]{64}$")
_TIME = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$", re.ASCII)  # no digits of other scripts
_FINGERPRINT = re.compile(r"^\d{5}( \d{5}){7}$")
_COUNT_KEYS = frozenset({"records", "versions", "attachments", "attachment_bytes", "persons", "contacts", "cases"})

_BAD = "The bundle's manifest is malformed"


class ManifestError(IntegrityError):
    def __init__(self, detail: str) -> None:
        super().__init__(f"{_BAD} ({detail}): it was not made by SafeCase, or was altered. Ask the sender again.")


@dataclass(frozen=True)
class Member:
    name: str
    size: int
    sha256: str

    @property
    def attachment_id(self) -> str | None:
        match = ATTACHMENT_MEMBER.match(self.name)
        return match[1] if match else None


@dataclass(frozen=True)
class Party:
    """A sender or recipient as the manifest names them. A recipient known only by age recipient has no key."""

    display_name: str
    organisation: str
    age_recipient: str
    ed25519_public_key: bytes | None
    fingerprint: str | None

    def public(self) -> PublicIdentity | None:
        if self.ed25519_public_key is None:
            return None
        return PublicIdentity(self.ed25519_public_key, self.age_recipient)


@dataclass(frozen=True)
class Manifest:
    bundle_id: str
    sequence: int
    created_at: str
    sender: Party
    recipients: tuple[Party, ...]
    scope: dict[str, Any]  # what the sender asked for: cases, since, include_contacts (shown, never trusted)
    counts: dict[str, int]
    members: tuple[Member, ...]

    def to_bytes(self) -> bytes:
        return canonical_json(
            {
                "format": FORMAT,
                "version": FORMAT_VERSION,
                "bundle_id": self.bundle_id,
                "sequence": self.sequence,
                "created_at": self.created_at,
                "sender": _party_json(self.sender),
                "recipients": [_party_json(r) for r in self.recipients],
                "scope": self.scope,
                "counts": self.counts,
                "members": [{"name": m.name, "size": m.size, "sha256": m.sha256} for m in self.members],
            }
        )

    def trusted_comment(self) -> str:
        """The line the minisign signature also covers: what `minisign -V` prints to someone checking by hand."""
        fingerprint = (self.sender.fingerprint or "").replace(" ", "")
        return f"safecase bundle {self.bundle_id} sequence {self.sequence} from {fingerprint} at {self.created_at}"

    @property
    def declared_bytes(self) -> int:
        return sum(m.size for m in self.members)

    @classmethod
    def parse(cls, data: bytes) -> Manifest:
        if len(data) > MAX_MANIFEST_BYTES:
            raise ManifestError("too large")
        if data.count(b"[") + data.count(b"{") + data.count(b",") > MAX_MANIFEST_STRUCTURE:
            raise ManifestError("too many values")
        try:
            raw = parse_json(data)
        except (ValueError, RecursionError):
            raise ManifestError("not JSON") from None
        try:
            return _manifest(raw)
        except (KeyError, TypeError, ValueError) as exc:
            raise ManifestError(str(exc) or type(exc).__name__) from None


def _party_json(party: Party) -> dict[str, Any]:
    return {
        "display_name": party.display_name,
        "organisation": party.organisation,
        "age_recipient": party.age_recipient,
        "ed25519_public_key": b64encode(party.ed25519_public_key) if party.ed25519_public_key else None,
        "fingerprint": party.fingerprint,
    }


def _fields(raw: Any, keys: set[str], what: str) -> dict[str, Any]:
    if not isinstance(raw, dict) or set(raw) != keys:
        raise ValueError(f"unexpected fields in {what}")
    return raw


def _text(value: Any, what: str, limit: int = 200) -> str:
    """A short single-line text: no control, format (direction overrides), surrogate or line-separator characters."""
    if not isinstance(value, str) or len(value) > limit:
        raise ValueError(f"bad {what}")
    if any(unicodedata.category(c) in {"Cc", "Cf", "Cs", "Zl", "Zp"} for c in value):
        raise ValueError(f"bad characters in {what}")
    return value


def _integer(value: Any, what: str, low: int, high: int) -> int:
    if not isinstance(value, int) or isinstance(value, bool) or not low <= value <= high:
        raise ValueError(f"bad {what}")
    return value


def _party(raw: Any) -> Party:
    fields = _fields(
        raw, {"display_name", "organisation", "age_recipient", "ed25519_public_key", "fingerprint"}, "party"
    )
    key = None if fields["ed25519_public_key"] is None else b64decode_strict(fields["ed25519_public_key"])
    party = Party(
        _text(fields["display_name"], "name"),
        _text(fields["organisation"], "organisation"),
        _text(fields["age_recipient"], "age recipient", 100),
        key,
        None if fields["fingerprint"] is None else _text(fields["fingerprint"], "fingerprint", 47),
    )
    public = party.public()  # checks both keys are well-formed
    if (public.fingerprint() if public else None) != party.fingerprint:
        raise ValueError("fingerprint does not match keys")
    if party.fingerprint is not None and not _FINGERPRINT.fullmatch(party.fingerprint):
        raise ValueError("bad fingerprint")
    return party


def _member(raw: Any) -> Member:
    fields = _fields(raw, {"name", "size", "sha256"}, "member")
    name = fields["name"]
    if not isinstance(name, str) or not (RECORDS_MEMBER.fullmatch(name) or ATTACHMENT_MEMBER.fullmatch(name)):
        raise ValueError("unexpected member name")
    sha256 = _text(fields["sha256"], "hash", 64)
    if not _SHA256.fullmatch(sha256):
        raise ValueError("bad hash")
    return Member(name, _integer(fields["size"], "member size", 0, MAX_MEMBER_BYTES), sha256)


def _manifest(raw: Any) -> Manifest:
    fields = _fields(
        raw,
        {"format", "version", "bundle_id", "sequence", "created_at", "sender", "recipients", "scope", "counts",
         "members"},
        "manifest",
    )  # fmt: skip
    if fields["format"] != FORMAT or type(fields["version"]) is not int or fields["version"] != FORMAT_VERSION:
        raise ValueError("not a SafeCase bundle of a version this SafeCase reads")
    if not isinstance(fields["bundle_id"], str) or not _BUNDLE_ID.fullmatch(fields["bundle_id"]):
        raise ValueError("bad bundle id")
    if not isinstance(fields["created_at"], str) or not _TIME.fullmatch(fields["created_at"]):
        raise ValueError("bad creation time")
    datetime.strptime(fields["created_at"], "%Y-%m-%dT%H:%M:%S.%fZ")  # a real date and time, or ValueError
    sender = _party(fields["sender"])
    if sender.public() is None:
        raise ValueError("the sender has no signing key")
    recipients = fields["recipients"]
    if not isinstance(recipients, list) or not 1 <= len(recipients) <= MAX_RECIPIENTS:
        raise ValueError("bad recipients")
    members = fields["members"]
    if not isinstance(members, list) or len(members) > MAX_MEMBERS:
        raise ValueError("too many members")
    parsed = tuple(_member(m) for m in members)
    _check_member_order(parsed)
    return Manifest(
        fields["bundle_id"],
        _integer(fields["sequence"], "sequence", 1, 2**53),
        fields["created_at"],
        sender,
        tuple(_party(r) for r in recipients),
        _scope(fields["scope"]),
        _counts(fields["counts"]),
        parsed,
    )


def _check_member_order(members: tuple[Member, ...]) -> None:
    """Records first, then attachments; each name once. Record chunks are numbered 1, 2, 3 ..."""
    names = [m.name for m in members]
    if len(set(names)) != len(names):
        raise ValueError("a member is named twice")
    records = [n for n in names if n.startswith(RECORDS_PREFIX)]
    if names[: len(records)] != records:
        raise ValueError("records must come before attachments")
    if records != [f"{RECORDS_PREFIX}{i:06d}.jsonl" for i in range(1, len(records) + 1)]:
        raise ValueError("record chunks out of order")


def _scope(raw: Any) -> dict[str, Any]:
    fields = _fields(raw, {"cases", "since", "include_contacts"}, "scope")
    cases = fields["cases"]
    if not isinstance(cases, list) or len(cases) > 10_000 or not all(isinstance(c, str) and len(c) < 40 for c in cases):
        raise ValueError("bad scope")
    if fields["since"] is not None:
        _text(fields["since"], "since", 40)
    if not isinstance(fields["include_contacts"], bool):
        raise ValueError("bad scope")
    return dict(fields)


def _counts(raw: Any) -> dict[str, int]:
    fields = _fields(raw, set(_COUNT_KEYS), "counts")
    return {key: _integer(value, key, 0, 2**53) for key, value in fields.items()}
