from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from safecase.domain.partial_date import PartialDate, Precision
from safecase.errors import ValidationError


@pytest.mark.parametrize(
    ("text", "precision", "approximate", "earliest", "latest"),
    [
        ("2019", Precision.YEAR, False, date(2019, 1, 1), date(2019, 12, 31)),
        ("2019-03", Precision.MONTH, False, date(2019, 3, 1), date(2019, 3, 31)),
        ("2019-03-14", Precision.DAY, False, date(2019, 3, 14), date(2019, 3, 14)),
        ("~2019", Precision.YEAR, True, date(2019, 1, 1), date(2019, 12, 31)),
        ("~2020-02", Precision.MONTH, True, date(2020, 2, 1), date(2020, 2, 29)),
        ("2019-02", Precision.MONTH, False, date(2019, 2, 1), date(2019, 2, 28)),
        ("1900", Precision.YEAR, False, date(1900, 1, 1), date(1900, 12, 31)),
        ("2100-12-31", Precision.DAY, False, date(2100, 12, 31), date(2100, 12, 31)),
    ],
)
def test_parse_gives_precision_range_and_round_trips(
    text: str, precision: Precision, approximate: bool, earliest: date, latest: date
) -> None:
    parsed = PartialDate.parse(text)
    assert parsed.precision is precision
    assert parsed.approximate is approximate
    assert (parsed.earliest(), parsed.latest()) == (earliest, latest)
    assert str(parsed) == text


def test_parse_ignores_surrounding_spaces() -> None:
    assert str(PartialDate.parse(" ~2019-03 ")) == "~2019-03"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("2019-02-30", "is not a real date: 2019-02 has 28 days"),
        ("2019-02-29", "is not a real date"),
        ("2019-04-31", "has 30 days"),
        ("2019-13", "month must be between 01 and 12"),
        ("2019-00", "month must be between 01 and 12"),
        ("2019-03-00", "is not a real date"),
        ("1899", "year must be between 1900 and 2100"),
        ("2101-01-01", "year must be between 1900 and 2100"),
        ("2019-3", "must be a year, month or day such as 2019, 2019-03 or 2019-03-14"),
        ("19", "must be a year, month or day"),
        ("14/03/2019", "must be a year, month or day"),
        ("2019-03-14T10:00", "must be a year, month or day"),
        ("~~2019", "must be a year, month or day"),
        ("２０１９", "must be a year, month or day"),
        ("", "must be a year, month or day"),
    ],
)
def test_parse_rejects_impossible_and_malformed_dates(text: str, message: str) -> None:
    with pytest.raises(ValidationError, match=message.replace("(", "\\(")):
        PartialDate.parse(text)


@given(
    st.dates(min_value=date(1900, 1, 1), max_value=date(2100, 12, 31)),
    st.sampled_from([4, 7, 10]),
    st.booleans(),
)
def test_text_form_round_trips_and_range_contains_the_date(day: date, length: int, approximate: bool) -> None:
    text = ("~" if approximate else "") + day.isoformat()[:length]
    parsed = PartialDate.parse(text)
    assert str(parsed) == text
    assert PartialDate.parse(str(parsed)) == parsed
    assert parsed.earliest() <= day <= parsed.latest()
