"""The first-run wizard's "creating" page: makes the vault on the database thread and opens it there.

Two executor operations, the second submitted when the first has succeeded: ``VaultService.create`` (after which
the recovery key exists and must be shown whatever happens next), then unlocking the new vault into the executor
(and filling a demo vault with fictional people). If the second fails, "Try again" repeats only that one.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QProgressBar, QPushButton, QVBoxLayout, QWidget, QWizardPage

from safecase.errors import SafeCaseError
from safecase.services.demo import fill_demo_vault
from safecase.services.vault import CreatedVault, VaultService
from safecase.services.workspace import Workspace
from safecase.storage.vault_folder import refuse_existing_vault_target
from safecase.ui.executor import DatabaseExecutor, TaskContext
from safecase.ui.first_run_pages import DetailsPage, FirstRunState, NewVault, wrapped

DEMO_PEOPLE = 40


class CreatingPage(QWizardPage):
    """Shows a busy indicator while the vault is created and opened; errors appear on the page."""

    def __init__(
        self,
        vault_root: Path,
        vaults: VaultService,
        executor: DatabaseExecutor,
        state: FirstRunState,
        details: DetailsPage,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._root = vault_root
        self._vaults = vaults
        self._executor = executor
        self._state = state
        self._details = details
        self._pending: NewVault | None = None  # held only until the vault is open, for "Try again"
        self.setTitle(self.tr("Creating your vault"))
        self.setSubTitle(self.tr("SafeCase measures this computer to tune the encryption. This takes a few seconds."))
        self.status = wrapped()
        self.busy_bar = QProgressBar()
        self.busy_bar.setRange(0, 0)  # indeterminate: key derivation and demo data give no useful progress
        self.busy_bar.setTextVisible(False)
        self.busy_bar.setAccessibleName(self.tr("Creating the vault"))
        self.error = wrapped()
        self.retry_button = QPushButton(self.tr("&Try again"))
        self.retry_button.setAccessibleName(self.tr("Try again"))
        self.retry_button.clicked.connect(self._on_retry_button_clicked)
        layout = QVBoxLayout(self)
        for widget in (self.status, self.busy_bar, self.error):
            layout.addWidget(widget)
        layout.addWidget(self.retry_button, 0, Qt.AlignmentFlag.AlignLeft)
        layout.addStretch(1)
        self._show_idle()

    def initializePage(self) -> None:
        if not self._state.created:
            self._pending = self._details.new_vault()
            self._start()

    def cleanupPage(self) -> None:
        """Back to the details page after a failed attempt: the details are read again from there."""
        if not self._state.created:
            self._pending = None
            self.error.clear()

    def isComplete(self) -> bool:
        return self._state.ready

    def validatePage(self) -> bool:
        return self._state.ready

    # -- steps --------------------------------------------------------------------------------------------------

    def _start(self) -> None:
        if self._state.created:
            self._open()
        else:
            self._create()

    def _on_retry_button_clicked(self) -> None:
        self._start()

    def _create(self) -> None:
        request, root, vaults = self._require_pending(), self._root, self._vaults

        def create(_context: TaskContext) -> CreatedVault:
            refuse_existing_vault_target(root)
            return vaults.create(root, request.passphrase, request.display_name, request.organisation)

        self._show_busy(self.tr("Creating the encrypted vault…"))
        self._executor.submit(create, on_success=self._on_created, on_failure=self._on_failed, owner=self)

    def _on_created(self, created: CreatedVault) -> None:
        self._state.created = True
        self._details.forget_passphrase()
        if not self._state.demo:  # a demo vault's recovery key is not shown: its data are made up
            self._state.recovery_groups = created.recovery_key.split("-")
        self._open()

    def _open(self) -> None:
        request, folder, vaults, demo = self._require_pending(), self._root, self._vaults, self._state.demo

        def open_vault(context: TaskContext) -> None:
            session = vaults.unlock(folder, request.passphrase)
            try:
                if demo:
                    fill_demo_vault(session, people=DEMO_PEOPLE)
                workspace = Workspace(session)
            except BaseException:
                session.close()
                raise
            context.set_workspace(workspace)

        text = self.tr("Adding fictional people to the demo vault…") if demo else self.tr("Opening the new vault…")
        self._show_busy(text)
        self._executor.submit(open_vault, on_success=self._on_opened, on_failure=self._on_failed, owner=self)

    def _on_opened(self, _result: None) -> None:
        # Python strings cannot be wiped: dropping the last references is all that can be done.
        self._pending = None
        self._state.ready = True
        self._show_idle()
        self.setSubTitle(self.tr("Done."))
        if self._state.demo:
            self.status.setText(
                self.tr("Your demo vault is ready. Everything in it is fictional. Press Finish to open it.")
            )
        else:
            self.status.setText(self.tr("Your vault is ready."))
        self.completeChanged.emit()
        if not self._state.demo:
            self.wizard().next()

    def _on_failed(self, error: SafeCaseError) -> None:
        self._show_idle()
        self.status.clear()
        self.error.setText(error.message.replace(str(self._root), self.tr("[vault folder]")))
        self.retry_button.show()
        self.completeChanged.emit()

    # -- display ------------------------------------------------------------------------------------------------

    def _show_busy(self, text: str) -> None:
        self._state.busy = True
        self.status.setText(text)
        self.error.clear()
        self.busy_bar.show()
        self.retry_button.hide()
        self.completeChanged.emit()

    def _show_idle(self) -> None:
        self._state.busy = False
        self.busy_bar.hide()
        self.retry_button.hide()

    def _require_pending(self) -> NewVault:
        if self._pending is None:
            raise RuntimeError("no vault details to create a vault from")
        return self._pending
