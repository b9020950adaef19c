"""The strict streaming ustar reader and writer: round trips, compatibility with tarfile and GNU tar, and a refusal
for everything a bundle never holds."""

from __future__ import annotations

import io
import os
import shutil
import subprocess
import tarfile
import time
import tracemalloc
from pathlib import Path

import pyrage
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from safecase.crypto.age_pipe import AgeDecryptingReader, AgeEncryptingWriter
from safecase.errors import ExitCode, IntegrityError
from safecase.storage.tar_stream import (
    MAX_MEMBER_SIZE,
    MemberSizeMismatch,
    TarFormatError,
    TarMemberTooLarge,
    TarReader,
    TarTruncated,
    TarWriter,
    UnsafeMemberName,
    check_member_name,
)

MEMBERS = {
    "manifest.json": b'{"version": 1}\n',
    "manifest.json.minisig": b"",
    "records/0001.jsonl": os.urandom(512),
    "records/0002.jsonl": os.urandom(1024),
    "evidence/a-1_b.2.jpg": os.urandom(70_000),
    "evidence/empty": b"",
    "x" * 100: b"longest name",
}

requires_tar = pytest.mark.skipif(shutil.which("tar") is None, reason="GNU tar is not installed")


def archive_of(members: dict[str, bytes], mtime: int = 1_700_000_000) -> bytes:
    out = io.BytesIO()
    tar = TarWriter(out)
    for name, data in members.items():
        tar.add(name, data, mtime)
    tar.close()
    return out.getvalue()


def read_all(data: bytes) -> dict[str, bytes]:
    reader = TarReader(io.BytesIO(data))
    members: dict[str, bytes] = {}
    while (member := reader.next_member()) is not None:
        members[member.name] = member.read()
        assert member.remaining == 0
    assert reader.next_member() is None
    return members


ARCHIVE = archive_of(MEMBERS)


def test_round_trip() -> None:
    assert read_all(ARCHIVE) == MEMBERS
    assert len(ARCHIVE) % tarfile.RECORDSIZE == 0


def test_empty_archive() -> None:
    assert read_all(archive_of({})) == {}
    assert read_all(bytes(1024)) == {}


def test_streamed_member_in_pieces() -> None:
    out = io.BytesIO()
    tar = TarWriter(out)
    sink = tar.begin("evidence/video.mp4", 3000, 5)
    for start in range(0, 3000, 700):
        sink.write(os.urandom(min(700, 3000 - start)))
    sink.finish()
    tar.close()
    reader = TarReader(io.BytesIO(out.getvalue()))
    member = reader.next_member()
    assert member is not None and member.size == 3000
    assert len(member.read(100)) == 100
    assert member.remaining == 2900
    assert len(member.read()) == 2900
    assert member.read(10) == b""
    assert reader.next_member() is None


def test_skipping_unread_members() -> None:
    reader = TarReader(io.BytesIO(ARCHIVE))
    names = []
    while (member := reader.next_member()) is not None:
        names.append(member.name)
        if member.size > 10:
            member.read(7)  # partly read, then skipped with its padding
    assert names == list(MEMBERS)


def test_a_skipped_member_cannot_be_read() -> None:
    reader = TarReader(io.BytesIO(ARCHIVE))
    first = reader.next_member()
    assert first is not None
    reader.next_member()
    with pytest.raises(ValueError, match="skipped"):
        first.read(1)


def test_readable_by_tarfile() -> None:
    with tarfile.open(fileobj=io.BytesIO(ARCHIVE), mode="r:") as archive:
        infos = archive.getmembers()
        assert [info.name for info in infos] == list(MEMBERS)
        for info in infos:
            assert info.isreg() and info.mode == 0o600 and info.mtime == 1_700_000_000
            assert info.uid == 0 and info.uname == ""
            extracted = archive.extractfile(info)
            assert extracted is not None
            assert extracted.read() == MEMBERS[info.name]


@requires_tar
def test_readable_by_gnu_tar(tmp_path: Path) -> None:
    (tmp_path / "bundle.tar").write_bytes(ARCHIVE)
    listing = subprocess.run(["tar", "-tvf", tmp_path / "bundle.tar"], check=True, capture_output=True, text=True)
    assert len(listing.stdout.splitlines()) == len(MEMBERS)
    assert all(line.startswith("-rw-------") for line in listing.stdout.splitlines())
    out = tmp_path / "out"
    out.mkdir()
    subprocess.run(["tar", "-xf", tmp_path / "bundle.tar", "-C", out], check=True, capture_output=True)
    for name, data in MEMBERS.items():
        assert (out / name).read_bytes() == data


