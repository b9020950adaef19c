"""The bundle filter keeps the Qt plugins SafeCase uses, drops Qt's translations and the rest of the plugins, and
drops a library only when nothing kept still links to it."""

from __future__ import annotations

import pytest
from safecase_release import bundle_filter
from safecase_release.bundle_filter import Entry, drop_reason, filter_bundle, orphaned_libraries

from safecase.domain import media_types
from safecase.domain.media_types import PreviewClass, preview_class


@pytest.mark.parametrize(
    ("dest", "reason"),
    [
        ("PySide6/Qt/plugins/platforms/libqxcb.so", None),
        ("PySide6/Qt/plugins/platforms/libqoffscreen.so", None),
        ("PySide6/plugins/platforms/qwindows.dll", None),
        ("PySide6/Qt/plugins/platforms/libqcocoa.dylib", None),
        ("PySide6/Qt/plugins/multimedia/libffmpegmediaplugin.so", None),
        ("PySide6/plugins/styles/qmodernwindowsstyle.dll", None),
        ("PySide6/Qt/plugins/imageformats/libqjpeg.so", None),
        ("PySide6/Qt/plugins/platforms/libqeglfs.so", "Qt plugins"),
        ("PySide6/Qt/plugins/platformthemes/libqgtk3.so", "Qt plugins"),
        ("PySide6/Qt/plugins/platforminputcontexts/libqtvirtualkeyboardplugin.so", "Qt plugins"),
        ("PySide6/Qt/plugins/tls/libqopensslbackend.so", "Qt plugins"),
        ("PySide6/plugins/networkinformation/qnetworklistmanager.dll", "Qt plugins"),
        ("PySide6/Qt/plugins/imageformats/libqpdf.so", "Qt plugins"),
        ("PySide6/Qt/translations/qtbase_ko.qm", "Qt translations"),
        ("PySide6/translations/qt_de.qm", "Qt translations"),
        ("PySide6/Qt/lib/libQt6Core.so.6", None),
        ("resources/i18n/safecase_ko.qm", None),
        ("safecase/storage/migrations/0001_core.sql", None),
    ],
)
def test_drop_reason(dest: str, reason: str | None) -> None:
    assert drop_reason(dest) == reason


def test_every_image_type_the_viewer_shows_has_its_plugin_kept() -> None:
    shown = {media for media in media_types._TYPES if preview_class(media) is PreviewClass.IMAGE}
    assert shown == set(bundle_filter.IMAGE_PLUGIN_FOR_MEDIA_TYPE)
    kept = bundle_filter.KEEP_PLUGINS["imageformats"]
    assert kept is not None
    assert {name for name in bundle_filter.IMAGE_PLUGIN_FOR_MEDIA_TYPE.values() if name} <= kept


PLUGIN_GTK = ("PySide6/Qt/plugins/platformthemes/libqgtk3.so", "/src/libqgtk3.so", "BINARY")
PLUGIN_XCB = ("PySide6/Qt/plugins/platforms/libqxcb.so", "/src/libqxcb.so", "BINARY")
GTK = ("libgtk-3.so.0", "/usr/lib/libgtk-3.so.0", "BINARY")
CAIRO = ("libcairo.so.2", "/usr/lib/libcairo.so.2", "BINARY")
X11 = ("libX11.so.6", "/usr/lib/libX11.so.6", "BINARY")
DLOPENED = ("libQt6FFmpegStub-va.so.2", "/src/libQt6FFmpegStub-va.so.2", "BINARY")
LINKS = {
    "/src/libqgtk3.so": ["libgtk-3.so.0", "libX11.so.6", "libc.so.6"],
    "/usr/lib/libgtk-3.so.0": ["libcairo.so.2", "libX11.so.6"],
    "/src/libqxcb.so": ["libX11.so.6"],
}


def links(source: str) -> list[str]:
    return LINKS.get(source, [])


def test_libraries_only_a_dropped_plugin_needed_go_with_it() -> None:
    binaries = [PLUGIN_GTK, PLUGIN_XCB, GTK, CAIRO, X11, DLOPENED]
    assert orphaned_libraries(binaries, {PLUGIN_GTK[0]}, links) == {GTK[0], CAIRO[0]}


def test_a_library_a_kept_binary_links_to_stays_even_through_a_dropped_one() -> None:
    binaries = [PLUGIN_GTK, PLUGIN_XCB, GTK, X11]
    assert X11[0] not in orphaned_libraries(binaries, {PLUGIN_GTK[0]}, links)


def test_filter_drops_plugins_translations_orphans_and_links_to_them() -> None:
    link_to_gtk: Entry = ("PySide6/Qt/lib/libgtk-3.so.0", "../../../libgtk-3.so.0", "SYMLINK")
    link_to_x11: Entry = ("PySide6/Qt/lib/libX11.so.6", "../../../libX11.so.6", "SYMLINK")
    translation: Entry = ("PySide6/Qt/translations/qt_ko.qm", "/src/qt_ko.qm", "DATA")
    catalogue: Entry = ("resources/i18n/safecase_ko.qm", "/src/safecase_ko.qm", "DATA")
    result = filter_bundle(
        [PLUGIN_GTK, PLUGIN_XCB, GTK, CAIRO, X11, DLOPENED], [translation, catalogue, link_to_gtk, link_to_x11], links
    )
    assert result.binaries == [PLUGIN_XCB, X11, DLOPENED]
    assert result.datas == [catalogue, link_to_x11]
    assert result.dropped == {
        "Qt plugins": [PLUGIN_GTK[0]],
        "libraries only dropped plugins used": [GTK[0], CAIRO[0]],
        "Qt translations": [translation[0]],
        "links to dropped files": [link_to_gtk[0]],
    }
    assert "1 Qt plugins" in result.summary()
