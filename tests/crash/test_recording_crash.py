"""A recording app killed with SIGKILL mid-interview loses at most the last second, and leaves no plaintext.

The child (``recording_child.py``) unlocks the vault, records marked PCM in real time and reports how much it has
appended; the test kills it a few seconds in, then recovers as the app does after the next unlock. (Moved here from
tests/services so that tools/security_table.py publishes its row.)
"""

from __future__ import annotations

import io
import os
import signal
import subprocess
import sys
import tempfile
import time
import wave
from pathlib import Path

import pytest

from safecase.domain.clock import FakeClock
from safecase.services.attachments import AttachmentService
from safecase.services.check import check_vault
from safecase.services.recording import recover_interrupted
from safecase.services.vault import CreatedVault, VaultService
from tests.conftest import PASSPHRASE
from tests.crash import recording_child as child
from tests.crash.sweeps import published
from tests.leak_scan import files_containing
from tests.services.test_recording import make_testimony

pytestmark = pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="needs SIGKILL")

ROOT = Path(__file__).resolve().parents[2]
KILL_AFTER_BYTES = 35 * child.CHUNK_BYTES  # 3.5 seconds of audio
LINE_TIMEOUT_S = 60


def start_child(vault: Path, testimony_id: str, clock: FakeClock, tmp: Path) -> subprocess.Popen[str]:
    env = {**os.environ, "TMPDIR": str(tmp), "PYTHONPATH": os.pathsep.join([str(ROOT / "src"), str(ROOT)])}
    process = subprocess.Popen(
        [sys.executable, str(Path(child.__file__)), str(vault), testimony_id, str(clock.now_ms())],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
        env=env,
        cwd=tmp,
    )
    assert process.stdin is not None
    process.stdin.write(PASSPHRASE + "\n")
    process.stdin.close()
    return process


def kill_after(process: subprocess.Popen[str], appended_bytes: int) -> int:
    """SIGKILL the child once it reports ``appended_bytes``; returns what it had reported by then."""
    assert process.stdout is not None
    deadline = time.monotonic() + LINE_TIMEOUT_S
    reported = 0
    while reported < appended_bytes:
        assert time.monotonic() < deadline, "the recording child did not get going"
        line = process.stdout.readline()
        assert line, f"the recording child ended early (exit code {process.poll()})"
        if line.startswith("appended "):
            reported = int(line.split()[1])
    process.send_signal(signal.SIGKILL)
    process.wait(10)
    return reported


def test_a_killed_recording_is_recovered_up_to_its_last_second_with_no_plaintext_on_disk(
    tmp_path: Path, vaults: VaultService, created_vault: CreatedVault, clock: FakeClock
) -> None:
    began = time.time() - 1
    child_tmp = tmp_path / "child-tmp"
    child_tmp.mkdir()
    with vaults.unlock(created_vault.folder, PASSPHRASE) as session:
        testimony_id = make_testimony(session)

    process = start_child(created_vault.folder, testimony_id, clock, child_tmp)
    try:
        appended = kill_after(process, KILL_AFTER_BYTES)
    finally:
        if process.poll() is None:
            process.kill()
    assert process.returncode == -signal.SIGKILL

    assert list(created_vault.folder.glob("blobs/*.recording")), "the killed recording left no segment file"
    with published("Audio recording SIGKILLed 3.5 s into an interview (recovered up to its last second)"):
        with vaults.unlock(created_vault.folder, PASSPHRASE) as session:
            attachments = AttachmentService(session)
            (state,) = recover_interrupted(session, attachments)
            wav = attachments.read_bytes(state.id, 2**26)
            report = check_vault(session)
            rows = session.db.query_all("SELECT * FROM recordings")

        with wave.open(io.BytesIO(wav), "rb") as reader:
            recovered = reader.readframes(reader.getnframes())
        one_second = child.SAMPLE_RATE * 2
        assert state.body["source"] == "recovered_recording"
        assert recovered == child.expected_pcm(child.CHUNKS)[: len(recovered)]
        assert len(recovered) >= appended - one_second, (len(recovered), appended)
        assert report.ok, report.problems
        assert rows == [] and not list(created_vault.folder.glob("blobs/*.recording"))
        folders = [created_vault.folder, child_tmp, Path(tempfile.gettempdir())]
        assert files_containing(folders, [child.marker()], changed_since=began) == []