def test_reads_tarfile_ustar_archives() -> None:
    out = io.BytesIO()
    with tarfile.open(fileobj=out, mode="w", format=tarfile.USTAR_FORMAT) as archive:
        for name, data in MEMBERS.items():
            info = tarfile.TarInfo(name)
            info.size = len(data)
            info.mode = 0o644
            info.uname = "someone"
            archive.addfile(info, io.BytesIO(data))
    assert read_all(out.getvalue()) == MEMBERS


@requires_tar
def test_reads_gnu_tar_ustar_archives(tmp_path: Path) -> None:
    source = tmp_path / "src"
    (source / "records").mkdir(parents=True)
    (source / "records" / "one.jsonl").write_bytes(b"line\n" * 300)
    (source / "plain.txt").write_bytes(b"")
    subprocess.run(
        ["tar", "--format=ustar", "-cf", tmp_path / "gnu.tar", "-C", source, "records/one.jsonl", "plain.txt"],
        check=True,
        capture_output=True,
    )
    assert read_all((tmp_path / "gnu.tar").read_bytes()) == {"records/one.jsonl": b"line\n" * 300, "plain.txt": b""}


# --- the writer's refusals -------------------------------------------------------------------------------------------


def test_writer_refuses_too_much_or_too_little() -> None:
    tar = TarWriter(io.BytesIO())
    sink = tar.begin("a", 3)
    with pytest.raises(MemberSizeMismatch):
        sink.write(b"abcd")
    sink.write(b"ab")
    with pytest.raises(MemberSizeMismatch):
        sink.finish()
    with pytest.raises(ValueError, match="not finished"):
        tar.begin("b", 0)
    sink.write(b"c")
    sink.finish()
    tar.close()


def test_writer_refuses_unsafe_names_and_huge_sizes() -> None:
    tar = TarWriter(io.BytesIO())
    with pytest.raises(UnsafeMemberName):
        tar.add("../escape", b"")
    with pytest.raises(TarMemberTooLarge) as caught:
        tar.begin("huge", MAX_MEMBER_SIZE + 1)
    assert "too large" in str(caught.value)
    sink = tar.begin("largest", MAX_MEMBER_SIZE)  # only the header is written
    assert sink.size == 8 * 2**30 - 1


# --- names ---------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["a", "manifest.json", "records/0001.jsonl", "a/b/c-d_e.F9", "x" * 100, "..a", "a.."])
def test_safe_names(name: str) -> None:
    assert check_member_name(name) == name


@pytest.mark.parametrize(
    ("name", "problem"),
    [
        ("", "empty name"),
        ("../etc/passwd", "'..' path component"),
        ("a/../../b", "'..' path component"),
        ("a/./b", "'.' or '..'"),
        ("a//b", "empty, '.'"),
        ("a/", "empty, '.'"),
        ("/etc/passwd", "absolute path"),
        ("C:foo", "colon"),
        ("a\\b", "backslash"),
        ("a\0b", "NUL"),
        ("x" * 101, "longer than 100"),
        ("évidence", "character other than"),
        ("a b", "character other than"),
        ("a\nb", "character other than"),
    ],
)
def test_unsafe_names(name: str, problem: str) -> None:
    with pytest.raises(UnsafeMemberName) as caught:
        check_member_name(name)
    message = str(caught.value)
    assert problem in message
    assert "\n" not in message and "\0" not in message
    assert caught.value.exit_code == ExitCode.INTEGRITY


# --- the reader's refusals -----------------------------------------------------------------------------------------


def header(name: str = "member", size: int = 0, **fields: bytes) -> bytes:
    """A ustar header made by tarfile, with fields replaced (offset: bytes) and the checksum made right again."""
    info = tarfile.TarInfo(name)
    info.size = size
    block = bytearray(info.tobuf(tarfile.USTAR_FORMAT, "utf-8", "strict"))
    for offset, value in fields.items():
        start = int(offset.removeprefix("at"))
        block[start : start + len(value)] = value
    block[148:156] = b" " * 8
    block[148:156] = b"%06o\0 " % sum(block)
    return bytes(block)


def refusal(data: bytes) -> TarFormatError:
    with pytest.raises(TarFormatError) as caught:
        read_all(data)
    assert isinstance(caught.value, IntegrityError)
    assert "\n" not in str(caught.value)
    return caught.value


def test_reference_header_is_accepted() -> None:
    assert read_all(header("ok", 3) + b"abc".ljust(512, b"\0") + bytes(1024)) == {"ok": b"abc"}


