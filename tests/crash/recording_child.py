"""Child process for the recording crash test: unlock, record marked PCM in real time, report, wait to be killed.

Run as ``python recording_child.py VAULT TESTIMONY_ID CLOCK_MS`` with the passphrase on stdin. Prints
``started`` once recording, then ``appended N`` (PCM bytes appended so far) after every chunk.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

from safecase.crypto.kdf import KdfPolicy
from safecase.domain.clock import FakeClock
from safecase.services.attachments import AttachmentService
from safecase.services.recording import Recorder
from safecase.services.vault import VaultService

SAMPLE_RATE = 16_000
CHUNK_S = 0.1
CHUNK_BYTES = int(SAMPLE_RATE * CHUNK_S) * 2
CHUNKS = 150  # 15 seconds: far longer than the parent waits before the kill


def marker() -> bytes:
    """A byte string that must never be found in plaintext on disk (built, so this file does not hold it)."""
    return "-".join(("kestrelwood", "pcm", "marker")).encode()


def pcm_chunk(index: int) -> bytes:
    """Chunk ``index`` of the recording: the marker and the chunk number, repeated (even length)."""
    unit = marker() + index.to_bytes(4, "big")
    return (unit * (CHUNK_BYTES // len(unit) + 1))[:CHUNK_BYTES]


def expected_pcm(chunks: int) -> bytes:
    return b"".join(pcm_chunk(index) for index in range(chunks))


def main() -> None:
    vault, testimony_id, clock_ms = Path(sys.argv[1]), sys.argv[2], int(sys.argv[3])
    passphrase = sys.stdin.readline().rstrip("\n")
    session = VaultService(KdfPolicy.for_tests(), FakeClock(clock_ms)).unlock(vault, passphrase)
    recorder = Recorder.start(session, AttachmentService(session), testimony_id, SAMPLE_RATE, 1)
    print("started", flush=True)
    for index in range(CHUNKS):
        recorder.append(pcm_chunk(index))
        print(f"appended {(index + 1) * CHUNK_BYTES}", flush=True)
        time.sleep(CHUNK_S)
    time.sleep(600)  # the parent kills us long before


if __name__ == "__main__":
    main()
