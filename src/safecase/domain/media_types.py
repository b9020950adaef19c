"""What kind of file a piece of evidence is, judged from its first bytes (no Qt, no I/O).

A file's name and extension come from whoever sent it and may lie; its content decides the media type. The type
then decides which in-app viewer may open it, which extension an exported copy gets, and the label a list shows.
"""

from __future__ import annotations

import codecs
import re
from dataclasses import dataclass
from enum import StrEnum

HEAD_BYTES = 4096
"""How many leading bytes `sniff_media_type` examines; the caller reads this many from the file."""

OCTET_STREAM = "application/octet-stream"
EMPTY = "application/x-empty"
TEXT = "text/plain"

_PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
_OLE_SIGNATURE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_EBML_SIGNATURE = b"\x1a\x45\xdf\xa3"
_EBML_DOCTYPE_ID = b"\x42\x82"
_ZIP_LOCAL_HEADER = b"PK\x03\x04"
_ZIP_HEADER_SIZE = 30

# Simple prefixes, tried in order once the ambiguous containers (RIFF, ftyp, ZIP, ...) have had their turn.
_PREFIXES: tuple[tuple[bytes, str], ...] = (
    (b"\xff\xd8\xff", "image/jpeg"),
    (_PNG_SIGNATURE, "image/png"),
    (b"GIF87a", "image/gif"),
    (b"GIF89a", "image/gif"),
    (b"II*\x00", "image/tiff"),
    (b"MM\x00*", "image/tiff"),
    (b"%PDF-", "application/pdf"),
    (b"ID3\x02", "audio/mpeg"),
    (b"ID3\x03", "audio/mpeg"),
    (b"ID3\x04", "audio/mpeg"),
    (b"fLaC", "audio/flac"),
    (b"#!AMR-WB\n", "audio/amr-wb"),
    (b"#!AMR\n", "audio/amr"),
    (_OLE_SIGNATURE, "application/x-ole-storage"),
    (b"{\\rtf", "application/rtf"),
)

_RIFF_FORMS = {b"WEBP": "image/webp", b"WAVE": "audio/wav", b"AVI ": "video/x-msvideo"}
_BMP_HEADER_SIZES = frozenset({12, 40, 52, 56, 64, 108, 124})

_HEIC_BRANDS = frozenset({b"heic", b"heix", b"hevc", b"hevx", b"heim", b"heis"})
_HEIF_BRANDS = frozenset({b"mif1", b"msf1"})
_AVIF_BRANDS = frozenset({b"avif", b"avis"})
_FTYP_MIN_SIZE = 12
_FTYP_MAX_SIZE = 1024
_QUICKTIME_FIRST_BOXES = frozenset({b"moov", b"mdat", b"wide", b"free", b"skip", b"pnot"})
_M4A_BRANDS = frozenset({b"M4A ", b"M4B ", b"M4P "})

