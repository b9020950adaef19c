"""The pure text layer of full-text search: folding, FTS5 match expressions and result snippets.

No I/O and no SQL. The search table stores ``index_text(body)`` in a column tokenized with ``FTS5_TOKENIZER``;
a user's query becomes ``match_expression(query)``; ``make_snippet`` shows a hit in the original text.

Tokens: text is folded (NFKC, casefold, Latin/Greek/Cyrillic diacritics and invisible format characters
removed; Hangul stays in composed syllables). A run of letters, digits and marks outside the CJK scripts is
one token (``P-0042`` -> ``p 0042``). Han, Hangul, kana and bopomofo put no spaces between words, so each run
of them is stored as its overlapping bigrams followed by its last character alone (``단둥에서`` -> ``단둥
둥에 에서 서``). A CJK query of two or more characters is the phrase of its bigrams, found anywhere inside a
run; a single character is the prefix query ``"丹"*``.
"""

import functools
import re
import unicodedata
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import partial
from operator import add
from typing import NamedTuple

# Python does all the tokenizing; FTS5 only has to split on the spaces index_text puts between tokens. The
# ascii tokenizer keeps every non-ASCII character inside a token and our tokens hold no ASCII punctuation.
# CJK search relies on phrase queries, so the table needs detail=full (FTS5's default).
FTS5_TOKENIZER = "ascii"
# Terms beyond this are dropped (they could only narrow the result) to bound the cost of hostile queries.
MAX_QUERY_TERMS = 64
ELLIPSIS = "…"


def _class_of(keep: Callable[[str], bool], spans: str) -> str:
    """The body of a regex character class holding the code points in ``spans`` (hex ranges such as
    "300-36f 1e00-1fff") that ``keep`` accepts."""
    ranges: list[list[int]] = []
    for span in spans.split():
        first, last = span.split("-")
        for cp in range(int(first, 16), int(last, 16) + 1):
            if keep(chr(cp)):
                if ranges and ranges[-1][1] == cp - 1:
                    ranges[-1][1] = cp
                else:
                    ranges.append([cp, cp])
    return "".join(re.escape(chr(a)) + (f"-{re.escape(chr(b))}" if b > a else "") for a, b in ranges)


def _is_jamo(kind: str, ch: str) -> bool:
    """Whether ``ch`` is a Hangul jamo (conjoining, compatibility or half-width) of kind 'L', 'V' or 'T'."""
    decomposed = unicodedata.normalize("NFKD", ch)
    cp = ord(decomposed) if len(decomposed) == 1 else 0
    if 0x1100 <= cp <= 0x115F or 0xA960 <= cp <= 0xA97F:
        return kind == "L"
    if 0x1160 <= cp <= 0x11A7 or 0xD7B0 <= cp <= 0xD7C6:
        return kind == "V"
    return kind == "T" and (0x11A8 <= cp <= 0x11FF or 0xD7CB <= cp <= 0xD7FF)


# Combining marks that decorate Latin, Greek and Cyrillic letters (kana voicing, U+3099/309A, is not here).
_DIACRITICS = "\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f"
# Soft hyphen, ZWNJ/ZWJ, word joiner, BOM, Mongolian and Unicode variation selectors: invisible inside words.
_INVISIBLE = "\u00ad\u180b-\u180f\u200c\u200d\u2060\ufeff\ufe00-\ufe0f\U000e0100-\U000e01ef"
# Precomposed letters carrying those diacritics (all lie in these spans), and the marks and invisibles.
_HAS_DIACRITIC = re.compile("[\u0300-\u036f]").search
_DECORATED = _class_of(lambda ch: _HAS_DIACRITIC(unicodedata.normalize("NFD", ch)) is not None, "c0-58f 1e00-1fff")
_DECORATED_RE = re.compile(f"[{_DECORATED}{_DIACRITICS}{_INVISIBLE}]+")
_DROP_RE = re.compile(f"[{_DIACRITICS}{_INVISIBLE}]+")
# Scripts written without spaces between words: Hangul, kana, bopomofo, Han (and its iteration marks).
_CJK = (
    "\u1100-\u11ff\u3005-\u3007\u3021-\u3029\u3031-\u3035\u3038-\u303c\u3041-\u3096\u3099-\u309f"
    "\u30a1-\u30fa\u30fc-\u30ff\u3105-\u312f\u3131-\u318e\u31a0-\u31bf\u31f0-\u31ff\u3400-\u4dbf"
    "\u4e00-\u9fff\ua960-\ua97f\uac00-\ud7af\ud7b0-\ud7ff\uf900-\ufaff\U0001b000-\U0001b16f"
    "\U00020000-\U000323af"
)
# Characters that fold to themselves one for one (ASCII lowercased) and never compose with what precedes them.
_STABLE = "\x00-\x7f\u3041-\u3096\u30a1-\u30fa\u30fc\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7a3"
_JAMO_SPANS = "1100-11ff 3131-318e 3260-326d a960-a97f d7b0-d7ff ffa0-ffdc"
# Hangul syllables, and circled ones (their NFKC ends in a syllable): a final jamo after them joins them.
_SYLLABLES = "\uac00-\ud7a3\u326e-\u327e"
# Every code point of general category M lies in these spans (checked against the whole range in the tests).
_BMP_MARK_SPANS, _ASTRAL_MARK_SPANS = "300-33ff a000-abff fb00-ffff", "10000-1e94f e0100-e01ef"
_ASCII_GAP_RE = re.compile(r"[^a-z0-9]+")


