"""Recording frames are authenticated: forged, reordered, dropped or transplanted frames are never saved, and damage
that costs more than a torn last frame is reported rather than silently cut off.

Anyone with write access to the vault folder can make a frame that decrypts (the age recipient is public), so these
tests forge frames exactly as such a person could: with the public recipient and the documented format.
"""

from __future__ import annotations

import os
import struct
import time
from pathlib import Path

import pyrage
import pytest

from safecase.errors import IntegrityError
from safecase.services.attachments import AttachmentService
from safecase.services.check import check_vault
from safecase.services.recording import Recorder, recover_interrupted
from safecase.services.recording_segments import MAGIC, segment_path
from safecase.services.session import VaultSession
from safecase.services.vault import CreatedVault, VaultService
from tests.conftest import PASSPHRASE, Cli
from tests.services.test_recording import (
    LIMIT,
    RATE,
    make_testimony,
    pcm_bytes,
    recording_rows,
    segment_files,
    wav_frames,
    write_frames,
)


def forged_frame(session: VaultSession, plaintext: bytes) -> bytes:
    """A length-prefixed frame made with nothing but the vault's public age recipient (as on its contact card)."""
    recipient = pyrage.x25519.Recipient.from_str(session.identity.public().age_recipient)
    ciphertext: bytes = pyrage.encrypt(plaintext, [recipient])
    return struct.pack(">I", len(ciphertext)) + ciphertext


def frame_spans(path: Path) -> list[tuple[int, int]]:
    """(start, end) of every length-prefixed frame in a segment file."""
    data, spans, at = path.read_bytes(), [], len(MAGIC)
    while at + 4 <= len(data):
        (length,) = struct.unpack(">I", data[at : at + 4])
        spans.append((at, at + 4 + length))
        at += 4 + length
    return spans


def recovered_pcm(session: VaultSession, attachments: AttachmentService, problems: list[str]) -> bytes:
    (state,) = recover_interrupted(session, attachments, on_problem=problems.append)
    return wav_frames(attachments.read_bytes(state.id, LIMIT))[1]


def append_and_wait(recorder: Recorder, path: Path, pcm: bytes, timeout_s: float = 5.0) -> None:
    """Append ``pcm`` in one piece (so one frame) and wait until the writer thread has written it."""
    before = path.stat().st_size
    recorder.append(pcm)
    deadline, last = time.monotonic() + timeout_s, -1
    while (size := path.stat().st_size) != last or size == before:
        assert time.monotonic() < deadline, "the writer thread wrote no frame"
        last = size
        time.sleep(0.1)


# --- forged, reordered, dropped ----------------------------------------------------------------------------------


@pytest.mark.parametrize("mac", ["none", "random", "of another key"])
def test_a_forged_frame_appended_after_a_crash_is_not_recovered_and_is_reported(
    session: VaultSession, attachments: AttachmentService, recorder: Recorder, testimony_id: str, mac: str
) -> None:
    recorder.close_file()
    path = segment_path(session.blobs.folder, recorder.row.blob_name)
    genuine = [pcm_bytes(0.5, seed=1), pcm_bytes(0.5, seed=2)]
    write_frames(session, recorder, genuine)
    forged_pcm = pcm_bytes(0.5, seed=666)
    prefix = {"none": b"", "random": os.urandom(32), "of another key": os.urandom(32)}[mac]
    if mac == "of another key":
        other = Recorder.start(session, attachments, testimony_id, RATE, 1)
        prefix = other.row.key.seal(2, forged_pcm)[:32]  # a genuine MAC, but of another recording
        other.discard()
    forgery = forged_frame(session, prefix + forged_pcm)
    with path.open("ab") as handle:
        handle.write(forgery)
    problems: list[str] = []

    assert recovered_pcm(session, attachments, problems) == genuine[0] + genuine[1]
    assert len(problems) == 1
    assert testimony_id in problems[0] and f"{len(forgery):,} bytes" in problems[0]
    assert "\n" not in problems[0]


