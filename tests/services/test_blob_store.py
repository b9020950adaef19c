"""BlobStore: standard age files under random names, written through a locked partial file, swept after crashes.

The store-level tests use a fresh x25519 identity in a temporary folder; the ones about names and the standard
``age`` tool go through AttachmentService on a real vault, since that is how blobs are made.
"""

from __future__ import annotations

import fcntl
import hashlib
import io
import os
import re
import shutil
import subprocess
from collections.abc import Callable, Iterator
from pathlib import Path

import pyrage
import pytest

from safecase.crypto.age_stream import WRITEBACK_BYTES, BlockReader, DecryptionFailed, decrypt_stream, encrypt_stream
from safecase.errors import VaultStateError
from safecase.services.attachments import AttachmentService
from safecase.services.session import VaultSession
from safecase.storage import blob_store
from safecase.storage.blob_store import (
    NAME_PATTERN,
    PARTIAL_SUFFIX,
    BlobNotRegularError,
    BlobStore,
    SweepReport,
    new_blob_name,
)
from tests.services.test_attachments import MiB, add_case, blob_path, evidence_file

AGE = shutil.which("age")
needs_age = pytest.mark.skipif(AGE is None, reason="the standard `age` tool is not installed (CI installs it)")


@pytest.fixture
def store(tmp_path: Path) -> BlobStore:
    return BlobStore(tmp_path / "blobs", pyrage.x25519.Identity.generate())


def put(store: BlobStore, data: bytes, *, keep: bool = True) -> str:
    """Write ``data`` as a blob the way intake does; ``keep=False`` stands for a commit that never happened."""
    seen = bytearray()
    with store.new_blob() as pending:
        store.encrypt_into(pending, BlockReader(io.BytesIO(data), seen.extend))
        pending.finish()
        if keep:
            pending.publish()
    assert bytes(seen) == data  # every byte went past the hook that intake hashes with
    return pending.name


def get(store: BlobStore, name: str) -> bytes:
    out = io.BytesIO()
    store.decrypt_to(name, out)
    return out.getvalue()


