"""The shipped disclosure policies: lookup, refusal of an unknown name, and narrowing only ever coarser."""

from __future__ import annotations

import pytest

from safecase.domain.disclosure import INTERNAL, POLICIES, PUBLIC, UN_SPECIAL_PROCEDURES, policy
from safecase.domain.partial_date import PartialDate
from safecase.errors import UsageError


def test_the_three_policies_are_found_by_their_command_line_names() -> None:
    assert [p.name for p in POLICIES] == ["un-special-procedures", "public", "internal"]
    assert policy("public") is PUBLIC
    assert policy(" UN-Special-Procedures ") is UN_SPECIAL_PROCEDURES


def test_an_unknown_policy_is_refused_pointing_at_the_list() -> None:
    with pytest.raises(UsageError, match=r"^No policy press: see `safecase report policies`\.$"):
        policy("press")


def test_what_each_policy_shows() -> None:
    assert UN_SPECIAL_PROCEDURES.names_scope == "share_with_un"
    assert PUBLIC.names_scope is None and not PUBLIC.shows_names
    assert INTERNAL.names_scope == "always"
    assert (PUBLIC.date_precision, PUBLIC.place_precision, PUBLIC.show_ages) == ("month", "region", "decade")
    assert UN_SPECIAL_PROCEDURES.submitter_confidential and not INTERNAL.submitter_confidential
    assert PUBLIC.title("ko") == "공개 보고서"


def test_a_policy_is_narrowed_for_one_report_but_never_widened() -> None:
    assert PUBLIC.narrowed(date_precision="year").date_precision == "year"
    assert PUBLIC.narrowed(date_precision="day").date_precision == "month"
    assert INTERNAL.narrowed(place_precision="region").place_precision == "region"
    with pytest.raises(UsageError, match="No date precision week"):
        PUBLIC.narrowed(date_precision="week")


def test_dates_are_cut_to_the_policy_precision() -> None:
    assert str(PUBLIC.truncate(PartialDate.parse("~2019-03-14"))) == "~2019-03"
    assert str(PUBLIC.narrowed("year").truncate(PartialDate.parse("2019-03-14"))) == "2019"
    assert str(UN_SPECIAL_PROCEDURES.truncate(PartialDate.parse("2019-03-14"))) == "2019-03-14"
    assert PUBLIC.hides_detail_of(PartialDate.parse("2019-03-14"))
    assert not PUBLIC.hides_detail_of(PartialDate.parse("2019-03"))