def test_frames_swapped_in_the_file_are_recovered_only_up_to_the_swap(
    session: VaultSession, attachments: AttachmentService, recorder: Recorder
) -> None:
    recorder.close_file()
    path = segment_path(session.blobs.folder, recorder.row.blob_name)
    pieces = [pcm_bytes(0.5, seed=seed) for seed in (1, 2, 3)]
    write_frames(session, recorder, pieces)
    data = path.read_bytes()
    (_, b), (c, d), (e, f) = frame_spans(path)
    path.write_bytes(data[:b] + data[e:f] + data[c:d])  # every frame authentic, two of them out of place
    problems: list[str] = []

    assert recovered_pcm(session, attachments, problems) == pieces[0]
    assert len(problems) == 1 and f"{f - c:,} bytes" in problems[0]


def test_a_frame_dropped_from_the_middle_ends_what_is_recovered(
    session: VaultSession, attachments: AttachmentService, recorder: Recorder
) -> None:
    recorder.close_file()
    path = segment_path(session.blobs.folder, recorder.row.blob_name)
    pieces = [pcm_bytes(0.5, seed=seed) for seed in (1, 2, 3)]
    write_frames(session, recorder, pieces)
    data = path.read_bytes()
    (_, b), (_, d), (_, f) = frame_spans(path)
    path.write_bytes(data[:b] + data[d:f])
    problems: list[str] = []

    assert recovered_pcm(session, attachments, problems) == pieces[0]
    assert len(problems) == 1


def test_a_frame_from_another_recording_is_not_accepted_in_its_place(
    session: VaultSession, attachments: AttachmentService, recorder: Recorder, testimony_id: str
) -> None:
    recorder.close_file()
    other = Recorder.start(session, attachments, testimony_id, RATE, 1)
    other.close_file()
    pieces = [pcm_bytes(0.5, seed=1), pcm_bytes(0.5, seed=2)]
    write_frames(session, recorder, pieces[:1])
    write_frames(session, other, [pcm_bytes(0.5, seed=9), pieces[1]])
    other_path = segment_path(session.blobs.folder, other.row.blob_name)
    start, end = frame_spans(other_path)[1]  # frame 1 of the other recording: the right number, the wrong file
    with segment_path(session.blobs.folder, recorder.row.blob_name).open("ab") as handle:
        handle.write(other_path.read_bytes()[start:end])
    problems: list[str] = []

    states = recover_interrupted(session, attachments, on_problem=problems.append)

    mine = next(s for s in states if s.body["duration_ms"] == 500)
    assert wav_frames(attachments.read_bytes(mine.id, LIMIT))[1] == pieces[0]
    assert len(problems) == 1


def test_finish_saves_only_the_frames_it_wrote_not_one_appended_while_recording(
    session: VaultSession, attachments: AttachmentService, recorder: Recorder
) -> None:
    path = segment_path(session.blobs.folder, recorder.row.blob_name)
    pcm = pcm_bytes(1.0)
    append_and_wait(recorder, path, pcm)
    with path.open("ab") as handle:
        handle.write(forged_frame(session, os.urandom(32) + pcm_bytes(0.5, seed=666)))

    state = recorder.finish()

    assert state is not None
    assert wav_frames(attachments.read_bytes(state.id, LIMIT))[1] == pcm
    assert recording_rows(session) == 0 and segment_files(session) == []


def test_finish_refuses_a_recording_altered_while_recording_and_keeps_it_for_recovery(
    session: VaultSession, attachments: AttachmentService, recorder: Recorder
) -> None:
    path = segment_path(session.blobs.folder, recorder.row.blob_name)
    first, second = pcm_bytes(1.0, seed=1), pcm_bytes(1.0, seed=2)
    append_and_wait(recorder, path, first)
    append_and_wait(recorder, path, second)  # both frames on disk, the file still held by the recorder
    data = bytearray(path.read_bytes())
    start, end = frame_spans(path)[1]
    data[end - 20] ^= 0x01
    with path.open("r+b") as handle:
        handle.write(bytes(data))

    with pytest.raises(IntegrityError, match="damaged or altered while recording"):
        recorder.finish()

    assert recording_rows(session) == 1 and segment_files(session) == [path]
    problems: list[str] = []
    assert recovered_pcm(session, attachments, problems) == first
    assert len(problems) == 1 and f"{end - start:,} bytes" in problems[0]
    assert check_vault(session).ok


