"""The first pages of the first-run wizard (welcome; name, organisation and passphrase) and what all pages share."""

from __future__ import annotations

from dataclasses import dataclass
from enum import IntEnum
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QFormLayout,
    QLabel,
    QLineEdit,
    QProgressBar,
    QRadioButton,
    QStyle,
    QVBoxLayout,
    QWidget,
    QWizard,
    QWizardPage,
)

from safecase.crypto.secrets import check_new_passphrase
from safecase.domain.passphrase_strength import (
    HINT_ADD_WORDS,
    HINT_AVOID_REPEATS,
    HINT_AVOID_SEQUENCES,
    HINT_COMMON,
    HINT_GOOD,
    HINT_TOO_SHORT,
    MAX_SCORE,
    estimate_strength,
)
from safecase.errors import SafeCaseError, UsageError
from safecase.storage.vault_folder import refuse_existing_vault_target
from safecase.ui.widgets.plain import PlainLabel

SCORE_COLOURS = ("#c62828", "#ef6c00", "#f9a825", "#7cb342", "#2e7d32")


class PageId(IntEnum):
    WELCOME = 0
    DETAILS = 1
    CREATING = 2
    RECOVERY_KEY = 3
    CONFIRM_KEY = 4


@dataclass
class FirstRunState:
    """What the pages share. The recovery key is kept as its groups, and only until the user has confirmed it."""

    demo: bool = False
    busy: bool = False
    created: bool = False  # the vault exists on disk: there is no going back to change the passphrase
    ready: bool = False  # the new vault is unlocked in the executor
    recovery_groups: list[str] | None = None


@dataclass(frozen=True)
class NewVault:
    """What the user chose on the details page."""

    display_name: str
    organisation: str
    passphrase: str


def wrapped(text: str = "") -> PlainLabel:
    label = PlainLabel(text)
    label.setWordWrap(True)
    return label


def stacked(*widgets: QWidget) -> QWidget:
    """Widgets one above the other as one form field (a form row keeps a wrapped label at its full height)."""
    box = QWidget()
    column = QVBoxLayout(box)
    column.setContentsMargins(0, 0, 0, 0)
    for widget in widgets:
        column.addWidget(widget)
    return box


def indented_under(button: QRadioButton, label: PlainLabel) -> PlainLabel:
    """``label`` lined up under the button's text rather than its indicator; also read out as its description."""
    style = button.style()
    label.setIndent(
        style.pixelMetric(QStyle.PixelMetric.PM_ExclusiveIndicatorWidth)
        + style.pixelMetric(QStyle.PixelMetric.PM_RadioButtonLabelSpacing)
    )
    button.setAccessibleDescription(label.text())
    return label


def buddy(text: str, field: QWidget) -> QLabel:
    label = QLabel(text)
    label.setTextFormat(Qt.TextFormat.PlainText)
    label.setBuddy(field)
    return label


