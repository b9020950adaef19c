"""Tests for the text layer of full-text search, checked against a real contentless FTS5 table.

All people in the test data are fictional; the place names are real.
"""

import re
import sqlite3
import unicodedata
from collections.abc import Iterable

import pytest
import sqlcipher3
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from safecase.storage import search_text
from safecase.storage.search_text import (
    ELLIPSIS,
    FTS5_TOKENIZER,
    MAX_QUERY_TERMS,
    Snippet,
    index_text,
    make_snippet,
    match_expression,
)

PROPERTY = settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])


class FtsTable:
    """An in-memory FTS5 table built the way the vault's search index is."""

    def __init__(self, docs: Iterable[str] = ()) -> None:
        self.db = sqlcipher3.connect(":memory:")
        self.db.execute(
            f"CREATE VIRTUAL TABLE t USING fts5(body, tokenize='{FTS5_TOKENIZER}', content='', contentless_delete=1)"
        )
        for rowid, doc in enumerate(docs, start=1):
            self.db.execute("INSERT INTO t(rowid, body) VALUES (?, ?)", (rowid, index_text(doc)))

    def search(self, query: str) -> set[int]:
        expression = match_expression(query)
        if expression is None:
            return set()
        return {row[0] for row in self.db.execute("SELECT rowid FROM t WHERE t MATCH ?", (expression,))}


def nfd(text: str) -> str:
    return unicodedata.normalize("NFD", text)


DOCS = [
    "김하나(가명)는 2019년 단둥에서 체포되었다고 말했다.",  # 1
    "He crossed the river near 丹东市 in the winter.",  # 2
    "Detained in Sinŭiju, later moved to Hoeryŏng.",  # 3
    "An interview with Anna Müller about Onsong.",  # 4
    "Pseudonym P-0042 was interviewed in Tumen in 2021.",  # 5
    nfd("회령에서 온 박은솔(가명): Hoeryŏng, 2018"),  # 6
    "Dandong (단둥) is across the river from Sinuiju.",  # 7
    "延吉と図們で働いたがカード会社は知らない",  # 8
]


@pytest.fixture(scope="module")
def table() -> FtsTable:
    return FtsTable(DOCS)


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("단둥", {1, 7}),
        ("단둥에서", {1}),
        ("둥", {1, 7}),  # one syllable in the middle of a word
        ("체", {1}),
        ("丹东", {2}),
        ("丹东市", {2}),
        ("丹", {2}),
        ("东", {2}),
        ("市", {2}),
        ("sinuiju", {3, 7}),
        ("SINUIJU", {3, 7}),
        ("Sinŭiju", {3, 7}),
        (nfd("Sinŭiju"), {3, 7}),
        ("HOERYONG", {3, 6}),
        ("회령", {6}),  # NFC query, NFD document
        (nfd("회령에서"), {6}),
        ("muller", {4}),
        ("Müller", {4}),
        ("P-0042", {5}),
        ("0042", {5}),
        ("p0042", set()),
        ("2019", {1}),
        ("2019년", {1}),
        ("hoery*", {3, 6}),
        ("hoery", set()),
        ("Dandong 단둥", {7}),
        ("dandong sinuiju", {7}),
        ("dandong hoeryong", set()),
        ('"later moved"', {3}),
        ('"moved later"', set()),
        ('"단둥에서 체포되었다고"', {1}),
        ('"둥에서 체포"', {1}),  # a phrase may start inside a word and end inside one
        ('"단둥 체포"', set()),  # but 단둥 is not the end of the word 단둥에서
        ('"river near 丹东"', {2}),
        ('"Hoeryŏng 2018"', {6}),
        ('"in the"*', {2}),
        ("カード", {8}),
        ("が", {8}),
        ("図們", {8}),
        ("the OR hoeryong", set()),  # OR is a literal word here
        ("(가명)", {1, 6}),
    ],
)
def test_query_finds_expected_documents(table: FtsTable, query: str, expected: set[int]) -> None:
    assert table.search(query) == expected


