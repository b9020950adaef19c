"""Qt's own file dialogs for evidence, opened without a nested event loop and without leaving a trace on disk.

Platform dialogs keep "recently used" lists that would name evidence files; Qt's dialog keeps none, but writes
the folders it visited to the ``QtProject`` settings when it is destroyed, so that history is removed right after.
The dialogs are opened with ``open()`` (not ``exec()``): a lock while one is open deletes it with its parent.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QFileDialog, QWidget

from safecase.ui.import_action import forget_file_dialog_history


def _dialog(parent: QWidget, title: str, directory: str) -> QFileDialog:
    dialog = QFileDialog(parent, title, directory)
    dialog.setOption(QFileDialog.Option.DontUseNativeDialog)
    # The destructor writes the folder history; forget it once the dialog is gone, whatever ended it (even a lock).
    dialog.destroyed.connect(lambda _dialog=None: forget_file_dialog_history())
    return dialog


def _when_done(dialog: QFileDialog, on_chosen: Callable[[list[Path]], None]) -> None:
    def finished(result: int) -> None:
        chosen = [Path(name) for name in dialog.selectedFiles()] if result == QFileDialog.DialogCode.Accepted else []
        dialog.deleteLater()
        if chosen:
            on_chosen(chosen)

    dialog.finished.connect(finished)
    dialog.open()


def choose_files_to_add(parent: QWidget, on_chosen: Callable[[list[Path]], None]) -> QFileDialog:
    """Ask for files to take in as evidence; ``on_chosen`` gets them if the user accepts."""
    title = QCoreApplication.translate("Evidence", "Add evidence files")
    dialog = _dialog(parent, title, str(Path.home()))
    dialog.setFileMode(QFileDialog.FileMode.ExistingFiles)
    _when_done(dialog, on_chosen)
    return dialog


def choose_export_path(parent: QWidget, suggested_name: str, on_chosen: Callable[[Path], None]) -> QFileDialog:
    """Ask where to write an exported copy; ``on_chosen`` gets the path if the user accepts."""
    title = QCoreApplication.translate("Evidence", "Export evidence file to")
    return choose_save_path(parent, title, suggested_name, on_chosen)


def choose_save_path(
    parent: QWidget, title: str, suggested_name: str, on_chosen: Callable[[Path], None]
) -> QFileDialog:
    """Ask for the path of a new file to write (a card, a bundle); ``on_chosen`` gets it if the user accepts."""
    dialog = _dialog(parent, title, str(Path.home() / suggested_name))
    dialog.setAcceptMode(QFileDialog.AcceptMode.AcceptSave)
    dialog.setFileMode(QFileDialog.FileMode.AnyFile)
    dialog.setOption(QFileDialog.Option.DontConfirmOverwrite)  # every export refuses to overwrite anyway
    _when_done(dialog, lambda paths: on_chosen(paths[0]))
    return dialog


def choose_file_to_read(
    parent: QWidget, title: str, name_filter: str, on_chosen: Callable[[Path], None]
) -> QFileDialog:
    """Ask for one existing file (a contact card, a bundle); ``on_chosen`` gets it if the user accepts."""
    dialog = _dialog(parent, title, str(Path.home()))
    dialog.setFileMode(QFileDialog.FileMode.ExistingFile)
    dialog.setNameFilter(name_filter)
    _when_done(dialog, lambda paths: on_chosen(paths[0]))
    return dialog
