"""Free text made safe for a report: names, contact details, exact dates and places typed into it are replaced.

A testimony summary or an event description is written by people, who type names ("Kim Yeong-hui's sister"),
phone numbers and exact days into it. Fields can be left out of a report; free text cannot, so it is scrubbed:

* every name and alias of a person whose name the report may not show becomes that person's pseudonym,
  matched after NFC normalisation with invisible format characters removed, ignoring case, and allowing any
  spacing, hyphens or dots between the parts of a Latin name (also with the family name last) and spaces
  between Hangul or Han characters. A name shared by two people (pseudonyms differ) becomes a neutral marker;
* every contact value in the vault (phone numbers matched on their digits whatever the separators), and
  anything shaped like an e-mail address or a Korean, Chinese or international phone number, becomes a marker;
* names of known locations become the place at the policy's precision; dates written as 2019-03-14,
  2019년 3월 14일, 14 March 2019 or March 14, 2019 are cut to the policy's precision.

This is a safety net, not a proof: a name spelt differently from every recorded spelling, or a place that is no
location record, gets through. Such text is what manual redaction is for; ``docs/REPORTS.md`` says so.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass

_SEPARATORS = "\\s\\-\u2010\u2011\u2012\u2013.,·'’"
_SEPARATOR_RUN = f"[{_SEPARATORS}]*"
_LATIN = "A-Za-z\u00c0-\u024f"
_SPLIT = re.compile(f"[{_SEPARATORS}]+")
_MIN_KEY = 2  # a one-letter alias would turn every word into a marker

CONTACT_MARKERS = {"en": "[contact removed]", "ko": "[연락처 삭제]"}
NAME_MARKERS = {"en": "[name withheld]", "ko": "[이름 비공개]"}


def normalise(text: str) -> str:
    """NFC, without format characters (zero-width spaces and joiners, direction marks) that could split a name."""
    return "".join(c for c in unicodedata.normalize("NFC", text) if unicodedata.category(c) != "Cf")


def name_key(text: str) -> str:
    return _SPLIT.sub("", normalise(text).casefold())


def _digits(text: str) -> str:
    return "".join(c for c in text if c.isdigit())


def _is_latin(char: str) -> bool:
    return re.match(f"[{_LATIN}]", char) is not None


def _name_fragment(parts: list[str]) -> str:
    """A regex for the name made of ``parts``: any separators between parts, and between Hangul or Han characters."""
    pieces = []
    for part in parts:
        if any(not _is_latin(c) and c.isalpha() for c in part):
            pieces.append("\\s*".join(re.escape(c) for c in part))
        else:
            pieces.append(re.escape(part))
    fragment = _SEPARATOR_RUN.join(pieces)
    if _is_latin(parts[0][0]):
        fragment = f"(?<![{_LATIN}])" + fragment
    if _is_latin(parts[-1][-1]):
        fragment += f"(?![{_LATIN}])"
    return fragment


def _name_variants(name: str) -> list[list[str]]:
    parts = [part for part in _SPLIT.split(normalise(name)) if part]
    if not parts:
        return []
    variants = [parts]
    if len(parts) > 1 and all(_is_latin(c) for c in "".join(parts) if c.isalpha()):
        variants.append([*parts[1:], parts[0]])  # "Yeong-hui Kim" as well as "Kim Yeong-hui"
    return variants


@dataclass
class _Replacer:
    pattern: re.Pattern[str] | None
    table: Mapping[str, str]
    key: Callable[[str], str]
    fallback: str

    def __call__(self, text: str) -> str:
        if self.pattern is None:
            return text
        return self.pattern.sub(lambda m: self.table.get(self.key(m.group()), self.fallback), text)


def _compile(fragments: Iterable[tuple[int, str]]) -> re.Pattern[str] | None:
    ordered = [fragment for _, fragment in sorted(set(fragments), key=lambda item: -item[0])]
    return re.compile("|".join(ordered), re.IGNORECASE) if ordered else None


def name_replacer(names: Mapping[str, Iterable[str]], lang: str) -> Callable[[str], str]:
    """Replace each name in ``names`` (replacement -> the names it stands for) by its replacement."""
    table: dict[str, str] = {}
    fragments: list[tuple[int, str]] = []
    ambiguous = NAME_MARKERS["ko" if lang == "ko" else "en"]
    for replacement, spellings in names.items():
        for spelling in spellings:
            for parts in _name_variants(spelling):
                key = name_key("".join(parts))
                if len(key) < _MIN_KEY:
                    continue
                table[key] = replacement if table.get(key, replacement) == replacement else ambiguous
                fragments.append((len(key), _name_fragment(parts)))
    return _Replacer(_compile(fragments), table, name_key, ambiguous)


_GENERIC_CONTACTS = re.compile(
    r"[\w.+\-]+@[\w\-]+(?:\.[\w\-]+)+"  # e-mail
    r"|\+\d[\d\s\-().]{6,}\d"  # international number
    r"|(?<!\d)01[016789][\s\-.]?\d{3,4}[\s\-.]?\d{4}(?!\d)"  # South Korean mobile
    r"|(?<!\d)1[3-9]\d[\s\-.]?\d{4}[\s\-.]?\d{4}(?!\d)"  # Chinese mobile
)


def contact_replacer(values: Iterable[str], lang: str) -> Callable[[str], str]:
    """Replace every contact value in ``values`` and anything shaped like a phone number or e-mail address."""
    marker = CONTACT_MARKERS["ko" if lang == "ko" else "en"]
    fragments: list[tuple[int, str]] = []
    for value in values:
        for line in normalise(value).splitlines() or [value]:
            line = line.strip()
            digits = _digits(line)
            if len(digits) >= 7 and len(digits) * 2 >= len(re.sub(r"\s", "", line)):
                fragments.append((len(digits), "\\+?" + "[\\s\\-.()/]*".join(re.escape(d) for d in digits)))
            elif len(line) >= 4:
                fragments.append((len(line), "\\s*".join(re.escape(part) for part in line.split())))
    known = _compile(fragments)

    def replace(text: str) -> str:
        text = known.sub(marker, text) if known else text
        return _GENERIC_CONTACTS.sub(marker, text)

    return replace


def place_replacer(places: Mapping[str, Iterable[str]]) -> Callable[[str], str]:
    """Replace each known place name by the place at the report's precision (general label -> its names)."""
    return name_replacer(places, "en")