class _Patterns(NamedTuple):
    units: re.Pattern[str]  # group 1: a run of CJK characters, or group 2: a word
    index_tokens: re.Pattern[str]  # group 1: each token index_text emits, in order
    pieces: re.Pattern[str]  # make_snippet's folding units; group "stable" for runs that fold one for one


@functools.cache
def _patterns() -> _Patterns:
    """The regexes that need Unicode's list of marks, built on first use (it takes ~25 ms)."""
    cjk = re.compile(f"[{_CJK}]")
    is_mark = lambda ch: unicodedata.category(ch)[0] == "M" and not cjk.match(ch)  # noqa: E731
    bmp_marks, astral_marks = _class_of(is_mark, _BMP_MARK_SPANS), _class_of(is_mark, _ASTRAL_MARK_SPANS)
    # sre tests astral ranges one by one after the BMP bitmap: look at them only for astral characters.
    mark = f"(?:[{bmp_marks}]|(?=[\\U00010000-\\U0010ffff])[{astral_marks}])"
    letter = f"[^\\W_{_CJK}]"
    word = f"(?:{letter}|{mark}){letter}*(?:{mark}+{letter}*)*"
    lead, vowel, tail = (_class_of(partial(_is_jamo, kind), _JAMO_SPANS) for kind in "LVT")
    # A piece must not compose with its neighbours under NFKC: a run of stable characters followed by nothing
    # that could attach to them, or a cluster (Hangul syllable block, surrogate pair, flag or any character)
    # with what attaches after it: marks (kana voicing too, though it is no word mark), invisibles, and the
    # four letters whose NFKC starts with a mark (Thai and Lao AM, half-width voicing marks).
    attached = f"(?:{mark}|[{_INVISIBLE}\u3099\u309a\u0e33\u0eb3\uff9e\uff9f])"
    return _Patterns(
        units=re.compile(f"([{_CJK}]+)|({word})"),
        # A CJK character yields the bigram it starts (or itself at the end of its run), a word itself.
        index_tokens=re.compile(f"(?=([{_CJK}][{_CJK}]?|{word}))(?:[{_CJK}]|\\1)"),
        pieces=re.compile(
            f"(?P<stable>[{_STABLE}]+(?!{attached}|[{vowel}{tail}]))"
            f"|(?:[{lead}]*(?:[{_SYLLABLES}]|[{vowel}])[{vowel}]*[{tail}]*|[{lead}]+|[{tail}]+"
            f"|[\ud800-\udbff][\udc00-\udfff]|[\U0001f1e6-\U0001f1ff]{{2}}|.)(?:{attached}|\u200d.)*",
            re.DOTALL,
        ),
    )


_SPACE_RE = re.compile(r"\s+")
_QUERY_RE = re.compile(r'"([^"]*)"?(\*?)|([^\s"]+)')


def _undecorate(match: re.Match[str]) -> str:
    return _DROP_RE.sub("", unicodedata.normalize("NFD", match.group()))


def _fold(text: str) -> str:
    """``text`` without case, width or Latin/Greek/Cyrillic diacritics, in NFKC (Hangul stays composed)."""
    if text.isascii():
        return text.lower()
    return _DECORATED_RE.sub(_undecorate, unicodedata.normalize("NFKC", text).casefold())


