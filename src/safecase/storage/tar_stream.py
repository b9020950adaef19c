"""Strict, streaming POSIX ustar archives: the plaintext layout of a bundle.

A bundle holds only regular files with short, plain names, so this reader accepts only that and refuses the rest
by name (links, directories, devices, pax and GNU extension headers, the ustar name prefix, base-256 sizes) instead
of interpreting it: an archive from a stranger can then neither write outside the import folder nor make us hold
more memory than a block, whatever sizes its headers declare. Only the POSIX magic ("ustar" NUL "00", what Python's
tarfile writes in USTAR_FORMAT and GNU tar with --format=ustar) is accepted; GNU tar's own format ("ustar  " NUL)
is refused, since nothing that writes bundles produces it.

The writer produces the same subset with headers from the standard library, so that tarfile and GNU tar read a
bundle's plaintext as an ordinary archive.
"""

from __future__ import annotations

import re
import tarfile

from safecase.crypto.age_stream import Readable, Writer
from safecase.errors import IntegrityError, SafeCaseError, shown

BLOCK = 512
RECORD = tarfile.RECORDSIZE  # 10240: the writer pads the end like tarfile does
MAX_MEMBER_SIZE = 8**11 - 1  # what the 11 octal digits of the ustar size field hold (8 GiB - 1)
MAX_NAME_CHARS = 100  # the ustar name field, without the prefix field
MAX_END_PADDING = 64 * 1024  # zero bytes accepted after the two end blocks (tarfile pads to 10240)
READ_CHUNK = 1 << 20  # the most the reader asks of its source at once

_NAME_CHARACTERS = re.compile(r"[A-Za-z0-9._/-]+")
_NEW_COPY = "ask the sender for a new copy."

_REFUSED_TYPES = {
    b"1": "a hard link",
    b"2": "a symbolic link",
    b"3": "a character device",
    b"4": "a block device",
    b"5": "a directory",
    b"6": "a named pipe (FIFO)",
    b"7": "a contiguous file",
    b"x": "a pax extended header",
    b"g": "a pax global header",
    b"L": "a GNU long name",
    b"K": "a GNU long link name",
}


class TarFormatError(IntegrityError):
    """The archive is not the strict ustar subset a bundle uses: damaged, or not made by SafeCase."""


class TarTruncated(TarFormatError):
    """The archive ends before its end marker: inside a header, inside a member, or without the end blocks."""


class UnsafeMemberName(TarFormatError):
    """A member name that could escape the folder it is extracted to, or that a bundle never uses."""


class TarMemberTooLarge(SafeCaseError):
    """A file too large for a ustar member (8 GiB - 1 byte at most)."""


class MemberSizeMismatch(IntegrityError):
    """A member's content is longer or shorter than the size announced in its header."""


def _shown_name(name: str) -> str:
    return shown(name if len(name) <= 2 * MAX_NAME_CHARS else name[: 2 * MAX_NAME_CHARS] + "…")


def _unsafe(name: str, problem: str) -> UnsafeMemberName:
    return UnsafeMemberName(f"The archive holds a file named “{_shown_name(name)}”, which {problem}; {_NEW_COPY}")


def check_member_name(name: str) -> str:
    """``name`` if it is a safe member name (1..100 of [A-Za-z0-9._-/], relative, no empty/./.. parts)."""
    if not name:
        raise UnsafeMemberName(f"The archive holds a file with an empty name; {_NEW_COPY}")
    if len(name) > MAX_NAME_CHARS:
        raise _unsafe(name, f"is longer than {MAX_NAME_CHARS} characters")
    if "\0" in name:
        raise _unsafe(name, "contains a NUL character")
    if "\\" in name:
        raise _unsafe(name, "contains a backslash")
    if ":" in name:
        raise _unsafe(name, "contains a colon (a drive letter)")
    if name.startswith("/"):
        raise _unsafe(name, "is an absolute path")
    if not _NAME_CHARACTERS.fullmatch(name):
        raise _unsafe(name, "contains a character other than A-Z, a-z, 0-9, '.', '_', '-' and '/'")
    if any(part in {"", ".", ".."} for part in name.split("/")):
        raise _unsafe(name, "has an empty, '.' or '..' path component")
    return name


