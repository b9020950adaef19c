"""The Korean catalogue covers every string of the desktop interface, and its compiled .qm is the one in use.

When this fails after a UI change: python tools/translations.py update, translate the new strings in
resources/i18n/safecase_ko.ts, then python tools/translations.py compile.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from PySide6.QtCore import QCoreApplication, QTranslator
from PySide6.QtWidgets import QApplication
from tools import translations

from safecase.ui.i18n import LanguageSwitcher

# The qapp fixture builds a QApplication, which needs a platform even when no window is shown (as in tests/ui).
os.environ["QT_QPA_PLATFORM"] = "offscreen"

_SAMPLE_UI = """
from PySide6.QtCore import QObject


class SamplePane(QObject):
    def labels(self, n: int) -> list[str]:
        return [self.tr("Lock"), self.tr("Unlock"), self.tr("%n record(s)", "", n)]
"""


def _sample_catalogue(tmp_path: Path) -> tuple[Path, Path, Path]:
    folder = tmp_path / "ui"
    folder.mkdir()
    (folder / "pane.py").write_text(_SAMPLE_UI, encoding="utf-8")
    catalogue = tmp_path / "sample_ko.ts"
    translations.update(catalogue, folder)
    return folder, catalogue, tmp_path / "sample_ko.qm"


def test_korean_catalogue_has_a_finished_translation_for_every_interface_string() -> None:
    report = translations.check()

    assert report.strings > 0
    assert report.ok, "\n".join(report.lines())


def test_compiled_catalogue_translates_known_strings_to_korean() -> None:
    translator = QTranslator()
    assert translator.load(str(translations.COMPILED))

    assert translator.translate("MainWindow", "Lock") == "잠금"
    assert translator.translate("MainWindow", "Search") == "검색"
    assert translator.translate("UnlockWindow", "&Unlock") == "잠금 해제(&U)"
    assert translator.translate("RecordListPane", "%n record(s)", None, 3) == "기록 %n건"


def test_language_switcher_shows_the_interface_in_korean_and_back(qapp: QApplication) -> None:
    switcher = LanguageSwitcher(qapp)
    try:
        assert switcher.use("ko")
        assert QCoreApplication.translate("MainWindow", "Settings") == "설정"
        assert switcher.use("en")
        assert QCoreApplication.translate("MainWindow", "Settings") == "Settings"
    finally:
        switcher.use("en")


def test_check_lists_strings_without_a_finished_translation(tmp_path: Path) -> None:
    folder, catalogue, compiled = _sample_catalogue(tmp_path)
    translations.apply_translations(catalogue, {"SamplePane": {"Lock": "잠금"}})
    translations.compile_catalogue(catalogue, compiled)

    report = translations.check(catalogue, compiled, folder)

    assert not report.ok
    assert report.strings == 3
    assert sorted(message.source for message in report.missing) == ["%n record(s)", "Unlock"]
    assert report.compiled_problem is None
    assert any("SamplePane: 'Unlock'" in line for line in report.lines())


def test_check_passes_when_complete_and_fails_on_a_stale_compiled_catalogue(tmp_path: Path) -> None:
    folder, catalogue, compiled = _sample_catalogue(tmp_path)
    translations.apply_translations(
        catalogue, {"SamplePane": {"Lock": "잠금", "Unlock": "잠금 해제", "%n record(s)": ["기록 %n건"]}}
    )
    translations.compile_catalogue(catalogue, compiled)
    assert translations.check(catalogue, compiled, folder).ok

    translations.apply_translations(catalogue, {"SamplePane": {"Lock": "잠그기"}})

    report = translations.check(catalogue, compiled, folder)
    assert not report.missing
    assert report.compiled_problem is not None


def test_check_notes_but_accepts_catalogue_entries_gone_from_the_code(tmp_path: Path) -> None:
    folder, catalogue, compiled = _sample_catalogue(tmp_path)
    translations.apply_translations(
        catalogue, {"SamplePane": {"Lock": "잠금", "Unlock": "잠금 해제", "%n record(s)": ["기록 %n건"]}}
    )
    translations.compile_catalogue(catalogue, compiled)
    (folder / "pane.py").write_text(_SAMPLE_UI.replace('self.tr("Unlock"), ', ""), encoding="utf-8")

    report = translations.check(catalogue, compiled, folder)

    assert report.ok
    assert [message.source for message in report.unused] == ["Unlock"]


def test_check_rejects_a_translation_that_drops_a_placeholder(tmp_path: Path) -> None:
    folder = tmp_path / "ui"
    folder.mkdir()
    (folder / "pane.py").write_text(
        "from PySide6.QtCore import QObject\n\n\nclass SamplePane(QObject):\n"
        "    def label(self) -> str:\n        return self.tr('Saved %1')\n",
        encoding="utf-8",
    )
    catalogue, compiled = tmp_path / "sample_ko.ts", tmp_path / "sample_ko.qm"
    translations.update(catalogue, folder)
    translations.apply_translations(catalogue, {"SamplePane": {"Saved %1": "저장됨"}})
    translations.compile_catalogue(catalogue, compiled)

    report = translations.check(catalogue, compiled, folder)

    assert [message.source for message in report.bad_placeholders] == ["Saved %1"]


def test_main_reports_an_expected_error_in_one_line_with_exit_code_1(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert translations.main(["apply", str(tmp_path / "absent.json")]) == 1

    assert capsys.readouterr().err.startswith("error: cannot read")


def test_a_missing_qt_tool_is_an_expected_error_naming_it() -> None:
    with pytest.raises(translations.TranslationToolError, match="pyside6-no-such-tool not found"):
        translations.find_tool("no-such-tool")


def test_an_unknown_subcommand_exits_with_1() -> None:
    assert translations.main(["bogus"]) == 1