def index_text(text: str) -> str:
    """Folded token string to store in an FTS5 column (contentless table)."""
    folded = _fold(text)
    if folded.isascii():
        return _ASCII_GAP_RE.sub(" ", folded).strip()
    return " ".join(_patterns().index_tokens.findall(folded))


class _Unit(NamedTuple):
    text: str  # a folded word, or a whole run of CJK characters
    cjk: bool


class _Term(NamedTuple):
    units: tuple[_Unit, ...]  # one ANDed part of a query: a phrase of units,
    prefix: bool  # the last of which may be a prefix


def _parse(query: str) -> list[_Term]:
    """The terms of a query: each quoted part, and each whitespace-separated word outside quotes."""
    terms: dict[_Term, None] = {}
    for match in _QUERY_RE.finditer(query):
        phrase, star, word = match.groups()
        text = phrase if word is None else word
        units = tuple(_Unit(run or tok, bool(run)) for run, tok in _patterns().units.findall(_fold(text)))
        last = units[-1] if units else None
        if last is None:
            continue
        prefix = bool(star) if word is None else word.endswith("*")
        terms[_Term(units, prefix or (last.cjk and len(last.text) == 1))] = None
        if len(terms) == MAX_QUERY_TERMS:
            break
    return list(terms)


def _phrase_tokens(term: _Term) -> list[str]:
    tokens: list[str] = []
    for i, unit in enumerate(term.units):
        if not unit.cjk:
            tokens.append(unit.text)
            continue
        tokens.extend(map(add, unit.text, unit.text[1:]))
        # A run that ends before the phrase does ends in the document too, where its last character stands
        # alone; the phrase's last run may go on (and a lone character is then a prefix query).
        if i < len(term.units) - 1 or len(unit.text) == 1:
            tokens.append(unit.text[-1])
    return tokens


def match_expression(query: str) -> str | None:
    """An FTS5 MATCH expression for a user's query, or None when the query holds nothing searchable.

    Words are ANDed, a double-quoted part is a phrase, a trailing ``*`` makes a prefix query; everything else
    is literal text. Every part is emitted as an FTS5 string, so no input can produce FTS5 syntax.
    """
    parts = []
    for term in _parse(query):
        body = " ".join(_phrase_tokens(term)).replace('"', '""')
        parts.append(f'"{body}"' + ("*" if term.prefix else ""))
    return " AND ".join(parts) or None


@dataclass(frozen=True)
class Snippet:
    """An excerpt of a document around the matches of a query, for display as plain text."""

    text: str  # an excerpt of the original text (whitespace collapsed), with "…" where cut
    highlights: tuple[tuple[int, int], ...]  # (start, end) offsets into .text of each matched span


def _fold_with_map(flat: str) -> tuple[str, list[int], list[int], bytearray]:
    """The folded text, the span in ``flat`` each folded character came from, and the cluster boundaries."""
    parts: list[str] = []
    starts: list[int] = []
    ends: list[int] = []
    boundary = bytearray(len(flat) + 1)
    boundary[len(flat)] = 1
    for piece in _patterns().pieces.finditer(flat):
        s, e = piece.span()
        if piece.lastgroup == "stable":
            parts.append(piece.group().lower())
            starts.extend(range(s, e))
            ends.extend(range(s + 1, e + 1))
            boundary[s:e] = b"\x01" * (e - s)
        else:
            folded = _fold(piece.group())
            parts.append(folded)
            starts.extend([s] * len(folded))
            ends.extend([e] * len(folded))
            boundary[s] = 1
    return "".join(parts), starts, ends, boundary


def _unit_fits(unit: _Unit, text: str, position: int, length: int, prefix: bool) -> bool:
    """Whether a document token fits a unit of a phrase (as FTS5 would match the unit's tokens)."""
    if unit.cjk and length > 1 and position == 0:
        return text.endswith(unit.text)
    if position == length - 1 and (unit.cjk or prefix):
        return text.startswith(unit.text)
    return text == unit.text