@pytest.mark.parametrize(
    ("typeflag", "what"),
    [
        (b"1", "hard link"),
        (b"2", "symbolic link"),
        (b"3", "character device"),
        (b"4", "block device"),
        (b"5", "directory"),
        (b"6", "FIFO"),
        (b"x", "pax extended header"),
        (b"g", "pax global header"),
        (b"L", "GNU long name"),
        (b"K", "GNU long link"),
        (b"Z", "unknown type"),
    ],
)
def test_refused_member_types(typeflag: bytes, what: str) -> None:
    error = refusal(header("link", at156=typeflag) + bytes(1024))
    assert what in str(error)


def test_tarfile_symlink_hardlink_and_directory_are_refused() -> None:
    for kind, what in [(tarfile.SYMTYPE, "symbolic link"), (tarfile.LNKTYPE, "hard link"), (tarfile.DIRTYPE, "dir")]:
        out = io.BytesIO()
        with tarfile.open(fileobj=out, mode="w", format=tarfile.USTAR_FORMAT) as archive:
            info = tarfile.TarInfo("evidence")
            info.type = kind
            info.linkname = "/etc/passwd" if kind != tarfile.DIRTYPE else ""
            archive.addfile(info)
        assert what in str(refusal(out.getvalue()))


def test_pax_archive_is_refused() -> None:
    out = io.BytesIO()
    with tarfile.open(fileobj=out, mode="w", format=tarfile.PAX_FORMAT) as archive:
        info = tarfile.TarInfo("évidence.txt")
        archive.addfile(info, io.BytesIO(b""))
    assert "pax extended header" in str(refusal(out.getvalue()))


def test_gnu_format_archive_is_refused() -> None:
    out = io.BytesIO()
    with tarfile.open(fileobj=out, mode="w", format=tarfile.GNU_FORMAT) as archive:
        info = tarfile.TarInfo("long/" + "n" * 150)
        archive.addfile(info, io.BytesIO(b""))
    assert "not POSIX ustar" in str(refusal(out.getvalue()))


@pytest.mark.parametrize(
    ("name", "problem"),
    [("../x", "'..'"), ("/abs", "absolute"), ("C:foo", "colon"), ("a\\b", "backslash"), ("a/", "empty")],
)
def test_unsafe_names_in_headers(name: str, problem: str) -> None:
    error = refusal(header(name) + bytes(1024))
    assert isinstance(error, UnsafeMemberName)
    assert problem in str(error)


def test_nul_inside_the_name_field_is_refused() -> None:
    error = refusal(header("abc", at0=b"ab\0d") + bytes(1024))
    assert "name field" in str(error)


def test_full_100_character_name_field() -> None:
    assert read_all(header("n" * 100) + bytes(1024)) == {"n" * 100: b""}


def test_prefix_field_is_refused() -> None:
    assert "prefix" in str(refusal(header("file", at345=b"evil") + bytes(1024)))


def test_bad_checksum_is_refused() -> None:
    first = header("a", 1)
    broken = bytearray(first)
    broken[0] ^= 0x02
    assert "checksum" in str(refusal(bytes(broken) + b"x".ljust(512, b"\0") + bytes(1024)))


@pytest.mark.parametrize("size_field", [b"0000000001x\0", b"\x80" + bytes(10) + b"\x01", b" 0000000001\0", b"\0" * 12])
def test_non_octal_size_is_refused(size_field: bytes) -> None:
    assert "size" in str(refusal(header("a", at124=size_field) + bytes(1024)))


def test_wrong_magic_is_refused() -> None:
    assert "not POSIX ustar" in str(refusal(header("a", at257=b"ustar  \0") + bytes(1024)))
    assert "not POSIX ustar" in str(refusal(header("a", at257=b"\0" * 8) + bytes(1024)))


def test_data_in_padding_is_refused() -> None:
    assert "padding" in str(refusal(header("a", 1) + b"xy".ljust(512, b"\0") + bytes(1024)))


def test_truncated_at_every_block() -> None:
    small = archive_of({"a": b"1" * 600, "b": b"", "c": b"22"})
    end = 512 * 8  # a: header and two blocks, b: header, c: header and a block, then the two end blocks
    assert not any(small[end - 1024 :])
    assert read_all(small[:end]) == {"a": b"1" * 600, "b": b"", "c": b"22"}
    for cut in range(0, end, 512):
        with pytest.raises(TarTruncated):
            read_all(small[:cut])


@pytest.mark.parametrize("cut", [1, 100, 511, 513, 700, 1023, 1500, 2047])
def test_truncated_inside_a_header_or_member(cut: int) -> None:
    small = archive_of({"a": b"1" * 600, "b": b"22"})
    with pytest.raises(TarTruncated):
        read_all(small[:cut])


