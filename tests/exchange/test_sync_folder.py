"""The sync folder: bundles go to ``DIR/outbox/<code>``, come in from ``DIR/inbox``; whatever carries them between.

Here the carrier is the test, copying one person's outbox folder for a contact into that contact's inbox, as a USB
stick or a file-sync tool would.
"""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

from safecase.domain.kinds import Kind
from safecase.services.exchange.sync import BUNDLE_SUFFIX, SyncFolder, SyncReport, outbox_code
from safecase.storage.team_contacts import TeamContact
from tests.conftest import Cli
from tests.exchange.conftest import Member, Team
from tests.factories import make_body


def _folder(member: Member) -> SyncFolder:
    return SyncFolder(member.session, member.exporter(), member.importer())


def _contact(member: Member, other: Member) -> TeamContact:
    return member.contacts.resolve(other.name)


def _sync(member: Member, root: Path, *to: Member) -> SyncReport:
    root.mkdir(exist_ok=True)
    return _folder(member).sync(root, [_contact(member, other) for other in to])


def _carry(sender_root: Path, sender: Member, recipient: Member, recipient_root: Path) -> list[Path]:
    """Copy what the sender's outbox holds for the recipient into the recipient's inbox (a stick, a sync tool)."""
    code = outbox_code(_contact(sender, recipient))
    inbox = recipient_root / "inbox" / sender.name
    inbox.mkdir(parents=True, exist_ok=True)
    copied = []
    for path in sorted((sender_root / "outbox" / code).glob(f"*{BUNDLE_SUFFIX}")):
        if not (inbox / path.name).exists():
            copied.append(Path(shutil.copy2(path, inbox / path.name)))
    return copied


def _live(member: Member) -> dict[str, tuple[str, str, object]]:
    return {
        state.id: (state.kind, state.revision, state.body)
        for kind in Kind
        for state in member.records.list_kind(kind, limit=100_000)
    }


def _some_records(member: Member) -> tuple[str, str, str]:
    case = member.records.add(Kind.CASE, make_body(Kind.CASE))
    person = member.records.add(Kind.PERSON, make_body(Kind.PERSON))
    testimony = member.records.add(Kind.TESTIMONY, make_body(Kind.TESTIMONY, interviewee_id=person.id))
    return case.id, person.id, testimony.id


def test_a_sync_sends_everything_once_then_only_what_changed(team: Team) -> None:
    kim, park = team.kim, team.park
    kim_root, park_root = team.root / "kim-stick", team.root / "park-stick"
    case_id, person_id, _ = _some_records(kim)

    first = _sync(kim, kim_root, park)

    assert len(first.sent) == 1 and first.sent[0].counts["records"] == 3 and first.nothing_new == []
    assert [p.name for p in (kim_root / "outbox").iterdir()] == [outbox_code(_contact(kim, park))]
    carried = _carry(kim_root, kim, park, park_root)
    assert [p.name for p in carried] == [first.sent[0].path.name]
    received = _sync(park, park_root)
    assert [path for path, _ in received.imported] == carried
    assert received.imported[0][1].new_records == 3 and received.refused == []
    assert _live(park) == _live(kim)

    # Nothing changed: nothing is sent, and no file appears.
    team.clock.advance(60_000)
    again = _sync(kim, kim_root, park)
    assert again.sent == [] and [c.id for c in again.nothing_new] == [_contact(kim, park).id]
    assert len(list((kim_root / "outbox").rglob(f"*{BUNDLE_SUFFIX}"))) == 1

    # One record changed: only that record goes, and it arrives as an update.
    team.clock.advance(60_000)
    person = kim.records.show(person_id)
    kim.records.edit(person_id, {**person.body, "status": "detained"})
    changed = _sync(kim, kim_root, park)
    assert len(changed.sent) == 1 and changed.sent[0].counts["records"] == 1
    assert changed.sent[0].counts["versions"] == 2  # the record travels with its whole history
    carried = _carry(kim_root, kim, park, park_root)
    assert len(carried) == 1
    update = _sync(park, park_root)
    assert [p for p, _ in update.imported] == carried and update.already_imported == carried_before(first, park_root)
    result = update.imported[0][1]
    assert (result.new_records, result.updated_records, result.unchanged_records) == (0, 1, 0)
    assert _live(park) == _live(kim)
    assert park.records.show(case_id).revision == kim.records.show(case_id).revision


def carried_before(report: SyncReport, root: Path) -> list[Path]:
    """Where the bundles a sync sent ended up in ``root``'s inbox (the earlier ones are imported already)."""
    names = {receipt.path.name for receipt in report.sent}
    return sorted(p for p in (root / "inbox").rglob(f"*{BUNDLE_SUFFIX}") if p.name in names)


