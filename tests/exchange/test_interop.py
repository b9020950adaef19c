"""A bundle opens with the standard tools: `age` decrypts it, GNU `tar` unpacks it, `minisign` checks its manifest.

Someone without SafeCase (a lawyer, a UN office, an auditor years later) can read what was sent with tools they
can get anywhere. Each test is skipped, with the reason, where its tool is not installed.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest

from safecase.crypto import minisign
from safecase.domain.kinds import Kind
from safecase.services.exchange.manifest import MANIFEST_NAME, SIGNATURE_NAME
from tests.exchange.conftest import Member, Team
from tests.factories import make_body

AGE = shutil.which("age")
TAR = shutil.which("tar")
MINISIGN = shutil.which("minisign")
needs_age = pytest.mark.skipif(
    AGE is None or TAR is None, reason="the standard `age` and `tar` tools are not installed"
)
needs_minisign = pytest.mark.skipif(MINISIGN is None, reason="the standard `minisign` tool is not installed")

ENVELOPE = {"body", "deleted", "id", "kind", "origin_device", "parents", "revision", "written_at"}
EVIDENCE = b"Interview notes, fictional: arrested in Tumen, March 2019.\n" * 300 + bytes(range(256))


def _key_file(member: Member, where: Path) -> Path:
    """The member's age identity as the `age` tool reads it (AGE-SECRET-KEY-1…), readable by the owner only."""
    path = where / f"{member.name}.key"
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w", encoding="ascii") as handle:
        handle.write(str(member.session.identity.age_identity) + "\n")
    return path


def _decrypt(member: Member, bundle: Path, where: Path) -> subprocess.CompletedProcess[bytes]:
    assert AGE is not None
    key = _key_file(member, where)
    return subprocess.run([AGE, "-d", "-i", str(key), str(bundle)], capture_output=True, check=False, timeout=60)


def _unpack(member: Member, bundle: Path, where: Path) -> Path:
    """`age -d -i KEY bundle | tar -x -C DIR`, as a person would type it."""
    assert TAR is not None
    decrypted = _decrypt(member, bundle, where)
    assert decrypted.returncode == 0, decrypted.stderr.decode()
    target = where / f"unpacked-{member.name}"
    target.mkdir()
    unpacked = subprocess.run(
        [TAR, "-x", "-C", str(target)], input=decrypted.stdout, capture_output=True, check=False, timeout=60
    )
    assert unpacked.returncode == 0, unpacked.stderr.decode()
    return target