def test_index_text_tokens() -> None:
    assert index_text("단둥에서") == "단둥 둥에 에서 서"
    assert index_text("丹东市, P-0042!") == "丹东 东市 市 p 0042"
    assert index_text("2019년 Sinŭiju") == "2019 년 sinuiju"
    assert index_text("HOERYŎNG") == index_text(nfd("Hoeryŏng")) == "hoeryong"
    assert index_text("Straße ＡＢＣ ｶﾞ") == "strasse abc ガ"  # casefold, full and half width
    assert index_text("") == ""


@PROPERTY
@given(st.text())
def test_normalization_form_does_not_change_tokens(text: str) -> None:
    tokens = index_text(text)
    for form in ("NFC", "NFD", "NFKC", "NFKD"):
        assert index_text(unicodedata.normalize(form, text)) == tokens


def test_hangul_tokens_are_composed_syllables() -> None:
    tokens = index_text(nfd("단둥에서 탈북"))
    assert unicodedata.is_normalized("NFC", tokens)
    assert all(0xAC00 <= ord(ch) <= 0xD7A3 for ch in tokens.replace(" ", ""))


@pytest.mark.parametrize("query", ["", "   ", "***", '""', '" "', "-", "…", "()", "*:^"])
def test_query_without_searchable_text_gives_none(query: str) -> None:
    assert match_expression(query) is None


def test_match_expression_quotes_every_term() -> None:
    assert match_expression("丹") == '"丹"*'
    assert match_expression("丹东市") == '"丹东 东市"'
    assert match_expression('hoery* "Kim Ha-na" NEAR(a)') == '"hoery"* AND "kim ha na" AND "near a"'


HOSTILE = [
    '"',
    '"unbalanced phrase',
    "a AND",
    "OR",
    "NOT x",
    "NEAR(a b, 3)",
    "body:x",
    "{body}: x",
    "^start",
    "-minus",
    "a + b",
    "*",
    "x*y*",
    "'single'",
    '"a""b"',
    "\x00",
    "a\x00b",
    "丹*东",
    "단둥\u200d에서",
    "\U000e0101\u0301",
    " ".join(f"w{i}" for i in range(1000)),
    "丹东" * 5000,
]

SYNTAX = st.sampled_from(['"', "(", ")", "*", ":", "^", "-", "+", "{", "}", " ", "AND", "OR", "NOT", "NEAR"])
HOSTILE_QUERIES = st.one_of(
    st.text(),
    st.lists(st.one_of(SYNTAX, st.text(max_size=3)), max_size=20).map("".join),
)


@pytest.mark.parametrize("query", HOSTILE)
def test_hostile_queries_are_accepted_by_fts5(table: FtsTable, query: str) -> None:
    table.search(query)  # raises if FTS5 rejects the expression


@PROPERTY
@given(HOSTILE_QUERIES)
def test_any_query_gives_none_or_an_expression_fts5_accepts(query: str) -> None:
    expression = match_expression(query)
    if expression is not None:
        FtsTable(DOCS).db.execute("SELECT rowid FROM t WHERE t MATCH ?", (expression,)).fetchall()


def test_very_long_queries_keep_a_bounded_number_of_terms() -> None:
    expression = match_expression(" ".join(f"w{i}" for i in range(1000)))
    assert expression is not None
    assert expression.count(" AND ") == MAX_QUERY_TERMS - 1


# Documents for property tests: CJK words (runs) and Latin words between separators that are never empty.
CJK_CHARS = "단둥에서신의주회령온성탈북했다丹东市延吉图们がガカキャュッー々〇豈𠀀ㅋ"
LATIN_CHARS = "abcdeghijklmnopqrstuvwxyzABHKSZ0123456789éèüöŭŏŠßøłİ"  # not ı: "ı".upper() is "I"
CJK_WORD = st.text(alphabet=CJK_CHARS, min_size=1, max_size=8)
LATIN_WORD = st.text(alphabet=LATIN_CHARS, min_size=1, max_size=10)
SEPARATOR = st.sampled_from([" ", "  ", "\n", ", ", "-", "(", ") ", "。", "·", " 😀 ", "🇰🇷", "\u200b"])
FORM = st.sampled_from(["NFC", "NFD", "NFKC", "NFKD"])


