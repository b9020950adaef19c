"""Stripping metadata: EXIF (with GPS), XMP, IPTC, comments and PNG text leave JPEG and PNG files while the pixels
stay the same; damaged images raise MetadataStripError and nothing else; other formats pass through with a note.

Images are made with QImage in memory and the metadata is spliced in by hand; all content is fictional.
"""

from __future__ import annotations

import contextlib
import io
import random
import struct
import zlib
from collections.abc import Sequence
from typing import BinaryIO

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from PySide6.QtCore import QBuffer, QByteArray, QIODevice
from PySide6.QtGui import QColor, QColorSpace, QImage, QImageWriter

from safecase.errors import ExitCode
from safecase.services.metadata_strip import (
    _PNG_KEPT,
    DAMAGED_MESSAGE,
    ORIENTATION_LABEL,
    TRAILER_LABEL,
    UNSUPPORTED_MESSAGE,
    MetadataStripError,
    StripResult,
    strip_metadata,
)

SECRET = b"FICTIONAL-LOCATION-4711"
XMP = b"http://ns.adobe.com/xap/1.0/\x00"
PROPERTY = settings(max_examples=60, deadline=None)


# --- building images ------------------------------------------------------------------------------------------------


def sample_image(width: int = 16, height: int = 12) -> QImage:
    image = QImage(width, height, QImage.Format.Format_RGB32)
    for x in range(width):
        for y in range(height):
            image.setPixelColor(x, y, QColor(x * 255 // width, y * 255 // height, (x * y) % 256))
    image.setColorSpace(QColorSpace(QColorSpace.NamedColorSpace.SRgb))  # so that Qt writes an ICC profile
    return image


def noise_image(width: int, height: int) -> QImage:
    pixels = random.Random(7).randbytes(width * height * 3)
    return QImage(pixels, width, height, width * 3, QImage.Format.Format_RGB888).copy()


def encode(image: QImage, image_format: bytes, progressive: bool = False, quality: int = 90) -> bytes:
    array = QByteArray()
    buffer = QBuffer(array)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    writer = QImageWriter(buffer, image_format)
    writer.setQuality(quality)
    writer.setProgressiveScanWrite(progressive)
    assert writer.write(image)
    return bytes(array.data())


def pixels(data: bytes) -> QImage:
    image = QImage.fromData(data)
    assert not image.isNull()
    return image.convertToFormat(QImage.Format.Format_ARGB32)


def strip(media_type: str, data: bytes) -> tuple[bytes, StripResult]:
    out = io.BytesIO()
    result = strip_metadata(media_type, io.BytesIO(data), out)
    return out.getvalue(), result


class TrickleReader(io.RawIOBase):
    """Returns at most `step` bytes per read, to move every block boundary around."""

    def __init__(self, data: bytes, step: int) -> None:
        self._data = io.BytesIO(data)
        self._step = step

    def readable(self) -> bool:
        return True

    def read(self, size: int = -1) -> bytes:
        return self._data.read(self._step if size < 0 else min(size, self._step))


class RecordingWriter(io.BytesIO):
    largest_write = 0

    def write(self, data: bytes) -> int:  # type: ignore[override]
        self.largest_write = max(self.largest_write, len(data))
        return super().write(data)


# --- JPEG segments --------------------------------------------------------------------------------------------------


def segment(code: int, payload: bytes) -> bytes:
    return bytes((0xFF, code)) + struct.pack(">H", len(payload) + 2) + payload


def jpeg_units(data: bytes) -> list[bytes]:
    """A JPEG cut into its segments, each scan with its entropy-coded data, and EOI (last)."""
    units, pos = [], 2
    while data[pos + 1] != 0xD9:
        end = pos + 2 + struct.unpack(">H", data[pos + 2 : pos + 4])[0]
        if data[pos + 1] == 0xDA:
            while not (data[end] == 0xFF and data[end + 1] not in (0x00, *range(0xD0, 0xD8))):
                end += 1
        units.append(data[pos:end])
        pos = end
    return [*units, data[pos:]]


def with_units(data: bytes, insertions: Sequence[tuple[int, bytes]]) -> bytes:
    units = jpeg_units(data)
    for position, unit in sorted(insertions, key=lambda item: -item[0]):
        units.insert(position, unit)
    return b"\xff\xd8" + b"".join(units)


def tiff_ifd(offset: int, entries: Sequence[tuple[int, int, bytes]], endian: str) -> bytes:
    """An image file directory placed at `offset`; values longer than four bytes follow it."""
    sizes = {2: 1, 3: 2, 4: 4, 5: 8, 7: 1}
    table, data = struct.pack(endian + "H", len(entries)), b""
    data_at = offset + 2 + 12 * len(entries) + 4
    for tag, kind, value in entries:
        field = value.ljust(4, b"\x00") if len(value) <= 4 else struct.pack(endian + "I", data_at + len(data))
        if len(value) > 4:
            data += value + b"\x00" * (len(value) % 2)
        table += struct.pack(endian + "HHI", tag, kind, len(value) // sizes[kind]) + field
    return table + b"\x00\x00\x00\x00" + data


def exif_payload(orientation: int = 1, endian: str = "<") -> bytes:
    """EXIF with an orientation and a GPS directory: latitude, longitude and an area note holding SECRET."""
    gps_at = 8 + 2 + 2 * 12 + 4  # after the header and the two-entry first directory
    orientation_entry = (0x0112, 3, struct.pack(endian + "H", orientation))
    ifd0 = tiff_ifd(8, [orientation_entry, (0x8825, 4, struct.pack(endian + "I", gps_at))], endian)
    rational = struct.pack(endian + "6I", 37, 1, 33, 1, 1, 100)
    gps_entries = [(1, 2, b"N\x00"), (2, 5, rational), (3, 2, b"E\x00"), (4, 5, rational), (0x1C, 7, SECRET)]
    gps = tiff_ifd(gps_at, gps_entries, endian)
    byte_order = b"II*\x00" if endian == "<" else b"MM\x00*"
    return b"Exif\x00\x00" + byte_order + struct.pack(endian + "I", 8) + ifd0 + gps


def photoshop_payload() -> bytes:
    iptc = b"\x1c\x02\x5a" + struct.pack(">H", len(SECRET)) + SECRET  # IPTC City
    return b"Photoshop 3.0\x008BIM\x04\x04\x00\x00" + struct.pack(">I", len(iptc)) + iptc


METADATA_SEGMENTS = [
    segment(0xE1, exif_payload()),
    segment(0xE1, XMP + b'<x:xmpmeta><rdf:Description photoshop:City="' + SECRET + b'"/></x:xmpmeta>'),
    segment(0xFE, b"Taken by " + SECRET),
    segment(0xED, photoshop_payload()),
    segment(0xE4, b"Vendor\x00" + SECRET),
    segment(0xEF, b"Vendor\x00" + SECRET),
]
EXPECTED_LABELS = ("EXIF (APP1)", "XMP", "comment", "IPTC/Photoshop (APP13)", "APP4", "APP15")


def test_jpeg_strip_removes_exif_gps_xmp_iptc_and_comments_and_keeps_pixels() -> None:
    clean = encode(sample_image(), b"jpeg")
    dirty = with_units(clean, [(1, b"".join(METADATA_SEGMENTS))])
    out, result = strip("image/jpeg", dirty)
    assert SECRET in dirty and SECRET not in out
    assert result == StripResult(EXPECTED_LABELS, "")
    assert out.startswith(b"\xff\xd8\xff\xe0\x00\x10JFIF\x00")
    assert b"ICC_PROFILE\x00" in out
    assert pixels(out) == pixels(dirty) == pixels(clean)


def test_jpeg_without_metadata_is_copied_byte_for_byte() -> None:
    for data in (encode(sample_image(), b"jpeg"), encode(sample_image(), b"jpeg", progressive=True)):
        assert strip("image/jpeg", data) == (data, StripResult((), ""))


def test_progressive_jpeg_loses_metadata_between_scans() -> None:
    clean = encode(sample_image(40, 30), b"jpeg", progressive=True)
    scans = [i for i, unit in enumerate(jpeg_units(clean)) if unit.startswith(b"\xff\xda")]
    assert len(scans) > 1
    dirty = with_units(clean, [(scans[1], METADATA_SEGMENTS[2]), (scans[-1], METADATA_SEGMENTS[0])])
    out, result = strip("image/jpeg", dirty)
    assert SECRET not in out
    assert result.stripped == ("comment", "EXIF (APP1)")
    assert pixels(out) == pixels(clean)


@pytest.mark.parametrize("endian", ["<", ">"])
def test_jpeg_notes_that_a_turning_orientation_went_with_exif(endian: str) -> None:
    clean = encode(sample_image(), b"jpeg")
    turned = with_units(clean, [(1, segment(0xE1, exif_payload(orientation=6, endian=endian)))])
    upright = with_units(clean, [(1, segment(0xE1, exif_payload(orientation=1, endian=endian)))])
    assert strip("image/jpeg", turned)[1].stripped == ("EXIF (APP1)", ORIENTATION_LABEL)
    assert strip("image/jpeg", upright)[1].stripped == ("EXIF (APP1)",)


def test_jpeg_keeps_adobe_and_icc_but_drops_other_app2_and_jfif_thumbnail() -> None:
    clean = encode(sample_image(), b"jpeg")
    jfif_with_thumbnail = segment(0xE0, b"JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x01\x01" + SECRET[:3])
    adobe = segment(0xEE, b"Adobe\x00\x64\x00\x00\x00\x00\x01")
    units = jpeg_units(clean)
    dirty = b"\xff\xd8" + jfif_with_thumbnail + b"".join(units[1:2]) + adobe + segment(0xE2, b"MPF\x00" + SECRET)
    dirty += b"".join(units[2:])
    out, result = strip("image/jpeg", dirty)
    assert result.stripped == ("JFIF thumbnail", "MPF (APP2)")
    assert out.startswith(b"\xff\xd8" + segment(0xE0, b"JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00"))
    assert adobe in out and units[1] in out and SECRET not in out


def test_jpeg_drops_data_after_end_of_image() -> None:
    clean = encode(sample_image(), b"jpeg")
    out, result = strip("image/jpeg", clean + b"SEFH" + SECRET + clean)
    assert out == clean
    assert result.stripped == (TRAILER_LABEL,)


def test_jpeg_keeps_restart_markers_stuffed_bytes_and_standalone_markers() -> None:
    header = (
        b"\xff\xd8" + b"\xff\x01" + segment(0xDB, b"\x00" + bytes(64)) + b"\xff\xff\xff" + segment(0xDD, b"\x00\x04")
    )
    scan = segment(0xDA, b"\x01\x01\x00\x00\x3f\x00") + b"\x12\xff\x00\x34\xff\xd0\x56\xff\xd1\xff\xff"
    data = header + scan + segment(0xFE, SECRET) + scan + b"\xff\xd9"
    expected = header.replace(b"\xff\xff\xff", b"") + scan + scan + b"\xff\xd9"
    for step in (1, 2, 3, 5, 1 << 16):
        out = io.BytesIO()
        result = strip_metadata("image/jpeg", TrickleReader(data, step), out)  # type: ignore[arg-type]
        assert out.getvalue() == expected
        assert result.stripped == ("comment",)


def test_jpeg_with_large_scan_streams_across_block_boundaries() -> None:
    clean = encode(noise_image(300, 300), b"jpeg", quality=100)
    assert len(clean) > 4 * (1 << 16)
    writer = RecordingWriter()
    strip_metadata("image/jpeg", io.BytesIO(with_units(clean, [(1, METADATA_SEGMENTS[0])])), writer)
    assert writer.getvalue() == clean
    assert writer.largest_write <= 1 << 16


def test_truncated_scan_is_copied_as_far_as_it_goes() -> None:
    clean = encode(sample_image(), b"jpeg")
    out, result = strip("image/jpeg", clean[:-40])
    assert out == clean[:-40]
    assert result == StripResult((), "")


BAD_JPEGS = {
    "empty": b"",
    "no-soi": b"\xff\xd9\xff\xd8",
    "only-soi": b"\xff\xd8",
    "not-a-marker": b"\xff\xd8\x00\x10JFIF",
    "zero-marker": b"\xff\xd8\xff\x00",
    "short-length": b"\xff\xd8\xff\xe0\x00\x01",
    "truncated-segment": b"\xff\xd8\xff\xe1\x10\x00Exif\x00\x00",
    "second-soi": b"\xff\xd8\xff\xd8",
    "reserved-marker": b"\xff\xd8" + segment(0x4F, SECRET) + b"\xff\xd9",
    "eof-before-scan": b"\xff\xd8" + segment(0xE0, b"JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00"),
}


@pytest.mark.parametrize("data", BAD_JPEGS.values(), ids=BAD_JPEGS.keys())
def test_damaged_jpeg_raises_with_one_line_advice(data: bytes) -> None:
    with pytest.raises(MetadataStripError) as caught:
        strip("image/jpeg", data)
    assert caught.value.message == DAMAGED_MESSAGE
    assert caught.value.exit_code == ExitCode.ERROR
    assert "\n" not in DAMAGED_MESSAGE and "--strip-metadata" in DAMAGED_MESSAGE


# --- PNG chunks -----------------------------------------------------------------------------------------------------


def chunk(chunk_type: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + chunk_type + data + struct.pack(">I", zlib.crc32(chunk_type + data))


def png_chunks(data: bytes) -> list[bytes]:
    chunks, pos = [], 8
    while pos < len(data):
        end = pos + 12 + struct.unpack(">I", data[pos : pos + 4])[0]
        chunks.append(data[pos:end])
        pos = end
    return chunks


def with_chunks(data: bytes, insertions: Sequence[tuple[int, bytes]]) -> bytes:
    chunks = png_chunks(data)
    for position, inserted in sorted(insertions, key=lambda item: -item[0]):
        chunks.insert(position, inserted)
    return data[:8] + b"".join(chunks)


PNG_METADATA = [
    chunk(b"tEXt", b"Location\x00" + SECRET),
    chunk(b"zTXt", b"Comment\x00\x00" + zlib.compress(SECRET)),
    chunk(b"iTXt", b"XML:com.adobe.xmp\x00\x00\x00\x00\x00" + SECRET),
    chunk(b"eXIf", exif_payload()[6:]),
    chunk(b"tIME", b"\x07\xe9\x01\x02\x03\x04\x05"),
    chunk(b"prVt", SECRET),
]
PNG_LABELS = ("text (tEXt)", "text (zTXt)", "text (iTXt)", "EXIF (eXIf)", "modification time (tIME)", "prVt chunk")


def test_png_strip_removes_text_exif_and_time_and_keeps_pixels() -> None:
    clean = encode(sample_image(), b"png")
    rendering = chunk(b"gAMA", struct.pack(">I", 45455)) + chunk(b"sRGB", b"\x00")
    before_iend = len(png_chunks(clean)) - 1
    dirty = with_chunks(clean, [(1, rendering + b"".join(PNG_METADATA[:4])), (before_iend, b"".join(PNG_METADATA[4:]))])
    out, result = strip("image/png", dirty)
    assert SECRET in dirty and SECRET not in out and zlib.compress(SECRET) not in out
    assert result == StripResult(PNG_LABELS, "")
    assert rendering in out
    assert pixels(out) == pixels(clean)


def test_png_without_metadata_is_copied_byte_for_byte() -> None:
    clean = encode(sample_image(), b"png")
    assert strip("image/png", clean) == (clean, StripResult((), ""))


def test_png_keeps_animation_chunks() -> None:
    clean = encode(sample_image(), b"png")
    animation = chunk(b"acTL", struct.pack(">II", 1, 0)) + chunk(b"fcTL", bytes(26))
    dirty = with_chunks(clean, [(1, animation), (len(png_chunks(clean)) - 1, chunk(b"fdAT", bytes(8)))])
    assert strip("image/png", dirty)[0] == dirty


def test_png_notes_that_a_turning_orientation_went_with_exif() -> None:
    clean = encode(sample_image(), b"png")
    out, result = strip("image/png", with_chunks(clean, [(1, chunk(b"eXIf", exif_payload(orientation=8)[6:]))]))
    assert result.stripped == ("EXIF (eXIf)", ORIENTATION_LABEL)
    assert out == clean


def test_png_drops_data_after_iend() -> None:
    clean = encode(sample_image(), b"png")
    assert strip("image/png", clean + SECRET) == (clean, StripResult((TRAILER_LABEL,), ""))


def test_png_with_one_large_idat_is_streamed_in_blocks() -> None:
    width, height = 700, 700
    rows = b"".join(b"\x00" + random.Random(row).randbytes(width * 3) for row in range(height))
    header = chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0))
    clean = b"\x89PNG\r\n\x1a\n" + header + chunk(b"IDAT", zlib.compress(rows, 1)) + chunk(b"IEND", b"")
    writer = RecordingWriter()
    strip_metadata("image/png", io.BytesIO(with_chunks(clean, [(1, PNG_METADATA[0])])), writer)
    assert writer.getvalue() == clean
    assert writer.largest_write <= 1 << 16
    assert pixels(writer.getvalue()).size().width() == width


def bad_pngs() -> dict[str, tuple[bytes, str]]:
    clean = encode(sample_image(), b"png")
    chunks = png_chunks(clean)
    broken_crc = chunks[-2][:-1] + bytes([chunks[-2][-1] ^ 1])
    return {
        "empty": (b"", DAMAGED_MESSAGE),
        "bad-signature": (b"\x89PNG\r\n\x1a\x00" + clean[8:], DAMAGED_MESSAGE),
        "bad-crc": (clean[:8] + b"".join([*chunks[:-2], broken_crc, chunks[-1]]), DAMAGED_MESSAGE),
        "bad-crc-in-dropped-chunk": (with_chunks(clean, [(1, PNG_METADATA[0][:-1] + b"\x00")]), DAMAGED_MESSAGE),
        "first-not-ihdr": (with_chunks(clean, [(0, PNG_METADATA[0])]), DAMAGED_MESSAGE),
        "no-iend": (clean[:8] + b"".join(chunks[:-1]), DAMAGED_MESSAGE),
        "truncated": (clean[:-20], DAMAGED_MESSAGE),
        "non-letter-type": (with_chunks(clean, [(1, chunk(b"te1t", b"x"))]), DAMAGED_MESSAGE),
        "iend-with-data": (clean[:8] + b"".join(chunks[:-1]) + chunk(b"IEND", SECRET), DAMAGED_MESSAGE),
        "ihdr-too-long": (
            clean[:8] + chunk(b"IHDR", chunks[0][8:-4] + b"\x00") + b"".join(chunks[1:]),
            DAMAGED_MESSAGE,
        ),
        "huge-length": (clean[:8] + chunks[0] + b"\xff\xff\xff\xf0IDAT", DAMAGED_MESSAGE),
        "unknown-critical": (with_chunks(clean, [(1, chunk(b"CgBI", b"\x50\x00\x20\x06"))]), UNSUPPORTED_MESSAGE),
    }


@pytest.mark.parametrize("case", bad_pngs().keys())
def test_damaged_png_raises_with_one_line_advice(case: str) -> None:
    data, message = bad_pngs()[case]
    with pytest.raises(MetadataStripError) as caught:
        strip("image/png", data)
    assert caught.value.message == message
    assert "\n" not in message


# --- other formats --------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("media_type", "name"),
    [("application/pdf", "PDF document"), ("audio/wav", "Audio (WAV)"), ("image/heic", "HEIC image")],
)
def test_other_formats_are_copied_unchanged_with_a_note_naming_the_format(media_type: str, name: str) -> None:
    data = b"%PDF-1.7 fictional " + SECRET + bytes(range(256)) * 600
    out, result = strip(media_type, data)
    assert out == data
    assert result.stripped == ()
    assert name in result.not_stripped and "JPEG and PNG only" in result.not_stripped
    assert "\n" not in result.not_stripped


def test_note_for_unknown_format_does_not_repeat_the_word_file() -> None:
    note = strip("application/octet-stream", b"\x00\x01")[1].not_stripped
    assert note.startswith("metadata in this file was not removed: ")


# --- properties -----------------------------------------------------------------------------------------------------

CLEAN_JPEG = encode(sample_image(24, 16), b"jpeg", progressive=True)
CLEAN_PNG = encode(sample_image(), b"png")
APP_KINDS = [
    (0xE0, b"JFXX\x00"),
    (0xE1, b"Exif\x00\x00"),
    (0xE1, b"Exif\x00\x00II*\x00\x08\x00\x00\x00"),
    (0xE1, XMP),
    (0xE1, b""),
    (0xE2, b"MPF\x00"),
    (0xE2, b"FPXR\x00"),
    *[(code, b"") for code in range(0xE3, 0xED)],
    (0xED, b"Photoshop 3.0\x00"),
    (0xEE, b"NotAdobe"),
    (0xEF, b""),
    (0xFE, b""),
]
jpeg_metadata = st.builds(
    lambda kind, junk, fill: b"\xff" * fill + segment(kind[0], kind[1] + SECRET + junk),
    st.sampled_from(APP_KINDS),
    st.binary(max_size=300),
    st.integers(min_value=0, max_value=3),
)


@PROPERTY
@given(st.lists(st.tuples(st.integers(0, len(jpeg_units(CLEAN_JPEG)) - 1), jpeg_metadata), min_size=1, max_size=6))
def test_no_inserted_jpeg_metadata_survives_and_pixels_stay(insertions: list[tuple[int, bytes]]) -> None:
    out, result = strip("image/jpeg", with_units(CLEAN_JPEG, insertions))
    assert SECRET not in out
    assert result.stripped
    assert pixels(out) == pixels(CLEAN_JPEG)


ancillary_types = st.one_of(
    st.sampled_from([b"tEXt", b"zTXt", b"iTXt", b"eXIf", b"tIME", b"sPLT", b"hIST", b"oFFs"]),
    st.from_regex(rb"\A[a-z][a-zA-Z][A-Z][a-zA-Z]\Z").filter(lambda t: t not in _PNG_KEPT),
)
png_metadata = st.builds(lambda kind, junk: chunk(kind, SECRET + junk), ancillary_types, st.binary(max_size=300))


@PROPERTY
@given(st.lists(st.tuples(st.integers(1, len(png_chunks(CLEAN_PNG)) - 1), png_metadata), min_size=1, max_size=6))
def test_no_inserted_png_metadata_survives_and_pixels_stay(insertions: list[tuple[int, bytes]]) -> None:
    out, result = strip("image/png", with_chunks(CLEAN_PNG, insertions))
    assert out == CLEAN_PNG
    assert len(result.stripped) >= 1


def strips_or_refuses(media_type: str, reader: BinaryIO) -> None:
    with contextlib.suppress(MetadataStripError):
        strip_metadata(media_type, reader, io.BytesIO())


@PROPERTY
@given(
    st.sampled_from(["image/jpeg", "image/png"]), st.sampled_from([b"", b"\xff\xd8", b"\x89PNG\r\n\x1a\n"]), st.binary()
)
def test_garbage_is_refused_or_copied_never_crashes(media_type: str, prefix: bytes, garbage: bytes) -> None:
    strips_or_refuses(media_type, io.BytesIO(prefix + garbage))


@PROPERTY
@given(
    st.sampled_from([("image/jpeg", CLEAN_JPEG), ("image/png", CLEAN_PNG)]),
    st.integers(min_value=0),
    st.binary(min_size=1, max_size=8),
    st.integers(min_value=0),
    st.integers(min_value=1, max_value=64),
)
def test_mutated_images_are_refused_or_copied_never_crash(
    sample: tuple[str, bytes], at: int, replacement: bytes, cut: int, step: int
) -> None:
    media_type, data = sample
    at %= len(data)
    mutated = (data[:at] + replacement + data[at + len(replacement) :])[: len(data) - cut % 50]
    strips_or_refuses(media_type, io.BytesIO(mutated))
    strips_or_refuses(media_type, TrickleReader(mutated, step))  # type: ignore[arg-type]
