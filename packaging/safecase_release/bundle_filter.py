"""What of PyInstaller's findings goes into the app folder: the Qt plugins SafeCase uses, none of Qt's own
translations (the app loads only its catalogue), and no library that only a dropped plugin needed.

PyInstaller's Qt hooks collect every plugin of a type a used Qt module may load (a virtual keyboard that drags in
QML and Qt Quick, a GTK theme that drags in GTK, EGLFS, network and TLS back ends) and then every library those
plugins link to. The spec calls `filter_bundle` on the analysis, before anything is copied. Pure Python, no
PyInstaller import, so tests run it on made-up tables of contents.
"""

from __future__ import annotations

import posixpath
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field

Entry = tuple[str, str, str]  # PyInstaller TOC entry: (destination in the bundle, source or link target, typecode)

# Plugin types SafeCase needs, each with the plugins to keep (None: all of that type). Names are file names without
# "lib" and extension, as on Linux (libqxcb.so), Windows (qwindows.dll) and macOS (libqcocoa.dylib).
KEEP_PLUGINS: Mapping[str, frozenset[str] | None] = {
    # Windows, macOS, X11 and Wayland desktops; offscreen renders reports and runs the headless checks.
    "platforms": frozenset({"qxcb", "qwayland", "qwindows", "qcocoa", "qoffscreen"}),
    "platformthemes": frozenset({"qxdgdesktopportal"}),  # not qgtk3: it would bring GTK and its libraries
    # Hangul input: compose and IBus (the virtual keyboard needs QML and Qt Quick, which SafeCase does not use).
    "platforminputcontexts": frozenset({"composeplatforminputcontextplugin", "ibusplatforminputcontextplugin"}),
    "styles": None,  # Windows' native style
    "permissions": None,  # macOS microphone permission, for recording interviews
    # Evidence previews: JPEG, GIF, TIFF, WebP (PNG and BMP are built into QtGui), and the SVG app icon.
    "imageformats": frozenset({"qjpeg", "qgif", "qtiff", "qwebp", "qsvg"}),
    "iconengines": frozenset({"qsvgicon"}),
    "multimedia": None,  # FFmpeg (and the native back ends on Windows and macOS): playback and recording
    "xcbglintegrations": None,
    "wayland-shell-integration": None,
    "wayland-decoration-client": None,
    "wayland-graphics-integration-client": None,
}

# Image formats the evidence viewer shows through Qt's plugins, by media type (tests compare with the domain's list).
IMAGE_PLUGIN_FOR_MEDIA_TYPE: Mapping[str, str | None] = {
    "image/jpeg": "qjpeg",
    "image/gif": "qgif",
    "image/tiff": "qtiff",
    "image/webp": "qwebp",
    "image/png": None,  # built into QtGui
    "image/bmp": None,  # built into QtGui
}

KEEP_QT_TRANSLATIONS: frozenset[str] = frozenset()  # e.g. "qtbase_ko.qm", once the app loads Qt's own catalogue


@dataclass
class FilterResult:
    binaries: list[Entry]
    datas: list[Entry]
    dropped: dict[str, list[str]] = field(default_factory=dict)  # reason -> destinations

    def summary(self) -> str:
        return ", ".join(f"{len(names)} {reason}" for reason, names in sorted(self.dropped.items())) or "nothing"


def plugin_name(file_name: str) -> str:
    """``libqxcb.so`` -> ``qxcb``; ``qwindows.dll`` -> ``qwindows``; ``libqcocoa.dylib`` -> ``qcocoa``."""
    stem = file_name.split(".", 1)[0]
    return stem[3:] if stem.startswith("lib") else stem


def _qt_area(dest: str) -> tuple[str, list[str]] | None:
    """("plugins" | "translations", the path below it) for a file of PySide6's Qt, else None."""
    parts = dest.replace("\\", "/").split("/")
    if not parts or parts[0] != "PySide6":
        return None
    rest = parts[2:] if len(parts) > 2 and parts[1] == "Qt" else parts[1:]  # PySide6/Qt/plugins or PySide6/plugins
    if len(rest) >= 2 and rest[0] in ("plugins", "translations"):
        return rest[0], rest[1:]
    return None


def drop_reason(dest: str) -> str | None:
    """Why a file PyInstaller collected stays out of the bundle, or None if it goes in."""
    area = _qt_area(dest)
    if area is None:
        return None
    kind, below = area
    if kind == "translations":
        return None if below[-1] in KEEP_QT_TRANSLATIONS else "Qt translations"
    if len(below) < 2:
        return None
    keep = KEEP_PLUGINS.get(below[0], frozenset())
    if keep is None or plugin_name(below[-1]) in keep:
        return None
    return "Qt plugins"


def _library_key(dest: str) -> str:
    return posixpath.basename(dest.replace("\\", "/")).lower()


def orphaned_libraries(
    binaries: Iterable[Entry], dropped: set[str], imports: Callable[[str], Iterable[str]]
) -> set[str]:
    """Destinations of libraries reachable only through the dropped binaries' link-time dependencies.

    ``imports(source)`` names what a binary links to (base names). A library that something kept links to, or that
    no dropped binary links to (it was collected for its own sake, e.g. loaded with dlopen), stays.
    """
    files = [entry for entry in binaries if entry[2] != "SYMLINK"]
    by_name: dict[str, list[Entry]] = {}
    for entry in files:
        by_name.setdefault(_library_key(entry[0]), []).append(entry)

    def closure(roots: Iterable[Entry]) -> set[str]:
        seen: set[str] = set()
        pending = list(roots)
        while pending:
            entry = pending.pop()
            for name in imports(entry[1]):
                for target in by_name.get(_library_key(name), []):
                    if target[0] not in seen:
                        seen.add(target[0])
                        pending.append(target)
        return seen

    candidates = closure(entry for entry in files if entry[0] in dropped) - dropped
    kept_roots = [entry for entry in files if entry[0] not in dropped and entry[0] not in candidates]
    return candidates - closure(kept_roots)


def _link_target(entry: Entry) -> str:
    return posixpath.normpath(posixpath.join(posixpath.dirname(entry[0].replace("\\", "/")), entry[1]))


def filter_bundle(
    binaries: Iterable[Entry], datas: Iterable[Entry], imports: Callable[[str], Iterable[str]]
) -> FilterResult:
    binaries, datas = list(binaries), list(datas)
    result = FilterResult(binaries=[], datas=[])
    reasons: dict[str, str] = {}
    for dest, _source, typecode in binaries + datas:
        reason = None if typecode == "SYMLINK" else drop_reason(dest)
        if reason:
            reasons[dest] = reason
    plugins = {dest for dest, reason in reasons.items() if reason == "Qt plugins"}
    for dest in orphaned_libraries(binaries, plugins, imports):
        reasons[dest] = "libraries only dropped plugins used"
    for entry in binaries + datas:
        if entry[2] == "SYMLINK" and _link_target(entry) in reasons:
            reasons[entry[0]] = "links to dropped files"
    for entries, kept in ((binaries, result.binaries), (datas, result.datas)):
        for entry in entries:
            reason = reasons.get(entry[0])
            if reason is None:
                kept.append(entry)
            else:
                result.dropped.setdefault(reason, []).append(entry[0])
    return result