_OOXML_PARTS = (
    (b"word/", "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
    (b"xl/", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
    (b"ppt/", "application/vnd.openxmlformats-officedocument.presentationml.presentation"),
)
_ODF_PREFIX = b"application/vnd.oasis.opendocument."
_EPUB = b"application/epub+zip"
_MEDIA_TYPE = re.compile(rb"[a-z]+/[a-z0-9.+-]+")

# Control characters that ordinary text files contain: tab, line feed, vertical tab, form feed, carriage return
# and escape (coloured terminal logs). Any other C0 control or DEL means the bytes are not text.
_TEXT_CONTROLS = frozenset("\t\n\x0b\x0c\r\x1b")
_CONTROLS = frozenset(chr(c) for c in (*range(0x20), 0x7F)) - _TEXT_CONTROLS


def sniff_media_type(head: bytes) -> str:
    """The MIME type of a file whose content starts with `head`; only the first `HEAD_BYTES` are examined."""
    head = head[:HEAD_BYTES]
    if not head:
        return EMPTY
    # Text goes before MPEG audio: a UTF-16LE byte order mark (FF FE) is also a valid MPEG frame header.
    for sniff in (_sniff_container, _sniff_prefix, _sniff_bmp, _sniff_text, _sniff_mpeg_audio):
        found = sniff(head)
        if found:
            return found
    return OCTET_STREAM


def _sniff_container(head: bytes) -> str:
    if head.startswith(b"RIFF"):
        return _RIFF_FORMS.get(head[8:12], "")
    if head[4:8] == b"ftyp":
        return _sniff_ftyp(head)
    if head[4:8] in _QUICKTIME_FIRST_BOXES and head[0] == 0:
        return "video/quicktime"  # an old QuickTime movie without `ftyp`; a leading NUL rules out text
    if head.startswith(b"OggS"):
        return "video/ogg" if b"\x80theora" in head[:128] else "audio/ogg"
    if head.startswith(_EBML_SIGNATURE):
        return "video/webm" if _ebml_doctype(head) == b"webm" else "video/x-matroska"
    if head.startswith(_ZIP_LOCAL_HEADER):
        return _sniff_zip(head)
    if head.startswith(b"PK\x05\x06"):
        return "application/zip"  # an empty archive: only the end-of-directory record
    return ""


def _sniff_prefix(head: bytes) -> str:
    for prefix, media_type in _PREFIXES:
        if head.startswith(prefix):
            return media_type
    return ""


def _sniff_ftyp(head: bytes) -> str:
    """An ISO base media file (MP4, QuickTime, 3GP, HEIF): the `ftyp` box names the major and compatible brands."""
    box_size = int.from_bytes(head[:4], "big")
    if not _FTYP_MIN_SIZE <= box_size <= _FTYP_MAX_SIZE:
        return ""  # four ASCII letters before "ftyp" give a huge size: text, not a box
    major = head[8:12]
    compatible = {head[i : i + 4] for i in range(16, min(box_size, len(head)) - 3, 4)}
    if major in _HEIF_BRANDS:
        if compatible & _AVIF_BRANDS:
            return "image/avif"
        return "image/heic" if compatible & _HEIC_BRANDS else "image/heif"
    if major in _HEIC_BRANDS:
        return "image/heic"
    if major in _AVIF_BRANDS:
        return "image/avif"
    if major in _M4A_BRANDS:
        return "audio/mp4"
    if major == b"qt  ":
        return "video/quicktime"
    if major.startswith(b"3g2"):
        return "video/3gpp2"
    if major.startswith(b"3gp"):
        return "video/3gpp"
    return "video/mp4"


def _ebml_doctype(head: bytes) -> bytes:
    """The DocType string of a Matroska/WebM EBML header ("matroska" or "webm"), or b"" if it is not in `head`."""
    at = head.find(_EBML_DOCTYPE_ID, len(_EBML_SIGNATURE))
    if at < 0 or at + 2 >= len(head):
        return b""
    size_byte = head[at + 2]
    if not size_byte & 0x80:
        return b""  # a size longer than one byte: no DocType is that long
    start = at + 3
    return head[start : start + (size_byte & 0x7F)].rstrip(b"\x00")


def _sniff_zip(head: bytes) -> str:
    """ZIP, or an office document built on it: ODF names itself in a stored first member, OOXML by its parts."""
    name_length = int.from_bytes(head[26:28], "little")
    extra_length = int.from_bytes(head[28:30], "little")
    name_end = _ZIP_HEADER_SIZE + name_length
    if head[_ZIP_HEADER_SIZE:name_end] == b"mimetype" and head[8:10] == b"\x00\x00":
        size = int.from_bytes(head[18:22], "little")
        data_start = name_end + extra_length
        declared = head[data_start : data_start + min(size, 100)]
        if declared == _EPUB or (declared.startswith(_ODF_PREFIX) and _MEDIA_TYPE.fullmatch(declared)):
            return declared.decode("ascii")
    if b"[Content_Types].xml" in head:
        for part, media_type in _OOXML_PARTS:
            if part in head:
                return media_type
    return "application/zip"


def _sniff_bmp(head: bytes) -> str:
    """A Windows bitmap: "BM" alone is too common at the start of text, so the reserved and header fields must fit."""
    if len(head) < 18 or not head.startswith(b"BM") or head[6:10] != b"\x00\x00\x00\x00":
        return ""
    return "image/bmp" if int.from_bytes(head[14:18], "little") in _BMP_HEADER_SIZES else ""


def _sniff_mpeg_audio(head: bytes) -> str:
    """An MP3 (or AAC ADTS) file without an ID3 tag starts with an audio frame header."""
    if len(head) < 4 or head[0] != 0xFF or head[1] & 0xE0 != 0xE0:
        return ""
    version = (head[1] >> 3) & 0b11
    layer = (head[1] >> 1) & 0b11
    if layer == 0:
        return "audio/aac" if head[1] & 0xF6 == 0xF0 else ""  # ADTS: 12-bit sync, layer always 00
    bitrate_index = head[2] >> 4
    sample_rate_index = (head[2] >> 2) & 0b11
    if version == 0b01 or bitrate_index in (0, 15) or sample_rate_index == 0b11:
        return ""
    return "audio/mpeg"


def _sniff_text(head: bytes) -> str:
    """Plain text in UTF-8 (with or without BOM) or in UTF-16 with a BOM.

    The decoder is not told the input is final, so a multibyte character cut off by the end of the head is accepted.
    """
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        encoding = "utf-16-le" if head.startswith(codecs.BOM_UTF16_LE) else "utf-16-be"
        return TEXT if _decodes_as_text(head[2:], encoding) else ""
    return TEXT if _decodes_as_text(head.removeprefix(codecs.BOM_UTF8), "utf-8") else ""


def _decodes_as_text(data: bytes, encoding: str) -> bool:
    try:
        decoded = codecs.getincrementaldecoder(encoding)().decode(data, final=False)
    except UnicodeDecodeError:
        return False
    return _CONTROLS.isdisjoint(decoded)


class PreviewClass(StrEnum):
    """Which in-app viewer can show a file of some media type (NONE: only export it)."""

    IMAGE = "image"
    PDF = "pdf"
    TEXT = "text"
    AUDIO = "audio"
    VIDEO = "video"
    NONE = "none"


# The formats QImage reads with the image plugins every Qt install ships; HEIC and AVIF need optional plugins.
_QIMAGE_TYPES = frozenset({"image/jpeg", "image/png", "image/gif", "image/webp", "image/bmp", "image/tiff"})


def preview_class(media_type: str) -> PreviewClass:
    """The viewer that can show `media_type`, or `PreviewClass.NONE`."""
    if media_type in _QIMAGE_TYPES:
        return PreviewClass.IMAGE
    if media_type == "application/pdf":
        return PreviewClass.PDF
    if media_type == TEXT:
        return PreviewClass.TEXT
    if media_type.startswith("audio/"):
        return PreviewClass.AUDIO
    if media_type.startswith("video/"):
        return PreviewClass.VIDEO
    return PreviewClass.NONE


@dataclass(frozen=True)
class _TypeInfo:
    extension: str
    english: str
    korean: str


def _audio(extension: str, name: str) -> _TypeInfo:
    return _TypeInfo(extension, f"Audio ({name})", f"오디오 ({name})")


def _video(extension: str, name: str) -> _TypeInfo:
    return _TypeInfo(extension, f"Video ({name})", f"동영상 ({name})")


def _image(extension: str, name: str) -> _TypeInfo:
    return _TypeInfo(extension, f"{name} image", f"{name} 이미지")


_TYPES: dict[str, _TypeInfo] = {
    "image/jpeg": _image(".jpg", "JPEG"),
    "image/png": _image(".png", "PNG"),
    "image/gif": _image(".gif", "GIF"),
    "image/webp": _image(".webp", "WebP"),
    "image/heic": _image(".heic", "HEIC"),
    "image/heif": _image(".heif", "HEIF"),
    "image/avif": _image(".avif", "AVIF"),
    "image/tiff": _image(".tiff", "TIFF"),
    "image/bmp": _image(".bmp", "BMP"),
    "application/pdf": _TypeInfo(".pdf", "PDF document", "PDF 문서"),
    "audio/wav": _audio(".wav", "WAV"),
    "audio/mpeg": _audio(".mp3", "MP3"),
    "audio/aac": _audio(".aac", "AAC"),
    "audio/ogg": _audio(".ogg", "Ogg"),
    "audio/flac": _audio(".flac", "FLAC"),
    "audio/amr": _audio(".amr", "AMR"),
    "audio/amr-wb": _audio(".awb", "AMR-WB"),
    "audio/mp4": _audio(".m4a", "M4A"),
    "video/mp4": _video(".mp4", "MP4"),
    "video/quicktime": _video(".mov", "QuickTime"),
    "video/3gpp": _video(".3gp", "3GP"),
    "video/3gpp2": _video(".3g2", "3G2"),
    "video/webm": _video(".webm", "WebM"),
    "video/x-matroska": _video(".mkv", "Matroska"),
    "video/x-msvideo": _video(".avi", "AVI"),
    "video/ogg": _video(".ogv", "Ogg"),
    _OOXML_PARTS[0][1]: _TypeInfo(".docx", "Word document", "Word 문서"),
    _OOXML_PARTS[1][1]: _TypeInfo(".xlsx", "Excel spreadsheet", "Excel 스프레드시트"),
    _OOXML_PARTS[2][1]: _TypeInfo(".pptx", "PowerPoint presentation", "PowerPoint 프레젠테이션"),
    "application/vnd.oasis.opendocument.text": _TypeInfo(".odt", "OpenDocument text", "OpenDocument 텍스트"),
    "application/vnd.oasis.opendocument.spreadsheet": _TypeInfo(
        ".ods", "OpenDocument spreadsheet", "OpenDocument 스프레드시트"
    ),
    "application/vnd.oasis.opendocument.presentation": _TypeInfo(
        ".odp", "OpenDocument presentation", "OpenDocument 프레젠테이션"
    ),
    "application/epub+zip": _TypeInfo(".epub", "EPUB book", "EPUB 전자책"),
    "application/zip": _TypeInfo(".zip", "ZIP archive", "ZIP 압축 파일"),
    "application/x-ole-storage": _TypeInfo(".doc", "Office document (old format)", "오피스 문서 (이전 형식)"),
    "application/rtf": _TypeInfo(".rtf", "Rich text document", "서식 있는 텍스트 문서"),
    TEXT: _TypeInfo(".txt", "Text", "텍스트"),
    EMPTY: _TypeInfo(".bin", "Empty file", "빈 파일"),
}
_FALLBACK = _TypeInfo(".bin", "File", "파일")
_FAMILY_FALLBACKS = {
    "image/": _TypeInfo(".bin", "Image", "이미지"),
    "audio/": _TypeInfo(".bin", "Audio", "오디오"),
    "video/": _TypeInfo(".bin", "Video", "동영상"),
}


def _info(media_type: str) -> _TypeInfo:
    known = _TYPES.get(media_type)
    if known is not None:
        return known
    family = media_type.partition("/")[0] + "/"
    return _FAMILY_FALLBACKS.get(family, _FALLBACK)


def extension_for(media_type: str) -> str:
    """The extension, with its dot, to suggest for an exported file of `media_type` (".bin" when unknown)."""
    return _info(media_type).extension


def describe(media_type: str, lang: str) -> str:
    """A short label for `media_type` in Korean when `lang` is "ko" (or "ko-KR", ...), otherwise in English."""
    info = _info(media_type)
    return info.korean if lang.lower().startswith("ko") else info.english