class WelcomePage(QWizardPage):
    """Create a real vault, or try a demo vault with fictional data."""

    def __init__(self, vault_root: Path, state: FirstRunState, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._root = vault_root
        self._state = state
        self.setTitle(self.tr("Welcome to SafeCase"))
        self.setSubTitle(
            self.tr("SafeCase keeps your case records encrypted on this computer. Nothing is sent anywhere.")
        )
        self.create_choice = QRadioButton(self.tr("&Create my vault"))
        self.create_choice.setAccessibleName(self.tr("Create my vault"))
        self.create_choice.setChecked(True)
        self.demo_choice = QRadioButton(self.tr("&Try a demo vault with fictional data"))
        self.demo_choice.setAccessibleName(self.tr("Try a demo vault with fictional data"))
        self.error = wrapped()
        layout = QVBoxLayout(self)
        layout.addWidget(self.create_choice)
        layout.addWidget(
            indented_under(
                self.create_choice, wrapped(self.tr("For real work. You choose a passphrase and get a recovery key."))
            )
        )
        layout.addSpacing(12)
        layout.addWidget(self.demo_choice)
        layout.addWidget(
            indented_under(
                self.demo_choice,
                wrapped(self.tr("Made-up people in real places, to learn SafeCase. Do not add real cases.")),
            )
        )
        layout.addStretch(1)
        layout.addWidget(self.error)

    def validatePage(self) -> bool:
        # Refuse an occupied folder before the user invents a passphrase (creating checks again).
        try:
            refuse_existing_vault_target(self._root)
        except SafeCaseError:
            self.error.setText(
                self.tr("Something is already at the vault's location, and SafeCase will not overwrite it.")
            )
            return False
        self.error.clear()
        self._state.demo = self.demo_choice.isChecked()
        return True


class DetailsPage(QWizardPage):
    """Name and organisation (optional), and the passphrase typed twice with a strength meter."""

    def __init__(self, state: FirstRunState, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._state = state
        self.setTitle(self.tr("Your vault"))
        self.setButtonText(QWizard.WizardButton.NextButton, self.tr("&Create vault"))
        self.name_field = self._field(self.tr("Your name (optional)"))
        self.organisation_field = self._field(self.tr("Organisation (optional)"))
        self.passphrase_field = self._field(self.tr("Passphrase"), secret=True)
        self.repeat_field = self._field(self.tr("Repeat the passphrase"), secret=True)
        self.strength_bar = QProgressBar()
        self.strength_bar.setRange(0, MAX_SCORE + 1)
        self.strength_bar.setTextVisible(False)
        self.strength_bar.setAccessibleName(self.tr("Passphrase strength"))
        self.strength_text = wrapped()
        self.problem = wrapped()
        self._form = QFormLayout()
        self._form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self._form.addRow(buddy(self.tr("Your &name:"), self.name_field), self.name_field)
        self._form.addRow(buddy(self.tr("&Organisation:"), self.organisation_field), self.organisation_field)
        self._form.addRow(buddy(self.tr("&Passphrase:"), self.passphrase_field), self.passphrase_field)
        self._form.addRow(self.tr("Strength:"), stacked(self.strength_bar, self.strength_text))
        self._form.addRow(buddy(self.tr("&Repeat:"), self.repeat_field), stacked(self.repeat_field, self.problem))
        layout = QVBoxLayout(self)
        layout.addLayout(self._form)
        layout.addStretch(1)
        self.passphrase_field.textChanged.connect(self._on_passphrase_field_text_changed)
        self.repeat_field.textChanged.connect(self._on_passphrase_field_text_changed)
        self._show_strength("")

    def _field(self, accessible_name: str, *, secret: bool = False) -> QLineEdit:
        field = QLineEdit()
        field.setAccessibleName(accessible_name)
        if secret:
            field.setEchoMode(QLineEdit.EchoMode.Password)
        return field

    def initializePage(self) -> None:
        demo = self._state.demo
        self._form.setRowVisible(self.name_field, not demo)
        self._form.setRowVisible(self.organisation_field, not demo)
        if demo:
            self.setSubTitle(self.tr("The demo vault is a real encrypted vault, so it needs a passphrase too."))
        else:
            self.setSubTitle(
                self.tr("Choose a passphrase of several unrelated words. Nobody can reset it for you, so remember it.")
            )
        (self.passphrase_field if demo else self.name_field).setFocus()

    def _on_passphrase_field_text_changed(self) -> None:
        passphrase, repeat = self.passphrase_field.text(), self.repeat_field.text()
        self._show_strength(passphrase)
        self.problem.setText(self._problem(passphrase, repeat))
        self.completeChanged.emit()

    def _problem(self, passphrase: str, repeat: str) -> str:
        if passphrase:
            try:
                check_new_passphrase(passphrase)
            except UsageError as weak:
                return weak.message
        if repeat and (len(repeat) >= len(passphrase) or not passphrase.startswith(repeat)) and repeat != passphrase:
            return self.tr("The two passphrases are not the same.")
        return ""

    def _show_strength(self, passphrase: str) -> None:
        if not passphrase:
            self.strength_bar.setValue(0)
            self.strength_text.setText(
                self.tr("Several unrelated words make a strong passphrase that you can remember.")
            )
            return
        strength = estimate_strength(passphrase)
        self.strength_bar.setValue(strength.score + 1)
        self.strength_bar.setStyleSheet(f"QProgressBar::chunk {{ background-color: {SCORE_COLOURS[strength.score]}; }}")
        verdict = self._verdict(strength.score)
        self.strength_bar.setAccessibleDescription(verdict)
        self.strength_text.setText(
            self.tr("{verdict}. {hint}").format(verdict=verdict, hint=self._hint(strength.hint_code))
        )

    def _verdict(self, score: int) -> str:
        verdicts = (self.tr("Very weak"), self.tr("Weak"), self.tr("Fair"), self.tr("Strong"), self.tr("Very strong"))
        return verdicts[score]

    def _hint(self, code: str) -> str:
        hints = {
            HINT_TOO_SHORT: self.tr("Make it longer: a few unrelated words are easier to remember than symbols."),
            HINT_ADD_WORDS: self.tr("Add another word or two that have nothing to do with each other."),
            HINT_AVOID_REPEATS: self.tr("Avoid repeated letters and words."),
            HINT_AVOID_SEQUENCES: self.tr("Avoid sequences such as abcd, 1234 or qwerty."),
            HINT_COMMON: self.tr("It is or contains one of the most common passwords, which attackers try first."),
            HINT_GOOD: self.tr("Hard to guess. Make sure you will remember it."),
        }
        return hints.get(code, "")

    def isComplete(self) -> bool:
        passphrase = self.passphrase_field.text()
        try:
            check_new_passphrase(passphrase)
        except UsageError:
            return False
        return passphrase == self.repeat_field.text()

    def validatePage(self) -> bool:
        return self.isComplete()

    def new_vault(self) -> NewVault:
        if self._state.demo:  # the rows are hidden; whatever was typed before switching to the demo is not used
            return NewVault("", "", self.passphrase_field.text())
        return NewVault(
            self.name_field.text().strip(), self.organisation_field.text().strip(), self.passphrase_field.text()
        )

    def forget_passphrase(self) -> None:
        self.passphrase_field.clear()
        self.repeat_field.clear()
