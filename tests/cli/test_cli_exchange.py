"""The exchange commands: identity card, contact, bundle, sync and conflict, between two vaults made with the CLI."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from safecase.domain.clock import FakeClock
from tests.conftest import Cli, CliResult


class TwoVaults:
    def __init__(self, cli: Cli, root: Path) -> None:
        self.cli = cli
        self.root = root
        self.kim = root / "kim"
        self.park = root / "park"

    def run(self, vault: Path, *args: str, answers: tuple[str, ...] = ()) -> CliResult:
        return self.cli(*args, "--vault", str(vault), answers=answers)

    def ok(self, vault: Path, *args: str) -> CliResult:
        result = self.run(vault, *args)
        assert result.code == 0, result.err
        return result

    def json(self, vault: Path, *args: str) -> object:
        return json.loads(self.ok(vault, *args, "--json").out)


@pytest.fixture
def two(cli: Cli, tmp_path: Path) -> TwoVaults:
    vaults = TwoVaults(cli, tmp_path)
    for name, folder in (("Kim Field", vaults.kim), ("Park Coordinator", vaults.park)):
        key_file = tmp_path / f"{folder.name}.recovery"
        vaults.ok(folder, "init", "--name", name, "--org", "Test Org", "--recovery-key-file", str(key_file))
    for me, other in ((vaults.kim, vaults.park), (vaults.park, vaults.kim)):
        card = tmp_path / f"{other.name}.safecase-card"
        if not card.exists():
            vaults.ok(other, "identity", "card", "-o", str(card))
        vaults.ok(me, "contact", "add", str(card))
    return vaults


def _fingerprint(two: TwoVaults, vault: Path) -> str:
    facts = two.json(vault, "identity")
    assert isinstance(facts, dict)
    return str(facts["fingerprint"])


def _verify(two: TwoVaults, vault: Path, name: str, fingerprint: str) -> None:
    two.ok(vault, "contact", "verify", name, "--fingerprint", fingerprint)


def test_contacts_start_unverified_and_are_verified_only_by_a_matching_fingerprint(two: TwoVaults) -> None:
    listed = two.json(two.park, "contact", "list")
    assert isinstance(listed, list) and len(listed) == 1
    assert listed[0]["name"] == "Kim Field" and listed[0]["status"] == "unverified"
    wrong = two.run(two.park, "contact", "verify", "Kim Field", "--fingerprint", "00000 " * 8)
    assert wrong.code == 4 and wrong.err.startswith("safecase: ") and wrong.err.count("\n") == 1
    assert two.json(two.park, "contact", "list")[0]["status"] == "unverified"  # type: ignore[index]
    _verify(two, two.park, "Kim Field", _fingerprint(two, two.kim))
    assert two.json(two.park, "contact", "list")[0]["status"] == "verified"  # type: ignore[index]


def test_verify_asks_for_the_digits_as_read_aloud_and_needs_a_terminal_otherwise(two: TwoVaults) -> None:
    digits = _fingerprint(two, two.kim).replace(" ", "")
    asked = two.run(two.park, "contact", "verify", "Kim Field", answers=(digits,))
    assert asked.code == 0, asked.err
    assert "verified" in asked.out


def test_an_age_only_recipient_can_be_added_but_needs_a_name(two: TwoVaults, tmp_path: Path) -> None:
    recipient = "age1ql3z7hjy54pw3hyww5ayyfg7zqgvc7w3j2elw8zmrj2kg5sfn9aqmcac8p"
    missing = two.run(two.park, "contact", "add", "--age", recipient)
    assert missing.code == 2 and "--name" in missing.err
    added = two.json(two.park, "contact", "add", "--age", recipient, "--name", "OHCHR Seoul")
    assert isinstance(added, list) and added[0]["can_send"] is False and added[0]["fingerprint"] is None
    neither = two.run(two.park, "contact", "add")
    assert neither.code == 2


def test_a_bundle_goes_from_kim_to_park_and_a_second_import_changes_nothing(two: TwoVaults, tmp_path: Path) -> None:
    _verify(two, two.park, "Kim Field", _fingerprint(two, two.kim))
    case = tmp_path / "case.json"
    case.write_text(json.dumps({"title": "Forced returns at Namyang, 2020"}), encoding="utf-8")
    case_id = two.ok(two.kim, "record", "add", "case", str(case)).out.strip()
    bundle = tmp_path / "kim.safecase-bundle"
    sent = two.json(two.kim, "bundle", "export", "--to", "Park Coordinator", "-o", str(bundle))
    assert isinstance(sent, dict) and sent["counts"]["records"] == 1 and sent["sequence"] == 1

    inspected = two.json(two.park, "bundle", "inspect", str(bundle))
    assert isinstance(inspected, dict)
    assert inspected["sender"]["status"] == "verified" and inspected["addressed_to_this_vault"] is True
    assert two.run(two.park, "record", "show", case_id).code != 0  # inspect imports nothing

    imported = two.json(two.park, "bundle", "import", str(bundle))
    assert isinstance(imported, dict) and imported["new_records"] == 1 and imported["replay"] is False
    assert "Namyang" in two.ok(two.park, "record", "show", case_id).out
    again = two.ok(two.park, "bundle", "import", str(bundle))
    assert "Already imported" in again.out


def test_an_unknown_sender_is_refused_with_exit_4_unless_allowed(two: TwoVaults, tmp_path: Path) -> None:
    stranger = tmp_path / "stranger"
    two.ok(stranger, "init", "--name", "Stranger", "--recovery-key-file", str(tmp_path / "s.recovery"))
    card = tmp_path / "park2.safecase-card"
    two.ok(two.park, "identity", "card", "-o", str(card))
    two.ok(stranger, "contact", "add", str(card))
    bundle = tmp_path / "stranger.safecase-bundle"
    two.ok(stranger, "bundle", "export", "--to", "Park Coordinator", "-o", str(bundle))
    refused = two.run(two.park, "bundle", "import", str(bundle))
    assert refused.code == 4 and "not among your contacts" in refused.err and refused.err.count("\n") == 1
    allowed = two.json(two.park, "bundle", "import", str(bundle), "--allow-unknown-sender")
    assert isinstance(allowed, dict) and allowed["unverified_source"] is True


def test_export_refuses_an_unknown_recipient_and_an_existing_file(two: TwoVaults, tmp_path: Path) -> None:
    nobody = two.run(two.kim, "bundle", "export", "--to", "Nobody", "-o", str(tmp_path / "x.safecase-bundle"))
    assert nobody.code == 1 and "contact list" in nobody.err
    existing = tmp_path / "exists.safecase-bundle"
    existing.write_bytes(b"keep me")
    refused = two.run(two.kim, "bundle", "export", "--to", "Park Coordinator", "-o", str(existing))
    assert refused.code == 2 and existing.read_bytes() == b"keep me"
    bad_date = two.run(two.kim, "bundle", "export", "--to", "Park Coordinator", "--since", "last week", "-o", "y")
    assert bad_date.code == 2 and "YYYY-MM-DD" in bad_date.err


def test_sync_sends_only_what_changed_and_imports_the_inbox(two: TwoVaults, tmp_path: Path) -> None:
    _verify(two, two.kim, "Park Coordinator", _fingerprint(two, two.park))
    _verify(two, two.park, "Kim Field", _fingerprint(two, two.kim))
    case = tmp_path / "case.json"
    case.write_text(json.dumps({"title": "Onsong detention, 2021"}), encoding="utf-8")
    two.ok(two.kim, "record", "add", "case", str(case))
    kim_stick, park_stick = tmp_path / "kim-stick", tmp_path / "park-stick"
    kim_stick.mkdir()
    park_stick.mkdir()
    first = two.json(two.kim, "sync", str(kim_stick))
    assert isinstance(first, dict) and len(first["sent"]) == 1
    outbox = two.json(two.kim, "contact", "list")[0]["outbox"]  # type: ignore[index]
    shutil.copytree(kim_stick / "outbox" / str(outbox), park_stick / "inbox")
    received = two.json(two.park, "sync", str(park_stick))
    assert isinstance(received, dict) and len(received["imported"]) == 1
    assert received["imported"][0]["new_records"] == 1
    again = two.json(two.kim, "sync", str(kim_stick))
    assert isinstance(again, dict) and again["sent"] == [] and len(again["nothing_new"]) == 1


def test_conflicting_edits_are_listed_shown_and_resolved(two: TwoVaults, tmp_path: Path, clock: FakeClock) -> None:
    for me, other, name in ((two.kim, two.park, "Park Coordinator"), (two.park, two.kim, "Kim Field")):
        _verify(two, me, name, _fingerprint(two, other))
    case = tmp_path / "case.json"
    case.write_text(json.dumps({"title": "Hyesan, 2018"}), encoding="utf-8")
    case_id = two.ok(two.kim, "record", "add", "case", str(case)).out.strip()
    first = tmp_path / "1.safecase-bundle"
    two.ok(two.kim, "bundle", "export", "--to", "Park Coordinator", "-o", str(first))
    two.ok(two.park, "bundle", "import", str(first))
    for vault, title in ((two.kim, "Hyesan, spring 2018"), (two.park, "Hyesan, May 2018")):
        clock.advance(10)
        patch = tmp_path / "patch.json"
        patch.write_text(json.dumps({"title": title}), encoding="utf-8")
        two.ok(vault, "record", "edit", case_id, str(patch))
    second = tmp_path / "2.safecase-bundle"
    two.ok(two.kim, "bundle", "export", "--to", "Park Coordinator", "-o", str(second))
    imported = two.json(two.park, "bundle", "import", str(second))
    assert isinstance(imported, dict) and imported["conflicts"] == [case_id]

    listed = two.json(two.park, "conflict", "list")
    assert isinstance(listed, list) and [c["id"] for c in listed] == [case_id]
    shown = two.json(two.park, "conflict", "show", case_id)
    assert isinstance(shown, dict)
    titles = {v["body"]["title"]: v["revision"] for v in shown["versions"]}
    assert set(titles) == {"Hyesan, spring 2018", "Hyesan, May 2018"}
    bad = two.run(two.park, "conflict", "resolve", case_id, "--keep", "0000000000000000001.0000.0000000000000000")
    assert bad.code == 2
    two.ok(two.park, "conflict", "resolve", case_id, "--keep", titles["Hyesan, May 2018"])
    assert two.json(two.park, "conflict", "list") == []
    assert "May 2018" in two.ok(two.park, "record", "show", case_id).out


def test_identity_without_an_action_still_shows_the_fingerprint(two: TwoVaults) -> None:
    plain = two.ok(two.kim, "identity")
    assert "fingerprint:" in plain.out
    card = two.root / "kim.safecase-card"
    refused = two.run(two.kim, "identity", "card", "-o", str(card))
    assert refused.code != 0 and "already exists" in refused.err
