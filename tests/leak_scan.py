"""Looking for plaintext on disk that must not be there.

A leak test plants a unique marker in evidence, works a feature, then asks which files under some folders still
hold the marker in one of its byte forms (:func:`needles_for`). Files are read in blocks that overlap, so a needle
split across two blocks is still found. Links are never followed, and files that vanish or cannot be read while
being scanned are skipped: the shared temporary folder belongs to other programs too. For such a folder pass
``changed_since`` (a file counts if its mtime *or* its ctime is that recent, since a copy that kept its source's
mtime still has a new ctime) and, where other programs' big files would only make the scan slow, ``max_bytes``.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Collection, Iterable, Iterator, Sequence
from pathlib import Path

ENCODINGS = ("utf-8", "utf-16-le", "utf-16-be")
BLOCK_BYTES = 1 << 20


def needles_for(*texts: str) -> tuple[bytes, ...]:
    """Every ``text`` as it would be written to disk: in UTF-8 and in UTF-16 of either byte order."""
    return tuple(text.encode(encoding) for text in texts for encoding in ENCODINGS)


def scanned_files(
    roots: Iterable[Path], *, changed_since: float | None = None, max_bytes: int | None = None
) -> Iterator[Path]:
    """The regular files (not links) under ``roots``, optionally only those changed since ``changed_since`` (a
    ``time.time()`` value) and only those of at most ``max_bytes``. Folders that cannot be listed are skipped."""
    for root in roots:
        for folder, _dirs, names in os.walk(root):  # does not follow links to folders
            for name in sorted(names):
                path = Path(folder) / name
                try:
                    facts = path.lstat()
                except OSError:
                    continue  # gone, or not ours to look at
                if not stat.S_ISREG(facts.st_mode):
                    continue
                if changed_since is not None and max(facts.st_mtime, facts.st_ctime) < changed_since:
                    continue
                if max_bytes is not None and facts.st_size > max_bytes:
                    continue
                yield path


def file_contains(path: Path, needles: Sequence[bytes]) -> bool:
    """Whether the file holds any of ``needles``; a file that cannot be read holds none."""
    if not needles:
        raise ValueError("no needles to look for")
    overlap = max(len(needle) for needle in needles)
    tail = b""
    try:
        with path.open("rb") as handle:
            while block := handle.read(BLOCK_BYTES):
                window = tail + block
                if any(needle in window for needle in needles):
                    return True
                tail = window[-overlap:]
    except OSError:
        return False
    return False


def files_containing(
    roots: Iterable[Path],
    needles: Sequence[bytes],
    *,
    changed_since: float | None = None,
    max_bytes: int | None = None,
    exclude: Collection[Path] = (),
) -> list[Path]:
    """The files :func:`scanned_files` finds that hold any of ``needles``, except those in ``exclude`` (say, the
    source files the test wrote itself)."""
    return [
        path
        for path in scanned_files(roots, changed_since=changed_since, max_bytes=max_bytes)
        if path not in exclude and file_contains(path, needles)
    ]
