"""Exporting an evidence file: where the unencrypted copy goes, whether its metadata is removed, and what the
export then says it did.

The copy leaves the vault's protection, so the dialog says so plainly before anything is written. JPEG and PNG
images can be cleaned of EXIF (with GPS), XMP and comments; other types are exported as stored, and the result
says so.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from safecase.domain.media_types import extension_for
from safecase.errors import shown
from safecase.services.evidence_export import STRIPPABLE_TYPES, ExportResult
from safecase.services.metadata_strip import StripResult
from safecase.storage.records import RecordState
from safecase.ui.evidence.file_dialogs import choose_export_path
from safecase.ui.evidence.model import human_size
from safecase.ui.widgets.plain import PlainLabel


def suggested_name(body: dict[str, object]) -> str:
    """The file's own name, with the extension of its real type if the name has none."""
    name = str(body["file_name"])
    return name if Path(name).suffix else name + extension_for(str(body["media_type"]))


def export_message(result: ExportResult) -> str:
    """What an export did, in a sentence or two, for the panel."""
    exported = QCoreApplication.translate("Evidence", "Exported an unencrypted copy to %1 (%2).")
    # The path last: a folder named "%2" must stay as it is.
    lines = [exported.replace("%2", human_size(result.size)).replace("%1", str(result.path))]
    if result.strip is not None:
        lines.append(_strip_line(result.strip))
    return "\n".join(lines)


def _strip_line(strip: StripResult) -> str:
    if strip.not_stripped:
        return strip.not_stripped
    if strip.stripped:
        removed = QCoreApplication.translate("Evidence", "Metadata removed: %1.")
        return removed.replace("%1", ", ".join(strip.stripped))
    return QCoreApplication.translate("Evidence", "The image had no metadata to remove.")


class ExportDialog(QDialog):
    """Asks where to write the copy and whether to remove its metadata; ``accepted`` means export now."""

    def __init__(self, attachment: RecordState, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.attachment = attachment
        body = attachment.body
        self.setWindowTitle(self.tr("Export evidence file"))
        self.name_label = PlainLabel(shown(body["file_name"]), self)
        self.name_label.setStyleSheet("font-weight: 600;")
        self.warning_label = PlainLabel(
            self.tr(
                "The exported copy is NOT encrypted. Anyone who can open the folder you choose can read it. Export "
                "only to an encrypted disk or a place you trust, and delete the copy when it is no longer needed."
            ),
            self,
        )
        self.warning_label.setWordWrap(True)
        self.warning_label.setStyleSheet("background: #fdecea; color: #8a0010; padding: 6px; font-weight: 600;")
        self.strip_box = QCheckBox(self.tr("Remove metadata (EXIF, GPS)"), self)
        strippable = body["media_type"] in STRIPPABLE_TYPES
        self.strip_box.setChecked(strippable)
        self.strip_note = PlainLabel(
            self.tr("Only JPEG and PNG images can be cleaned; this file is copied as stored."), self
        )
        self.strip_note.setWordWrap(True)
        self.strip_note.setVisible(not strippable)
        self.destination_field = QLineEdit(self)
        self.destination_field.setAccessibleName(self.tr("Where to save the copy"))
        self.destination_field.setPlaceholderText(self.tr("Choose where to save the copy…"))
        self.choose_button = QPushButton(self.tr("Choose…"), self)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel, self)
        self.export_button = self.buttons.addButton(self.tr("Export"), QDialogButtonBox.ButtonRole.AcceptRole)
        self._lay_out()
        self.choose_button.clicked.connect(self._on_choose_button_clicked)
        self.destination_field.textChanged.connect(self._update_export_button)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        self._update_export_button()

    def _lay_out(self) -> None:
        destination = QHBoxLayout()
        destination.addWidget(self.destination_field, 1)
        destination.addWidget(self.choose_button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.name_label)
        layout.addWidget(self.warning_label)
        layout.addWidget(self.strip_box)
        layout.addWidget(self.strip_note)
        layout.addLayout(destination)
        layout.addStretch(1)
        layout.addWidget(self.buttons)
        self.setMinimumWidth(560)
        self.resize(560, max(layout.heightForWidth(560), self.minimumSizeHint().height()))

    def destination(self) -> Path | None:
        text = self.destination_field.text().strip()
        path = Path(text).expanduser() if text else None
        return path if path is not None and path.is_absolute() else None

    def strip(self) -> bool:
        return self.strip_box.isChecked()

    def _update_export_button(self) -> None:
        self.export_button.setEnabled(self.destination() is not None)

    def _on_choose_button_clicked(self) -> None:
        chosen = self.destination_field.setText
        choose_export_path(self, suggested_name(self.attachment.body), lambda path: chosen(str(path)))
