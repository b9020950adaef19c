"""Review findings turned into tests: clocks dragged ahead, two processes on one vault, case scope, replays."""

from __future__ import annotations

import pytest

from safecase.domain.clock import iso_from_ms
from safecase.domain.kinds import Kind
from safecase.errors import IntegrityError
from safecase.services.exchange.merge import MAX_CLOCK_AHEAD_MS
from safecase.services.exchange.record_lines import version_line
from safecase.services.exchange.scope import ScopeRequest
from safecase.services.records import RecordService
from safecase.services.vault import VaultService
from safecase.storage.records import RecordVersion
from tests.conftest import PASSPHRASE
from tests.exchange.conftest import Team
from tests.exchange.test_bundle_bad_input import craft_bundle
from tests.factories import make_body


def test_a_bundle_dated_far_ahead_of_this_laptop_is_refused_and_local_edits_keep_working(team: Team) -> None:
    kim, park = team.kim, team.park
    team.clock.advance(MAX_CLOCK_AHEAD_MS + 60_000)  # kim's laptop (the shared clock) runs more than a day ahead
    kim.records.add(Kind.CASE, make_body(Kind.CASE))
    path = team.bundle_path("ahead")
    kim.send([park], path)
    team.clock.advance(-(MAX_CLOCK_AHEAD_MS + 60_000))  # back to park's time
    with pytest.raises(IntegrityError, match="more than a day ahead"):
        park.receive(path)
    park.records.add(Kind.CASE, make_body(Kind.CASE))  # park's clock was not dragged along


def test_an_edit_in_a_process_opened_before_an_import_still_sorts_after_what_was_imported(
    team: Team, vaults: VaultService
) -> None:
    kim, park = team.kim, team.park
    case = park.records.add(Kind.CASE, make_body(Kind.CASE))
    with vaults.unlock(park.folder, PASSPHRASE) as app_session:  # the desktop app, open all along
        first = team.bundle_path("first")
        park.send([kim], first)
        kim.receive(first)
        team.clock.advance(3_600_000)  # kim's edit is an hour later than park's clock will say
        kim.records.edit(case.id, {**case.body, "title": "Edited by Kim"})
        team.clock.advance(-3_600_000)
        second = team.bundle_path("second")
        kim.send([park], second)
        park.receive(second)  # the terminal imports while the app is open
        app_records = RecordService(app_session)
        edited = app_records.edit(case.id, {**case.body, "title": "Edited in the app afterwards"})
        assert edited.body["title"] == "Edited in the app afterwards"  # it is current, not hidden
    third = team.bundle_path("third")
    park.send([team.lee], third)
    assert team.lee.receive(third).new_records == 1


def test_a_case_bundle_does_not_carry_another_case_that_shares_a_person(team: Team) -> None:
    kim = team.kim
    case_a = kim.records.add(Kind.CASE, make_body(Kind.CASE, title="Case A"))
    case_b = kim.records.add(Kind.CASE, make_body(Kind.CASE, title="Case B"))
    shared = kim.records.add(Kind.PERSON, make_body(Kind.PERSON, case_ids=[case_a.id, case_b.id]))
    only_b = kim.records.add(Kind.PERSON, make_body(Kind.PERSON, pseudonym="P-BBBBBB", case_ids=[case_b.id]))
    testimony_b = kim.records.add(
        Kind.TESTIMONY, make_body(Kind.TESTIMONY, interviewee_id=shared.id, case_ids=[case_b.id])
    )
    consent = kim.records.add(
        Kind.CONSENT, make_body(Kind.CONSENT, subject_person_id=shared.id, testimony_id=testimony_b.id)
    )
    plan = kim.exporter().plan([kim.contacts.resolve("park")], ScopeRequest(case_ids=(case_a.id,)))
    carried = {record.id for record in plan.records}
    assert {case_a.id, shared.id, consent.id} <= carried
    assert not carried & {case_b.id, only_b.id, testimony_b.id}


def test_a_different_bundle_reusing_an_imported_bundle_id_is_refused_not_called_a_replay(team: Team) -> None:
    kim, park = team.kim, team.park
    first = craft_bundle(team.bundle_path("first"), kim.session.identity, [park.session.identity])
    park.receive(first)
    bundle_id = park.session.db.query_one("SELECT bundle_id FROM bundles_received")[0]
    again = craft_bundle(team.bundle_path("again"), kim.session.identity, [park.session.identity])
    assert park.receive(again).replay is False  # a new id: imported
    other = craft_bundle(
        team.bundle_path("other"), kim.session.identity, [park.session.identity], bundle_id=bundle_id, sequence=999
    )
    with pytest.raises(IntegrityError, match="reuses the id of a different bundle"):
        park.receive(other)
    assert park.receive(first).replay is True


def test_the_vault_still_unlocks_while_another_process_holds_the_write_lock(team: Team, vaults: VaultService) -> None:
    park = team.park
    with park.session.db.transaction():  # e.g. a long bundle import in a terminal
        park.session.db.execute("INSERT INTO vault_meta (key, value) VALUES ('held', 'x')")
        with vaults.unlock(park.folder, PASSPHRASE) as second:  # the app: its blob sweep waits, then gives way
            assert second.db.is_open


def test_a_version_claiming_to_be_written_on_this_laptop_is_refused(team: Team) -> None:
    kim, park = team.kim, team.park
    case = make_body(Kind.CASE)
    revision = f"{team.clock.now_ms():019d}.0000.{park.session.device_id}"
    line = version_line(
        RecordVersion(
            "0b6f1c2e-0000-4000-8000-0000000000bb", "case", revision, False, case, park.session.device_id,
            iso_from_ms(team.clock.now_ms()),
        )
    )  # fmt: skip
    forged = craft_bundle(
        team.bundle_path("forged"), kim.session.identity, [park.session.identity], [("records/000001.jsonl", line)]
    )
    with pytest.raises(IntegrityError, match="claims to be written on this laptop"):
        park.receive(forged)


def test_an_age_only_contact_who_later_sends_a_card_becomes_one_unverified_contact(team: Team) -> None:
    park, lee = team.park, team.lee
    lee_contact = park.contacts.resolve("lee")
    park.contacts.remove(lee_contact.id)
    park.session.db.execute("DELETE FROM team_contacts WHERE id = ?", (lee_contact.id,))
    recipient = lee.session.identity.public().age_recipient
    age_only = park.contacts.add_age_recipient(recipient, "Lee (age only)").contact
    added = park.contacts.add_card(lee.contacts.own_card())
    assert (added.outcome, added.contact.id, added.contact.status) == ("updated", age_only.id, "unverified")
    assert added.contact.fingerprint == lee.session.identity.public().fingerprint()