def _find_term(
    term: _Term, folded: str, tokens: list[re.Match[str]], where: dict[str, list[int]]
) -> Iterator[tuple[int, int]]:
    """Spans in the folded text where ``term`` matches, with the semantics its FTS5 phrase has.

    ``tokens`` are the units of the folded text; ``where`` maps each of their texts to its positions there.
    """
    units, k = term.units, len(term.units)
    if k == 1 and units[0].cjk:
        at = folded.find(units[0].text)
        while at >= 0:
            yield at, at + len(units[0].text)
            at = folded.find(units[0].text, at + 1)
        return
    for text, positions in where.items():
        if not _unit_fits(units[0], text, 0, k, term.prefix):
            continue
        for i in positions:
            if i + k <= len(tokens) and all(
                _unit_fits(units[j], tokens[i + j][0], j, k, term.prefix) for j in range(1, k)
            ):
                first, last = tokens[i], tokens[i + k - 1]
                start = first.end() - len(units[0].text) if units[0].cjk and k > 1 else first.start()
                yield start, last.start() + len(units[-1].text) if units[-1].cjk else last.end()


def _matches(flat: str, query: str) -> tuple[list[tuple[int, int, int]], bytearray]:
    """(start, end, term number) of every match in ``flat``, sorted, and its cluster boundaries."""
    folded, starts, ends, boundary = _fold_with_map(flat)
    tokens = list(_patterns().units.finditer(folded))
    where: dict[str, list[int]] = {}
    for i, token in enumerate(tokens):
        where.setdefault(token[0], []).append(i)
    found = {
        (starts[s], ends[e - 1], n)
        for n, term in enumerate(_parse(query))
        for s, e in _find_term(term, folded, tokens, where)
    }
    return sorted(found), boundary


def _best_cluster(matches: list[tuple[int, int, int]], width: int) -> tuple[int, int]:
    """The span of the run of matches that fits in ``width`` with most distinct terms, then most matches."""
    counts: Counter[int] = Counter()
    best, best_key, j = (0, 1), (0, 0), 0
    for i, (start, _, term) in enumerate(matches):
        while j < len(matches) and (j <= i or matches[j][1] - start <= width):
            counts[matches[j][2]] += 1
            j += 1
        if (len(counts), j - i) > best_key:
            best, best_key = (i, j), (len(counts), j - i)
        counts[term] -= 1
        if not counts[term]:
            del counts[term]
    chosen = matches[best[0] : best[1]]
    return chosen[0][0], max(end for _, end, _ in chosen)


def _window(flat: str, boundary: bytearray, a: int, b: int, width: int) -> tuple[int, int]:
    """A span of about ``width`` characters holding [a, b) if it fits, cut at spaces or cluster boundaries."""
    n, reach = len(flat), max(width // 4, 1)
    ws = max(0, min(a - max(width - (b - a), 0) // 2, n - width))
    we = min(n, ws + width)
    if ws > 0 and flat[ws - 1] != " " and (space := flat.find(" ", ws, min(a, ws + reach))) >= 0:
        ws = space + 1
    while not boundary[ws]:
        ws += 1
    if ws < a and flat[ws] == " " and boundary[ws + 1]:
        ws += 1
    if we < n and flat[we] != " " and (space := flat.rfind(" ", max(b, we - reach, ws + 1), we)) >= 0:
        we = space
    while we > ws + 1 and not boundary[we]:
        we -= 1
    while not boundary[we]:  # only when one cluster is wider than the window
        we += 1
    if we - 1 >= max(b, ws + 1) and flat[we - 1] == " " and boundary[we - 1]:
        we -= 1
    return ws, we


def make_snippet(text: str, query: str, width: int = 160) -> Snippet:
    """Excerpt of ``text`` around the best cluster of query matches, matches located with the same folding.

    ``width`` is the excerpt's length in characters, not counting the ellipses; whitespace runs become one
    space. Without any match the excerpt is the start of the text and has no highlights.
    """
    if width < 1:
        raise ValueError("snippet width must be at least 1")
    flat = _SPACE_RE.sub(" ", text).strip()
    matches, boundary = _matches(flat, query)
    a, b = _best_cluster(matches, width) if matches else (0, 0)
    ws, we = _window(flat, boundary, a, b, width) if len(flat) > width else (0, len(flat))
    lead = ELLIPSIS if ws > 0 else ""
    shift = len(lead) - ws
    spans: list[tuple[int, int]] = []
    for s, e, _ in matches:
        s, e = max(s, ws) + shift, min(e, we) + shift
        if s >= e:
            continue
        if spans and s <= spans[-1][1]:
            spans[-1] = (spans[-1][0], max(spans[-1][1], e))
        else:
            spans.append((s, e))
    return Snippet(lead + flat[ws:we] + (ELLIPSIS if we < len(flat) else ""), tuple(spans))
