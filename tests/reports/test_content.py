"""build_report over a realistic fictional case, under each policy, in Korean and English: no name, alias, contact
detail or exact date or place the policy or a person's consent keeps out appears anywhere in the content, the JSON
annex or the CSV; consented names do appear where allowed."""

from __future__ import annotations

import json
import re
import unicodedata

import pytest

from safecase.errors import IntegrityError, NotFoundError, UsageError
from safecase.services.records import RecordService
from safecase.services.reports.annex import ANNEX_VERSION, CSV_COLUMNS, annex_csv, annex_json
from safecase.services.reports.content import ReportRequest, build_report
from safecase.services.reports.model import ReportContent
from safecase.services.reports.redaction_notes import describe, describe_pseudonymised
from safecase.services.session import VaultSession
from tests.reports.case_vault import (
    CONSENTED,
    EXACT_DATES,
    EXACT_PLACES,
    MESSENGER,
    MISSING,
    PHONE,
    PUBLIC_ONLY,
    CaseVault,
    build_case_vault,
    strings_in,
)

LANGS = ("en", "ko")


def squash(text: str) -> str:
    """Case, spacing, hyphens and dots ignored: "Pak Chol su" and "pak-cholsu" both count as the name."""
    return re.sub(r"[\s\-.,·'’()]", "", unicodedata.normalize("NFC", text).casefold())


def everything(content: ReportContent) -> str:
    annex = json.dumps(annex_json(content), ensure_ascii=False)
    return "|".join([*strings_in(content), annex, annex_csv(content)])  # "|" keeps strings apart when squashed


def leaks(content: ReportContent, forbidden: tuple[str, ...]) -> list[str]:
    haystack = squash(everything(content))
    return [word for word in forbidden if squash(word) in haystack]


@pytest.fixture
def case_vault(session: VaultSession) -> CaseVault:
    return build_case_vault(session)


def report(session: VaultSession, case_vault: CaseVault, policy: str, lang: str) -> ReportContent:
    return build_report(session, ReportRequest((case_vault.case_id,), (), policy, lang))


def never_shown(case_vault: CaseVault) -> tuple[str, ...]:
    return (*case_vault.forbidden_names(), PHONE, "13987654321", MESSENGER, "010-2345-6789")


@pytest.mark.parametrize("lang", LANGS)
def test_un_report_names_only_people_who_allowed_sharing_with_the_un(
    session: VaultSession, case_vault: CaseVault, lang: str
) -> None:
    content = report(session, case_vault, "un-special-procedures", lang)
    assert leaks(content, (*never_shown(case_vault), *PUBLIC_ONLY.values())) == []
    shown = everything(content)
    assert CONSENTED["hangul" if lang == "ko" else "romanized"] in shown
    assert all(date in shown for date in EXACT_DATES[:2])  # the UN gets exact dates
    victims = [entry.label for entry in content.cases[0].victims]
    assert any(label.startswith("P-") for label in victims)


@pytest.mark.parametrize("lang", LANGS)
def test_public_report_has_no_names_no_exact_dates_and_no_exact_places(
    session: VaultSession, case_vault: CaseVault, lang: str
) -> None:
    content = report(session, case_vault, "public", lang)
    korean_dates = ("2019년 3월 14일", "14 March 2019")
    forbidden = (*never_shown(case_vault), *case_vault.consented_names(), *PUBLIC_ONLY.values())
    assert leaks(content, (*forbidden, *EXACT_DATES, *korean_dates, *EXACT_PLACES)) == []
    event = content.cases[0].events[0]
    assert event.date_text == "2019-03"
    assert event.place_text == ("Jilin, 중국" if lang == "ko" else "Jilin, China")
    assert content.pseudonymised == ()  # nobody is named for lack of consent: the policy names no one
    assert all(entry.age_text.endswith(("0s", "0년대생")) for entry in content.cases[0].victims if entry.age_text)


@pytest.mark.parametrize("lang", LANGS)
def test_internal_report_names_people_whose_consent_stands_and_never_a_contact(
    session: VaultSession, case_vault: CaseVault, lang: str
) -> None:
    content = report(session, case_vault, "internal", lang)
    assert leaks(content, never_shown(case_vault)) == []
    shown = everything(content)
    assert PUBLIC_ONLY["hangul" if lang == "ko" else "romanized"] in shown
    assert "Test Worker" in content.submitter


def test_people_without_consent_are_listed_for_the_wizard_by_pseudonym_only(
    session: VaultSession, case_vault: CaseVault
) -> None:
    content = report(session, case_vault, "un-special-procedures", "en")
    listed = "\n".join(describe_pseudonymised(person) for person in content.pseudonymised)
    assert "no consent recorded" in listed and "consent withdrawn on 2023-01-05" in listed
    assert len(content.pseudonymised) == 3  # missing, withdrawn, and a consent without share_with_un
    reasons = {(r.record_id, r.reason) for r in content.redactions}
    assert (case_vault.withdrawn_id, "consent") in reasons and (case_vault.contact_id, "policy") in reasons


