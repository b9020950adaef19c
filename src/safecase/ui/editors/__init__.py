"""Record editors: a form for every kind, with autosave, drafts, history, and dedicated layouts for testimonies,
events, consents and contacts. The main window uses ``create_editor`` and the ``RecordEditor`` signals."""

from __future__ import annotations

from PySide6.QtWidgets import QWidget

from safecase.domain.kinds import Kind
from safecase.ui.editors.base import RecordEditor
from safecase.ui.editors.consent import ConsentEditor
from safecase.ui.editors.contact import ContactEditor
from safecase.ui.editors.context import EditorContext
from safecase.ui.editors.event import EventEditor
from safecase.ui.editors.testimony import TestimonyEditor
from safecase.ui.executor import DatabaseExecutor
from safecase.ui.protection.clipboard_guard import ClipboardGuard

__all__ = ["RecordEditor", "create_editor"]


def create_editor(
    kind: Kind,
    record_id: str | None,
    *,
    executor: DatabaseExecutor,
    lang: str,
    clipboard: ClipboardGuard | None,
    parent: QWidget | None = None,
) -> RecordEditor:
    """The editor for a record of `kind` (`record_id` None: a new record)."""
    context = EditorContext(kind, executor, lang)
    if kind is Kind.TESTIMONY:
        return TestimonyEditor(record_id, context, parent)
    if kind is Kind.EVENT:
        return EventEditor(record_id, context, parent)
    if kind is Kind.CONSENT:
        return ConsentEditor(record_id, context, parent=parent)
    if kind is Kind.CONTACT:
        return ContactEditor(record_id, context, clipboard, parent)
    return RecordEditor(kind, record_id, context, parent=parent)
