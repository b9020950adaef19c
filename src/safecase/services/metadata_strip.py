"""Removing identifying metadata (EXIF with GPS, XMP, IPTC, comments, text chunks) from images being exported.

Photos taken as evidence carry where and when they were taken and on which device; a copy shared outside the vault
should not. JPEG and PNG files are rewritten segment by segment, keeping only what a decoder needs to show the same
pixels, and streamed in blocks so that memory use does not grow with the file. Any other type is copied unchanged,
and the result says so. A file that does not parse raises `MetadataStripError`; the caller discards the output then.
"""

from __future__ import annotations

import shutil
import zlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import BinaryIO, Literal

from safecase.domain.media_types import OCTET_STREAM, describe
from safecase.errors import SafeCaseError

_BLOCK = 1 << 16

DAMAGED_MESSAGE = (
    "The image is damaged and its metadata cannot be removed safely; export it without --strip-metadata and inspect it."
)
UNSUPPORTED_MESSAGE = (
    "The image uses a PNG feature SafeCase cannot clean; export it without --strip-metadata and inspect it."
)

TRAILER_LABEL = "data after the end of the image"
ORIENTATION_LABEL = "EXIF orientation (the picture may now show rotated or mirrored)"


class MetadataStripError(SafeCaseError):
    """A JPEG or PNG file does not parse, so its metadata cannot be removed with certainty."""


@dataclass(frozen=True)
class StripResult:
    """What `strip_metadata` removed, and what it could not.

    When EXIF data had turned the picture (orientation other than 1), `stripped` also holds `ORIENTATION_LABEL`:
    the turn went with the EXIF data, so viewers now show the picture as it was stored.
    """

    stripped: tuple[str, ...]  # what was removed, e.g. ("EXIF (APP1)", "XMP", "comment")
    not_stripped: str  # "" if the format was handled, else a one-line note saying what was not stripped and why


def strip_metadata(media_type: str, reader: BinaryIO, writer: BinaryIO) -> StripResult:
    """Copy `reader` to `writer` without the metadata of a JPEG or PNG image; copy any other type unchanged.

    Raises `MetadataStripError` if a JPEG or PNG does not parse; `writer` then holds a partial copy to discard.
    """
    strip = _STRIPPERS.get(media_type)
    if strip is None:
        shutil.copyfileobj(reader, writer, _BLOCK)
        return StripResult((), not_stripped_note(media_type))
    removed = strip(_Source(reader), writer)
    return StripResult(tuple(dict.fromkeys(removed)), "")


def not_stripped_note(media_type: str) -> str:
    label = describe(media_type, "en")
    subject = "this file" if label == describe(OCTET_STREAM, "en") else f"this file ({label})"
    return (
        f"metadata in {subject} was not removed: SafeCase strips JPEG and PNG only; review the file before sharing it."
    )


class _Source:
    """Buffered reads of exact lengths, so a truncated file is noticed where it ends."""

    def __init__(self, reader: BinaryIO) -> None:
        self._reader = reader
        self._buffer = b""
        self._pos = 0

    def read_exact(self, size: int) -> bytes:
        return b"".join(self.blocks(size))

    def blocks(self, size: int) -> Iterator[bytes]:
        """Exactly `size` bytes, in pieces of at most one block."""
        while size > 0:
            if not self._fill():
                raise MetadataStripError(DAMAGED_MESSAGE)
            piece = self._buffer[self._pos : self._pos + min(size, _BLOCK)]
            self._pos += len(piece)
            size -= len(piece)
            yield piece

    def at_end(self) -> bool:
        return not self._fill()

    def copy_entropy_coded(self, writer: BinaryIO) -> int | None:
        """Copy JPEG scan data up to the next marker; return the marker's code, or None if the file ends first.

        In scan data 0xFF is followed by 0x00 (a stuffed byte), a restart marker or more 0xFF fill bytes; anything
        else ends the scan.
        """
        while self._fill():
            buffer, start = self._buffer, self._pos
            at = buffer.find(b"\xff", start)
            while 0 <= at < len(buffer) - 1:
                code = buffer[at + 1]
                if code == 0xFF:
                    at += 1
                elif code == 0x00 or _is_restart(code):
                    at += 2
                else:
                    writer.write(buffer[start:at])
                    self._pos = at + 2
                    return code
                at = buffer.find(b"\xff", at)
            if at < 0:
                writer.write(buffer[start:])
                self._pos = len(buffer)
            else:
                writer.write(buffer[start:at])
                self._carry_last_byte(writer)
        return None

    def _carry_last_byte(self, writer: BinaryIO) -> None:
        """The block ends with 0xFF: join it to the next block so that the byte after it can be seen."""
        more = self._reader.read(_BLOCK)
        if not more:
            writer.write(self._buffer[-1:])  # the file ends with a stray 0xFF
        self._buffer = self._buffer[-1:] + more if more else b""
        self._pos = 0

    def _fill(self) -> bool:
        if self._pos < len(self._buffer):
            return True
        self._buffer = self._reader.read(_BLOCK)
        self._pos = 0
        return bool(self._buffer)