@st.composite
def documents(draw: st.DrawFn) -> list[str]:
    """A document as a list alternating words and separators (words at even positions)."""
    words = draw(st.lists(st.one_of(CJK_WORD, LATIN_WORD), min_size=1, max_size=12))
    parts: list[str] = []
    for word in words:
        parts += [word, draw(SEPARATOR)]
    return parts


@PROPERTY
@given(documents(), st.data(), FORM, FORM)
def test_document_matches_any_cjk_substring_of_it(
    parts: list[str], data: st.DataObject, doc_form: str, query_form: str
) -> None:
    runs = [w for w in parts[::2] if w[0] in CJK_CHARS]
    assume(runs)
    run = data.draw(st.sampled_from(runs))
    start = data.draw(st.integers(0, len(run) - 1))
    end = data.draw(st.integers(start + 1, len(run)))
    query = unicodedata.normalize(query_form, run[start:end])
    doc = unicodedata.normalize(doc_form, "".join(parts))
    assert FtsTable([doc]).search(query) == {1}
    assert make_snippet(doc, query, width=20).highlights


@PROPERTY
@given(documents(), st.data(), FORM, FORM, st.booleans())
def test_document_matches_any_latin_word_of_it(
    parts: list[str], data: st.DataObject, doc_form: str, query_form: str, upper: bool
) -> None:
    words = [w for w in parts[::2] if w[0] in LATIN_CHARS]
    assume(words)
    word = data.draw(st.sampled_from(words))
    query = unicodedata.normalize(query_form, word.upper() if upper else word)
    doc = unicodedata.normalize(doc_form, "".join(parts))
    assert FtsTable([doc]).search(query) == {1}
    assert make_snippet(doc, query, width=20).highlights


@PROPERTY
@given(documents(), st.data(), FORM, st.integers(1, 200))
def test_snippet_highlights_exactly_when_fts5_matches_one_phrase(
    parts: list[str], data: st.DataObject, form: str, width: int
) -> None:
    doc = unicodedata.normalize(form, "".join(parts))
    start = data.draw(st.integers(0, len(doc) - 1))
    query = '"' + doc[start : data.draw(st.integers(start + 1, len(doc)))].replace('"', "") + '"'
    snippet = make_snippet(doc, query, width=width)
    assert bool(snippet.highlights) == (FtsTable([doc]).search(query) == {1})
    check_snippet_shape(doc, snippet)


def check_snippet_shape(doc: str, snippet: Snippet) -> None:
    """The excerpt is a piece of the text cut at cluster boundaries, with ordered highlights inside it."""
    flat = " ".join(doc.split())
    core = snippet.text.removeprefix(ELLIPSIS).removesuffix(ELLIPSIS)
    assert core in flat
    assert flat.startswith(core) or snippet.text.startswith(ELLIPSIS)
    assert flat.endswith(core) or snippet.text.endswith(ELLIPSIS)
    if core:  # never cut between a character and its marks
        assert not snippet.text.startswith(ELLIPSIS) or unicodedata.category(core[0])[0] != "M"
        ends = [m.end() for m in re.finditer(re.escape(core), flat)]
        assert any(end == len(flat) or unicodedata.category(flat[end])[0] != "M" for end in ends)
    previous_end = 0
    for start, end in snippet.highlights:
        assert previous_end <= start < end <= len(snippet.text)
        previous_end = end


def test_snippet_highlights_land_on_original_characters() -> None:
    text = nfd("Kim Ha-na (가명) crossed at 단둥에서 in 2019 and reached SINŬIJU.")
    snippet = make_snippet(text, "sinuiju 단둥 2019", width=200)
    assert snippet.text == " ".join(text.split())
    assert [snippet.text[s:e] for s, e in snippet.highlights] == [nfd("단둥"), "2019", nfd("SINŬIJU")]


