"""Renders the testimony and event editors to PNG (in a temporary folder) for a visual check of their layout."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

from pytestqt.qtbot import QtBot

from safecase.domain.kinds import Kind
from safecase.storage.records import RecordState
from safecase.ui.editors import create_editor
from safecase.ui.executor import DatabaseExecutor

Add = Callable[..., RecordState]


def render(qtbot: QtBot, executor: DatabaseExecutor, kind: Kind, record_id: str, path: Path) -> None:
    editor = create_editor(kind, record_id, executor=executor, lang="ko", clipboard=None)
    qtbot.addWidget(editor)
    editor.resize(1280, 800)
    editor.show()
    qtbot.waitUntil(lambda: editor.state is not None, timeout=10_000)
    qtbot.wait(300)  # titles of linked records arrive from the executor
    assert editor.grab().save(str(path))


def test_render_testimony_and_event(qtbot: QtBot, executor: DatabaseExecutor, add: Add, tmp_path: Path) -> None:
    folder = Path(os.environ.get("SAFECASE_RENDER_DIR", str(tmp_path)))
    person = add(Kind.PERSON)
    text = "2019년 3월 투먼에서 체포되어 온성 집결소로 넘겨졌습니다.\n" * 8
    testimony = add(Kind.TESTIMONY, interviewee_id=person.id, original_text=text)
    scopes = {
        "names_to_governments": False,
        "names_in_public_reports": False,
        "recontact": True,
        "share_with_un": False,
    }
    add(Kind.CONSENT, subject_person_id=person.id, testimony_id=testimony.id, scopes=scopes)
    render(qtbot, executor, Kind.TESTIMONY, testimony.id, folder / "testimony.png")
    tumen, namyang, onsong = add(Kind.LOCATION), add(Kind.LOCATION), add(Kind.LOCATION)
    event = add(
        Kind.EVENT,
        from_location_id=tumen.id,
        via_location_ids=[namyang.id],
        to_location_id=onsong.id,
        victim_ids=[person.id],
        source_testimony_ids=[testimony.id],
    )
    render(qtbot, executor, Kind.EVENT, event.id, folder / "event.png")
