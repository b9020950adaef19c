"""Sending a bundle: choose recipients, choose what goes, see exactly what will leave the laptop, then save.

The review page counts what the bundle will hold (cases, persons, testimonies, contact details, evidence files
and their size) from the same plan that is then written, so what the user approved is what leaves. People's
contact details go only when the user ticks a confirmation that names how many.
"""

from __future__ import annotations

from collections import Counter

from PySide6.QtCore import QDate, Qt, Signal
from PySide6.QtWidgets import (
    QButtonGroup,
    QCheckBox,
    QDateEdit,
    QListView,
    QRadioButton,
    QVBoxLayout,
    QWidget,
    QWizard,
    QWizardPage,
)

from safecase.domain.kinds import Kind
from safecase.errors import SafeCaseError, shown
from safecase.services.exchange.export import ExportPlan
from safecase.services.exchange.scope import ScopeRequest
from safecase.storage.team_contacts import TeamContact
from safecase.ui.evidence.model import human_size
from safecase.ui.executor import DatabaseExecutor, TaskContext
from safecase.ui.widgets.checkable_list import CheckableListModel, load_cases
from safecase.ui.widgets.plain import PlainLabel


class RecipientsPage(QWizardPage):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setTitle(self.tr("Who receives it"))
        self.setSubTitle(self.tr("Only the people you tick can open the bundle."))
        self.model = CheckableListModel(self)
        self.model.itemChanged.connect(lambda _item: self.completeChanged.emit())
        self.view = QListView(self)
        self.view.setModel(self.model)
        layout = QVBoxLayout(self)
        layout.addWidget(self.view)

    def set_contacts(self, contacts: list[TeamContact]) -> None:
        unverified = "  " + self.tr("(fingerprint not verified)")
        labels = [
            (contact.id, shown(contact.display_name) + ("" if contact.verified else unverified))
            for contact in contacts
            if not contact.revoked
        ]
        self.model.set_items(labels)
        self.completeChanged.emit()

    def isComplete(self) -> bool:
        return bool(self.model.checked_ids())


class ContentPage(QWizardPage):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setTitle(self.tr("What goes in it"))
        self.everything = QRadioButton(self.tr("Every record"), self)
        self.chosen_cases = QRadioButton(self.tr("Only these cases, with the people, testimonies and places they need"))
        group = QButtonGroup(self)
        group.addButton(self.everything)
        group.addButton(self.chosen_cases)
        self.everything.setChecked(True)
        self.cases = CheckableListModel(self)
        self.cases_view = QListView(self)
        self.cases_view.setModel(self.cases)
        self.only_changed = QCheckBox(self.tr("Only records changed since"), self)
        self.since = QDateEdit(QDate.currentDate().addMonths(-1), self)
        self.since.setCalendarPopup(True)
        self.since.setDisplayFormat("yyyy-MM-dd")
        self.include_contacts = QCheckBox(self.tr("Include people's contact details (phones, addresses)"), self)
        layout = QVBoxLayout(self)
        for widget in (self.everything, self.chosen_cases, self.cases_view, self.only_changed, self.since):
            layout.addWidget(widget)
        layout.addWidget(self.include_contacts)
        for signal in (self.chosen_cases.toggled, self.only_changed.toggled, self.cases.itemChanged):
            signal.connect(self._update)
        self._update()

    def request(self) -> ScopeRequest:
        since = self.since.date().toString("yyyy-MM-dd") + "T00:00:00.000Z" if self.only_changed.isChecked() else None
        cases = tuple(self.cases.checked_ids()) if self.chosen_cases.isChecked() else ()
        return ScopeRequest(case_ids=cases, since=since, include_contacts=self.include_contacts.isChecked())

    def isComplete(self) -> bool:
        return not self.chosen_cases.isChecked() or bool(self.cases.checked_ids())

    def _update(self, *_args: object) -> None:
        self.cases_view.setEnabled(self.chosen_cases.isChecked())
        self.since.setEnabled(self.only_changed.isChecked())
        self.completeChanged.emit()


