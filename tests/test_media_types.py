"""Media types come from a file's first bytes: each supported format from a real minimal header, text in any
encoding the app meets, and never an exception whatever the bytes."""

from __future__ import annotations

import io
import re
import struct
import zipfile

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from safecase.domain.media_types import (
    HEAD_BYTES,
    PreviewClass,
    describe,
    extension_for,
    preview_class,
    sniff_media_type,
)

MEDIA_TYPE = re.compile(r"[a-z]+/[a-z0-9.+-]+")
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
PPTX = "application/vnd.openxmlformats-officedocument.presentationml.presentation"
ODT = "application/vnd.oasis.opendocument.text"


def ftyp(major: bytes, *compatible: bytes) -> bytes:
    body = b"ftyp" + major + b"\x00\x00\x02\x00" + b"".join(compatible)
    return struct.pack(">I", len(body) + 4) + body + b"\x00\x00\x00\x08free"


def riff(form: bytes, first_chunk: bytes) -> bytes:
    return b"RIFF" + struct.pack("<I", 1000) + form + first_chunk + struct.pack("<I", 16) + bytes(16)


def ebml(doctype: bytes) -> bytes:
    elements = b"\x42\x86\x81\x01" + b"\x42\xf7\x81\x01" + b"\x42\x82" + bytes([0x80 | len(doctype)]) + doctype
    return b"\x1a\x45\xdf\xa3" + bytes([0x80 | len(elements)]) + elements + b"\x18\x53\x80\x67"


def ogg(first_packet: bytes) -> bytes:
    page_header = b"OggS\x00\x02" + bytes(8) + b"\x01\x00\x00\x00" + bytes(8) + b"\x01" + bytes([len(first_packet)])
    return page_header + first_packet