def test_truncated_error_messages() -> None:
    with pytest.raises(TarTruncated, match="middle of a header"):
        read_all(header("a")[:100])
    with pytest.raises(TarTruncated, match="middle of “a”"):
        read_all(header("a", 700) + bytes(600))
    with pytest.raises(TarTruncated, match="without its end marker"):
        read_all(header("a"))
    with pytest.raises(TarTruncated, match="inside its end marker"):
        read_all(header("a") + bytes(512))


@pytest.mark.parametrize("tail", [b"x", b"\0" * 2000 + b"\x01", os.urandom(512) + b"\x01", bytes(1 << 20)])
def test_trailing_data_is_refused(tail: bytes) -> None:
    assert "trailing data" in str(refusal(ARCHIVE + tail))


def test_zero_padding_after_the_end_is_accepted() -> None:
    assert read_all(ARCHIVE + bytes(30_000)) == MEMBERS


def test_empty_block_between_members_is_refused() -> None:
    assert "empty block" in str(refusal(bytes(512) + header("a") + bytes(1024)))


def test_huge_declared_size_then_eof_allocates_nothing() -> None:
    huge = header("big", at124=b"%011o\0" % MAX_MEMBER_SIZE)
    tracemalloc.start()
    try:
        reader = TarReader(io.BytesIO(huge + os.urandom(3000)))
        member = reader.next_member()
        assert member is not None and member.size == MAX_MEMBER_SIZE
        with pytest.raises(TarTruncated):
            member.read()
        with pytest.raises(TarTruncated):
            read_all(huge)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 2**20


def test_ten_gigabyte_declaration_is_refused() -> None:
    """10 GB needs all 12 bytes of the size field for digits, leaving no terminator: refused as unreadable."""
    ten_gb = header("big", at124=b"%012o" % (10 * 10**9))
    with pytest.raises(TarFormatError, match="size"):
        read_all(ten_gb + bytes(100))


SMALL = archive_of({"a": b"1" * 600, "b/c": b"", "d": b"22"})
SMALL_END = 512 * 8  # the members and the two end blocks; most flips after that are trailing data


@settings(max_examples=400, deadline=None)
@given(
    st.sampled_from([ARCHIVE, SMALL]),
    st.lists(st.tuples(st.integers(0, SMALL_END - 1), st.integers(1, 255)), min_size=1, max_size=4),
)
def test_random_damage_is_refused_or_harmless(archive: bytes, flips: list[tuple[int, int]]) -> None:
    damaged = bytearray(archive)
    for position, mask in flips:
        damaged[position] ^= mask
    try:
        members = read_all(bytes(damaged))
    except (TarFormatError, TarTruncated, UnsafeMemberName):
        return
    for name in members:
        assert check_member_name(name) == name


def test_through_age_and_into_pyrage() -> None:
    """The bundle pipeline: tar into an age writer; tar out of an age reader, a member fed to pyrage as its reader."""
    identity = pyrage.x25519.Identity.generate()
    sealed = io.BytesIO()
    with AgeEncryptingWriter(sealed, [identity.to_public()]) as writer:
        tar = TarWriter(writer)
        for name, data in MEMBERS.items():
            tar.add(name, data)
        tar.close()
    sealed.seek(0)
    with AgeDecryptingReader(sealed, [identity]) as reader:
        tar_reader = TarReader(reader)
        first = tar_reader.next_member()
        assert first is not None and first.name == "manifest.json"
        assert first.read() == MEMBERS["manifest.json"]
        resealed = {}
        while (member := tar_reader.next_member()) is not None:
            out = io.BytesIO()
            pyrage.encrypt_io(member, out, [identity.to_public()])
            resealed[member.name] = pyrage.decrypt(out.getvalue(), [identity])
        assert reader.authenticated
    assert resealed == {name: data for name, data in MEMBERS.items() if name != "manifest.json"}


def test_many_tiny_members_stream_in_linear_time_and_bounded_memory() -> None:
    count = 20_000

    started = time.monotonic()
    out = io.BytesIO()
    tar = TarWriter(out)
    for number in range(count):
        tar.add(f"records/{number:06d}", b"")
    tar.close()
    data = out.getvalue()
    source = io.BytesIO(data)
    tracemalloc.start()
    try:
        reader = TarReader(source)
        seen = 0
        while (member := reader.next_member()) is not None:
            assert member.read() == b""
            seen += 1
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert seen == count
    assert peak < 256 * 1024  # no member, header or name is kept
    assert time.monotonic() - started < 10
