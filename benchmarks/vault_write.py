"""Figure 1: write throughput of the full record path, encrypted vault vs the same code on a plain database.

Each transaction is one ``RecordService.write_batch`` of 100 records: 50 fictional people and their 50
~300-word testimonies (each testimony refers to its person), prepared with ``prepare_new`` (validation) and
written with history, links, the audit chain and the search index. Both sides get identical records (same seed)
and run in alternating rounds; the figure is the median rate over rounds.

People carry a pseudonym, as an import would: left out, the service looks for a free one with a query whose
cost grows with the number of people in the vault (see ``large_vault``'s person-add figure), which would
blur the cost of encryption here.
"""

from __future__ import annotations

import time
from collections.abc import Iterator

from benchmarks.corpus import WORDS_PER_TESTIMONY, CorpusGenerator, Story
from benchmarks.figures import Context, Figure, Target, alternating, log, median
from benchmarks.vaults import create_encrypted_vault, create_plain_vault, open_encrypted_session, open_plain_session
from safecase.domain.kinds import Kind
from safecase.services.records import RecordService
from safecase.services.session import VaultSession

NAME = "vault_write"
STORIES_PER_BATCH = 50  # = 100 records per transaction
TARGET_RATIO = Target(">=", 0.75, on="ratio")


def write_stories(records: RecordService, stories: list[Story]) -> None:
    """One transaction: validate and write every person and testimony of ``stories``."""
    writes = []
    for story in stories:
        writes.append(records.prepare_new(Kind.PERSON, story.person, story.person_id))
        writes.append(records.prepare_new(Kind.TESTIMONY, story.testimony, story.testimony_id))
    records.write_batch(writes)


class _Side:
    """One database under test, fed the same stream of stories as the other."""

    def __init__(self, label: str, session: VaultSession, seed: int) -> None:
        self.label = label
        self.session = session
        self.records = RecordService(session)
        self.generator = CorpusGenerator(seed)
        self.rates: list[float] = []
        self.cpu_rates: list[float] = []

    def round(self, batches: int) -> None:
        prepared = [list(self.generator.stories(STORIES_PER_BATCH)) for _ in range(batches)]
        wall, cpu = time.perf_counter(), time.process_time()
        for stories in prepared:
            write_stories(self.records, stories)
        wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
        records = batches * STORIES_PER_BATCH * 2
        self.rates.append(records / wall)
        self.cpu_rates.append(records / cpu)


def run(ctx: Context) -> Iterator[Figure]:
    rounds, batches = ctx.scale(3, 9), ctx.scale(4, 20)
    encrypted_root, plain_root = ctx.scratch("write-encrypted") / "vault", ctx.scratch("write-plain") / "vault"
    create_encrypted_vault(encrypted_root)
    create_plain_vault(plain_root)
    with open_encrypted_session(encrypted_root) as encrypted, open_plain_session(plain_root) as plain:
        sides = _Side("encrypted", encrypted, ctx.seed), _Side("plain", plain, ctx.seed)
        for side in sides:  # warm-up: regex compilation, statement cache, first pages of every table
            side.round(1)
            side.rates.clear()
            side.cpu_rates.clear()
        for number, encrypted_first in alternating(rounds):
            for side in sides if encrypted_first else sides[::-1]:
                side.round(batches)
            log(
                f"{NAME}: round {number + 1}/{rounds}: encrypted {sides[0].rates[-1]:.0f} rec/s, "
                f"plain {sides[1].rates[-1]:.0f} rec/s"
            )
    enc, base = sides
    paired = [e / p for e, p in zip(enc.rates, base.rates, strict=True)]
    yield Figure(
        name="record_write_throughput",
        value=median(enc.rates),
        unit="records/s",
        baseline=median(base.rates),
        target=TARGET_RATIO,
        params={
            "records_per_transaction": STORIES_PER_BATCH * 2,
            "transactions_per_round": batches,
            "rounds": rounds,
            "mix": "1 person + 1 testimony of ~300 words per story",
            "words_per_testimony": WORDS_PER_TESTIMONY,
            "records_per_side": (rounds * batches + 1) * STORIES_PER_BATCH * 2,
            "paired_ratio_median": round(median(paired), 3),
            "cpu_time_ratio": round(median(enc.cpu_rates) / median(base.cpu_rates), 3),
        },
    )
