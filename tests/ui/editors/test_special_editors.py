"""Dedicated editors: testimony with its consent panel, consent withdrawal, masked contacts, the event route."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtGui import QClipboard, QGuiApplication
from PySide6.QtTest import QTest
from pytestqt.qtbot import QtBot

from safecase.domain.clock import FakeClock
from safecase.domain.kinds import Kind
from safecase.domain.records import validate_body
from safecase.storage.records import RecordState
from safecase.ui.editors import RecordEditor, create_editor
from safecase.ui.editors.consent import ConsentEditor
from safecase.ui.editors.contact import MASK, ContactEditor
from safecase.ui.editors.event import EventEditor
from safecase.ui.editors.tab_order import focusable_controls
from safecase.ui.editors.testimony import TestimonyEditor
from safecase.ui.executor import DatabaseExecutor
from safecase.ui.protection.clipboard_guard import KDE_HINT_FORMAT, ClipboardGuard
from tests.factories import make_body

Add = Callable[..., RecordState]
KOREAN = "2019년 3월 투먼에서 체포되어 온성 집결소로 넘겨졌습니다. <b>x</b><img src=x>"


def open_editor(qtbot: QtBot, executor: DatabaseExecutor, kind: Kind, record_id: str | None) -> RecordEditor:
    guard = ClipboardGuard(qtbot_clipboard(), FakeClock(0))
    editor = create_editor(kind, record_id, executor=executor, lang="ko", clipboard=guard)
    qtbot.addWidget(editor)
    if record_id is not None:
        qtbot.waitUntil(lambda: editor.state is not None, timeout=10_000)
    return editor


def qtbot_clipboard() -> QClipboard:
    return QGuiApplication.clipboard()


def stored_testimony(add: Add) -> RecordState:
    person = add(Kind.PERSON)
    return add(Kind.TESTIMONY, interviewee_id=person.id, original_text=KOREAN)


def scope_consent(add: Add, record: RecordState, **scopes: bool) -> RecordState:
    all_scopes = {"names_to_governments": False, "names_in_public_reports": False, "recontact": False}
    all_scopes |= {"share_with_un": False} | scopes
    body = {"subject_person_id": record.body["interviewee_id"], "testimony_id": record.id, "scopes": all_scopes}
    return add(Kind.CONSENT, **body)


def test_a_testimony_with_korean_text_round_trips(qtbot: QtBot, executor: DatabaseExecutor, add: Add) -> None:
    state = stored_testimony(add)
    editor = open_editor(qtbot, executor, Kind.TESTIMONY, state.id)
    assert isinstance(editor, TestimonyEditor)
    assert validate_body(Kind.TESTIMONY, editor.current_body()) == state.body
    assert editor.form.rows["original_text"].widget.edit.toPlainText() == KOREAN  # type: ignore[attr-defined]


def test_consent_panel_warns_until_a_consent_covers_the_scope(
    qtbot: QtBot, executor: DatabaseExecutor, add: Add
) -> None:
    state = stored_testimony(add)
    scope_consent(add, state, recontact=True)
    editor = open_editor(qtbot, executor, Kind.TESTIMONY, state.id)
    assert isinstance(editor, TestimonyEditor)
    panel = editor.consent_panel
    qtbot.waitUntil(lambda: "1" in panel.count_label.text(), timeout=10_000)
    assert any("유엔과 공유" in warning for warning in panel.warnings())
    assert not any("재연락" in warning for warning in panel.warnings())
    scope_consent(add, state, share_with_un=True)
    editor.refresh_consents()
    qtbot.waitUntil(lambda: "2" in panel.count_label.text(), timeout=10_000)
    assert not any("유엔과 공유" in warning for warning in panel.warnings())


def test_withdrawing_a_consent_records_a_withdrawal_and_the_panel_shows_it(
    qtbot: QtBot, executor: DatabaseExecutor, add: Add
) -> None:
    state = stored_testimony(add)
    consent = scope_consent(add, state, share_with_un=True)
    editor = open_editor(qtbot, executor, Kind.CONSENT, consent.id)
    assert isinstance(editor, ConsentEditor) and editor.read_only
    assert editor.withdraw_button.isVisibleTo(editor) and not editor.record_button.isVisibleTo(editor)
    with qtbot.waitSignal(editor.open_record, timeout=10_000) as opened:
        editor.withdraw({"method": "written", "given_on": "2020-01-02"})
    assert opened.args is not None and opened.args[0] == "consent"
    panel_editor = open_editor(qtbot, executor, Kind.TESTIMONY, state.id)
    assert isinstance(panel_editor, TestimonyEditor)
    qtbot.waitUntil(lambda: "2" in panel_editor.consent_panel.count_label.text(), timeout=10_000)
    assert panel_editor.consent_panel.statuses["share_with_un"] == "withdrawn"


def test_recording_consent_from_the_testimony_prefills_subject_and_testimony(
    qtbot: QtBot, executor: DatabaseExecutor, add: Add
) -> None:
    state = stored_testimony(add)
    editor = open_editor(qtbot, executor, Kind.TESTIMONY, state.id)
    assert isinstance(editor, TestimonyEditor)
    body = editor.consent_body()
    assert body["subject_person_id"] == state.body["interviewee_id"] and body["testimony_id"] == state.id
    consent = ConsentEditor(None, editor.context, initial_body=body)
    qtbot.addWidget(consent)
    consent.form.rows["method"].widget.set_value("written")
    with qtbot.waitSignal(consent.saved, timeout=10_000):
        consent.record_button.click()
    assert consent.read_only


def test_contact_value_is_masked_until_revealed_and_again_when_hidden(
    qtbot: QtBot, executor: DatabaseExecutor, add: Add
) -> None:
    person = add(Kind.PERSON)
    contact = add(Kind.CONTACT, person_id=person.id)
    editor = open_editor(qtbot, executor, Kind.CONTACT, contact.id)
    assert isinstance(editor, ContactEditor)
    field = editor.value_field
    editor.show()
    assert field.masked and field.masked_view.text() == MASK
    assert not field.edit.isVisible()
    field.reveal_button.click()
    assert not field.masked and field.edit.toPlainText() == contact.body["value"]
    field.copy_button.click()
    assert qtbot_clipboard().text() == contact.body["value"]
    editor.hide()
    assert field.masked
    assert validate_body(Kind.CONTACT, editor.current_body()) == contact.body


def test_event_route_round_trips(qtbot: QtBot, executor: DatabaseExecutor, add: Add) -> None:
    onsong, tumen, namyang = add(Kind.LOCATION), add(Kind.LOCATION), add(Kind.LOCATION)
    body = make_body(Kind.EVENT, from_location_id=tumen.id, via_location_ids=[namyang.id], to_location_id=onsong.id)
    state = add(Kind.EVENT, **body)
    editor = open_editor(qtbot, executor, Kind.EVENT, state.id)
    assert isinstance(editor, EventEditor)
    assert validate_body(Kind.EVENT, editor.current_body()) == state.body


def rows_in_tab_order(editor: RecordEditor, first_row: str) -> list[str]:
    """The form rows Tab visits, starting at ``first_row``, as a keyboard user meets them."""
    rows = editor.form.rows
    owner = {control: name for name, row in rows.items() for control in focusable_controls(row)}
    control = focusable_controls(rows[first_row])[0]
    visited: list[str] = []
    for _ in range(400):
        name = owner.get(control)
        if name is not None and (not visited or visited[-1] != name):
            visited.append(name)
        following = control.nextInFocusChain()
        if following is None:
            break
        control = following
    return list(dict.fromkeys(visited))


def test_tab_follows_the_testimony_layout(qtbot: QtBot, executor: DatabaseExecutor) -> None:
    editor = open_editor(qtbot, executor, Kind.TESTIMONY, None)
    order = rows_in_tab_order(editor, "interviewee_id")
    assert order[:6] == ["interviewee_id", "interviewer", "interpreter", "date", "place", "place_location_id"]
    assert order.index("original_text") < order.index("translation") < order.index("summary")


def test_tab_follows_the_event_route(qtbot: QtBot, executor: DatabaseExecutor) -> None:
    editor = open_editor(qtbot, executor, Kind.EVENT, None)
    order = rows_in_tab_order(editor, "type")
    assert order[:3] == ["type", "title", "location_id"]
    assert order.index("from_location_id") < order.index("via_location_ids") < order.index("to_location_id")


def test_ctrl_c_in_a_revealed_contact_copies_through_the_guard(
    qtbot: QtBot, executor: DatabaseExecutor, add: Add
) -> None:
    person = add(Kind.PERSON)
    contact = add(Kind.CONTACT, person_id=person.id)
    editor = open_editor(qtbot, executor, Kind.CONTACT, contact.id)
    assert isinstance(editor, ContactEditor)
    editor.show()
    field = editor.value_field
    field.reveal_button.click()
    qtbot_clipboard().clear()
    field.edit.setFocus()
    field.edit.selectAll()
    QTest.keyClick(field.edit, Qt.Key.Key_C, Qt.KeyboardModifier.ControlModifier)
    assert qtbot_clipboard().text() == contact.body["value"]
    assert KDE_HINT_FORMAT in qtbot_clipboard().mimeData().formats()  # marked as concealed: it came via the guard
    assert field.edit.contextMenuPolicy() == Qt.ContextMenuPolicy.NoContextMenu
