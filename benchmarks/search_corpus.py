"""The large search corpus: fictional people and testimonies in a real encrypted vault, and a plain copy.

The encrypted vault is filled through the product's own write path (``RecordService.write_batch``, validation,
history, links, audit chain, search index) in big transactions, so the search index holds exactly what the
product writes. Then ``sqlcipher_export`` rewrites it twice: into a fresh encrypted file with the same key (which
replaces the vault's database) and into a plain database with the same page size. Both sides then hold the same
rows and FTS5 segments in the same compact page layout, and differ only in encryption. Built once per run and
kept in that run's temporary folder only.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from pathlib import Path

from benchmarks.corpus import CorpusGenerator
from benchmarks.figures import Context, log
from benchmarks.vault_write import write_stories
from benchmarks.vaults import create_encrypted_vault, open_encrypted_session
from safecase.services.records import RecordService
from safecase.storage.database import CIPHER_PAGE_SIZE, Database
from safecase.storage.vault_folder import DATABASE_NAME

LOAD_STORIES_PER_TRANSACTION = 1000  # 2,000 records per transaction
CORPUS_SEED_OFFSET = 1  # a different stream from the write benchmark's


@dataclass(frozen=True)
class SearchCorpus:
    encrypted_root: Path
    plain_root: Path
    seed: int
    stories: int
    records: int
    load_seconds: float  # writing only (generating the fictional text is not counted)
    generate_seconds: float
    export_seconds: float
    database_bytes: int


def search_corpus(ctx: Context) -> SearchCorpus:
    return ctx.memo("search_corpus", lambda: _build(ctx, ctx.scale(5_000, 100_000)))


def _build(ctx: Context, stories: int) -> SearchCorpus:
    encrypted_root = ctx.scratch("search-encrypted") / "vault"
    plain_root = ctx.scratch("search-plain")
    seed = ctx.seed + CORPUS_SEED_OFFSET
    create_encrypted_vault(encrypted_root)
    generator = CorpusGenerator(seed)
    load = generate = 0.0
    started = time.perf_counter()
    with open_encrypted_session(encrypted_root) as session:
        records = RecordService(session)
        for done in range(0, stories, LOAD_STORIES_PER_TRANSACTION):
            clock = time.perf_counter()
            batch = list(generator.stories(min(LOAD_STORIES_PER_TRANSACTION, stories - done)))
            generate += time.perf_counter() - clock
            clock = time.perf_counter()
            write_stories(records, batch)
            load += time.perf_counter() - clock
            written = done + len(batch)
            if written % 10_000 == 0 or written == stories:
                log(f"search corpus: {written:,}/{stories:,} stories, {time.perf_counter() - started:.0f} s")
        clock = time.perf_counter()
        compacted = encrypted_root.parent / "compacted.db"
        export_copy(session.db, compacted, encrypted=True)
        export_copy(session.db, plain_root / DATABASE_NAME, encrypted=False)
        export = time.perf_counter() - clock
    compacted.replace(encrypted_root / DATABASE_NAME)
    size = (encrypted_root / DATABASE_NAME).stat().st_size
    log(
        f"search corpus: loaded in {load:.0f} s (+{generate:.0f} s generating), copies in {export:.0f} s, "
        f"{size / 1e6:.0f} MB"
    )
    return SearchCorpus(encrypted_root, plain_root, seed, stories, 2 * stories, load, generate, export, size)


def export_copy(db: Database, target: Path, *, encrypted: bool) -> None:
    """Copy an open encrypted database into a new file: encrypted with the same key, or plain.

    Same page size and schema version; ``sqlcipher_export`` writes every table and index afresh, in order.
    """
    version = int(db.query_one("PRAGMA user_version")[0])
    # ATTACH without KEY reuses the main database's key; KEY '' makes the new database plain.
    db.execute("ATTACH DATABASE ? AS copy" + ("" if encrypted else " KEY ''"), (str(target),))
    try:
        db.execute(f"PRAGMA copy.{'cipher_page_size' if encrypted else 'page_size'} = {CIPHER_PAGE_SIZE}")
        db.execute("SELECT sqlcipher_export('copy')")
        db.execute(f"PRAGMA copy.user_version = {version}")
    finally:
        db.execute("DETACH DATABASE copy")
