"""Full-text search over the vault: ranked hits with the record, its kind, a display title and a snippet."""

from __future__ import annotations

from dataclasses import dataclass

from safecase.domain.kinds import Kind
from safecase.domain.records import display_title, search_document
from safecase.services.session import VaultSession
from safecase.storage.records import RecordState
from safecase.storage.search_text import Snippet, make_snippet

DEFAULT_LIMIT = 20  # about one screen; snippets are the costly part of a search, so fetch more on scroll


@dataclass(frozen=True)
class SearchResult:
    record: RecordState
    kind: Kind
    title: str
    snippet: Snippet
    score: float


class SearchService:
    def __init__(self, session: VaultSession) -> None:
        self._session = session

    def search(self, query: str, limit: int = DEFAULT_LIMIT) -> list[SearchResult]:
        hits = self._session.search.query(query, limit)
        states = self._session.records.states_by_num([hit.num for hit in hits])
        results = []
        for hit in hits:
            state = states.get(hit.num)
            if state is None or state.deleted:
                continue
            kind = Kind(state.kind)
            document = search_document(kind, state.body)
            text = document.text or document.title
            results.append(
                SearchResult(state, kind, display_title(kind, state.body), make_snippet(text, query), hit.score)
            )
        return results