# --- JPEG ---------------------------------------------------------------------------------------------------------

_SOI, _EOI, _SOS, _TEM = 0xD8, 0xD9, 0xDA, 0x01
_APP0, _APP1, _APP2, _APP13, _APP14, _COM = 0xE0, 0xE1, 0xE2, 0xED, 0xEE, 0xFE
_JPEG_LS = frozenset({0xF7, 0xF8})  # SOF55 and LSE: the only JPGn extension markers in use
_RESERVED_FIRST, _RESERVED_LAST = 0x02, 0xBF
_JFIF_LENGTH = 14  # "JFIF\0", version, units, densities; then the thumbnail size and the thumbnail itself
_EXIF = b"Exif\x00\x00"
_XMP_PREFIXES = (b"http://ns.adobe.com/xap/1.0/\x00", b"http://ns.adobe.com/xmp/extension/\x00")
_ICC = b"ICC_PROFILE\x00"


def _is_restart(code: int) -> bool:
    return 0xD0 <= code <= 0xD7


def _strip_jpeg(source: _Source, writer: BinaryIO) -> list[str]:
    if source.read_exact(2) != b"\xff\xd8":
        raise MetadataStripError(DAMAGED_MESSAGE)
    writer.write(b"\xff\xd8")
    removed: list[str] = []
    code: int | None = _next_marker(source)
    while code is not None:
        if code == _EOI:
            writer.write(b"\xff\xd9")
            if not source.at_end():
                removed.append(TRAILER_LABEL)  # e.g. a phone's second picture, depth map or motion-photo video
            break
        if code == _SOI:
            raise MetadataStripError(DAMAGED_MESSAGE)
        if code == _TEM or _is_restart(code):
            writer.write(bytes((0xFF, code)))
            code = _next_marker(source)
            continue
        _copy_segment(code, source, writer, removed)
        # None: the file ends inside a scan. A truncated picture holds only pixels there, so it is kept as it is.
        code = source.copy_entropy_coded(writer) if code == _SOS else _next_marker(source)
    return removed


def _next_marker(source: _Source) -> int:
    if source.read_exact(1) != b"\xff":
        raise MetadataStripError(DAMAGED_MESSAGE)
    code = 0xFF
    while code == 0xFF:  # fill bytes may pad the space before a marker
        code = source.read_exact(1)[0]
    if code == 0x00:
        raise MetadataStripError(DAMAGED_MESSAGE)
    return code


def _copy_segment(code: int, source: _Source, writer: BinaryIO, removed: list[str]) -> None:
    length = int.from_bytes(source.read_exact(2), "big")
    if length < 2:
        raise MetadataStripError(DAMAGED_MESSAGE)
    payload = source.read_exact(length - 2)  # at most 65,533 bytes
    kept = _kept_payload(code, payload, removed)
    if kept is not None:
        writer.write(bytes((0xFF, code)) + (len(kept) + 2).to_bytes(2, "big") + kept)


def _kept_payload(code: int, payload: bytes, removed: list[str]) -> bytes | None:
    """The payload to write for a segment (possibly trimmed), or None to drop it, noting what was removed."""
    if code == _APP0:
        return _kept_jfif(payload, removed)
    if code == _APP2 and payload.startswith(_ICC):
        return payload
    if code == _APP14 and payload.startswith(b"Adobe"):
        return payload  # its colour transform flag decides how YCCK/CMYK pictures decode
    if _RESERVED_FIRST <= code <= _RESERVED_LAST:
        raise MetadataStripError(DAMAGED_MESSAGE)  # no JPEG uses these, and decoders refuse them
    if 0xE0 <= code <= 0xEF or code == _COM or (0xF0 <= code <= 0xFD and code not in _JPEG_LS):
        removed.extend(_segment_labels(code, payload))
        return None
    return payload


def _kept_jfif(payload: bytes, removed: list[str]) -> bytes | None:
    """JFIF without its optional thumbnail (a small copy of the picture, perhaps from before it was edited)."""
    if not payload.startswith(b"JFIF\x00") or len(payload) < _JFIF_LENGTH:
        removed.append("APP0")
        return None
    if len(payload) > _JFIF_LENGTH or payload[12] or payload[13]:
        removed.append("JFIF thumbnail")
    return payload[:12] + b"\x00\x00"


def _segment_labels(code: int, payload: bytes) -> list[str]:
    if code == _COM:
        return ["comment"]
    if code == _APP1 and payload.startswith(_EXIF):
        return ["EXIF (APP1)", *_orientation_labels(payload[len(_EXIF) :])]
    if code == _APP1 and payload.startswith(_XMP_PREFIXES):
        return ["XMP"]
    if code == _APP2 and payload.startswith(b"MPF\x00"):
        return ["MPF (APP2)"]
    if code == _APP13:
        return ["IPTC/Photoshop (APP13)"]
    if code >= 0xF0:
        return [f"JPG{code - 0xF0} extension segment"]
    return [f"APP{code - 0xE0}"]


