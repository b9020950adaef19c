"""What every part of an editor needs: the executor, the language, and where "open this record" goes."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from safecase.domain.kinds import Kind
from safecase.ui.executor import DatabaseExecutor


@dataclass
class EditorContext:
    """Shared by the widgets of one editor; `open_record(kind, id)` asks the main window to open a record."""

    kind: Kind
    executor: DatabaseExecutor
    lang: str
    open_record: Callable[[str, str], None] = lambda _kind, _id: None