def test_snippet_highlights_prefix_and_phrase_matches() -> None:
    snippet = make_snippet("Pseudonym P-0042 was held in Hoeryŏng.", '"p 0042" hoery*')
    assert [snippet.text[s:e] for s, e in snippet.highlights] == ["P-0042", "Hoeryŏng"]


def test_snippet_prefers_the_window_with_most_distinct_terms() -> None:
    text = "Dandong. " * 40 + "Later she left Dandong for Sinuiju with a friend. " + "Filler words. " * 40
    snippet = make_snippet(text, "dandong sinuiju", width=60)
    assert "Sinuiju" in snippet.text and "Dandong" in snippet.text
    assert snippet.text.startswith(ELLIPSIS) and snippet.text.endswith(ELLIPSIS)
    words = snippet.text.strip(ELLIPSIS).split(" ")
    assert all(word in text.split(" ") for word in words)  # cut at word boundaries


def test_snippet_without_match_is_the_start_of_the_text() -> None:
    text = "First line.\n\n   Second   line with   many words " + "and more words " * 30
    snippet = make_snippet(text, "absent", width=40)
    assert snippet.highlights == ()
    assert snippet.text.startswith("First line. Second line")
    assert snippet.text.endswith(ELLIPSIS) and len(snippet.text) <= 41


def test_snippet_of_short_text_is_the_whole_text() -> None:
    assert make_snippet("  丹东市  ", "丹") == Snippet("丹东市", ((0, 1),))


def test_snippet_width_must_be_positive() -> None:
    with pytest.raises(ValueError, match="width"):
        make_snippet("text", "text", width=0)


def test_plain_sqlite_fts5_accepts_the_tokenizer() -> None:
    db = sqlite3.connect(":memory:")
    db.execute(f"CREATE VIRTUAL TABLE t USING fts5(body, tokenize='{FTS5_TOKENIZER}', content='')")
    db.execute("INSERT INTO t(rowid, body) VALUES (1, ?)", (index_text("단둥에서 Sinŭiju"),))
    assert db.execute("SELECT rowid FROM t WHERE t MATCH ?", (match_expression("둥 sinuiju"),)).fetchall() == [(1,)]


def test_mark_spans_cover_every_combining_mark() -> None:
    spans = [
        (int(first, 16), int(last, 16))
        for span in f"{search_text._BMP_MARK_SPANS} {search_text._ASTRAL_MARK_SPANS}".split()
        for first, last in [span.split("-")]
    ]
    for cp in range(0x110000):
        if unicodedata.category(chr(cp))[0] == "M":
            assert any(first <= cp <= last for first, last in spans), hex(cp)


def reference_fold(text: str) -> str:
    """The folding the issue asks for, written plainly: NFKD, casefold, strip diacritics, recompose."""
    decomposed = unicodedata.normalize("NFKD", text).casefold()
    invisible = "\u00ad\u180b-\u180f\u200c\u200d\u2060\ufeff\ufe00-\ufe0f\U000e0100-\U000e01ef"
    stripped = re.sub(f"[\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f{invisible}]", "", decomposed)
    return unicodedata.normalize("NFC", stripped)


def test_folding_matches_the_reference_for_every_character() -> None:
    for cp in range(0x30000):
        if not 0xD800 <= cp < 0xE000:
            for text in (chr(cp), f"a{chr(cp)}\u0301b"):
                assert index_text(text) == index_text(reference_fold(text)), hex(cp)


@PROPERTY
@given(st.text())
def test_folding_matches_the_reference(text: str) -> None:
    assert index_text(text) == index_text(reference_fold(text))


def test_greek_and_cyrillic_lose_their_accents() -> None:
    assert index_text("Ἀθῆναι Ёлка") == index_text("αθηναι елка") == "αθηναι елка"
