"""Figure 2: full-text search latency (``SearchService.search``, snippets included, default limit) on a large
vault, encrypted vs the same data in a plain database; plus how fast the corpus loaded.

The query mix is what documenters type: fictional names (Hangul, Chinese characters, romanized), real place
names (Korean 2-syllable such as 단둥, Chinese such as 丹东, Latin), rare words, quoted phrases and two-word
queries. Every query runs once unmeasured (warm-up), then in alternating rounds on both databases. The worst case
is a word found in every record of the corpus.
"""

from __future__ import annotations

import random
import time
from collections.abc import Iterator
from dataclasses import dataclass

from benchmarks.corpus import (
    ENGLISH_SHARE,
    FICTION_WORD,
    TRANSLATED_SHARE,
    TRANSLATION_WORDS,
    WORDS_PER_TESTIMONY,
    CorpusGenerator,
    ZipfSampler,
)
from benchmarks.figures import Context, Figure, Target, alternating, log, median, ms, percentile
from benchmarks.search_corpus import LOAD_STORIES_PER_TRANSACTION, SearchCorpus, search_corpus
from benchmarks.vaults import open_encrypted_session, open_plain_session
from safecase.services.search import DEFAULT_LIMIT, SearchService
from safecase.services.session import VaultSession

NAME = "search_latency"
TARGET_P95 = Target("<=", 30, "ms")
TARGET_WORST = Target("<=", 150, "ms")


@dataclass(frozen=True)
class Query:
    label: str  # what is printed: the category and a number, never the query text
    text: str


def query_mix(corpus: SearchCorpus) -> list[Query]:
    """The benchmark's queries; names come from the first stories of the corpus, so they are in it."""
    generator = CorpusGenerator(corpus.seed)
    names = [story.person["names"] for story in generator.stories(min(corpus.stories, 500))]
    picked = random.Random(corpus.seed).sample(names, 4)
    vocabulary = generator.vocabulary
    english_words = corpus.stories * (
        ENGLISH_SHARE * WORDS_PER_TESTIMONY + (1 - ENGLISH_SHARE) * TRANSLATED_SHARE * TRANSLATION_WORDS
    )
    korean_words = corpus.stories * (1 - ENGLISH_SHARE) * WORDS_PER_TESTIMONY
    texts = {
        "name-hangul": [picked[0]["hangul"], picked[1]["hangul"], picked[2]["hangul"]],
        "name-chinese": [picked[0]["chinese"], picked[3]["chinese"]],
        "name-romanized": [picked[1]["romanized"], f'"{picked[2]["romanized"]}"'],
        "place-korean": ["단둥", "신의주", "회령", "투먼"],
        "place-chinese": ["丹东", "图们", "延吉"],
        "place-latin": ["Dandong", "Hyesan", "Onsong"],
        "rare-english": [_word_with_count(vocabulary.english, english_words, n) for n in (10, 100)],
        "rare-korean": [_word_with_count(vocabulary.korean, korean_words, n) for n in (10, 100)],
        "absent": ["zyxwvut", "없는낱말"],
        "phrase": ['"handed over to the"', '"보위부 구류장"', '"holding centre"', '"강제 북송"'],
        "two-words": ["단둥 체포", "Dandong police"],
    }
    return [
        Query(f"{category}#{number}", text)
        for category, items in texts.items()
        for number, text in enumerate(items, start=1)
    ]


def _word_with_count(sampler: ZipfSampler, total_words: float, occurrences: int) -> str:
    """A word expected about ``occurrences`` times in ``total_words`` running words."""
    return sampler.items[sampler.rank_near(occurrences / total_words) - 1]


class _Side:
    """One database under test, with every latency it measured per query label."""

    def __init__(self, session: VaultSession) -> None:
        self.session = session
        self.search = SearchService(session)
        self.latencies: dict[str, list[float]] = {}
        self.index_latencies: dict[str, list[float]] = {}
        self.hits: dict[str, list[str]] = {}

    def run(self, query: Query, record: bool) -> None:
        started = time.perf_counter()
        results = self.search.search(query.text)
        elapsed = time.perf_counter() - started
        self.hits[query.label] = [result.record.id for result in results]
        if record:
            self.latencies.setdefault(query.label, []).append(elapsed)
            # The FTS5 query alone, to tell index time from record loading and snippets in the analysis.
            started = time.perf_counter()
            self.session.search.query(query.text, DEFAULT_LIMIT)
            self.index_latencies.setdefault(query.label, []).append(time.perf_counter() - started)

    def mix(self, labels: list[str], *, index_only: bool = False) -> list[float]:
        source = self.index_latencies if index_only else self.latencies
        return [value for label in labels for value in source[label]]