def age_decrypt(identity: object, blob: Path, key_folder: Path) -> bytes:
    """Decrypt ``blob`` with the standard age CLI and ``identity`` (written to a 0600 key file)."""
    key_file = key_folder / "identity.txt"
    fd = os.open(key_file, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w", encoding="ascii") as handle:
        handle.write(f"{identity}\n")
    try:
        done = subprocess.run([AGE or "age", "-d", "-i", str(key_file), str(blob)], capture_output=True, timeout=60)
    finally:
        key_file.unlink()
    assert done.returncode == 0, done.stderr.decode(errors="replace")
    return done.stdout


# --- round trips ------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("size", [0, 1, 65535, 65536, 65537, MiB + 1, 2 * WRITEBACK_BYTES + 3])
def test_blobs_round_trip_at_every_chunk_boundary(store: BlobStore, size: int) -> None:
    data = os.urandom(size)
    name = put(store, data)
    assert get(store, name) == data
    assert os.listdir(store.folder) == [name]


@pytest.mark.parametrize("size", [1, WRITEBACK_BYTES + 1])
def test_encrypting_into_something_that_is_not_a_file_works_too(size: int) -> None:
    identity = pyrage.x25519.Identity.generate()
    data = os.urandom(size)
    encrypted, plain = io.BytesIO(), io.BytesIO()
    encrypt_stream(BlockReader(io.BytesIO(data), lambda block: None), encrypted, identity.to_public())
    encrypted.seek(0)
    decrypt_stream(encrypted, plain, identity)
    assert plain.getvalue() == data


class Trickle:
    """A sink that takes at most ``step`` bytes a call, as a raw file or pipe may."""

    def __init__(self, step: int) -> None:
        self.data = bytearray()
        self._step = step

    def write(self, data: bytes) -> int:
        taken = bytes(data[: self._step])
        self.data += taken
        return len(taken)


@pytest.mark.parametrize("size", [1, MiB - 1, MiB, 3 * MiB + 5])
def test_decryption_hands_a_short_writing_sink_every_byte_in_order(store: BlobStore, size: int) -> None:
    data = os.urandom(size)
    name = put(store, data)
    sink = Trickle(100_003)
    store.decrypt_to(name, sink)
    assert bytes(sink.data) == data


def test_a_blob_is_encrypted_and_no_larger_than_age_makes_it(store: BlobStore) -> None:
    data = b"\x00" * 200_000
    name = put(store, data)
    blob = store.path(name).read_bytes()
    assert blob.startswith(b"age-encryption.org/v1\n")
    assert data[:64] not in blob
    chunks = -(-len(data) // 65536)
    assert len(data) + chunks * 16 < len(blob) < len(data) + chunks * 16 + 1024


@needs_age
@pytest.mark.parametrize("size", [0, 1, 65536, 3 * MiB + 1])
def test_a_store_blob_is_a_standard_age_file(store: BlobStore, tmp_path: Path, size: int) -> None:
    data = os.urandom(size)
    name = put(store, data)
    assert age_decrypt(store._identity, store.path(name), tmp_path) == data


@needs_age
def test_an_attachment_blob_decrypts_with_the_age_cli_and_the_vault_identity(
    session: VaultSession, tmp_path: Path
) -> None:
    data = os.urandom(2 * MiB + 3)
    state = AttachmentService(session).attach(add_case(session), evidence_file(tmp_path / "clip.mp4", data))
    identity = session.identity.age_identity
    assert str(identity).startswith("AGE-SECRET-KEY-1")
    plain = age_decrypt(identity, blob_path(session, state.id), tmp_path)
    assert hashlib.sha256(plain).hexdigest() == state.body["sha256"]
    assert plain == data


def test_a_blob_for_another_identity_does_not_decrypt(store: BlobStore, tmp_path: Path) -> None:
    name = put(store, b"testimony audio")
    stranger = BlobStore(store.folder, pyrage.x25519.Identity.generate())
    with pytest.raises(DecryptionFailed):
        get(stranger, name)


# --- names ------------------------------------------------------------------------------------------------------


def test_blob_names_are_random_and_say_nothing_about_the_content(session: VaultSession, tmp_path: Path) -> None:
    service = AttachmentService(session)
    case_id = add_case(session)
    data = os.urandom(100_000)
    same_size_other = os.urandom(100_000)
    first = service.attach(case_id, evidence_file(tmp_path / "a.jpg", data))
    again = service.attach(case_id, evidence_file(tmp_path / "b.jpg", data))
    other = service.attach(case_id, evidence_file(tmp_path / "c.jpg", same_size_other))
    paths = [blob_path(session, state.id) for state in (first, again, other)]
    names = [path.name for path in paths]
    assert all(re.fullmatch(r"[0-9a-f]{32}", name) for name in names)
    assert len(set(names)) == 3  # the same content twice gets two names
    assert paths[0].read_bytes() != paths[1].read_bytes()  # and two different ciphertexts
    digest = first.body["sha256"]
    md5, sha1 = hashlib.md5(data).hexdigest(), hashlib.sha1(data).hexdigest()
    for name in names:
        assert name not in digest and digest[:8] not in name and name not in (md5, sha1, digest[:32], digest[32:])
    # Beyond the length, a blob's size is age's header (with its random grease stanza) and 16 bytes per chunk.
    for path in paths:
        header = path.stat().st_size - len(data) - 16 * -(-len(data) // 65536)
        assert 100 < header < 1024


def test_new_blob_names_do_not_repeat() -> None:
    names = {new_blob_name() for _ in range(10_000)}
    assert len(names) == 10_000 and all(NAME_PATTERN.match(name) for name in names)


@pytest.mark.parametrize("name", ["../vault.db", "ABCDEF0123456789abcdef0123456789", "0" * 31, "0" * 32 + ".partial"])
def test_a_malformed_blob_name_is_refused(store: BlobStore, name: str) -> None:
    with pytest.raises(VaultStateError, match="invalid name"):
        store.path(name)


# --- writing and sweeping ---------------------------------------------------------------------------------------


def test_an_abandoned_write_leaves_no_file(store: BlobStore) -> None:
    with store.new_blob() as pending:
        store.encrypt_into(pending, BlockReader(io.BytesIO(b"x" * 70_000), lambda block: None))
        assert (store.folder / f"{pending.name}{PARTIAL_SUFFIX}").exists()
    assert os.listdir(store.folder) == []
    put(store, b"finished but never committed", keep=False)
    assert os.listdir(store.folder) == []


def test_a_sweep_between_creating_and_locking_a_new_blob_does_not_break_the_write(
    store: BlobStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    real_try_lock = blob_store.try_lock
    pending_sweep = [True]

    def sweep_first(fd: int) -> bool:
        if pending_sweep:  # the writer's lock call: another process unlocks the vault right now
            pending_sweep.clear()
            BlobStore(store.folder, pyrage.x25519.Identity.generate()).sweep(lambda name: False)
        return real_try_lock(fd)

    monkeypatch.setattr(blob_store, "try_lock", sweep_first)
    name = put(store, b"evidence written while another process unlocked")
    assert get(store, name) == b"evidence written while another process unlocked"


def test_a_live_writer_is_never_swept(store: BlobStore) -> None:
    def everything_referenced(name: str) -> bool:
        return True

    with store.new_blob() as pending:
        pending.file.write(b"half an age file")
        assert store.sweep(everything_referenced) == SweepReport(0, 0)
        pending.finish()  # durable, committed by the caller now, not yet renamed: still locked
        assert store.sweep(everything_referenced) == SweepReport(0, 0)
        assert os.listdir(store.folder) == [f"{pending.name}{PARTIAL_SUFFIX}"]
        pending.publish()
        assert os.listdir(store.folder) == [pending.name]
    assert store.sweep(everything_referenced) == SweepReport(0, 0)
    assert os.listdir(store.folder) == [pending.name]


@pytest.fixture
def leftovers(store: BlobStore) -> Iterator[dict[str, Path]]:
    """A published blob, a partial whose commit never happened, a partial whose commit happened (the crash came
    before the rename), a finished blob no record names (as after restoring an older database), a stranger."""
    kept = put(store, b"committed evidence")
    partial = store.folder / f"{new_blob_name()}{PARTIAL_SUFFIX}"
    partial.write_bytes(b"age-encryption.org/v1\n-> X25519 half")
    committed_name = put(store, b"committed, crashed before the rename")
    committed = store.folder / f"{committed_name}{PARTIAL_SUFFIX}"
    (store.folder / committed_name).rename(committed)
    unreferenced = put(store, b"newer than the restored database")
    stranger = store.folder / "notes.txt"
    stranger.write_text("not a blob")
    yield {
        "kept": store.path(kept),
        "partial": partial,
        "committed": committed,
        "unreferenced": store.folder / unreferenced,
        "stranger": stranger,
    }


def _referenced(leftovers: dict[str, Path]) -> Callable[[str], bool]:
    names = {leftovers["kept"].name, leftovers["committed"].name.removesuffix(PARTIAL_SUFFIX)}
    return names.__contains__


def test_sweep_removes_dead_partials_completes_committed_ones_and_keeps_every_finished_blob(
    store: BlobStore, leftovers: dict[str, Path]
) -> None:
    assert store.sweep(_referenced(leftovers)) == SweepReport(removed_partial=1, completed=1)
    committed = leftovers["committed"].name.removesuffix(PARTIAL_SUFFIX)
    expected = [leftovers["kept"].name, committed, leftovers["unreferenced"].name, "notes.txt"]
    assert sorted(os.listdir(store.folder)) == sorted(expected)
    assert get(store, committed) == b"committed, crashed before the rename"
    assert get(store, leftovers["unreferenced"].name) == b"newer than the restored database"


def test_sweep_leaves_files_locked_by_another_process_alone(store: BlobStore, leftovers: dict[str, Path]) -> None:
    handles = []
    for key in ("partial", "committed"):
        handle = leftovers[key].open("rb")
        fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        handles.append(handle)
    try:
        assert store.sweep(_referenced(leftovers)) == SweepReport(0, 0)
        assert all(path.exists() for path in leftovers.values())
    finally:
        for handle in handles:
            handle.close()
    assert store.sweep(_referenced(leftovers)) == SweepReport(1, 1)


def test_a_fifo_among_the_blobs_neither_hangs_nor_is_touched(store: BlobStore) -> None:
    kept = put(store, b"committed evidence")
    fifo = store.folder / f"{new_blob_name()}{PARTIAL_SUFFIX}"
    os.mkfifo(fifo)
    fake_blob = store.folder / new_blob_name()
    os.mkfifo(fake_blob)
    assert store.sweep(lambda name: True) == SweepReport(0, 0)
    assert fifo.exists() and fake_blob.exists()
    with pytest.raises(BlobNotRegularError):
        get(store, fake_blob.name)
    assert get(store, kept) == b"committed evidence"
