"""Recording files against the rest of the world: a sweep racing a new recording, FIFOs where files should be,
Windows' refusal to rename or remove open files, and disks that fill up or fail while a recording is saved."""

from __future__ import annotations

import errno
import fcntl
import os
import struct
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any, BinaryIO

import pytest

from safecase.errors import SafeCaseError
from safecase.services import recording as recording_module
from safecase.services import recording_segments
from safecase.services.attachments import AttachmentService
from safecase.services.check import check_vault
from safecase.services.recording import Recorder, recover_interrupted
from safecase.services.recording_segments import MAGIC, segment_path
from safecase.services.session import VaultSession
from safecase.storage.blob_store import new_blob_name
from tests.services.test_recording import (
    LIMIT,
    RATE,
    pcm_bytes,
    recording_rows,
    segment_files,
    wav_frames,
)

HANG_TIMEOUT_S = 10


def saved_pcm(attachments: AttachmentService, state: Any) -> bytes:
    assert state is not None
    return wav_frames(attachments.read_bytes(state.id, LIMIT))[1]


# --- a sweep racing a new recording (the lock of the fresh file) ---------------------------------------------------


def test_start_takes_a_new_name_when_another_process_holds_the_fresh_file(
    session: VaultSession, attachments: AttachmentService, testimony_id: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    real_try_lock = recording_segments.try_lock
    held: list[tuple[Path, BinaryIO]] = []

    def sweep_locks_it_first(fd: int) -> bool:
        if not held:  # another process's sweep opens and locks our new .partial before we can
            (partial,) = session.blobs.folder.glob("*.partial")
            handle = partial.open("rb")
            fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
            held.append((partial, handle))
        return real_try_lock(fd)

    monkeypatch.setattr(recording_segments, "try_lock", sweep_locks_it_first)
    recorder = Recorder.start(session, attachments, testimony_id, RATE, 1)
    partial, handle = held[0]
    try:
        assert recorder.row.blob_name != partial.name.removesuffix(".partial")
        assert partial.exists(), "the file the sweep holds is the sweep's to remove"
        pcm = pcm_bytes(1.0)
        recorder.append(pcm)
        assert saved_pcm(attachments, recorder.finish()) == pcm
    finally:
        handle.close()
        recorder.close_file()


def test_start_takes_a_new_name_when_a_sweep_removed_the_fresh_file(
    session: VaultSession, attachments: AttachmentService, testimony_id: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    real_try_lock = recording_segments.try_lock
    removed: list[Path] = []

    def sweep_removes_it_first(fd: int) -> bool:
        if not removed:  # a sweep locked, removed and released our new .partial before we locked it
            (partial,) = session.blobs.folder.glob("*.partial")
            partial.unlink()
            removed.append(partial)
        return real_try_lock(fd)  # the lock of a file no name leads to any more

    monkeypatch.setattr(recording_segments, "try_lock", sweep_removes_it_first)
    recorder = Recorder.start(session, attachments, testimony_id, RATE, 1)
    try:
        assert recorder.row.blob_name != removed[0].name.removesuffix(".partial")
        pcm = pcm_bytes(1.0)
        recorder.append(pcm)
        assert saved_pcm(attachments, recorder.finish()) == pcm
    finally:
        recorder.close_file()


def test_a_live_recording_holds_its_lock(session: VaultSession, recorder: Recorder) -> None:
    with segment_files(session)[0].open("rb") as handle, pytest.raises(BlockingIOError):
        fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)


# --- FIFOs where recording files should be -------------------------------------------------------------------------

needs_fifo = pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs named pipes")


def without_hanging(fifo: Path, work: Callable[[], Any]) -> Any:
    """``work()``'s result, failing the test if it does not return soon (and then freeing it from the FIFO)."""
    outcome: dict[str, Any] = {}

    def run() -> None:
        try:
            outcome["value"] = work()
        except BaseException as error:
            outcome["error"] = error

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    thread.join(HANG_TIMEOUT_S)
    if thread.is_alive():
        with open(os.open(fifo, os.O_WRONLY | os.O_NONBLOCK), "wb"):  # a writer lets the blocked open return
            pass
        thread.join(HANG_TIMEOUT_S)
        pytest.fail("a FIFO where a recording file should be made SafeCase hang")
    if "error" in outcome:
        raise outcome["error"]
    return outcome.get("value")


@needs_fifo
def test_a_fifo_in_place_of_a_recording_file_is_reported_not_hung_on(
    session: VaultSession, attachments: AttachmentService, recorder: Recorder
) -> None:
    recorder.close_file()
    path = segment_files(session)[0]
    path.unlink()
    os.mkfifo(path, 0o600)
    problems: list[str] = []

    recovered = without_hanging(path, lambda: recover_interrupted(session, attachments, on_problem=problems.append))

    assert recovered == []
    assert len(problems) == 1 and "not a regular file" in problems[0]
    assert recording_rows(session) == 1


@needs_fifo
def test_a_fifo_named_like_a_recording_without_a_row_is_skipped_not_hung_on(
    session: VaultSession, attachments: AttachmentService
) -> None:
    session.blobs.folder.mkdir(exist_ok=True)
    fifo = segment_path(session.blobs.folder, new_blob_name())
    os.mkfifo(fifo, 0o600)

    assert without_hanging(fifo, lambda: recover_interrupted(session, attachments)) == []
    assert fifo.exists()


@needs_fifo
def test_finish_does_not_hang_on_a_fifo_put_in_place_of_its_file(session: VaultSession, recorder: Recorder) -> None:
    recorder.append(pcm_bytes(0.5))
    path = segment_files(session)[0]
    path.unlink()
    os.mkfifo(path, 0o600)

    with pytest.raises(SafeCaseError, match="not a regular file"):
        without_hanging(path, recorder.finish)


# --- Windows: no renaming or removing of open files ----------------------------------------------------------------


@pytest.fixture
def windows_like(monkeypatch: pytest.MonkeyPatch) -> None:
    """Renaming or removing a recording file this process has open fails with a sharing violation, as on Windows."""
    if not Path("/proc/self/fd").is_dir():
        pytest.skip("needs /proc to see which files are open")
    real_rename, real_unlink = os.rename, os.unlink

    def open_here(path: Any) -> bool:
        target = os.path.realpath(path)
        for fd in os.listdir("/proc/self/fd"):
            try:
                if os.readlink(f"/proc/self/fd/{fd}") == target:
                    return True
            except OSError:
                continue
        return False

    def sharing_violation(path: Any) -> OSError:
        return PermissionError(errno.EACCES, "The process cannot access the file (sharing violation)", str(path))

    def rename(src: Any, dst: Any, *args: Any, **kwargs: Any) -> None:
        if str(dst).endswith(".recording") and open_here(src):
            raise sharing_violation(src)
        real_rename(src, dst, *args, **kwargs)

    def unlink(path: Any, *args: Any, **kwargs: Any) -> None:
        if str(path).endswith(".recording") and open_here(path):
            raise sharing_violation(path)
        real_unlink(path, *args, **kwargs)

    monkeypatch.setattr(os, "rename", rename)
    monkeypatch.setattr(os, "unlink", unlink)
    monkeypatch.setattr(recording_segments, "CLOSE_BEFORE_RENAME", True)


@pytest.mark.usefixtures("windows_like")
def test_on_windows_a_recording_starts_finishes_and_leaves_no_file(
    session: VaultSession, attachments: AttachmentService, testimony_id: str
) -> None:
    recorder = Recorder.start(session, attachments, testimony_id, RATE, 1)
    pcm = pcm_bytes(1.0)
    recorder.append(pcm)

    assert saved_pcm(attachments, recorder.finish()) == pcm
    assert recording_rows(session) == 0 and segment_files(session) == []


@pytest.mark.usefixtures("windows_like")
def test_on_windows_a_discarded_recording_leaves_no_file(
    session: VaultSession, attachments: AttachmentService, testimony_id: str
) -> None:
    recorder = Recorder.start(session, attachments, testimony_id, RATE, 1)
    recorder.append(pcm_bytes(0.5))
    recorder.discard()

    assert recording_rows(session) == 0 and segment_files(session) == []


@pytest.mark.usefixtures("windows_like")
def test_on_windows_recovery_saves_and_removes_interrupted_and_orphaned_files(
    session: VaultSession, attachments: AttachmentService, testimony_id: str
) -> None:
    interrupted = Recorder.start(session, attachments, testimony_id, RATE, 1)
    pcm = pcm_bytes(1.0)
    interrupted.append(pcm)
    interrupted.close_file()
    orphan = Recorder.start(session, attachments, testimony_id, RATE, 1)
    orphan.close_file()
    with session.db.transaction():
        session.db.execute("DELETE FROM recordings WHERE blob_name = ?", (orphan.row.blob_name,))

    (state,) = recover_interrupted(session, attachments)

    assert saved_pcm(attachments, state) == pcm
    assert recording_rows(session) == 0 and segment_files(session) == []


def test_the_windows_stand_in_refuses_what_windows_refuses(
    session: VaultSession,
    attachments: AttachmentService,
    testimony_id: str,
    windows_like: None,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(recording_segments, "CLOSE_BEFORE_RENAME", False)  # the POSIX way: rename while locked

    with pytest.raises(SafeCaseError, match="sharing violation"):
        Recorder.start(session, attachments, testimony_id, RATE, 1)


# --- full or failing disks ----------------------------------------------------------------------------------------


def failing(code: int) -> Callable[..., None]:
    def fail(*args: object, **kwargs: object) -> None:
        raise OSError(code, os.strerror(code))

    return fail


@pytest.mark.parametrize("code", [errno.ENOSPC, errno.EDQUOT])
def test_a_full_disk_at_finish_keeps_the_recording_for_later(
    session: VaultSession,
    attachments: AttachmentService,
    recorder: Recorder,
    monkeypatch: pytest.MonkeyPatch,
    code: int,
) -> None:
    pcm = pcm_bytes(1.0)
    recorder.append(pcm)
    with monkeypatch.context() as patched:
        patched.setattr(session.blobs, "encrypt_into", failing(code))
        with pytest.raises(SafeCaseError) as raised:
            recorder.finish()

    message = raised.value.message
    assert message.startswith("The recording could not be saved because the disk is full.")
    assert "free some space" in message and "\n" not in message
    assert recording_rows(session) == 1 and len(segment_files(session)) == 1
    assert [p.name for p in session.blobs.folder.iterdir() if not p.name.endswith(".recording")] == []
    (state,) = recover_interrupted(session, attachments)
    assert saved_pcm(attachments, state) == pcm
    assert check_vault(session).ok


@pytest.mark.parametrize("step", ["reading", "saving"])
def test_a_disk_error_during_recovery_is_reported_and_the_recording_kept(
    session: VaultSession,
    attachments: AttachmentService,
    recorder: Recorder,
    testimony_id: str,
    monkeypatch: pytest.MonkeyPatch,
    step: str,
) -> None:
    pcm = pcm_bytes(1.0)
    recorder.append(pcm)
    recorder.close_file()
    problems: list[str] = []
    with monkeypatch.context() as patched:
        if step == "reading":
            patched.setattr(recording_module, "scan", failing(errno.EIO))
        else:
            patched.setattr(session.blobs, "encrypt_into", failing(errno.EIO))
        assert recover_interrupted(session, attachments, on_problem=problems.append) == []

    (problem,) = problems
    assert testimony_id in problem and os.strerror(errno.EIO) in problem and "It is kept" in problem
    assert recording_rows(session) == 1 and len(segment_files(session)) == 1
    (state,) = recover_interrupted(session, attachments)
    assert saved_pcm(attachments, state) == pcm


def test_a_disk_error_while_finishing_is_one_line_and_keeps_the_recording(
    session: VaultSession, attachments: AttachmentService, recorder: Recorder, monkeypatch: pytest.MonkeyPatch
) -> None:
    recorder.append(pcm_bytes(0.5))
    with monkeypatch.context() as patched:
        patched.setattr(recording_module, "scan", failing(errno.EIO))
        with pytest.raises(SafeCaseError, match=r"could not be saved \(Input/output error\)\. It is kept"):
            recorder.finish()

    assert recording_rows(session) == 1 and len(segment_files(session)) == 1


def test_a_full_disk_at_start_is_a_plain_message_and_leaves_nothing(
    session: VaultSession, attachments: AttachmentService, testimony_id: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(recording_segments, "write_all", failing(errno.ENOSPC))

    with pytest.raises(SafeCaseError, match="could not start: the disk is full"):
        Recorder.start(session, attachments, testimony_id, RATE, 1)

    assert recording_rows(session) == 0 and list(session.blobs.folder.iterdir()) == []


def test_a_segment_file_that_cannot_be_removed_after_saving_is_removed_by_the_next_recovery(
    session: VaultSession, attachments: AttachmentService, recorder: Recorder, monkeypatch: pytest.MonkeyPatch
) -> None:
    pcm = pcm_bytes(0.5)
    recorder.append(pcm)
    real_unlink = os.unlink

    def unlink(path: Any, *args: Any, **kwargs: Any) -> None:
        if str(path).endswith(".recording"):
            raise OSError(errno.EIO, os.strerror(errno.EIO))
        real_unlink(path, *args, **kwargs)

    with monkeypatch.context() as patched:
        patched.setattr(os, "unlink", unlink)
        state = recorder.finish()  # saved: a file left behind is no reason to tell the user otherwise

    assert saved_pcm(attachments, state) == pcm
    assert recording_rows(session) == 0 and len(segment_files(session)) == 1
    assert recover_interrupted(session, attachments) == []
    assert segment_files(session) == []


# --- frame sizes ---------------------------------------------------------------------------------------------------


def test_audio_buffered_beyond_one_frame_is_split_into_several(
    session: VaultSession, attachments: AttachmentService, recorder: Recorder, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(recording_segments, "MAX_FRAME_PCM_BYTES", 10_001)  # 5,000 samples a frame, at most
    pcm = pcm_bytes(1.0)
    recorder.append(pcm)  # 32,000 bytes at once: what a stalled disk would leave in the buffer
    recorder.close_file()
    data, at, lengths = segment_files(session)[0].read_bytes(), len(MAGIC), []
    while at < len(data):
        (length,) = struct.unpack(">I", data[at : at + 4])
        lengths.append(length)
        at += 4 + length

    assert len(lengths) == 4
    (state,) = recover_interrupted(session, attachments)
    assert saved_pcm(attachments, state) == pcm
