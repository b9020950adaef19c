"""The full-text index: an FTS5 contentless table keyed by ``records.num``, queried with bm25 ranking.

Text is folded and split into tokens by :mod:`safecase.storage.search_text` before it reaches FTS5, which is what
makes Korean and Chinese searchable without word boundaries. The index holds no readable copy of the text
(contentless), so snippets are cut from the record bodies at query time.
"""

from __future__ import annotations

from dataclasses import dataclass

from safecase.storage.database import Database
from safecase.storage.search_text import index_text, match_expression

TITLE_WEIGHT = 4.0
TEXT_WEIGHT = 1.0


@dataclass(frozen=True)
class Hit:
    num: int
    score: float


class SearchIndex:
    def __init__(self, db: Database) -> None:
        self._db = db

    def put(self, num: int, title: str, text: str, *, replacing: bool = True) -> None:
        """Index a record's current text; ``replacing=False`` for a record that has never been indexed."""
        if replacing:
            self.remove(num)
        self._db.execute(
            "INSERT INTO search_index (rowid, title, text) VALUES (?, ?, ?)",
            (num, index_text(title), index_text(text)),
        )

    def remove(self, num: int) -> None:
        self._db.execute("DELETE FROM search_index WHERE rowid = ?", (num,))

    def query(self, query: str, limit: int) -> list[Hit]:
        """Best `limit` matches, best first. A query with nothing searchable returns no hits."""
        expression = match_expression(query)
        if expression is None:
            return []
        rows = self._db.query_all(
            f"SELECT rowid, bm25(search_index, {TITLE_WEIGHT}, {TEXT_WEIGHT}) AS score FROM search_index"
            " WHERE search_index MATCH ? ORDER BY score LIMIT ?",
            (expression, limit),
        )
        return [Hit(int(num), float(score)) for num, score in rows]
