"""The preview of one evidence file: decrypted into memory on the database thread, shown by the viewer its media
type calls for, and overwritten when the dialog closes, or is destroyed with its parent (a lock closes the editor
that owns it). Nothing is written to disk; the window title never names the file (task bars show titles).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

import shiboken6
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QVBoxLayout, QWidget

from safecase.domain.media_types import PreviewClass, describe, preview_class
from safecase.errors import SafeCaseError, shown
from safecase.storage.records import RecordState
from safecase.ui.evidence.media_viewer import MediaViewer
from safecase.ui.evidence.model import human_size
from safecase.ui.evidence.plaintext import Plaintext, overwrite
from safecase.ui.evidence.viewers import ImageViewer, NoPreview, PdfViewer, TextViewer
from safecase.ui.executor import DatabaseExecutor, TaskContext
from safecase.ui.widgets.plain import PlainLabel

MAX_PREVIEW_BYTES = 512 * 2**20
MAX_TEXT_PREVIEW_BYTES = 32 * 2**20  # a text view of more is of no use and slow to lay out

T = TypeVar("T")
_SIZES = {PreviewClass.AUDIO: (600, 200), PreviewClass.NONE: (520, 200)}
Viewer = ImageViewer | PdfViewer | TextViewer | MediaViewer | NoPreview


def read_plaintext(context: TaskContext, attachment_id: str, limit: int) -> bytearray:
    """On the database thread: the verified plaintext, as a buffer the dialog can overwrite."""
    return context.workspace.attachments.read_plaintext(attachment_id, limit, check_cancelled=context.check_cancelled)


def make_viewer(kind: PreviewClass, plaintext: Plaintext, parent: QWidget) -> Viewer:
    if kind is PreviewClass.IMAGE:
        return ImageViewer(plaintext, parent)
    if kind is PreviewClass.PDF:
        return PdfViewer(plaintext, parent)
    if kind is PreviewClass.TEXT:
        return TextViewer(plaintext, parent)
    if kind in (PreviewClass.AUDIO, PreviewClass.VIDEO):
        return MediaViewer(plaintext, video=kind is PreviewClass.VIDEO, parent=parent)
    return NoPreview(parent)


class PreviewDialog(QDialog):
    """Shows one evidence file from memory; close it (or lock) and its bytes are overwritten."""

    def __init__(
        self, executor: DatabaseExecutor, attachment: RecordState, lang: str, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.attachment = attachment
        self.preview_class = preview_class(attachment.body["media_type"])
        self.plaintext = Plaintext()
        self.viewer: Viewer | None = None
        self._closed = False
        self.setWindowTitle(self.tr("Evidence preview"))
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.resize(*_SIZES.get(self.preview_class, (900, 700)))
        self._build(lang)
        plaintext = self.plaintext  # not self: the slot must not need the dialog, which is being destroyed
        self.destroyed.connect(lambda _dialog=None: plaintext.wipe())
        self.finished.connect(self._on_finished)
        self._read(executor)

    def _build(self, lang: str) -> None:
        body = self.attachment.body
        self.name_label = PlainLabel(shown(body["file_name"]), self)
        self.name_label.setStyleSheet("font-size: 13pt; font-weight: 600;")
        facts = (describe(body["media_type"], lang), human_size(body["size"]), f"SHA-256 {body['sha256'][:12]}")
        self.details_label = PlainLabel(" · ".join(facts), self)
        self.status_label = PlainLabel(self.tr("Decrypting…"), self)
        self.status_label.setWordWrap(True)
        self.status_label.setAccessibleName(self.tr("Preview status"))
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.rejected.connect(self.reject)
        self._content = QVBoxLayout()
        layout = QVBoxLayout(self)
        layout.addWidget(self.name_label)
        layout.addWidget(self.details_label)
        layout.addWidget(self.status_label)
        layout.addLayout(self._content, 1)
        layout.addWidget(buttons)

    def _read(self, executor: DatabaseExecutor) -> None:
        if self.preview_class is PreviewClass.NONE:
            self._show_viewer(NoPreview(self))
            return
        limit = MAX_TEXT_PREVIEW_BYTES if self.preview_class is PreviewClass.TEXT else MAX_PREVIEW_BYTES
        attachment_id = self.attachment.id
        executor.submit(
            lambda context: read_plaintext(context, attachment_id, limit),
            on_success=_unless_gone(self, PreviewDialog._on_read, overwrite),
            on_failure=_unless_gone(self, PreviewDialog._on_read_failed, lambda _error: None),
        )

    def _on_read(self, data: bytearray) -> None:
        self.plaintext.take(data)
        self._show_viewer(make_viewer(self.preview_class, self.plaintext, self))

    def _on_read_failed(self, error: SafeCaseError) -> None:
        self.status_label.setText(error.message)
        self.status_label.setStyleSheet("color: #b00020; font-weight: 600;")

    def _show_viewer(self, viewer: Viewer) -> None:
        self.viewer = viewer
        self.status_label.setText(viewer.error)
        self.status_label.setVisible(bool(viewer.error))
        self._content.addWidget(viewer)

    def _on_finished(self, _result: int) -> None:
        self._closed = True
        self.plaintext.wipe()


def _unless_gone(
    dialog: PreviewDialog, deliver: Callable[[PreviewDialog, T], None], otherwise: Callable[[T], None]
) -> Callable[[T], None]:
    """A callback for the read's outcome: to the dialog while it is open, else to ``otherwise`` (which overwrites
    plaintext that arrives too late). The executor's ``owner`` check would drop late plaintext unwiped."""

    def on_outcome(outcome: T) -> None:
        if shiboken6.isValid(dialog) and not dialog._closed:
            deliver(dialog, outcome)
        else:
            otherwise(outcome)

    return on_outcome
