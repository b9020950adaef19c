"""Bundles SafeCase would never write, signed by the (fixed) sender as if a team member's laptop made them.

A bundle's plaintext is split into its members, one of them changed, the manifest's member list put right (sizes
and SHA-256s) and the manifest signed again by the sender, so that a change reaches the checks behind the
signature: the member walk, the record lines, the merge. The tar is written with headers of our own, so any name or
size can be put in it. Used by the bundle fuzzer and by the regression tests of what it found.
"""

from __future__ import annotations

import hashlib
import json
from typing import Any

from safecase.crypto import minisign
from safecase.services.exchange.manifest import MANIFEST_NAME, SIGNATURE_NAME
from safecase.storage.tar_stream import BLOCK, RECORD
from tests.adversarial.tamper_artefacts import sender_identity

Members = list[tuple[str, bytes]]


def split_members(plaintext: bytes) -> Members:
    """The (name, content) of each member of a ustar archive written by SafeCase."""
    members: Members = []
    offset = 0
    while offset + BLOCK <= len(plaintext) and any(plaintext[offset : offset + BLOCK]):
        header = plaintext[offset : offset + BLOCK]
        name = header[:100].rstrip(b"\0").decode("utf-8")
        size = int(header[124:135], 8)
        members.append((name, plaintext[offset + BLOCK : offset + BLOCK + size]))
        offset += BLOCK + -(-size // BLOCK) * BLOCK
    return members


def tar_header(name: bytes, size: int) -> bytes:
    """A ustar header for a regular file, with no checks on the name (up to 100 bytes kept)."""
    header = bytearray(BLOCK)
    header[0:100] = name[:100].ljust(100, b"\0")
    header[100:124] = b"0000600\0" + b"0000000\0" * 2
    header[124:148] = b"%011o\0" % min(size, 8**11 - 1) + b"%011o\0" % 0
    header[148:156] = b" " * 8
    header[156:157] = b"0"
    header[257:265] = b"ustar\x0000"
    header[329:345] = b"0000000\0" * 2
    header[148:156] = b"%06o\0 " % sum(header)
    return bytes(header)


def build_tar(members: Members) -> bytes:
    parts = []
    for name, data in members:
        parts += [tar_header(name.encode("utf-8", "surrogatepass"), len(data)), data, bytes(-len(data) % BLOCK)]
    body = b"".join(parts) + bytes(2 * BLOCK)
    return body + bytes(-len(body) % RECORD)


def _manifest_fields(members: Members) -> dict[str, Any] | None:
    head = dict(members[:1])
    try:
        fields = json.loads(head.get(MANIFEST_NAME, b""))
    except (ValueError, RecursionError):
        return None
    return fields if isinstance(fields, dict) else None


def trusted_comment(fields: dict[str, Any]) -> str:
    """What Manifest.trusted_comment gives, from the raw fields (so an edit the parser refuses is signed too)."""
    sender = fields.get("sender")
    fingerprint = str(sender.get("fingerprint") or "") if isinstance(sender, dict) else ""
    return (
        f"safecase bundle {fields.get('bundle_id')} sequence {fields.get('sequence')} from "
        f"{fingerprint.replace(' ', '')} at {fields.get('created_at')}"
    )


def resigned(members: Members, *, fix_member_list: bool = True) -> Members:
    """The members with the manifest's member list made to match what follows (if asked) and signed again."""
    fields = _manifest_fields(members)
    if fields is None:
        return members
    if fix_member_list:
        fields["members"] = [
            {"name": name, "size": len(data), "sha256": hashlib.sha256(data).hexdigest()}
            for name, data in members
            if name not in (MANIFEST_NAME, SIGNATURE_NAME)
        ]
    try:
        manifest_bytes = json.dumps(fields, sort_keys=True, separators=(",", ":"), ensure_ascii=True).encode()
        signature = minisign.sign(sender_identity(), manifest_bytes, trusted_comment(fields)).encode("utf-8")
    except (ValueError, TypeError, RecursionError):  # a value json.dumps or a comment line cannot hold
        return members
    rest = [(name, data) for name, data in members if name not in (MANIFEST_NAME, SIGNATURE_NAME)]
    return [(MANIFEST_NAME, manifest_bytes), (SIGNATURE_NAME, signature), *rest]


def with_manifest_edit(plaintext: bytes, edit: Any) -> bytes:
    """The bundle with its manifest's JSON changed by ``edit`` (in place) and signed again."""
    members = split_members(plaintext)
    fields = json.loads(members[0][1])
    edit(fields)
    members[0] = (MANIFEST_NAME, json.dumps(fields).encode())
    return build_tar(resigned(members, fix_member_list=False))


def with_record_line(plaintext: bytes, edit: Any, line: int = 0) -> bytes:
    """The bundle with one record line's JSON changed by ``edit`` (in place), written as SafeCase writes lines."""
    members = split_members(plaintext)
    index = next(i for i, (name, _) in enumerate(members) if name.startswith("records/"))
    name, data = members[index]
    lines = data.split(b"\n")
    version = json.loads(lines[line])
    edit(version)
    lines[line] = json.dumps(version, sort_keys=True, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    members[index] = (name, b"\n".join(lines))
    return build_tar(resigned(members))