def test_outbox_folders_are_named_by_fingerprint_code_not_by_name(team: Team) -> None:
    kim = team.kim
    root = team.root / "stick"
    _some_records(kim)

    report = _sync(kim, root, team.lee, team.park)

    assert len(report.sent) == 2
    folders = sorted(p.name for p in (root / "outbox").iterdir())
    codes = sorted(outbox_code(_contact(kim, other)) for other in (team.lee, team.park))
    assert folders == codes
    for other in (team.lee, team.park):
        code = outbox_code(_contact(kim, other))
        assert re.fullmatch(r"\d{5}-\d{5}", code)
        assert code.replace("-", " ") == " ".join(other.session.identity.public().fingerprint().split()[:2])
    everything = " ".join(p.as_posix() for p in root.rglob("*")).lower()
    for name in ("kim", "lee", "park", "test org"):
        assert name not in everything.replace(str(root).lower(), "")


def test_files_not_for_this_vault_are_skipped_and_a_damaged_one_is_refused_while_the_others_import(
    team: Team,
) -> None:
    kim, lee, park = team.members
    kim_root, lee_root, park_root = team.root / "kim-stick", team.root / "lee-stick", team.root / "park-stick"
    _some_records(kim)
    lee_case = lee.records.add(Kind.CASE, make_body(Kind.CASE, title="Lee's case"))
    _sync(kim, kim_root, park, lee)
    _sync(lee, lee_root, park)

    for_lee = _carry(kim_root, kim, lee, park_root)  # handed to the wrong person
    from_kim = _carry(kim_root, kim, park, park_root)
    from_lee = _carry(lee_root, lee, park, park_root)
    damaged = from_lee[0].with_name("000-damaged" + BUNDLE_SUFFIX)
    data = bytearray(from_lee[0].read_bytes())
    data[-40] ^= 0x01  # inside the age stream's last (authenticated) chunk
    damaged.write_bytes(bytes(data))
    (park_root / "inbox" / "notes.txt").write_text("not a bundle", encoding="utf-8")

    report = _sync(park, park_root)

    assert report.not_for_us == for_lee
    assert [path for path, _ in report.refused] == [damaged]
    assert sorted(path for path, _ in report.imported) == sorted(from_kim + from_lee)
    assert park.records.show(lee_case.id).body["title"] == "Lee's case"
    assert set(_live(kim)) <= set(_live(park))

    # A second sync of the same inbox imports nothing twice and still reports the damaged file.
    again = _sync(park, park_root)
    assert again.imported == [] and sorted(again.already_imported) == sorted(from_kim + from_lee)
    assert [path for path, _ in again.refused] == [damaged] and again.not_for_us == for_lee


def test_the_sync_command_sends_to_verified_contacts_and_reports_as_json(team: Team, cli: Cli) -> None:
    kim, park = team.kim, team.park
    _some_records(kim)
    kim_root, park_root = team.root / "kim-stick", team.root / "park-stick"
    kim_root.mkdir()
    park_root.mkdir()
    code = outbox_code(_contact(kim, park))
    kim.session.close()
    park.session.close()

    sent = cli("sync", str(kim_root), "--json", "--vault", str(kim.folder))

    assert sent.code == 0, sent.err
    out = json.loads(sent.out)
    assert len(out["sent"]) == 2 and out["refused"] == []  # lee and park: every verified contact
    inbox = park_root / "inbox"
    shutil.copytree(kim_root / "outbox" / code, inbox)
    got = cli("sync", str(park_root), "--json", "--to", "kim", "--vault", str(park.folder))
    assert got.code == 0, got.err
    report = json.loads(got.out)
    assert len(report["imported"]) == 1 and report["refused"] == []
    assert report["imported"][0]["file"].startswith(str(inbox))
    again = json.loads(cli("sync", str(park_root), "--json", "--to", "kim", "--vault", str(park.folder)).out)
    assert again["imported"] == [] and len(again["already_imported"]) == 1
    assert again["sent"] == [] and len(again["nothing_new"]) == 1


def test_contact_details_left_out_of_a_sync_still_go_once_a_sync_includes_them(team: Team, tmp_path: Path) -> None:
    kim, park = team.kim, team.park
    person = kim.records.add(Kind.PERSON, make_body(Kind.PERSON))
    phone = kim.records.add(Kind.CONTACT, make_body(Kind.CONTACT, person_id=person.id))
    root = tmp_path / "kim-stick"
    root.mkdir()
    first = _folder(kim).sync(root, [_contact(kim, park)])
    assert first.sent[0].counts["contacts"] == 0
    second = _folder(kim).sync(root, [_contact(kim, park)], include_contacts=True)
    assert [receipt.counts["contacts"] for receipt in second.sent] == [1]
    assert second.sent[0].counts["records"] == 1  # the person already went; only the contact detail is new
    third = _folder(kim).sync(root, [_contact(kim, park)], include_contacts=True)
    assert third.sent == [] and len(third.nothing_new) == 1
    park_root = tmp_path / "park-stick"
    _carry(root, kim, park, park_root)
    _folder(park).sync(park_root, [])
    assert park.records.show(phone.id).body == phone.body
