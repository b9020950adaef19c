"""Over random consent histories for three people in one case: a name reaches the report (content, JSON, CSV)
exactly when the policy allows names and the person's standing consent covers it; otherwise neither the name
nor the alias appears anywhere, also when typed into the case summary."""

from __future__ import annotations

import itertools
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from safecase.domain.kinds import Kind
from safecase.services.records import RecordService
from safecase.services.reports.content import ReportRequest, build_report
from safecase.services.session import VaultSession
from tests.factories import make_body
from tests.reports.case_vault import scopes
from tests.reports.test_content import everything, squash

_counter = itertools.count()
# (none) no consent; (given, share_with_un); withdrawn after giving; given again after a withdrawal
HISTORIES = st.sampled_from(["none", "given", "given_un", "withdrawn", "regiven_un"])


def _unique_names() -> tuple[str, str, str]:
    n = next(_counter)
    hangul = chr(0xAC00 + 7 * n) + chr(0xB098 + n) + chr(0xC0AC + n)  # three syllables, new each time
    latin = "".join("bcdfghjklmnpqrstvwxz"[int(d)] for d in f"{n:04d}")
    return hangul, f"Yun {latin.capitalize()}-ae", f"{latin}-alias"


def _consents(records: RecordService, person: str, history: str) -> None:
    def add(**fields: Any) -> str:
        return records.add(Kind.CONSENT, make_body(Kind.CONSENT, subject_person_id=person, **fields)).id

    if history == "none":
        return
    first = add(scopes=scopes(share_with_un=history.endswith("un") or history == "withdrawn"), given_on="2019-01")
    if history in ("withdrawn", "regiven_un"):
        add(scopes=scopes(), given_on="2020-02-01", withdraws_consent_id=first)
    if history == "regiven_un":
        add(scopes=scopes(share_with_un=True), given_on="2021-03-01")


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.tuples(HISTORIES, HISTORIES, HISTORIES), st.sampled_from(["un-special-procedures", "public", "internal"]))
def test_names_appear_exactly_when_policy_and_consent_allow(
    session: VaultSession, histories: tuple[str, str, str], policy: str
) -> None:
    records = RecordService(session)
    people = [(_unique_names(), history) for history in histories]
    mention = " and ".join(f"{names[1]} ({names[2]})" for names, _ in people)
    case = records.add(Kind.CASE, make_body(Kind.CASE, summary=f"{mention} were caught together.")).id
    for (hangul, romanized, alias), history in people:
        body = make_body(Kind.PERSON, names={"hangul": hangul, "romanized": romanized}, aliases=[alias])
        del body["pseudonym"]
        person = records.add(Kind.PERSON, {**body, "case_ids": [case]}).id
        _consents(records, person, history)
    for lang in ("en", "ko"):
        haystack = squash(everything(build_report(session, ReportRequest((case,), (), policy, lang))))
        for (hangul, romanized, alias), history in people:
            allowed = {
                "un-special-procedures": history in ("given_un", "regiven_un"),
                "public": False,
                "internal": history in ("given", "given_un", "regiven_un"),
            }[policy]
            shown_name = hangul if lang == "ko" else romanized
            assert (squash(shown_name) in haystack) == allowed, (history, policy, lang)
            if not allowed:
                assert squash(alias) not in haystack and squash(romanized) not in haystack
