"""Dates known only to the year or month, possibly approximate: "2019", "2019-03", "2019-03-14", "~2019-03".

Testimonies rarely give exact days ("the spring after the flood", "around March 2019"), so every date field in
a record is a partial date. The text form is also the stored form and sorts sensibly as a string within one
precision.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from safecase.errors import ValidationError

MIN_YEAR = 1900
MAX_YEAR = 2100

PARTIAL_DATE_PATTERN = r"^~?[0-9]{4}(-[0-9]{2}(-[0-9]{2})?)?$"
_SHAPE = re.compile(r"(~)?([0-9]{4})(?:-([0-9]{2})(?:-([0-9]{2}))?)?", re.ASCII)

DESCRIPTION = "a year, month or day such as 2019, 2019-03 or 2019-03-14 (put ~ in front if approximate)"
SHAPE_MESSAGE = f"must be {DESCRIPTION}"


class Precision(StrEnum):
    YEAR = "year"
    MONTH = "month"
    DAY = "day"


@dataclass(frozen=True)
class PartialDate:
    year: int
    month: int | None = None
    day: int | None = None
    approximate: bool = False

    def __post_init__(self) -> None:
        if not MIN_YEAR <= self.year <= MAX_YEAR:
            raise ValidationError(f"year must be between {MIN_YEAR} and {MAX_YEAR}")
        if self.month is None:
            if self.day is not None:
                raise ValidationError("a day needs a month: write 2019-03-14, not 2019--14")
            return
        if not 1 <= self.month <= 12:
            raise ValidationError("month must be between 01 and 12")
        if self.day is not None and not 1 <= self.day <= self._days_in_month():
            raise ValidationError(
                f"is not a real date: {self.year:04d}-{self.month:02d} has {self._days_in_month()} days"
            )

    @classmethod
    def parse(cls, text: str) -> PartialDate:
        """Parse the text form; surrounding spaces are ignored. Raises ValidationError (without a field)."""
        match = _SHAPE.fullmatch(text.strip())
        if match is None:
            raise ValidationError(SHAPE_MESSAGE)
        tilde, year, month, day = match.groups()
        return cls(
            year=int(year),
            month=int(month) if month else None,
            day=int(day) if day else None,
            approximate=tilde is not None,
        )

    @property
    def precision(self) -> Precision:
        if self.day is not None:
            return Precision.DAY
        return Precision.YEAR if self.month is None else Precision.MONTH

    def earliest(self) -> date:
        """The first day this date could mean (ignoring approximation)."""
        return date(self.year, self.month or 1, self.day or 1)

    def latest(self) -> date:
        """The last day this date could mean (ignoring approximation)."""
        if self.month is None:
            return date(self.year, 12, 31)
        return date(self.year, self.month, self.day or self._days_in_month())

    def __str__(self) -> str:
        text = f"{self.year:04d}"
        if self.month is not None:
            text += f"-{self.month:02d}"
        if self.day is not None:
            text += f"-{self.day:02d}"
        return f"~{text}" if self.approximate else text

    def _days_in_month(self) -> int:
        assert self.month is not None
        return calendar.monthrange(self.year, self.month)[1]