class MemberSink:
    """The content of one member being written: exactly ``size`` bytes, then ``finish``."""

    def __init__(self, archive: TarWriter, name: str, size: int) -> None:
        self._archive = archive
        self.name = name
        self.size = size
        self.written = 0
        self.finished = False

    def write(self, data: bytes) -> int:
        if self.finished:
            raise ValueError("write to a finished tar member")
        if self.written + len(data) > self.size:
            raise MemberSizeMismatch(
                f"“{_shown_name(self.name)}” is longer than the {self.size} bytes announced for it; the source"
                " changed or is damaged."
            )
        self._archive._emit(data)
        self.written += len(data)
        return len(data)

    def finish(self) -> None:
        if self.finished:
            return
        if self.written < self.size:
            raise MemberSizeMismatch(
                f"“{_shown_name(self.name)}” is shorter than the {self.size} bytes announced for it; the source"
                " changed or is damaged."
            )
        self.finished = True
        self._archive._emit(bytes(-self.size % BLOCK))


class TarWriter:
    """Writes a ustar archive of regular files to ``out``, one member after the other; ``close`` ends it."""

    def __init__(self, out: Writer) -> None:
        self._out = out
        self._offset = 0
        self._member: MemberSink | None = None
        self._closed = False

    def add(self, name: str, data: bytes, mtime: int = 0) -> None:
        sink = self.begin(name, len(data), mtime)
        sink.write(data)
        sink.finish()

    def begin(self, name: str, size: int, mtime: int = 0) -> MemberSink:
        """Write the header of a member of ``size`` bytes; its content goes to the returned sink."""
        if self._closed:
            raise ValueError("the tar archive is closed")
        self._require_finished()
        check_member_name(name)
        if not 0 <= size <= MAX_MEMBER_SIZE:
            raise TarMemberTooLarge(
                f"“{_shown_name(name)}” is too large for a bundle ({size} bytes; at most 8 GiB less one byte)."
            )
        if not 0 <= mtime <= MAX_MEMBER_SIZE:  # the same 11 octal digits
            raise ValueError(f"mtime out of the ustar range: {mtime}")
        self._emit(_header(name, size, mtime))
        self._member = MemberSink(self, name, size)
        return self._member

    def close(self) -> None:
        """Write the end of the archive: two zero blocks, then zeros up to a whole 10240-byte record."""
        if self._closed:
            return
        self._require_finished()
        self._emit(bytes(2 * BLOCK))
        self._emit(bytes(-self._offset % RECORD))
        self._closed = True

    def _require_finished(self) -> None:
        if self._member is not None and not self._member.finished:
            raise ValueError("the previous tar member is not finished")

    def _emit(self, data: bytes) -> None:
        if data:
            self._out.write(data)
            self._offset += len(data)


def _header(name: str, size: int, mtime: int) -> bytes:
    info = tarfile.TarInfo(name)
    info.size = size
    info.mtime = mtime
    info.mode = 0o600
    info.type = tarfile.REGTYPE
    info.uid = info.gid = 0
    info.uname = info.gname = ""
    return info.tobuf(tarfile.USTAR_FORMAT, "utf-8", "strict")


class TarMember:
    """One regular file of the archive, read in order; ``read`` never goes beyond it and gives b"" at its end."""

    def __init__(self, archive: TarReader, name: str, size: int) -> None:
        self._archive = archive
        self.name = name
        self.size = size
        self.remaining = size

    def read(self, n: int = -1) -> bytes:
        """Up to ``n`` bytes of the member (all the rest if negative), ``b""`` at its end."""
        if n < 0:
            return b"".join(iter(lambda: self.read(READ_CHUNK), b""))
        if self._archive._member is not self:
            raise ValueError("this tar member was skipped: read members in order")
        piece = self._archive._read_some(min(n, self.remaining, READ_CHUNK))
        if not piece and n and self.remaining:
            raise TarTruncated(f"The archive ends in the middle of “{shown(self.name)}”; {_NEW_COPY}")
        self.remaining -= len(piece)
        return piece


