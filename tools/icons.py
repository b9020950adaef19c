"""Derive the app icon's per-size files from resources/icons/safecase.svg (the one drawing everything comes from).

    python tools/icons.py render   # write the PNGs (Linux hicolor theme), safecase.ico (Windows), safecase.icns (macOS)
    python tools/icons.py check    # fail if one is missing or not the size it claims (tests/packaging runs this)

The PNGs are drawn by Qt's SVG renderer; the ICO and ICNS files are written here from those PNGs (both formats are
a small index followed by PNG images), so no other tool is needed. The outputs are committed.
"""

from __future__ import annotations

import argparse
import os
import struct
import sys
from collections.abc import Sequence
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
ICONS = ROOT / "resources" / "icons"
SOURCE = ICONS / "safecase.svg"
APP_ID = "org.safecase.SafeCase"
HICOLOR_SIZES = (16, 24, 32, 48, 64, 128, 256, 512)
ICO_SIZES = (16, 24, 32, 48, 64, 128, 256)
# ICNS element types holding PNG data, with the pixel size of each (the @2x types are Retina versions).
ICNS_TYPES: tuple[tuple[bytes, int], ...] = (
    (b"icp4", 16),
    (b"icp5", 32),
    (b"icp6", 64),
    (b"ic07", 128),
    (b"ic08", 256),
    (b"ic09", 512),
    (b"ic10", 1024),
    (b"ic11", 32),
    (b"ic12", 64),
    (b"ic13", 256),
    (b"ic14", 512),
)
_PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


def hicolor_png(size: int) -> Path:
    return ICONS / "hicolor" / f"{size}x{size}" / "apps" / f"{APP_ID}.png"


def render_png(svg: Path, size: int) -> bytes:
    """The SVG drawn on a transparent square of ``size`` pixels, as PNG bytes. Needs a Qt application object (the
    caller's: a test's QApplication must not be preceded by a bare QGuiApplication made here)."""
    from PySide6.QtCore import QBuffer, QByteArray, QIODevice, Qt
    from PySide6.QtGui import QImage, QPainter
    from PySide6.QtSvg import QSvgRenderer

    renderer = QSvgRenderer(str(svg))
    if not renderer.isValid():
        raise ValueError(f"{svg} is not an SVG Qt can draw")
    image = QImage(size, size, QImage.Format.Format_ARGB32)
    image.fill(Qt.GlobalColor.transparent)
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform)
    renderer.render(painter)
    painter.end()
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    # PySide6 6.11 takes the format as str at run time; its type stubs say bytes.
    if not image.save(buffer, "PNG"):  # type: ignore[call-overload]
        raise ValueError(f"could not encode a {size} px PNG")
    return bytes(data.data())


def png_size(data: bytes) -> tuple[int, int]:
    """Width and height from a PNG's IHDR chunk."""
    if not data.startswith(_PNG_SIGNATURE) or data[12:16] != b"IHDR":
        raise ValueError("not a PNG image")
    width, height = struct.unpack(">II", data[16:24])
    return width, height


def ico_bytes(images: Sequence[bytes]) -> bytes:
    """A Windows icon holding the given PNG images (Windows Vista and later read PNG entries)."""
    header = struct.pack("<HHH", 0, 1, len(images))
    offset = len(header) + 16 * len(images)
    entries, payload = b"", b""
    for image in images:
        width, height = png_size(image)
        entries += struct.pack(
            "<BBBBHHII", width % 256, height % 256, 0, 0, 1, 32, len(image), offset + len(payload)
        )  # 256 is written as 0
        payload += image
    return header + entries + payload


def read_ico(data: bytes) -> list[tuple[int, bytes]]:
    """(size, PNG bytes) of each image in an ICO file."""
    reserved, kind, count = struct.unpack_from("<HHH", data)
    if reserved != 0 or kind != 1:
        raise ValueError("not an ICO file")
    found = []
    for index in range(count):
        width, _h, _c, _r, _p, _b, length, offset = struct.unpack_from("<BBBBHHII", data, 6 + 16 * index)
        found.append((width or 256, data[offset : offset + length]))
    return found


def icns_bytes(elements: Sequence[tuple[bytes, bytes]]) -> bytes:
    """A macOS icon family of (type, PNG bytes) elements."""
    body = b"".join(kind + struct.pack(">I", 8 + len(image)) + image for kind, image in elements)
    return b"icns" + struct.pack(">I", 8 + len(body)) + body


def read_icns(data: bytes) -> list[tuple[bytes, bytes]]:
    if data[:4] != b"icns" or struct.unpack(">I", data[4:8])[0] != len(data):
        raise ValueError("not an ICNS file")
    found, offset = [], 8
    while offset < len(data):
        kind, length = data[offset : offset + 4], struct.unpack(">I", data[offset + 4 : offset + 8])[0]
        found.append((kind, data[offset + 8 : offset + length]))
        offset += length
    return found


def render(svg: Path = SOURCE) -> list[Path]:
    pngs = {size: render_png(svg, size) for size in sorted({*HICOLOR_SIZES, *ICO_SIZES, 1024})}
    written = []
    for size in HICOLOR_SIZES:
        path = hicolor_png(size)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(pngs[size])
        written.append(path)
    (ICONS / "safecase.ico").write_bytes(ico_bytes([pngs[size] for size in ICO_SIZES]))
    (ICONS / "safecase.icns").write_bytes(icns_bytes([(kind, pngs[size]) for kind, size in ICNS_TYPES]))
    return [*written, ICONS / "safecase.ico", ICONS / "safecase.icns"]


def problems() -> list[str]:
    """What is missing or wrong among the derived icon files."""
    found: list[str] = []
    for size in HICOLOR_SIZES:
        path = hicolor_png(size)
        if not path.is_file():
            found.append(f"missing {path.relative_to(ROOT)}")
        elif png_size(path.read_bytes()) != (size, size):
            found.append(f"{path.relative_to(ROOT)} is not {size}x{size}")
    for name, reader, expected in (
        ("safecase.ico", _ico_sizes, sorted(ICO_SIZES)),
        ("safecase.icns", _icns_sizes, sorted(size for _kind, size in ICNS_TYPES)),
    ):
        path = ICONS / name
        if not path.is_file():
            found.append(f"missing {path.relative_to(ROOT)}")
        elif (sizes := reader(path.read_bytes())) != expected:
            found.append(f"{name} holds sizes {sizes}, expected {expected}")
    return found


def _ico_sizes(data: bytes) -> list[int]:
    images = read_ico(data)
    for size, image in images:
        if png_size(image) != (size, size):
            raise ValueError(f"ICO entry of {size} px holds a {png_size(image)} image")
    return sorted(size for size, _image in images)


def _icns_sizes(data: bytes) -> list[int]:
    expected = dict(ICNS_TYPES)
    sizes = []
    for kind, image in read_icns(data):
        width, height = png_size(image)
        if kind not in expected or (width, height) != (expected[kind], expected[kind]):
            raise ValueError(f"ICNS element {kind!r} holds a {width}x{height} image")
        sizes.append(width)
    return sorted(sizes)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("action", choices=["render", "check"])
    args = parser.parse_args(argv)
    if args.action == "render":
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
        from PySide6.QtGui import QGuiApplication

        _app = QGuiApplication.instance() or QGuiApplication([])
        for path in render():
            print(path.relative_to(ROOT))
        return 0
    try:
        found = problems()
    except ValueError as error:
        found = [str(error)]
    for problem in found:
        print(f"icons: {problem} (run: python tools/icons.py render)", file=sys.stderr)
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main())