def _files(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def _case_with_evidence(team: Team) -> tuple[str, str, str]:
    """Kim's testimony with a recorded interview: (person id, testimony id, attachment id)."""
    kim = team.kim
    person = kim.records.add(Kind.PERSON, make_body(Kind.PERSON))
    team.clock.advance(1000)
    kim.records.edit(person.id, {**person.body, "status": "detained"})
    testimony = kim.records.add(Kind.TESTIMONY, make_body(Kind.TESTIMONY, interviewee_id=person.id))
    source = team.root / "interview-notes.txt"
    source.write_bytes(EVIDENCE)
    attachment = kim.attachments.attach(testimony.id, source)
    return person.id, testimony.id, attachment.id


@needs_age
def test_age_and_tar_unpack_a_bundle_into_its_manifest_records_and_evidence_files(team: Team, tmp_path: Path) -> None:
    person_id, testimony_id, attachment_id = _case_with_evidence(team)
    bundle = team.bundle_path("kim-1")
    receipt = team.kim.send([team.park], bundle)

    files = _files(_unpack(team.park, bundle, tmp_path))

    assert set(files) == {MANIFEST_NAME, SIGNATURE_NAME, "records/000001.jsonl", f"attachments/{attachment_id}"}
    assert files[f"attachments/{attachment_id}"] == EVIDENCE
    manifest = json.loads(files[MANIFEST_NAME])
    assert manifest["bundle_id"] == receipt.bundle_id
    named = {m["name"]: m for m in manifest["members"]}
    assert set(named) == set(files) - {MANIFEST_NAME, SIGNATURE_NAME}
    for name, member in named.items():
        assert (member["size"], member["sha256"]) == (len(files[name]), hashlib.sha256(files[name]).hexdigest())
    ids = [json.loads(line)["id"] for line in files["records/000001.jsonl"].splitlines()]
    assert sorted(set(ids)) == sorted({person_id, testimony_id, attachment_id})
    assert len(ids) == receipt.counts["versions"] == 4


@needs_age
def test_the_archive_holds_only_regular_files_with_plain_relative_names(team: Team, tmp_path: Path) -> None:
    _case_with_evidence(team)
    bundle = team.bundle_path("kim-1")
    team.kim.send([team.park], bundle)
    decrypted = _decrypt(team.park, bundle, tmp_path)
    assert decrypted.returncode == 0, decrypted.stderr.decode()
    plain = tmp_path / "bundle.tar"
    plain.write_bytes(decrypted.stdout)

    assert TAR is not None
    listing = subprocess.run([TAR, "-tvf", str(plain)], capture_output=True, text=True, check=True, timeout=60)

    lines = listing.stdout.splitlines()
    assert len(lines) == 4
    for line in lines:
        assert line.startswith("-"), line  # no directories, links, devices or FIFOs
        name = line.split()[-1]
        assert not name.startswith("/") and ".." not in name.split("/"), name
    names = subprocess.run([TAR, "-tf", str(plain)], capture_output=True, text=True, check=True, timeout=60)
    assert names.stdout.splitlines()[:2] == [MANIFEST_NAME, SIGNATURE_NAME]


@needs_age
def test_each_records_line_is_json_with_the_documented_envelope(team: Team, tmp_path: Path) -> None:
    person_id, _, _ = _case_with_evidence(team)
    team.clock.advance(1000)
    team.kim.records.delete(team.kim.records.add(Kind.CASE, make_body(Kind.CASE)).id)
    bundle = team.bundle_path("kim-1")
    team.kim.send([team.park], bundle)

    files = _files(_unpack(team.park, bundle, tmp_path))

    raw_lines = files["records/000001.jsonl"].split(b"\n")
    assert raw_lines[-1] == b""  # every line ends with a newline
    lines = [json.loads(line) for line in raw_lines[:-1]]
    for raw, line in zip(raw_lines, lines, strict=False):
        assert set(line) == ENVELOPE
        assert raw == json.dumps(line, sort_keys=True, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
        assert isinstance(line["deleted"], bool) and isinstance(line["parents"], list)
    history = team.kim.records.history(person_id)
    carried = [line for line in lines if line["id"] == person_id]
    assert [(c["revision"], c["parents"], c["body"]) for c in carried] == [
        (v.revision, list(v.parents), v.body) for v in history
    ]
    assert carried[1]["parents"] == [carried[0]["revision"]]
    tombstones = [line for line in lines if line["deleted"]]
    assert [t["kind"] for t in tombstones] == ["case"]


@needs_age
def test_a_bundle_for_two_recipients_opens_with_either_key_and_not_with_anyone_elses(
    team: Team, tmp_path: Path
) -> None:
    team.kim.records.add(Kind.CASE, make_body(Kind.CASE))
    to_both = team.bundle_path("kim-both")
    team.kim.send([team.lee, team.park], to_both)
    opened = {member.name: _files(_unpack(member, to_both, tmp_path)) for member in (team.lee, team.park)}
    assert opened["lee"] == opened["park"]
    assert "records/000001.jsonl" in opened["lee"]

    only_park = team.bundle_path("kim-park")
    team.kim.send([team.park], only_park)
    lee_dir = tmp_path / "lee-alone"
    lee_dir.mkdir()
    refused = _decrypt(team.lee, only_park, lee_dir)
    assert refused.returncode != 0 and refused.stdout == b""


@needs_age
@needs_minisign
def test_minisign_verifies_the_manifest_and_shows_the_trusted_comment(team: Team, tmp_path: Path) -> None:
    _case_with_evidence(team)
    bundle = team.bundle_path("kim-1")
    receipt = team.kim.send([team.park], bundle)
    folder = _unpack(team.park, bundle, tmp_path)
    sender_key = minisign.public_key_base64(team.kim.session.identity.public_key_bytes)
    assert MINISIGN is not None
    command = [MINISIGN, "-Vm", MANIFEST_NAME, "-x", SIGNATURE_NAME, "-P", sender_key]

    checked = subprocess.run(command, cwd=folder, capture_output=True, text=True, check=False, timeout=60)

    assert checked.returncode == 0, checked.stderr
    fingerprint = team.kim.session.identity.public().fingerprint().replace(" ", "")
    created_at = json.loads((folder / MANIFEST_NAME).read_bytes())["created_at"]
    expected = f"safecase bundle {receipt.bundle_id} sequence 1 from {fingerprint} at {created_at}"
    assert f"Trusted comment: {expected}" in checked.stdout

    # Another key, or a manifest changed by one byte, does not verify.
    other_key = minisign.public_key_base64(team.lee.session.identity.public_key_bytes)
    wrong_key = subprocess.run(
        [*command[:-1], other_key], cwd=folder, capture_output=True, text=True, check=False, timeout=60
    )
    assert wrong_key.returncode != 0
    manifest = folder / MANIFEST_NAME
    original = manifest.read_bytes()
    assert original.count(b'"sequence":1') == 1
    manifest.write_bytes(original.replace(b'"sequence":1', b'"sequence":2'))
    altered = subprocess.run(command, cwd=folder, capture_output=True, text=True, check=False, timeout=60)
    assert altered.returncode != 0