def zip_of(*members: tuple[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, data in members:
            compression = zipfile.ZIP_STORED if name == "mimetype" else zipfile.ZIP_DEFLATED
            archive.writestr(name, data, compress_type=compression)
    return buffer.getvalue()


BMP = b"BM" + struct.pack("<IHHI", 70, 0, 0, 54) + struct.pack("<IiiHH", 40, 1, 1, 1, 24) + bytes(24)
PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x02\x00\x00\x00\x90wS\xde"

HEADERS: list[tuple[str, bytes, str]] = [
    ("jpeg", b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00", "image/jpeg"),
    ("jpeg-exif", b"\xff\xd8\xff\xe1\x00\x40Exif\x00\x00II*\x00", "image/jpeg"),
    ("png", PNG, "image/png"),
    ("gif87", b"GIF87a\x01\x00\x01\x00\x00\x00\x00", "image/gif"),
    ("gif89", b"GIF89a\x01\x00\x01\x00\x80\x00\x00", "image/gif"),
    ("webp", riff(b"WEBP", b"VP8 "), "image/webp"),
    ("heic", ftyp(b"heic", b"mif1", b"heic"), "image/heic"),
    ("heif-mif1-heic", ftyp(b"mif1", b"mif1", b"heic"), "image/heic"),
    ("heif", ftyp(b"mif1", b"mif1"), "image/heif"),
    ("avif", ftyp(b"avif", b"mif1", b"avif"), "image/avif"),
    ("avif-mif1", ftyp(b"mif1", b"avif", b"mif1", b"miaf"), "image/avif"),
    ("tiff-le", b"II*\x00\x08\x00\x00\x00\x00\x00", "image/tiff"),
    ("tiff-be", b"MM\x00*\x00\x00\x00\x08\x00\x00", "image/tiff"),
    ("bmp", BMP, "image/bmp"),
    ("pdf", b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n", "application/pdf"),
    ("wav", riff(b"WAVE", b"fmt "), "audio/wav"),
    ("mp3-id3", b"ID3\x04\x00\x00\x00\x00\x01\x00TIT2", "audio/mpeg"),
    ("mp3-frame", b"\xff\xfb\x90\x64" + bytes(413), "audio/mpeg"),
    ("mp3-mpeg2", b"\xff\xf3\x48\xc4" + bytes(200), "audio/mpeg"),
    ("aac-adts", b"\xff\xf1\x50\x80\x02\x1f\xfc", "audio/aac"),
    ("ogg-opus", ogg(b"OpusHead\x01\x01\x38\x01\x80\xbb\x00\x00\x00\x00\x00"), "audio/ogg"),
    ("ogg-vorbis", ogg(b"\x01vorbis\x00\x00\x00\x00\x01\x44\xac\x00\x00"), "audio/ogg"),
    ("ogg-theora", ogg(b"\x80theora\x03\x02\x01"), "video/ogg"),
    ("flac", b"fLaC\x00\x00\x00\x22\x10\x00\x10\x00", "audio/flac"),
    ("amr", b"#!AMR\n\x3c\x48\xf5\x5f", "audio/amr"),
    ("amr-wb", b"#!AMR-WB\n\x04\x10", "audio/amr-wb"),
    ("mp4", ftyp(b"isom", b"isom", b"iso2", b"avc1", b"mp41"), "video/mp4"),
    ("mp4-mp42", ftyp(b"mp42", b"mp42", b"isom"), "video/mp4"),
    ("m4a", ftyp(b"M4A ", b"M4A ", b"mp42", b"isom"), "audio/mp4"),
    ("quicktime", ftyp(b"qt  ", b"qt  "), "video/quicktime"),
    ("quicktime-classic", b"\x00\x00\x00\x08wide\x00\x10\x00\x00mdat", "video/quicktime"),
    ("3gp", ftyp(b"3gp4", b"isom", b"3gp4"), "video/3gpp"),
    ("3g2", ftyp(b"3g2a", b"3g2a"), "video/3gpp2"),
    ("webm", ebml(b"webm"), "video/webm"),
    ("matroska", ebml(b"matroska"), "video/x-matroska"),
    ("avi", riff(b"AVI ", b"LIST"), "video/x-msvideo"),
    ("docx", zip_of(("[Content_Types].xml", b"<Types/>"), ("word/document.xml", b"<w/>")), DOCX),
    ("xlsx", zip_of(("[Content_Types].xml", b"<Types/>"), ("xl/workbook.xml", b"<x/>")), XLSX),
    ("pptx", zip_of(("[Content_Types].xml", b"<Types/>"), ("ppt/presentation.xml", b"<p/>")), PPTX),
    ("odt", zip_of(("mimetype", ODT.encode()), ("content.xml", b"<office/>")), ODT),
    (
        "epub",
        zip_of(("mimetype", b"application/epub+zip"), ("META-INF/container.xml", b"<c/>")),
        "application/epub+zip",
    ),
    ("zip", zip_of(("notes.txt", b"fictional notes")), "application/zip"),
    ("zip-empty", b"PK\x05\x06" + bytes(18), "application/zip"),
    ("ole", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(24), "application/x-ole-storage"),
    ("rtf", b"{\\rtf1\\ansi\\deff0 {\\fonttbl}}", "application/rtf"),
    ("text", b"Interview notes, fictional.\r\n\tLine two.\n", "text/plain"),
    ("text-korean", "가상의 증언 기록입니다.\n".encode(), "text/plain"),
    ("text-utf8-bom", b"\xef\xbb\xbfnotes\n", "text/plain"),
    ("text-utf16-le", "\ufeff가상의 메모\r\n".encode("utf-16-le"), "text/plain"),
    ("text-utf16-be", "\ufeff가상의 메모\r\n".encode("utf-16-be"), "text/plain"),
    ("text-ansi-colours", b"\x1b[31mred\x1b[0m\n", "text/plain"),
    ("text-starting-bm", b"BMX bike repair notes\n", "text/plain"),
    ("text-starting-id3", b"ID3 tags are metadata\n", "text/plain"),
    ("text-mentioning-ftyp", b"abcdftypisom is not a box\n", "text/plain"),
    ("binary-nul", b"abc\x00def", "application/octet-stream"),
    ("binary-bell", b"abc\x07def", "application/octet-stream"),
    ("invalid-utf8", b"abc\xc3\x28def", "application/octet-stream"),
    ("utf16-binary", b"\xff\xfe\x00\xd8\x00\xd8", "application/octet-stream"),
    ("riff-unknown", b"RIFF\x10\x00\x00\x00XXXX\x00\x00", "application/octet-stream"),
    ("empty", b"", "application/x-empty"),
]


@pytest.mark.parametrize(("head", "expected"), [h[1:] for h in HEADERS], ids=[h[0] for h in HEADERS])
def test_sniff_recognises_format_from_its_header(head: bytes, expected: str) -> None:
    assert sniff_media_type(head) == expected


def test_sniff_tolerates_multibyte_character_cut_at_end_of_head() -> None:
    text = ("가" * 2000).encode()
    assert len(text) > HEAD_BYTES and HEAD_BYTES % 3 != 0
    assert sniff_media_type(text) == "text/plain"
    assert sniff_media_type(text[:HEAD_BYTES]) == "text/plain"
    assert sniff_media_type("쪽".encode()[:2]) == "text/plain"


def test_sniff_examines_only_the_head() -> None:
    assert sniff_media_type(b"a" * HEAD_BYTES + b"\x00\x01\x02") == "text/plain"


def test_sniff_ignores_zip_member_claiming_a_foreign_mimetype() -> None:
    assert sniff_media_type(zip_of(("mimetype", b"image/png"))) == "application/zip"


@pytest.mark.parametrize(
    ("media_type", "expected"),
    [
        ("image/jpeg", PreviewClass.IMAGE),
        ("image/png", PreviewClass.IMAGE),
        ("image/gif", PreviewClass.IMAGE),
        ("image/webp", PreviewClass.IMAGE),
        ("image/bmp", PreviewClass.IMAGE),
        ("image/tiff", PreviewClass.IMAGE),
        ("image/heic", PreviewClass.NONE),
        ("application/pdf", PreviewClass.PDF),
        ("text/plain", PreviewClass.TEXT),
        ("audio/wav", PreviewClass.AUDIO),
        ("audio/mp4", PreviewClass.AUDIO),
        ("video/webm", PreviewClass.VIDEO),
        ("video/quicktime", PreviewClass.VIDEO),
        ("application/rtf", PreviewClass.NONE),
        ("application/zip", PreviewClass.NONE),
        ("application/octet-stream", PreviewClass.NONE),
    ],
)
def test_preview_class_matches_what_the_viewers_show(media_type: str, expected: PreviewClass) -> None:
    assert preview_class(media_type) == expected


@pytest.mark.parametrize(
    ("media_type", "extension"),
    [
        ("image/jpeg", ".jpg"),
        ("image/png", ".png"),
        ("application/pdf", ".pdf"),
        ("audio/wav", ".wav"),
        ("audio/mpeg", ".mp3"),
        ("audio/mp4", ".m4a"),
        ("video/mp4", ".mp4"),
        ("video/quicktime", ".mov"),
        ("video/webm", ".webm"),
        ("text/plain", ".txt"),
        (DOCX, ".docx"),
        ("application/octet-stream", ".bin"),
        ("image/x-never-heard-of", ".bin"),
    ],
)
def test_extension_for_export_names(media_type: str, extension: str) -> None:
    assert extension_for(media_type) == extension


@pytest.mark.parametrize(
    ("media_type", "english", "korean"),
    [
        ("image/jpeg", "JPEG image", "JPEG 이미지"),
        ("application/pdf", "PDF document", "PDF 문서"),
        ("audio/wav", "Audio (WAV)", "오디오 (WAV)"),
        ("video/mp4", "Video (MP4)", "동영상 (MP4)"),
        ("text/plain", "Text", "텍스트"),
        ("application/octet-stream", "File", "파일"),
        ("audio/x-unknown", "Audio", "오디오"),
    ],
)
def test_describe_in_english_and_korean(media_type: str, english: str, korean: str) -> None:
    assert describe(media_type, "en") == english
    assert describe(media_type, "ko") == korean
    assert describe(media_type, "ko-KR") == korean


@pytest.mark.parametrize(("head", "expected"), [h[1:] for h in HEADERS], ids=[h[0] for h in HEADERS])
def test_every_sniffed_type_has_extension_and_label(head: bytes, expected: str) -> None:
    if expected not in ("application/octet-stream", "application/x-empty"):
        assert extension_for(expected) != ".bin"
        assert describe(expected, "en") not in ("File", "Image", "Audio", "Video")


@given(st.binary(max_size=HEAD_BYTES + 100))
def test_sniff_never_raises_and_returns_a_media_type(head: bytes) -> None:
    assert MEDIA_TYPE.fullmatch(sniff_media_type(head))


@given(st.sampled_from([h[1] for h in HEADERS]), st.binary(max_size=200))
def test_sniff_of_known_prefix_with_any_tail_returns_a_media_type(prefix: bytes, tail: bytes) -> None:
    media_type = sniff_media_type(prefix + tail)
    assert MEDIA_TYPE.fullmatch(media_type)
    assert isinstance(describe(media_type, "ko"), str)


TEXT_CHARACTERS = st.one_of(st.characters(exclude_categories=("Cs", "Cc")), st.sampled_from("\t\n\r"))


@given(st.text(TEXT_CHARACTERS, min_size=16), st.text(TEXT_CHARACTERS), st.integers(min_value=0))
def test_text_stays_text_when_more_utf8_follows(start: str, more: str, cut: int) -> None:
    head = start.encode()
    # Shorter than the longest magic number, a text could still turn into one (b"GIF8" + b"9a").
    assume(len(head) >= 16 and sniff_media_type(head) == "text/plain")
    longer = head + more.encode()
    assert sniff_media_type(longer) == "text/plain"
    assert sniff_media_type(longer[: len(head) + cut % (len(longer) - len(head) + 1)]) == "text/plain"