class TarReader:
    """Reads a strict ustar archive from ``source``: regular files with safe names, then a proper end."""

    def __init__(self, source: Readable) -> None:
        self._source = source
        self._offset = 0  # bytes read from the source, for messages
        self._member: TarMember | None = None
        self._padding = 0  # after the current member's data
        self._ended = False

    def next_member(self) -> TarMember | None:
        """The next member (the rest of the current one is skipped), or None at the end of the archive."""
        if self._ended:
            return None
        self._skip_rest()
        header = self._read_exactly(BLOCK)
        if len(header) < BLOCK:
            if not header:
                raise TarTruncated(f"The archive ends without its end marker; {_NEW_COPY}")
            raise TarTruncated(f"The archive ends in the middle of a header; {_NEW_COPY}")
        if not any(header):
            self._read_end()
            return None
        name, size = _parse_header(header, self._offset - BLOCK)
        self._member = TarMember(self, name, size)
        self._padding = -size % BLOCK
        return self._member

    def _skip_rest(self) -> None:
        member = self._member
        if member is not None:
            while member.remaining:
                member.read(READ_CHUNK)
            self._member = None
        if self._padding:
            padding = self._read_exactly(self._padding)
            if len(padding) < self._padding:
                raise TarTruncated(f"The archive ends in the padding after a file; {_NEW_COPY}")
            if any(padding):
                raise TarFormatError(f"The archive has data in the padding after a file; {_NEW_COPY}")
            self._padding = 0

    def _read_end(self) -> None:
        second = self._read_exactly(BLOCK)
        if len(second) < BLOCK:
            raise TarTruncated(f"The archive ends inside its end marker; {_NEW_COPY}")
        if any(second):
            raise TarFormatError(f"The archive has an empty block between its files; {_NEW_COPY}")
        padding = 0
        while piece := self._read_some(BLOCK):
            padding += len(piece)
            if any(piece) or padding > MAX_END_PADDING:
                raise TarFormatError(f"The archive has trailing data after the end of the archive; {_NEW_COPY}")
        self._ended = True

    def _read_some(self, n: int) -> bytes:
        piece = self._source.read(n) if n else b""
        if len(piece) > n:
            raise ValueError("the tar source returned more bytes than asked for")
        self._offset += len(piece)
        return piece

    def _read_exactly(self, n: int) -> bytes:
        """``n`` bytes, or fewer only at the end of the source."""
        pieces: list[bytes] = []
        missing = n
        while missing:
            piece = self._read_some(missing)
            if not piece:
                break
            pieces.append(piece)
            missing -= len(piece)
        return b"".join(pieces)


def _parse_header(header: bytes, offset: int) -> tuple[str, int]:
    """The name and size of a regular-file member; TarFormatError/UnsafeMemberName for anything else."""
    stored = _octal(header[148:156])
    if stored is None or stored != sum(header[:148]) + 8 * ord(" ") + sum(header[156:]):
        raise TarFormatError(f"The archive has a damaged header (checksum mismatch) at byte {offset}; {_NEW_COPY}")
    if header[257:265] != b"ustar\x0000":
        raise TarFormatError(f"The archive has a header that is not POSIX ustar at byte {offset}; {_NEW_COPY}")
    name = _name(header[0:100], offset)
    kind = header[156:157]
    if kind not in {b"0", b"\0"}:
        what = _REFUSED_TYPES.get(kind, "a member of an unknown type")
        raise TarFormatError(
            f"The archive holds {what} (“{_shown_name(name)}”), which a bundle never does; {_NEW_COPY}"
        )
    if any(header[345:500]):
        raise TarFormatError(f"The archive uses the ustar name prefix for “{_shown_name(name)}”; {_NEW_COPY}")
    check_member_name(name)
    size = _octal(header[124:136])
    if size is None:
        raise TarFormatError(f"The archive has an unreadable size for “{shown(name)}”; {_NEW_COPY}")
    return name, size


def _name(field: bytes, offset: int) -> str:
    raw, _, rest = field.partition(b"\0")
    if any(rest):
        raise TarFormatError(f"The archive has a damaged name field at byte {offset}; {_NEW_COPY}")
    return raw.decode("utf-8", "replace")  # any non-ASCII character is then refused by check_member_name


def _octal(field: bytes) -> int | None:
    """A numeric field: octal digits, then at least one NUL or space, and only those (no base-256, no blanks first)."""
    digits = field.rstrip(b"\0 ")
    if not digits or len(digits) == len(field) or any(c not in b"01234567" for c in digits):
        return None
    return int(digits, 8)