def run(ctx: Context) -> Iterator[Figure]:
    corpus = search_corpus(ctx)
    yield _load_figure(corpus)
    queries = query_mix(corpus)
    worst = Query("every-record", FICTION_WORD)
    rounds, worst_rounds = ctx.scale(3, 5), ctx.scale(3, 7)
    with open_encrypted_session(corpus.encrypted_root) as encrypted, open_plain_session(corpus.plain_root) as plain:
        sides = _Side(encrypted), _Side(plain)
        for side in sides:
            for query in [*queries, worst]:
                side.run(query, record=False)
        _check_same_results(sides, [*queries, worst])
        for number, encrypted_first in alternating(rounds):
            for side in sides if encrypted_first else sides[::-1]:
                for query in queries:
                    side.run(query, record=True)
            log(f"{NAME}: round {number + 1}/{rounds}")
        for _, encrypted_first in alternating(worst_rounds):
            for side in sides if encrypted_first else sides[::-1]:
                side.run(worst, record=True)
        yield from _latency_figures(corpus, queries, worst, *sides)


def _check_same_results(sides: tuple[_Side, _Side], queries: list[Query]) -> None:
    encrypted, plain = sides
    for query in queries:
        if encrypted.hits[query.label] != plain.hits[query.label]:
            raise RuntimeError(f"{query.label}: the encrypted and plain databases return different results")


def _load_figure(corpus: SearchCorpus) -> Figure:
    return Figure(
        name="search_corpus_load_rate",
        value=corpus.records / corpus.load_seconds,
        unit="records/s",
        params={
            "stories": corpus.stories,
            "records": corpus.records,
            "records_per_transaction": 2 * LOAD_STORIES_PER_TRANSACTION,
            "path": "RecordService.write_batch into the encrypted vault",
            "load_seconds": round(corpus.load_seconds, 1),
            "generate_seconds": round(corpus.generate_seconds, 1),
            "plain_export_seconds": round(corpus.export_seconds, 1),
            "database_mb": round(corpus.database_bytes / 1e6),
        },
    )


def _latency_figures(
    corpus: SearchCorpus, queries: list[Query], worst: Query, encrypted: _Side, plain: _Side
) -> Iterator[Figure]:
    labels = [query.label for query in queries]
    mix_enc, mix_plain = encrypted.mix(labels), plain.mix(labels)
    slowest = max(labels, key=lambda label: median(encrypted.latencies[label]))
    categories = dict.fromkeys(label.split("#")[0] for label in labels)
    common = {"stories": corpus.stories, "records": corpus.records, "limit": DEFAULT_LIMIT}
    yield Figure(
        "search_latency_p50",
        ms(percentile(mix_enc, 50)),
        "ms",
        ms(percentile(mix_plain, 50)),
        params={**common, "queries": len(queries), "measured_runs": len(mix_enc)},
    )
    yield Figure(
        "search_latency_p95",
        ms(percentile(mix_enc, 95)),
        "ms",
        ms(percentile(mix_plain, 95)),
        TARGET_P95,
        params={
            **common,
            "queries": len(queries),
            "measured_runs": len(mix_enc),
            "max_ms": round(ms(max(mix_enc)), 1),
            "slowest_query": slowest,
            "slowest_query_median_ms": round(ms(median(encrypted.latencies[slowest])), 1),
            "index_query_only_p95_ms": _p95_ms(encrypted.mix(labels, index_only=True)),
            "p95_by_category_ms": {
                category: _p95_ms(encrypted.mix([x for x in labels if x.startswith(f"{category}#")]))
                for category in categories
            },
            "hits_per_query": {label: len(encrypted.hits[label]) for label in labels},
        },
    )
    yield Figure(
        "search_latency_every_record",
        ms(median(encrypted.latencies[worst.label])),
        "ms",
        ms(median(plain.latencies[worst.label])),
        TARGET_WORST,
        params={
            **common,
            "matching_records": corpus.records,
            "runs": len(encrypted.latencies[worst.label]),
            "index_query_only_ms": round(ms(median(encrypted.index_latencies[worst.label])), 1),
        },
    )


def _p95_ms(values: list[float]) -> float:
    return round(ms(percentile(values, 95)), 1)
