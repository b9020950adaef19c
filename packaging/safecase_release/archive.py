"""Release archives whose bytes depend only on the files in them: names sorted, every time SOURCE_DATE_EPOCH,
owner root (0/0, no names), modes 0755 or 0644 by the executable bit, symbolic links kept (tar).

A ``.tar.gz`` for Linux and macOS (it keeps executable bits and the app bundle's links), a ``.zip`` for Windows
(Explorer opens it with no extra tool).
"""

from __future__ import annotations

import gzip
import os
import stat
import tarfile
import time
import zipfile
from collections.abc import Iterator
from pathlib import Path

ZIP_EPOCH_MINIMUM = 315532800  # 1980-01-01: a zip file cannot say earlier


def _walk(folder: Path) -> Iterator[Path]:
    """``folder`` and everything under it, parents before children, names sorted; links not followed."""
    yield folder
    for entry in sorted(folder.iterdir(), key=lambda path: path.name):
        if entry.is_dir() and not entry.is_symlink():
            yield from _walk(entry)
        else:
            yield entry


def _mode(path: Path) -> int:
    status = path.lstat()
    if stat.S_ISLNK(status.st_mode):
        return 0o777
    if stat.S_ISDIR(status.st_mode) or status.st_mode & 0o111:
        return 0o755
    return 0o644


def write_tar_gz(folder: Path, output: Path, epoch: int) -> None:
    """``folder`` as ``<folder name>/...`` in a gzip'd tar at ``output``."""
    with (
        output.open("wb") as raw,
        gzip.GzipFile(filename="", mode="wb", fileobj=raw, mtime=epoch, compresslevel=6) as compressed,
        tarfile.open(fileobj=compressed, mode="w", format=tarfile.PAX_FORMAT) as tar,
    ):
        for path in _walk(folder):
            info = tar.gettarinfo(str(path), arcname=str(Path(folder.name) / path.relative_to(folder)))
            info.uid = info.gid = 0
            info.uname = info.gname = ""
            info.mtime = epoch
            info.mode = _mode(path)
            info.pax_headers = {}
            if info.isreg():
                with path.open("rb") as content:
                    tar.addfile(info, content)
            else:
                tar.addfile(info)


def write_zip(folder: Path, output: Path, epoch: int) -> None:
    """``folder`` as ``<folder name>/...`` in a zip at ``output``. Symbolic links are stored as the files they
    point to (Windows builds have none)."""
    moment = time.gmtime(max(epoch, ZIP_EPOCH_MINIMUM))[:6]
    with zipfile.ZipFile(output, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=6) as archive:
        for path in _walk(folder):
            name = (Path(folder.name) / path.relative_to(folder)).as_posix()
            is_dir = path.is_dir()
            info = zipfile.ZipInfo(name + "/" if is_dir else name, date_time=moment)
            info.create_system = 3  # Unix, so the modes below are read
            info.external_attr = ((stat.S_IFDIR if is_dir else stat.S_IFREG) | _mode(path)) << 16
            if is_dir:
                info.external_attr |= 0x10  # MS-DOS directory flag
                archive.writestr(info, b"")
            else:
                info.compress_type = zipfile.ZIP_DEFLATED
                with path.open("rb") as source, archive.open(info, "w") as target:
                    while chunk := source.read(1 << 20):
                        target.write(chunk)


def write_archive(folder: Path, output: Path, epoch: int) -> None:
    if output.name.endswith(".zip"):
        write_zip(folder, output, epoch)
    elif output.name.endswith(".tar.gz"):
        write_tar_gz(folder, output, epoch)
    else:
        raise ValueError(f"unknown archive type: {output.name}")
    os.utime(output, (epoch, epoch))