def test_the_report_content_follows_a_communication(session: VaultSession, case_vault: CaseVault) -> None:
    content = report(session, case_vault, "un-special-procedures", "en")
    case = content.cases[0]
    assert "Chinese public security (police)" in case.perpetrators
    assert content.statistics.transfers_by_crossing == {"Tumen bridge crossing": 12}
    assert content.statistics.events_by_month == {"2019-03": 1, "2019-04": 1}
    assert content.statistics.people_by_sex["Male"] == 1
    assert "group of 12" in " ".join(entry.label for entry in case.victims)
    attachment = next(s for s in content.sources if s.kind == "attachment")
    assert (attachment.record_id, attachment.sha256, attachment.size) == (case_vault.attachment_id, "5" * 64, 1_048_576)
    assert content.submitter == "Test Org (the individual submitter is kept confidential)"


def test_the_annex_has_a_version_and_no_redaction_list(session: VaultSession, case_vault: CaseVault) -> None:
    content = report(session, case_vault, "public", "en")
    annex = annex_json(content)
    assert (annex["schema"], annex["version"]) == ("safecase-report-annex", ANNEX_VERSION)
    assert "redactions" not in annex and "pseudonymised" not in annex
    assert case_vault.withdrawn_id not in json.dumps(annex)  # person ids stay in the vault
    rows = annex_csv(content).split("\r\n")
    assert rows[0] == ",".join(CSV_COLUMNS) and len([r for r in rows[1:] if r.startswith(case_vault.case_id)]) == 2


def test_a_year_precision_chosen_for_one_report_cuts_every_date(session: VaultSession, case_vault: CaseVault) -> None:
    request = ReportRequest((case_vault.case_id,), (), "public", "ko", date_precision="year")
    content = build_report(session, request)
    assert leaks(content, ("2019-03", "2019년 3월", "March 2019", "2019-08")) == []
    assert content.statistics.events_by_month == {"2019": 2}


def test_bad_requests_are_refused_in_one_line(session: VaultSession, case_vault: CaseVault) -> None:
    with pytest.raises(UsageError, match="No policy press"):
        build_report(session, ReportRequest((case_vault.case_id,), (), "press", "en"))
    with pytest.raises(NotFoundError, match="No case with id"):
        build_report(session, ReportRequest(("0b6f3a52-9c1e-4d7a-8f20-5e4b1c9d7a63",), (), "public", "en"))
    with pytest.raises(NotFoundError, match="is a person, not a case"):
        build_report(session, ReportRequest((case_vault.missing_id,), (), "public", "en"))
    with pytest.raises(UsageError, match="at least one case or event"):
        build_report(session, ReportRequest((), (), "public", "en"))


def test_events_asked_for_alone_get_their_own_section(session: VaultSession, case_vault: CaseVault) -> None:
    content = build_report(session, ReportRequest((), (case_vault.arrest_id,), "public", "en"))
    assert content.cases[0].case_id == "" and len(content.cases[0].events) == 1


def test_a_vault_that_fails_its_checks_gives_no_report(session: VaultSession, case_vault: CaseVault) -> None:
    session.db.execute(
        "UPDATE records SET body = json_set(body, '$.summary', 'altered') WHERE id = ?", (case_vault.case_id,)
    )
    with pytest.raises(IntegrityError, match=r"fails the check of record versions"):
        report(session, case_vault, "public", "en")


def test_action_already_taken_comes_from_the_case_and_is_scrubbed(session: VaultSession, case_vault: CaseVault) -> None:
    records = RecordService(session)
    case = records.show(case_vault.case_id)
    taken = f"The family asked the Yanji police twice; {MISSING['romanized']} wrote to the ministry."
    records.edit(case.id, {**case.body, "actions_taken": taken})
    content = report(session, case_vault, "un-special-procedures", "en")
    section = next(s for s in content.cases if s.case_id == case.id)
    assert "asked the Yanji police twice" in section.actions_taken
    assert MISSING["romanized"] not in section.actions_taken


def test_every_left_out_item_is_described_without_the_data_it_left_out(
    session: VaultSession, case_vault: CaseVault
) -> None:
    for policy_name in ("un-special-procedures", "public"):
        content = report(session, case_vault, policy_name, "en")
        lines = [describe(redaction) for redaction in content.redactions]
        assert lines and all(line.strip() for line in lines)
        haystack = squash("\n".join(lines))
        assert [word for word in never_shown(case_vault) if squash(word) in haystack] == []
    public = report(session, case_vault, "public", "en")
    described = [describe(redaction) for redaction in public.redactions]
    assert "exact date of an event (shown to the month)" in described
