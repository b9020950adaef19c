"""Effective consent: the latest consent stands, a withdrawal wins over what it names and what came before it,
no consent allows nothing."""

from __future__ import annotations

from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from safecase.domain.disclosure import INTERNAL, PUBLIC, UN_SPECIAL_PROCEDURES
from safecase.services.reports.consent import ConsentState, effective_consent
from safecase.services.reports.people import decide
from safecase.storage.records import RecordState
from tests.reports.case_vault import scopes


def consent(record_id: str, given_on: str, revision: str = "r1", **body: Any) -> RecordState:
    full = {"subject_person_id": "p", "scopes": scopes(), "method": "written", "given_on": given_on, **body}
    return RecordState(record_id, "consent", revision, "t", "t", "d", False, full)


def test_no_consent_allows_nothing() -> None:
    result = effective_consent([])
    assert result.state is ConsentState.MISSING and not result.allows("share_with_un")
    assert result.status_text("ko") == "동의 기록 없음"


def test_the_latest_consent_stands() -> None:
    older = consent("a", "2019-01-01", scopes=scopes(share_with_un=True))
    newer = consent("b", "2020-01-01", scopes=scopes(recontact=True))
    result = effective_consent([newer, older])
    assert result.consent_id == "b" and not result.allows("share_with_un") and result.allows("recontact")
    assert result.status_text() == "may be contacted again"


def test_a_withdrawal_wins_even_when_dated_before_the_consent_it_names() -> None:
    given_consent = consent("a", "2021-05-01", scopes=scopes(share_with_un=True))
    withdrawal = consent("w", "2020-01-01", withdraws_consent_id="a")
    result = effective_consent([given_consent, withdrawal])
    assert result.state is ConsentState.WITHDRAWN and not result.allows("share_with_un")
    assert result.status_text() == "consent withdrawn" and result.status_text("ko") == "동의 철회됨"


def test_a_withdrawal_also_ends_other_consents_given_before_it() -> None:
    first = consent("a", "2019-01-01", scopes=scopes(share_with_un=True))
    second = consent("b", "2019-06-01", scopes=scopes(share_with_un=True))
    withdrawal = consent("w", "2020-01-01", withdraws_consent_id="a")
    assert effective_consent([first, second, withdrawal]).state is ConsentState.WITHDRAWN


def test_a_consent_given_certainly_after_a_withdrawal_stands_again() -> None:
    first = consent("a", "2019-01-01", scopes=scopes(share_with_un=True))
    withdrawal = consent("w", "2020-03", withdraws_consent_id="a")
    vague = consent("b", "2020", scopes=scopes(share_with_un=True))  # maybe before the withdrawal: not counted
    assert effective_consent([first, withdrawal, vague]).state is ConsentState.WITHDRAWN
    later = consent("c", "2020-04-02", scopes=scopes(share_with_un=True))
    result = effective_consent([first, withdrawal, vague, later])
    assert result.state is ConsentState.GIVEN and result.consent_id == "c"


def test_on_the_same_day_the_record_written_later_wins() -> None:
    withdrawal = consent("w", "2020-03-01", "r2", withdraws_consent_id="x")
    renewed = consent("c", "2020-03-01", "r3", scopes=scopes(share_with_un=True))
    assert effective_consent([withdrawal, renewed]).state is ConsentState.GIVEN
    earlier_written = consent("c", "2020-03-01", "r1", scopes=scopes(share_with_un=True))
    assert effective_consent([withdrawal, earlier_written]).state is ConsentState.WITHDRAWN


scope_sets = st.fixed_dictionaries({code: st.booleans() for code in scopes()})
histories = st.lists(
    st.tuples(st.integers(2015, 2024), scope_sets, st.booleans()),  # (year, scopes, is a withdrawal)
    max_size=5,
)


@given(histories)
def test_consent_only_narrows_a_policy(history: list[tuple[int, dict[str, bool], bool]]) -> None:
    records: list[RecordState] = []
    history = sorted(history, key=lambda item: item[0])  # list order is time order
    for number, (year, agreed, withdraws) in enumerate(history):
        given_ids = [r.id for r in records if "withdraws_consent_id" not in r.body]
        if withdraws and given_ids:
            records.append(consent(f"c{number}", str(year), f"r{number}", withdraws_consent_id=given_ids[-1]))
        else:
            records.append(consent(f"c{number}", str(year), f"r{number}", scopes=agreed))
    effective = effective_consent(records)
    assert not decide(PUBLIC, effective).shown
    un = decide(UN_SPECIAL_PROCEDURES, effective)
    assert un.shown == (effective.state is ConsentState.GIVEN and effective.scopes["share_with_un"])
    assert decide(INTERNAL, effective).shown == (effective.state is ConsentState.GIVEN)
    if records and "withdraws_consent_id" in records[-1].body:
        assert effective.state is ConsentState.WITHDRAWN  # the last word was a withdrawal
