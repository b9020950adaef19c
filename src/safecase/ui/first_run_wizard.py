"""The first-run wizard: create a vault (or a demo vault), show its recovery key once, and check it was copied.

Pages: welcome -> name, organisation and passphrase -> creating -> recovery key -> retype two groups. A demo vault
stops after creating: its data are fictional, so it gets no recovery-key pages. Once the vault exists on disk the
wizard cannot be stepped back past the creating page, and once the vault is open only Finish leaves it, so nobody
leaves before checking the key.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QWidget, QWizard

from safecase.services.vault import VaultService
from safecase.ui.executor import DatabaseExecutor
from safecase.ui.first_run_creating import CreatingPage
from safecase.ui.first_run_key_pages import ConfirmKeyPage, RecoveryKeyPage
from safecase.ui.first_run_pages import DetailsPage, FirstRunState, PageId, WelcomePage

_NEXT: dict[int, int] = {
    PageId.WELCOME: PageId.DETAILS,
    PageId.DETAILS: PageId.CREATING,
    PageId.CREATING: PageId.RECOVERY_KEY,
    PageId.RECOVERY_KEY: PageId.CONFIRM_KEY,
}
_Button = QWizard.WizardButton


class FirstRunWizard(QWizard):
    """Creates the vault at ``vault_root`` and leaves it unlocked in the executor."""

    vault_ready = Signal(bool)  # the new vault is created and unlocked in the executor; True if it is a demo vault

    def __init__(
        self,
        vault_root: Path,
        vaults: VaultService,
        executor: DatabaseExecutor,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._state = FirstRunState()
        self.setWindowTitle(self.tr("SafeCase"))
        self.setWizardStyle(QWizard.WizardStyle.ModernStyle)
        self.setOption(QWizard.WizardOption.NoBackButtonOnStartPage, True)
        self.welcome_page = WelcomePage(vault_root, self._state)
        self.details_page = DetailsPage(self._state)
        self.creating_page = CreatingPage(vault_root, vaults, executor, self._state, self.details_page)
        self.recovery_key_page = RecoveryKeyPage(self._state)
        self.confirm_key_page = ConfirmKeyPage(self._state)
        for page_id, page in (
            (PageId.WELCOME, self.welcome_page),
            (PageId.DETAILS, self.details_page),
            (PageId.CREATING, self.creating_page),
            (PageId.RECOVERY_KEY, self.recovery_key_page),
            (PageId.CONFIRM_KEY, self.confirm_key_page),
        ):
            self.setPage(page_id, page)
            page.completeChanged.connect(self._update_buttons)
        self.setStartId(PageId.WELCOME)
        self.currentIdChanged.connect(self._update_buttons)
        self.accepted.connect(self._on_accepted)
        self.rejected.connect(self._forget_recovery_key)
        self.resize(640, 500)

    @property
    def is_demo(self) -> bool:
        return self._state.demo

    def nextId(self) -> int:
        current = self.currentId()
        if current == PageId.CREATING and self._state.demo:
            return -1
        return _NEXT.get(current, -1)

    def reject(self) -> None:
        """Cancel, Escape and closing the window do nothing while creating or once the new vault is open."""
        if self._can_cancel():
            super().reject()

    def _can_cancel(self) -> bool:
        # After a failed attempt to open the new vault the user may give up (the vault stays, empty); once it is
        # open, only Finish leaves, after the recovery key has been checked.
        return not self._state.busy and not (self._state.created and self._state.ready)

    def _update_buttons(self) -> None:
        # Back from the confirm page shows the key again; back past the creating page is meaningless once the
        # vault exists, and leaving while it is being made would hide the recovery key from its owner.
        back = not self._state.busy and (not self._state.created or self.currentId() == PageId.CONFIRM_KEY)
        layout = [_Button.Stretch]
        if back:
            layout.append(_Button.BackButton)
        layout += [_Button.NextButton, _Button.FinishButton]
        if self._can_cancel():
            layout.append(_Button.CancelButton)
        self.setButtonLayout(layout)

    def _on_accepted(self) -> None:
        self._forget_recovery_key()
        self.vault_ready.emit(self._state.demo)

    def _forget_recovery_key(self) -> None:
        # Python strings cannot be wiped; dropping the groups and clearing the labels is the most that can be done.
        self._state.recovery_groups = None
        self.recovery_key_page.forget_key()