# --- torn or damaged ----------------------------------------------------------------------------------------------


@pytest.mark.parametrize("cut", [1, 3, 4, 100])
def test_a_torn_last_frame_is_normal_and_not_reported(
    session: VaultSession, attachments: AttachmentService, recorder: Recorder, cut: int
) -> None:
    recorder.close_file()
    pieces = [pcm_bytes(0.5, seed=seed) for seed in (1, 2, 3)]
    ends = write_frames(session, recorder, pieces)
    os.truncate(segment_path(session.blobs.folder, recorder.row.blob_name), ends[1] + cut)
    problems: list[str] = []

    assert recovered_pcm(session, attachments, problems) == pieces[0] + pieces[1]
    assert problems == []


def test_a_damaged_frame_in_the_middle_keeps_what_precedes_and_reports_what_follows(
    session: VaultSession, attachments: AttachmentService, recorder: Recorder, testimony_id: str
) -> None:
    recorder.close_file()
    path = segment_path(session.blobs.folder, recorder.row.blob_name)
    pieces = [pcm_bytes(1.0, seed=seed) for seed in (1, 2, 3, 4)]
    ends = write_frames(session, recorder, pieces)
    data = bytearray(path.read_bytes())
    data[ends[1] + 60] ^= 0x80  # inside frame 2; frames 3 and the rest follow it
    path.write_bytes(bytes(data))
    problems: list[str] = []

    assert recovered_pcm(session, attachments, problems) == pieces[0] + pieces[1]
    (problem,) = problems
    assert testimony_id in problem and "0:02" in problem
    assert f"the {len(data) - ends[1]:,} bytes from the damaged frame on" in problem
    assert recording_rows(session) == 0 and segment_files(session) == []
    assert check_vault(session).ok


def test_a_recording_damaged_from_its_first_frame_is_reported(
    session: VaultSession, attachments: AttachmentService, recorder: Recorder, testimony_id: str
) -> None:
    recorder.close_file()
    path = segment_path(session.blobs.folder, recorder.row.blob_name)
    write_frames(session, recorder, [pcm_bytes(0.5, seed=1), pcm_bytes(0.5, seed=2)])
    data = bytearray(path.read_bytes())
    data[len(MAGIC) + 50] ^= 0x01
    path.write_bytes(bytes(data))
    problems: list[str] = []

    assert recover_interrupted(session, attachments, on_problem=problems.append) == []
    (problem,) = problems
    assert testimony_id in problem and "nothing could be recovered" in problem
    assert f"{len(data) - len(MAGIC):,} bytes" in problem


def test_cli_recover_prints_the_damage_to_stderr(cli: Cli, vaults: VaultService, created_vault: CreatedVault) -> None:
    with vaults.unlock(created_vault.folder, PASSPHRASE) as session:
        testimony_id = make_testimony(session)
        recorder = Recorder.start(session, AttachmentService(session), testimony_id, RATE, 1)
        recorder.close_file()
        ends = write_frames(session, recorder, [pcm_bytes(1.0, seed=seed) for seed in (1, 2, 3)])
        path = segment_path(session.blobs.folder, recorder.row.blob_name)
    data = bytearray(path.read_bytes())
    data[ends[0] + 60] ^= 0x01
    path.write_bytes(bytes(data))

    done = cli("attachment", "recover")

    assert done.code == 0, done.err
    assert f"on {testimony_id}" in done.out
    lines = [line for line in done.err.splitlines() if "damaged" in line]
    assert len(lines) == 1
    assert testimony_id in lines[0] and f"the {len(data) - ends[0]:,} bytes from the damaged frame on" in lines[0]
