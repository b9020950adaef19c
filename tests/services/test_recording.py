"""Recorder and recovery against a real (fast-KDF) vault: WAV round trips, pauses, torn frames, leftovers."""

from __future__ import annotations

import errno
import io
import os
import re
import shutil
import struct
import subprocess
import time
import wave
from pathlib import Path

import pytest

from safecase.domain.kinds import Kind
from safecase.errors import NotFoundError, UsageError
from safecase.services import recording_writer as recording_module
from safecase.services.attachments import AttachmentService
from safecase.services.check import check_vault
from safecase.services.recording import Recorder, recover_interrupted
from safecase.services.recording_segments import MAGIC, PcmFormat, encrypt_frame, segment_path
from safecase.services.records import RecordService
from safecase.services.session import VaultSession
from safecase.services.vault import CreatedVault, VaultService
from tests.conftest import PASSPHRASE, Cli
from tests.factories import make_body

AGE = shutil.which("age")
RATE = 16_000
MONO = PcmFormat(RATE, 1)
LIMIT = 64 * 2**20


def make_testimony(session: VaultSession) -> str:
    records = RecordService(session)
    person = records.add(Kind.PERSON, make_body(Kind.PERSON))
    return records.add(Kind.TESTIMONY, make_body(Kind.TESTIMONY, interviewee_id=person.id)).id


def pcm_bytes(seconds: float, pcm: PcmFormat = MONO, seed: int = 0) -> bytes:
    """Recognisable PCM: every sample frame holds its own number."""
    frames = int(seconds * pcm.sample_rate)
    samples = ((seed + n) % 65_536 - 32_768 for n in range(frames) for _ in range(pcm.channels))
    return struct.pack(f"<{frames * pcm.channels}h", *samples)


def wav_frames(data: bytes) -> tuple[wave._wave_params, bytes]:
    with wave.open(io.BytesIO(data), "rb") as reader:
        return reader.getparams(), reader.readframes(reader.getnframes())


def append_in_chunks(recorder: Recorder, pcm: bytes, chunk: int = 3_200) -> None:
    for start in range(0, len(pcm), chunk):
        recorder.append(pcm[start : start + chunk])


def segment_files(session: VaultSession) -> list[Path]:
    return sorted(session.blobs.folder.glob("*.recording"))


def recording_rows(session: VaultSession) -> int:
    return len(session.db.query_all("SELECT blob_name FROM recordings"))


def wait_for_frames(path: Path, size_above: int, timeout_s: float = 5.0) -> None:
    deadline = time.monotonic() + timeout_s
    while path.stat().st_size <= size_above:
        assert time.monotonic() < deadline, "the writer thread wrote no frame"
        time.sleep(0.02)


