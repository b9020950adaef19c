"""Release archives depend only on the files in them: names sorted, times SOURCE_DATE_EPOCH, owner root, modes
0755/0644, links kept."""

from __future__ import annotations

import os
import tarfile
import zipfile
from pathlib import Path

import pytest
from safecase_release.archive import write_archive

EPOCH = 1_764_000_000


def app_folder(root: Path, disk_time: int) -> Path:
    app = root / "safecase"
    (app / "_internal" / "lib").mkdir(parents=True)
    (app / "safecase").write_bytes(b"\x7fELF program")
    (app / "safecase").chmod(0o700)
    (app / "_internal" / "lib" / "libz.so.1").write_bytes(b"library")
    (app / "_internal" / "zz.txt").write_text("last", encoding="utf-8")
    (app / "_internal" / "aa.txt").write_text("first", encoding="utf-8")
    (app / "_internal" / "aa.txt").chmod(0o600)
    (app / "libz.so.1").symlink_to("_internal/lib/libz.so.1")
    for path in [app, *app.rglob("*")]:
        os.utime(path, (disk_time, disk_time), follow_symlinks=False)
    return app


@pytest.mark.parametrize("suffix", ["tar.gz", "zip"])
def test_same_files_give_the_same_bytes_whatever_their_times_on_disk(tmp_path: Path, suffix: str) -> None:
    first, second = tmp_path / f"a.{suffix}", tmp_path / f"b.{suffix}"
    write_archive(app_folder(tmp_path / "one", 1_000_000_000), first, EPOCH)
    write_archive(app_folder(tmp_path / "two", 1_700_000_000), second, EPOCH)
    assert first.read_bytes() == second.read_bytes()
    assert first.stat().st_mtime == EPOCH


def test_tar_members_are_sorted_root_owned_dated_and_normalised(tmp_path: Path) -> None:
    output = tmp_path / "app.tar.gz"
    write_archive(app_folder(tmp_path, 1_000_000_000), output, EPOCH)
    with tarfile.open(output) as tar:
        members = tar.getmembers()
    names = [member.name for member in members]
    assert names == [
        "safecase",
        "safecase/_internal",
        "safecase/_internal/aa.txt",
        "safecase/_internal/lib",
        "safecase/_internal/lib/libz.so.1",
        "safecase/_internal/zz.txt",
        "safecase/libz.so.1",
        "safecase/safecase",
    ]
    by_name = {member.name: member for member in members}
    assert all((m.uid, m.gid, m.uname, m.gname, m.mtime) == (0, 0, "", "", EPOCH) for m in members)
    assert by_name["safecase/safecase"].mode == 0o755
    assert by_name["safecase/_internal/aa.txt"].mode == 0o644
    assert by_name["safecase/libz.so.1"].issym() and by_name["safecase/libz.so.1"].linkname == "_internal/lib/libz.so.1"


def test_zip_entries_carry_the_epoch_and_unix_modes(tmp_path: Path) -> None:
    output = tmp_path / "app.zip"
    write_archive(app_folder(tmp_path, 1_000_000_000), output, EPOCH)
    with zipfile.ZipFile(output) as archive:
        infos = {info.filename: info for info in archive.infolist()}
        assert archive.read("safecase/_internal/zz.txt") == b"last"
    assert infos["safecase/safecase"].date_time == (2025, 11, 24, 16, 0, 0)
    assert (infos["safecase/safecase"].external_attr >> 16) & 0o777 == 0o755
    assert infos["safecase/_internal/"].is_dir()


def test_unknown_archive_type_is_refused(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="unknown archive type"):
        write_archive(app_folder(tmp_path, 1), tmp_path / "app.rar", EPOCH)