def _orientation_labels(tiff: bytes) -> list[str]:
    """A note when the EXIF data turned the picture: without it, viewers show the picture as stored."""
    orientation = _exif_orientation(tiff)
    return [ORIENTATION_LABEL] if orientation not in (None, 1) else []


def _exif_orientation(tiff: bytes) -> int | None:
    """The Orientation tag (0x0112) of the first image directory of TIFF-structured EXIF data, if readable."""
    endian: Literal["little", "big"]
    if tiff.startswith(b"II"):
        endian = "little"
    elif tiff.startswith(b"MM"):
        endian = "big"
    else:
        return None
    directory = int.from_bytes(tiff[4:8], endian)
    count = int.from_bytes(tiff[directory : directory + 2], endian)
    for entry in range(directory + 2, min(directory + 2 + 12 * count, len(tiff) - 11), 12):
        if int.from_bytes(tiff[entry : entry + 2], endian) == 0x0112:
            return int.from_bytes(tiff[entry + 8 : entry + 10], endian)
    return None


# --- PNG ----------------------------------------------------------------------------------------------------------

_PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
_PNG_MAX_LENGTH = 0x7FFFFFFF
# Critical chunks, and the ancillary ones that change how the pixels look (colour, transparency, APNG frames).
_PNG_KEPT = frozenset(
    {b"IHDR", b"PLTE", b"IDAT", b"IEND", b"tRNS", b"gAMA", b"cHRM", b"sRGB", b"iCCP", b"sBIT", b"pHYs", b"bKGD"}
    | {b"cICP", b"mDCV", b"cLLI", b"acTL", b"fcTL", b"fdAT"}
)
_PNG_FIXED_LENGTHS = {b"IHDR": 13, b"IEND": 0}
_PNG_LABELS = {
    b"tEXt": "text (tEXt)",
    b"zTXt": "text (zTXt)",
    b"iTXt": "text (iTXt)",
    b"eXIf": "EXIF (eXIf)",
    b"tIME": "modification time (tIME)",
}


def _strip_png(source: _Source, writer: BinaryIO) -> list[str]:
    if source.read_exact(len(_PNG_SIGNATURE)) != _PNG_SIGNATURE:
        raise MetadataStripError(DAMAGED_MESSAGE)
    writer.write(_PNG_SIGNATURE)
    removed: list[str] = []
    chunk_type = b""
    while chunk_type != b"IEND":
        header = source.read_exact(8)
        length = int.from_bytes(header[:4], "big")
        _check_png_chunk(header[4:], length, first=not chunk_type)
        chunk_type = header[4:]
        if chunk_type in _PNG_KEPT:
            writer.write(header)
            _copy_png_chunk(source, chunk_type, length, writer)
        else:
            head = _copy_png_chunk(source, chunk_type, length, None)
            removed.append(_PNG_LABELS.get(chunk_type, f"{chunk_type.decode('ascii')} chunk"))
            if chunk_type == b"eXIf":
                removed.extend(_orientation_labels(head))
    if not source.at_end():
        removed.append(TRAILER_LABEL)
    return removed


def _check_png_chunk(chunk_type: bytes, length: int, first: bool) -> None:
    if length > _PNG_MAX_LENGTH or not (chunk_type.isalpha() and chunk_type.isascii()):
        raise MetadataStripError(DAMAGED_MESSAGE)
    if first != (chunk_type == b"IHDR"):
        raise MetadataStripError(DAMAGED_MESSAGE)
    if _PNG_FIXED_LENGTHS.get(chunk_type, length) != length:
        raise MetadataStripError(DAMAGED_MESSAGE)  # e.g. bytes hidden inside IEND would be copied along
    if chunk_type[0] & 0x20 == 0 and chunk_type not in _PNG_KEPT:
        raise MetadataStripError(UNSUPPORTED_MESSAGE)  # an unknown critical chunk: no decoder may skip it


def _copy_png_chunk(source: _Source, chunk_type: bytes, length: int, writer: BinaryIO | None) -> bytes:
    """Stream a chunk's data and CRC to `writer` (or nowhere), checking the CRC; return its first block."""
    crc = zlib.crc32(chunk_type)
    first = b""
    for block in source.blocks(length):
        first = first or block
        crc = zlib.crc32(block, crc)
        if writer is not None:
            writer.write(block)
    stored = source.read_exact(4)
    if int.from_bytes(stored, "big") != crc:
        raise MetadataStripError(DAMAGED_MESSAGE)
    if writer is not None:
        writer.write(stored)
    return first


_STRIPPERS: dict[str, Callable[[_Source, BinaryIO], list[str]]] = {
    "image/jpeg": _strip_jpeg,
    "image/png": _strip_png,
}
