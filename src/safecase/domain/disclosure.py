"""Disclosure policies: what a report may show of the people, dates and places in a vault.

A policy is the ceiling; a person's consent can only lower it (see ``services.reports.consent``). Three policies
ship: a confidential communication to the UN Special Procedures, a public report and an internal one.

Contact details (phone numbers, messenger ids, addresses) are in no policy, not even the internal one: a report is
a file that leaves the laptop (mailed, printed, copied to a colleague's machine), and a contact is what lets a
security service find the person or the relative still inside North Korea. Whoever needs a contact reads it in
the vault, which stays encrypted.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Final, Literal, cast

from safecase.domain.partial_date import PartialDate, Precision
from safecase.errors import UsageError, shown

DatePrecision = Literal["day", "month", "year"]
PlacePrecision = Literal["exact", "region"]
AgeDisplay = Literal["birth_year", "decade", "none"]

# names_scope values besides a consent scope code: no name ever, or a name whenever consent stands at all.
NAMES_NEVER: Final = None
NAMES_WITH_ANY_CONSENT: Final = "always"

_DATE_ORDER: Final[tuple[str, ...]] = ("year", "month", "day")
_PLACE_ORDER: Final[tuple[str, ...]] = ("region", "exact")


@dataclass(frozen=True)
class DisclosurePolicy:
    """What a report made under this policy shows.

    ``names_scope``: the consent scope that must be true for a person's names and aliases to appear (else their
    pseudonym does); ``None``: never a name; ``"always"``: the name of anyone whose consent stands (recorded and
    not withdrawn), whatever its scopes. ``submitter_confidential``: the submitting organisation is named but not
    the worker who made the report (their name identifies them to the state the report accuses).
    """

    name: str
    title_en: str
    title_ko: str
    description_en: str
    description_ko: str
    names_scope: str | None
    date_precision: DatePrecision
    place_precision: PlacePrecision
    show_ages: AgeDisplay
    submitter_confidential: bool

    def title(self, lang: str = "en") -> str:
        return self.title_ko if lang == "ko" else self.title_en

    def description(self, lang: str = "en") -> str:
        return self.description_ko if lang == "ko" else self.description_en

    @property
    def shows_names(self) -> bool:
        return self.names_scope is not NAMES_NEVER

    def narrowed(self, date_precision: str | None = None, place_precision: str | None = None) -> DisclosurePolicy:
        """This policy with a coarser date or place precision chosen for one report; never a finer one."""
        dates = _coarser(self.date_precision, date_precision, _DATE_ORDER, "date")
        places = _coarser(self.place_precision, place_precision, _PLACE_ORDER, "place")
        return replace(self, date_precision=cast(DatePrecision, dates), place_precision=cast(PlacePrecision, places))

    def truncate(self, date: PartialDate) -> PartialDate:
        """``date`` cut to this policy's date precision (an approximate date stays approximate)."""
        keep = _DATE_ORDER.index(self.date_precision)
        month = date.month if keep >= 1 else None
        day = date.day if keep >= 2 and month is not None else None
        return PartialDate(date.year, month, day, date.approximate)

    def hides_detail_of(self, date: PartialDate) -> bool:
        return _DATE_ORDER.index(date.precision.value) > _DATE_ORDER.index(self.date_precision)


def _coarser(current: str, wanted: str | None, order: tuple[str, ...], what: str) -> str:
    if wanted is None:
        return current
    if wanted not in order:
        raise UsageError(f"No {what} precision {shown(wanted)}: use one of {', '.join(order)}.")
    return order[min(order.index(current), order.index(wanted))]


UN_SPECIAL_PROCEDURES: Final = DisclosurePolicy(
    name="un-special-procedures",
    title_en="UN Special Procedures - confidential communication",
    title_ko="유엔 특별절차 - 비공개 진정",
    description_en=(
        "For a communication to a Special Rapporteur or Working Group. Names and aliases only of people whose "
        "consent allows sharing with the UN, others by pseudonym; exact dates and places; birth years; the "
        "submitting organisation, not the worker. Never contact details."
    ),
    description_ko=(
        "특별보고관·실무그룹에 보내는 진정용. 유엔과 공유에 동의한 사람만 이름과 별칭을, 나머지는 가명 코드를 "
        "씁니다. 날짜와 장소는 정확히, 출생 연도를 표시하고, 제출 단체는 밝히되 작성자는 밝히지 않습니다. "
        "연락처는 절대 싣지 않습니다."
    ),
    names_scope="share_with_un",
    date_precision=Precision.DAY.value,
    place_precision="exact",
    show_ages="birth_year",
    submitter_confidential=True,
)

PUBLIC: Final = DisclosurePolicy(
    name="public",
    title_en="Public report",
    title_ko="공개 보고서",
    description_en=(
        "For publication. No names or aliases, pseudonym codes only; dates to the month (or coarser) and places "
        "to the province or country; birth decades, not years; the organisation, not the worker. Never contact "
        "details."
    ),
    description_ko=(
        "공개용. 이름과 별칭 없이 가명 코드만 씁니다. 날짜는 월 단위(또는 더 넓게), 장소는 도·국가 단위로, "
        "출생은 연대로만 표시하고, 단체는 밝히되 작성자는 밝히지 않습니다. 연락처는 절대 싣지 않습니다."
    ),
    names_scope=NAMES_NEVER,
    date_precision=Precision.MONTH.value,
    place_precision="region",
    show_ages="decade",
    submitter_confidential=True,
)

INTERNAL: Final = DisclosurePolicy(
    name="internal",
    title_en="Internal",
    title_ko="내부용",
    description_en=(
        "For the organisation's own staff. Names of everyone whose consent stands (recorded and not withdrawn); "
        "exact dates and places; birth years; the worker's name. Never contact details: a report is a file that "
        "leaves the vault."
    ),
    description_ko=(
        "단체 내부용. 동의가 유효한(기록되어 있고 철회되지 않은) 사람의 이름을 씁니다. 날짜와 장소는 정확히, "
        "출생 연도와 작성자 이름을 표시합니다. 보고서는 볼트 밖으로 나가는 파일이므로 연락처는 싣지 않습니다."
    ),
    names_scope=NAMES_WITH_ANY_CONSENT,
    date_precision=Precision.DAY.value,
    place_precision="exact",
    show_ages="birth_year",
    submitter_confidential=False,
)

POLICIES: Final[tuple[DisclosurePolicy, ...]] = (UN_SPECIAL_PROCEDURES, PUBLIC, INTERNAL)


def policy(name: str) -> DisclosurePolicy:
    """The shipped policy called ``name`` (its command-line id); UsageError for any other."""
    for candidate in POLICIES:
        if candidate.name == name.strip().lower():
            return candidate
    raise UsageError(f"No policy {shown(name)}: see `safecase report policies`.")