# --- finishing -----------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("pcm_format", [MONO, PcmFormat(48_000, 2)])
def test_finished_recording_is_a_wav_attachment_holding_exactly_the_pcm(
    session: VaultSession, attachments: AttachmentService, testimony_id: str, pcm_format: PcmFormat
) -> None:
    recorder = Recorder.start(session, attachments, testimony_id, pcm_format.sample_rate, pcm_format.channels)
    pcm = pcm_bytes(2.5, pcm_format)
    append_in_chunks(recorder, pcm, pcm_format.bytes_per_second // 10)

    state = recorder.finish(description="Interview, first session")

    assert state is not None
    body = state.body
    assert (body["source"], body["duration_ms"], body["media_type"]) == ("recording", 2500, "audio/wav")
    assert body["attached_to_id"] == testimony_id
    assert body["description"] == "Interview, first session"
    assert re.fullmatch(r"Recording \d{4}-\d\d-\d\d \d\d-\d\d\.wav", body["file_name"])
    params, frames = wav_frames(attachments.read_bytes(state.id, LIMIT))
    assert (params.nchannels, params.sampwidth, params.framerate) == (pcm_format.channels, 2, pcm_format.sample_rate)
    assert frames == pcm
    assert body["size"] == 44 + len(pcm)
    assert [a.id for a in attachments.list_for(testimony_id)] == [state.id]
    assert recording_rows(session) == 0 and segment_files(session) == []
    assert check_vault(session).ok


def test_elapsed_time_and_duration_leave_out_pauses(recorder: Recorder) -> None:
    recorder.append(pcm_bytes(1.0))
    time.sleep(0.6)  # paused: nothing appended
    recorder.append(pcm_bytes(1.0, seed=7))

    assert recorder.elapsed_ms == 2000
    state = recorder.finish()
    assert state is not None and state.body["duration_ms"] == 2000


def test_frames_reach_the_disk_encrypted_while_recording(session: VaultSession, recorder: Recorder) -> None:
    path = segment_files(session)[0]
    pcm = pcm_bytes(1.0, seed=12_345)

    recorder.append(pcm)
    wait_for_frames(path, len(MAGIC))

    assert oct(path.stat().st_mode & 0o777) == "0o600"
    stored = path.read_bytes()
    assert stored.startswith(MAGIC)
    assert stored[len(MAGIC) + 4 :].startswith(b"age-encryption.org/v1\n")
    assert pcm[:64] not in stored


@pytest.mark.skipif(AGE is None, reason="the standard `age` tool is not installed (CI installs it)")
def test_each_frame_is_a_standard_age_file(session: VaultSession, recorder: Recorder, tmp_path: Path) -> None:
    pcm = pcm_bytes(0.7)
    recorder.append(pcm)
    recorder.close_file()
    stored = segment_files(session)[0].read_bytes()
    (length,) = struct.unpack(">I", stored[len(MAGIC) : len(MAGIC) + 4])
    frame = tmp_path / "frame.age"
    frame.write_bytes(stored[len(MAGIC) + 4 : len(MAGIC) + 4 + length])
    key_file = tmp_path / "identity.txt"
    key_file.write_text(f"{session.identity.age_identity}\n", encoding="ascii")
    key_file.chmod(0o600)

    done = subprocess.run([AGE or "age", "-d", "-i", str(key_file), str(frame)], capture_output=True, timeout=60)

    assert done.returncode == 0, done.stderr
    assert done.stdout == recorder.row.key.seal(0, pcm)  # its MAC, then the PCM
    assert len(stored) == len(MAGIC) + 4 + length


def test_an_empty_recording_finishes_as_nothing(session: VaultSession, recorder: Recorder, testimony_id: str) -> None:
    assert recorder.finish() is None
    assert recording_rows(session) == 0 and segment_files(session) == []
    assert AttachmentService(session).list_for(testimony_id) == []


def test_discard_removes_the_row_and_the_file(session: VaultSession, recorder: Recorder) -> None:
    recorder.append(pcm_bytes(0.5))
    recorder.discard()

    assert recording_rows(session) == 0 and segment_files(session) == []


def test_start_refuses_what_is_not_a_testimony_or_not_16_bit(
    session: VaultSession, attachments: AttachmentService, testimony_id: str
) -> None:
    person_id = RecordService(session).list_kind(Kind.PERSON)[0].id
    with pytest.raises(UsageError, match="testimony"):
        Recorder.start(session, attachments, person_id, RATE, 1)
    with pytest.raises(UsageError, match="16-bit"):
        Recorder.start(session, attachments, testimony_id, RATE, 1, sample_bytes=3)
    with pytest.raises(UsageError, match="Unsupported"):
        Recorder.start(session, attachments, testimony_id, 1_000, 1)
    with pytest.raises(NotFoundError):
        Recorder.start(session, attachments, "00000000-0000-4000-8000-000000000000", RATE, 1)
    assert recording_rows(session) == 0 and segment_files(session) == []


def test_a_write_failure_stops_the_recording_and_keeps_what_was_written(
    session: VaultSession, recorder: Recorder, monkeypatch: pytest.MonkeyPatch
) -> None:
    first = pcm_bytes(1.0)
    recorder.append(first)
    wait_for_frames(segment_files(session)[0], len(MAGIC))

    def disk_full(fd: int, ciphertext: bytes) -> None:
        os.write(fd, b"\x00\x00")  # a torn length prefix, as a full disk may leave
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(recording_module, "append_frame", disk_full)
    recorder.append(pcm_bytes(1.0, seed=99))
    deadline = time.monotonic() + 5
    while recorder.failure is None:
        assert time.monotonic() < deadline
        time.sleep(0.02)

    assert "No space left" in recorder.failure.message
    state = recorder.finish()
    assert state is not None
    assert wav_frames(AttachmentService(session).read_bytes(state.id, LIMIT))[1] == first


# --- recovery ----------------------------------------------------------------------------------------------------


def test_recover_leaves_a_recording_that_a_live_recorder_holds(
    session: VaultSession, attachments: AttachmentService, recorder: Recorder
) -> None:
    recorder.append(pcm_bytes(1.0))
    wait_for_frames(segment_files(session)[0], len(MAGIC))

    assert recover_interrupted(session, attachments) == []
    assert recording_rows(session) == 1 and len(segment_files(session)) == 1
    assert recorder.finish() is not None


def test_a_recording_closed_before_finishing_is_recovered(
    session: VaultSession, attachments: AttachmentService, recorder: Recorder, testimony_id: str
) -> None:
    pcm = pcm_bytes(1.3)
    append_in_chunks(recorder, pcm)
    recorder.close_file()

    (state,) = recover_interrupted(session, attachments)

    assert (state.body["source"], state.body["duration_ms"], state.body["attached_to_id"]) == (
        "recovered_recording",
        1300,
        testimony_id,
    )
    assert wav_frames(attachments.read_bytes(state.id, LIMIT))[1] == pcm
    assert recording_rows(session) == 0 and segment_files(session) == []
    assert check_vault(session).ok


def write_frames(session: VaultSession, recorder: Recorder, pieces: list[bytes], first: int = 0) -> list[int]:
    """Append one frame per piece as the writer thread does, numbered from ``first``; returns where each ends."""
    ends = []
    with segment_path(session.blobs.folder, recorder.row.blob_name).open("ab") as handle:
        for number, piece in enumerate(pieces, first):
            ciphertext = encrypt_frame(session.blobs.encrypt_bytes, recorder.row.key, number, piece)
            handle.write(struct.pack(">I", len(ciphertext)) + ciphertext)
            ends.append(handle.tell())
    return ends


@pytest.mark.parametrize("damage", ["torn", "flipped", "huge length", "garbage tail"])
def test_recovery_keeps_every_frame_before_the_first_damaged_one(
    session: VaultSession, attachments: AttachmentService, recorder: Recorder, damage: str
) -> None:
    recorder.close_file()
    path = segment_files(session)[0]
    pieces = [pcm_bytes(0.5, seed=seed) for seed in (1, 2, 3)]
    ends = write_frames(session, recorder, pieces)
    if damage == "torn":
        os.truncate(path, ends[2] - 100)
    elif damage == "flipped":
        data = bytearray(path.read_bytes())
        data[ends[2] - 40] ^= 0x01
        path.write_bytes(bytes(data))
    elif damage == "huge length":
        with path.open("r+b") as handle:
            handle.seek(ends[1])
            handle.write(b"\xff\xff\xff\xff")
    else:
        os.truncate(path, ends[1])
        with path.open("ab") as handle:
            handle.write(b"\x00\x00\x10")

    problems: list[str] = []

    (state,) = recover_interrupted(session, attachments, on_problem=problems.append)

    assert wav_frames(attachments.read_bytes(state.id, LIMIT))[1] == pieces[0] + pieces[1]
    assert segment_files(session) == [] and check_vault(session).ok
    # A kill leaves the file ending inside its last frame: normal. A whole frame that does not verify is damage.
    assert len(problems) == (damage in {"flipped", "huge length"})


def test_a_row_without_its_file_is_forgotten(
    session: VaultSession, attachments: AttachmentService, recorder: Recorder
) -> None:
    recorder.close_file()
    segment_files(session)[0].unlink()

    assert recover_interrupted(session, attachments) == []
    assert recording_rows(session) == 0


def test_a_segment_file_without_a_row_is_removed(
    session: VaultSession, attachments: AttachmentService, recorder: Recorder
) -> None:
    recorder.append(pcm_bytes(0.5))
    recorder.close_file()
    with session.db.transaction():
        session.db.execute("DELETE FROM recordings")

    assert recover_interrupted(session, attachments) == []
    assert segment_files(session) == []


def test_a_recording_of_a_deleted_testimony_is_kept_and_reported(
    session: VaultSession, attachments: AttachmentService, recorder: Recorder, testimony_id: str
) -> None:
    recorder.append(pcm_bytes(0.5))
    recorder.close_file()
    RecordService(session).delete(testimony_id)
    problems: list[str] = []

    assert recover_interrupted(session, attachments, on_problem=problems.append) == []
    assert len(problems) == 1
    assert recording_rows(session) == 1 and len(segment_files(session)) == 1


def test_segment_path_is_inside_blobs(session: VaultSession) -> None:
    assert segment_path(session.blobs.folder, "ab" * 16).parent == session.blobs.folder


# --- the command line ------------------------------------------------------------------------------------------


def test_cli_attachment_recover_saves_interrupted_recordings(
    cli: Cli, vaults: VaultService, created_vault: CreatedVault
) -> None:
    with vaults.unlock(created_vault.folder, PASSPHRASE) as session:
        testimony_id = make_testimony(session)
        recorder = Recorder.start(session, AttachmentService(session), testimony_id, RATE, 1)
        recorder.append(pcm_bytes(2.0))
        recorder.close_file()

    first = cli("attachment", "recover")
    again = cli("attachment", "recover")

    assert first.code == 0, first.err
    assert re.search(r"Recording .*\.wav\s+audio/wav .* 0:02  on " + testimony_id, first.out)
    assert again.code == 0 and again.out == "" and "No interrupted recordings" in again.err


@pytest.mark.parametrize("replacement", ["symlink", "folder"])
def test_a_segment_file_that_is_not_a_regular_file_is_reported_not_crashed_on(
    session: VaultSession, attachments: AttachmentService, recorder: Recorder, tmp_path: Path, replacement: str
) -> None:
    recorder.close_file()
    path = segment_files(session)[0]
    path.unlink()
    if replacement == "symlink":
        target = tmp_path / "elsewhere"
        target.write_bytes(MAGIC)
        path.symlink_to(target)
    else:
        path.mkdir()
    problems: list[str] = []

    assert recover_interrupted(session, attachments, on_problem=problems.append) == []
    assert len(problems) == 1 and "recording file" in problems[0]
    assert recording_rows(session) == 1
