"""The first-run wizard's recovery-key pages: the key shown once, then two of its groups typed back from paper.

The key is shown as numbered groups in labels that cannot be selected or copied: it belongs on paper, not on a
clipboard that other programs read or in a file that backups copy. Retyping two groups at random shows that the
paper copy is right before the only chance to see the key is gone.
"""

from __future__ import annotations

import random
import unicodedata

from PySide6.QtCore import Qt
from PySide6.QtGui import QFont, QFontDatabase
from PySide6.QtWidgets import QCheckBox, QFormLayout, QGridLayout, QLabel, QLineEdit, QVBoxLayout, QWidget, QWizardPage

from safecase.ui.first_run_pages import FirstRunState, buddy, wrapped

GROUPS_PER_ROW = 7
_CROCKFORD_LOOKALIKES = str.maketrans({"O": "0", "I": "1", "L": "1"})


def normalise_group(text: str) -> str:
    """A group as typed from paper, compared the way the recovery key parser reads it (case, spaces, O/0, I/L/1)."""
    folded = unicodedata.normalize("NFKC", text).upper().translate(_CROCKFORD_LOOKALIKES)
    return "".join(char for char in folded if not char.isspace() and char != "-")


class RecoveryKeyPage(QWizardPage):
    """Shows the recovery key once, large and numbered by group, until the user says it is written down."""

    def __init__(self, state: FirstRunState, group_count: int = 14, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._state = state
        self.setTitle(self.tr("Your recovery key"))
        self.setSubTitle(
            self.tr(
                "If you forget your passphrase, this key is the only way back into your vault. It is shown only now."
            )
        )
        self.group_labels = [self._group_label(number) for number in range(1, group_count + 1)]
        self.written_down = QCheckBox(self.tr("I have &written it down on paper"))
        self.written_down.setAccessibleName(self.tr("I have written it down on paper"))
        self.written_down.toggled.connect(self.completeChanged)
        layout = QVBoxLayout(self)
        layout.addWidget(
            wrapped(
                self.tr(
                    "Write it on paper and check every group. Keep the paper somewhere safe, away from this computer. "
                    "Do not photograph it or save it in a file."
                )
            )
        )
        layout.addSpacing(8)
        layout.addLayout(self._grid())
        layout.addSpacing(8)
        layout.addWidget(self.written_down)
        layout.addStretch(1)

    def _group_label(self, number: int) -> QLabel:
        label = QLabel()
        label.setTextFormat(Qt.TextFormat.PlainText)
        label.setTextInteractionFlags(Qt.TextInteractionFlag.NoTextInteraction)
        label.setContextMenuPolicy(Qt.ContextMenuPolicy.NoContextMenu)
        label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        font = QFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont))
        font.setPointSizeF(max(font.pointSizeF(), 10.0) * 1.7)
        font.setBold(True)
        label.setFont(font)
        label.setAccessibleName(self.tr("Group {number}").format(number=number))
        return label

    def _grid(self) -> QGridLayout:
        grid = QGridLayout()
        grid.setHorizontalSpacing(18)
        for index, label in enumerate(self.group_labels):
            row, column = divmod(index, GROUPS_PER_ROW)
            number = QLabel(str(index + 1))
            number.setAlignment(Qt.AlignmentFlag.AlignCenter)
            number.setEnabled(False)  # drawn greyed: a position, not part of the key
            grid.addWidget(number, row * 2, column)
            grid.addWidget(label, row * 2 + 1, column)
        return grid

    def initializePage(self) -> None:
        groups = self._state.recovery_groups or []
        for label, group in zip(self.group_labels, groups, strict=False):
            label.setText(group)

    def isComplete(self) -> bool:
        return self.written_down.isChecked()

    def forget_key(self) -> None:
        for label in self.group_labels:
            label.clear()


class ConfirmKeyPage(QWizardPage):
    """Asks for two randomly chosen groups of the key; Finish works only when both are right."""

    def __init__(self, state: FirstRunState, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._state = state
        self._asked: tuple[int, int] | None = None
        self.setTitle(self.tr("Check what you wrote down"))
        self.setSubTitle(self.tr("Type two groups from your paper, to be sure the key was copied correctly."))
        self.first_field = self._field(self.tr("First group"))
        self.second_field = self._field(self.tr("Second group"))
        self._first_label = buddy("", self.first_field)
        self._second_label = buddy("", self.second_field)
        self.error = wrapped()
        form = QFormLayout()
        form.addRow(self._first_label, self.first_field)
        form.addRow(self._second_label, self.second_field)
        layout = QVBoxLayout(self)
        self._prompt = wrapped()
        layout.addWidget(self._prompt)
        layout.addLayout(form)
        layout.addWidget(self.error)
        layout.addStretch(1)

    def _field(self, accessible_name: str) -> QLineEdit:
        field = QLineEdit()
        field.setAccessibleName(accessible_name)
        field.setFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont))
        field.setMaxLength(16)
        field.setMaximumWidth(field.fontMetrics().horizontalAdvance("W" * 12))
        field.textChanged.connect(self.completeChanged)
        return field

    @property
    def asked_groups(self) -> tuple[int, int]:
        """The numbers (from 1) of the two groups asked for."""
        if self._asked is None:
            first, second = sorted(random.SystemRandom().sample(range(1, len(self._groups()) + 1), 2))
            self._asked = (first, second)
        return self._asked

    def initializePage(self) -> None:
        first, second = self.asked_groups
        self._prompt.setText(
            self.tr("Type group {first} and group {second} of your recovery key.").format(first=first, second=second)
        )
        self._first_label.setText(self.tr("Group {number}:").format(number=first))
        self._second_label.setText(self.tr("Group {number}:").format(number=second))
        self.first_field.setAccessibleName(self.tr("Group {number}").format(number=first))
        self.second_field.setAccessibleName(self.tr("Group {number}").format(number=second))
        self.first_field.clear()
        self.second_field.clear()
        self.error.clear()
        self.first_field.setFocus()

    def isComplete(self) -> bool:
        return bool(self.first_field.text().strip() and self.second_field.text().strip())

    def validatePage(self) -> bool:
        groups = self._groups()
        first, second = self.asked_groups
        typed = (normalise_group(self.first_field.text()), normalise_group(self.second_field.text()))
        if typed == (normalise_group(groups[first - 1]), normalise_group(groups[second - 1])):
            return True
        self.error.setText(
            self.tr(
                "That is not what the key says. Go back to see it again, correct your paper, and type the groups again."
            )
        )
        return False

    def _groups(self) -> list[str]:
        if self._state.recovery_groups is None:
            raise RuntimeError("the recovery key is no longer held")
        return self._state.recovery_groups