_EN_MONTHS = (
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
)
_MONTH_WORD = "(?P<mname>" + "|".join(f"{m[:3]}(?:{m[3:]})?" for m in _EN_MONTHS) + ")\\.?"
_ORDINAL = "(?:st|nd|rd|th)?"
_DATE_PATTERNS = (
    re.compile(r"(?<!\d)(?P<y>\d{4})[-./](?P<m>\d{1,2})[-./](?P<d>\d{1,2})(?!\d)"),
    re.compile(r"(?P<y>\d{4})\s*년\s*(?P<m>\d{1,2})\s*월\s*(?P<d>\d{1,2})\s*일"),
    re.compile(rf"(?<!\d)(?P<d>\d{{1,2}}){_ORDINAL}\s+(?:of\s+)?{_MONTH_WORD},?\s+(?P<y>\d{{4}})", re.IGNORECASE),
    re.compile(rf"{_MONTH_WORD}\s+(?P<d>\d{{1,2}}){_ORDINAL},?\s+(?P<y>\d{{4}})", re.IGNORECASE),
    re.compile(r"(?<!\d)(?P<m>\d{1,2})\s*월\s*(?P<d>\d{1,2})\s*일"),
    re.compile(rf"(?<!\d)(?P<d>\d{{1,2}}){_ORDINAL}\s+(?:of\s+)?{_MONTH_WORD}(?![A-Za-z])", re.IGNORECASE),
    re.compile(rf"(?<![A-Za-z]){_MONTH_WORD}\s+(?P<d>\d{{1,2}}){_ORDINAL}(?!\d)", re.IGNORECASE),
)
_MONTH_PATTERNS = (
    re.compile(r"(?<!\d)(?P<y>\d{4})[-./](?P<m>\d{1,2})(?![\d])"),
    re.compile(r"(?P<y>\d{4})\s*년\s*(?P<m>\d{1,2})\s*월"),
    re.compile(rf"(?<![A-Za-z]){_MONTH_WORD},?\s+(?P<y>\d{{4}})", re.IGNORECASE),
)


def _month_number(match: re.Match[str]) -> int | None:
    groups = match.groupdict()
    if groups.get("m"):
        return int(groups["m"])
    name = (groups.get("mname") or "").lower()[:3]
    return next((i for i, month in enumerate(_EN_MONTHS, start=1) if month.startswith(name)), None) if name else None


def _cut(match: re.Match[str], keep_month: bool) -> str:
    """The matched date without its day (``keep_month``) or without day and month, written as it was."""
    year = match.groupdict().get("y")
    month = _month_number(match)
    korean = "월" in match.group() or "년" in match.group()
    if not keep_month or month is None:
        if not year:
            return "[…]"
        return f"{year}년" if korean else year
    if korean:
        return f"{year}년 {month}월" if year else f"{month}월"
    if match.groupdict().get("mname"):
        name = _EN_MONTHS[month - 1].capitalize()
        return f"{name} {year}" if year else name
    return f"{year}-{month:02d}"


def date_scrubber(precision: str) -> Callable[[str], str]:
    """Cut dates written in free text to ``precision`` ("day": unchanged, "month", "year")."""
    if precision == "day":
        return lambda text: text
    keep_month = precision == "month"

    def scrub(text: str) -> str:
        for pattern in _DATE_PATTERNS:
            text = pattern.sub(lambda m: _cut(m, keep_month), text)
        if not keep_month:
            for pattern in _MONTH_PATTERNS:
                text = pattern.sub(lambda m: _cut(m, False), text)
        return text

    return scrub


@dataclass(frozen=True)
class TextScrubber:
    """Everything a free text goes through, in order: contacts, names, places, dates."""

    contacts: Callable[[str], str]
    names: Callable[[str], str]
    places: Callable[[str], str]
    dates: Callable[[str], str]

    def __call__(self, text: str) -> str:
        text = normalise(text)
        return self.dates(self.places(self.names(self.contacts(text))))
