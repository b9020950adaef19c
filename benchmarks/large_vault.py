"""Writes into the large search corpus (``search_corpus``), encrypted vs plain: the record path of
``vault_write`` once the database is far bigger than SQLite's page cache, and adding one person whose pseudonym
the service assigns (``RecordService.add``), the way the GUI adds people.
"""

from __future__ import annotations

import time
from collections.abc import Iterator

from benchmarks.corpus import CorpusGenerator
from benchmarks.figures import Context, Figure, Target, alternating, log, median, ms
from benchmarks.search_corpus import search_corpus
from benchmarks.vault_write import STORIES_PER_BATCH, write_stories
from benchmarks.vaults import open_encrypted_session, open_plain_session
from safecase.domain.kinds import Kind
from safecase.services.records import RecordService
from safecase.services.session import VaultSession
from safecase.storage.database import CACHE_SIZE_KIB

NAME = "large_vault"
TARGET_RATIO = Target(">=", 0.75, on="ratio")
SEED_OFFSET = 50  # new people and testimonies, not in the corpus yet


def run(ctx: Context) -> Iterator[Figure]:
    corpus = search_corpus(ctx)
    with open_encrypted_session(corpus.encrypted_root) as encrypted, open_plain_session(corpus.plain_root) as plain:
        sessions = {"encrypted": encrypted, "plain": plain}
        yield _write_figure(ctx, sessions, corpus.records, corpus.database_bytes)
        yield _person_add_figure(ctx, sessions)


def _write_figure(ctx: Context, sessions: dict[str, VaultSession], records: int, database_bytes: int) -> Figure:
    rounds, batches = ctx.scale(3, 7), ctx.scale(2, 5)
    generators = {label: CorpusGenerator(ctx.seed + SEED_OFFSET) for label in sessions}
    services = {label: RecordService(session) for label, session in sessions.items()}
    rates: dict[str, list[float]] = {label: [] for label in sessions}
    for number, encrypted_first in alternating(rounds + 1):
        for label in ("encrypted", "plain") if encrypted_first else ("plain", "encrypted"):
            prepared = [list(generators[label].stories(STORIES_PER_BATCH)) for _ in range(batches)]
            started = time.perf_counter()
            for stories in prepared:
                write_stories(services[label], stories)
            if number:  # round 0 warms up
                rates[label].append(batches * STORIES_PER_BATCH * 2 / (time.perf_counter() - started))
        if number:
            log(
                f"{NAME}: round {number}/{rounds}: encrypted {rates['encrypted'][-1]:.0f} rec/s, "
                f"plain {rates['plain'][-1]:.0f} rec/s"
            )
    return Figure(
        "record_write_throughput_large_vault",
        median(rates["encrypted"]),
        "records/s",
        median(rates["plain"]),
        TARGET_RATIO,
        params={
            "records_in_vault": records,
            "database_mb": round(database_bytes / 1e6),
            "page_cache_mb": round(CACHE_SIZE_KIB * 1024 / 1e6),
            "records_per_transaction": STORIES_PER_BATCH * 2,
            "transactions_per_round": batches,
            "rounds": rounds,
        },
    )


def _person_add_figure(ctx: Context, sessions: dict[str, VaultSession]) -> Figure:
    adds = ctx.scale(3, 5)
    bodies = [story.person for story in CorpusGenerator(ctx.seed + SEED_OFFSET + 1, pseudonyms=False).stories(adds + 1)]
    services = {label: RecordService(session) for label, session in sessions.items()}
    timings: dict[str, list[float]] = {label: [] for label in sessions}
    first: dict[str, float] = {}
    for number, encrypted_first in alternating(adds + 1):
        for label in ("encrypted", "plain") if encrypted_first else ("plain", "encrypted"):
            started = time.perf_counter()
            services[label].add(Kind.PERSON, dict(bodies[number]))
            elapsed = time.perf_counter() - started
            if number:
                timings[label].append(elapsed)
            else:  # the first add reads the people from disk: what a user meets after unlocking
                first[label] = elapsed
    return Figure(
        "record_add_person_large_vault",
        ms(median(timings["encrypted"])),
        "ms",
        ms(median(timings["plain"])),
        params={
            "persons_in_vault": services["encrypted"].count(Kind.PERSON),
            "adds": adds,
            "pseudonym": "assigned by the service",
            "first_add_ms": round(ms(first["encrypted"]), 1),
            "first_add_plain_ms": round(ms(first["plain"]), 1),
        },
    )