class ReviewPage(QWizardPage):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setTitle(self.tr("What will leave this laptop"))
        self.summary = PlainLabel("", self)
        self.summary.setWordWrap(True)
        self.summary.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.contacts_warning = QCheckBox(self)
        self.contacts_warning.toggled.connect(lambda _checked: self.completeChanged.emit())
        layout = QVBoxLayout(self)
        layout.addWidget(self.summary)
        layout.addWidget(self.contacts_warning)
        layout.addStretch()
        self.plan: ExportPlan | None = None

    def show_counting(self) -> None:
        self.plan = None
        self.summary.setText(self.tr("Counting…"))
        self.contacts_warning.hide()
        self.completeChanged.emit()

    def show_plan(self, plan: ExportPlan) -> None:
        self.plan = plan
        self.summary.setText(self.describe(plan))
        contacts = plan.counts["contacts"]
        self.contacts_warning.setChecked(False)
        self.contacts_warning.setVisible(contacts > 0)
        self.contacts_warning.setText(
            self.tr("I understand that the contact details (%n) of people will leave this laptop.", "", contacts)
        )
        self.completeChanged.emit()

    def show_error(self, message: str) -> None:
        self.plan = None
        self.summary.setText(message)
        self.completeChanged.emit()

    def describe(self, plan: ExportPlan) -> str:
        kinds = Counter(record.kind for record in plan.records)
        names = ", ".join(shown(c.display_name) for c in plan.recipients)
        lines = [
            self.tr("To: %1").replace("%1", names),
            self.tr("%n record(s) with their whole history:", "", len(plan.records)),
            self.tr("  cases: %1").replace("%1", str(kinds[Kind.CASE.value])),
            self.tr("  persons: %1").replace("%1", str(kinds[Kind.PERSON.value])),
            self.tr("  testimonies: %1").replace("%1", str(kinds[Kind.TESTIMONY.value])),
            self.tr("  consents: %1").replace("%1", str(kinds[Kind.CONSENT.value])),
            self.tr("  events: %1").replace("%1", str(kinds[Kind.EVENT.value])),
            self.tr("  locations: %1").replace("%1", str(kinds[Kind.LOCATION.value])),
            self.tr("  contact details: %1").replace("%1", str(kinds[Kind.CONTACT.value])),
            self.tr("  evidence files: %1 (%2)")
            .replace("%2", human_size(plan.total_attachment_bytes))
            .replace("%1", str(len(plan.attachments))),
        ]
        if not plan.records:
            lines.append(self.tr("Nothing to send with these choices."))
        return "\n".join(lines)

    def isComplete(self) -> bool:
        if self.plan is None or not self.plan.records:
            return False
        return self.plan.counts["contacts"] == 0 or self.contacts_warning.isChecked()


class SendWizard(QWizard):
    """Collects the choices and the plan; the caller asks where to save and writes it (``plan_approved``)."""

    plan_approved = Signal(object)  # ExportPlan

    def __init__(self, executor: DatabaseExecutor, lang: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._executor = executor
        self._lang = lang
        self.setWindowTitle(self.tr("Send a bundle"))
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.recipients_page = RecipientsPage(self)
        self.content_page = ContentPage(self)
        self.review_page = ReviewPage(self)
        for page in (self.recipients_page, self.content_page, self.review_page):
            self.addPage(page)
        self.setButtonText(QWizard.WizardButton.FinishButton, self.tr("Save bundle…"))
        self.currentIdChanged.connect(self._on_page_changed)
        self.accepted.connect(self._on_accepted)
        self.resize(640, 520)
        self._contacts: list[TeamContact] = []
        self._plan_request = 0  # a plan that arrives after the user changed the choices again is ignored
        executor.submit(self._load, on_success=self._on_loaded, on_failure=self._on_failed, owner=self)

    def _load(self, context: TaskContext) -> tuple[list[TeamContact], list[tuple[str, str]]]:
        return context.workspace.contacts.all(), load_cases(context, self._lang)

    def _on_loaded(self, loaded: tuple[list[TeamContact], list[tuple[str, str]]]) -> None:
        self._contacts, cases = loaded
        self.recipients_page.set_contacts(self._contacts)
        self.content_page.cases.set_items(cases)

    def _on_page_changed(self, page_id: int) -> None:
        if self.page(page_id) is not self.review_page:
            return
        self.review_page.show_counting()
        self._plan_request += 1
        asked = self._plan_request
        chosen = set(self.recipients_page.model.checked_ids())
        recipients = [c for c in self._contacts if c.id in chosen]
        request = self.content_page.request()
        self._executor.submit(
            lambda context: context.workspace.bundle_exporter.plan(recipients, request),
            on_success=lambda plan: self._on_planned(asked, plan),
            on_failure=lambda error: self._on_planned(asked, error),
            owner=self,
        )

    def _on_planned(self, asked: int, outcome: ExportPlan | SafeCaseError) -> None:
        if asked != self._plan_request:
            return
        if isinstance(outcome, SafeCaseError):
            self.review_page.show_error(outcome.message)
        else:
            self.review_page.show_plan(outcome)

    def _on_accepted(self) -> None:
        if self.review_page.plan is not None:
            self.plan_approved.emit(self.review_page.plan)

    def _on_failed(self, error: SafeCaseError) -> None:
        self.recipients_page.setSubTitle(error.message)
