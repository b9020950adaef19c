"""AgeEncryptingWriter and AgeDecryptingReader: round trips (also with the age CLI), every way age data can fail
to authenticate, early stops, output errors, and bounded memory."""

from __future__ import annotations

import errno
import io
import os
import shutil
import subprocess
import threading
import time
import tracemalloc
from pathlib import Path
from typing import Any

import pyrage
import pytest

from safecase.crypto.age_pipe import (
    AgeDecryptingReader,
    AgeEncryptingWriter,
    AlteredOrTruncated,
    DamagedHeader,
    NotForThisIdentity,
    PlaintextEndsEarly,
    TrailingData,
    Truncated,
)
from safecase.crypto.age_stream import DecryptionFailed
from safecase.errors import ExitCode

IDENTITY = pyrage.x25519.Identity.generate()
RECIPIENT = IDENTITY.to_public()
CHUNK = 64 * 1024  # age's STREAM chunk of plaintext
SEALED_CHUNK = CHUNK + 16
SIZES = [0, 1, CHUNK - 1, CHUNK, CHUNK + 1, 3 * 2**20 + 12345]

requires_age = pytest.mark.skipif(shutil.which("age") is None, reason="the age command-line tool is not installed")


def encrypt(plaintext: bytes, piece: int = 100_000) -> bytes:
    out = io.BytesIO()
    with AgeEncryptingWriter(out, [RECIPIENT]) as writer:
        for start in range(0, len(plaintext), piece):
            writer.write(plaintext[start : start + piece])
    assert writer.bytes_done == len(plaintext)
    return out.getvalue()


def decrypt(sealed: bytes, identities: list[Any] | None = None) -> bytes:
    with AgeDecryptingReader(io.BytesIO(sealed), identities or [IDENTITY]) as reader:
        plaintext = reader.read()
        assert reader.authenticated
        assert reader.bytes_done == len(plaintext)
    return plaintext


def payload_start(sealed: bytes) -> int:
    """Where the STREAM nonce begins: after the header's MAC line."""
    mac_line = sealed.index(b"\n---")
    return sealed.index(b"\n", mac_line + 1) + 1


def pipe_threads() -> list[threading.Thread]:
    return [t for t in threading.enumerate() if t.name.startswith("safecase-age-")]


@pytest.mark.parametrize("size", SIZES)
def test_round_trip(size: int) -> None:
    plaintext = os.urandom(size)
    assert decrypt(encrypt(plaintext)) == plaintext
    assert pipe_threads() == []


def test_round_trip_with_pyrage_directly() -> None:
    plaintext = os.urandom(200_000)
    assert pyrage.decrypt(encrypt(plaintext), [IDENTITY]) == plaintext
    assert decrypt(pyrage.encrypt(plaintext, [RECIPIENT])) == plaintext


def test_one_huge_write_and_small_reads() -> None:
    plaintext = os.urandom(5 * 2**20 + 7)
    out = io.BytesIO()
    with AgeEncryptingWriter(out, [RECIPIENT]) as writer:
        assert writer.write(plaintext) == len(plaintext)
    with AgeDecryptingReader(io.BytesIO(out.getvalue()), [IDENTITY]) as reader:
        assert reader.read_exactly(3) == plaintext[:3]
        assert reader.read(0) == b""
        pieces = [reader.read(1000) for _ in range(10)]
        assert b"".join(pieces) == plaintext[3:10003]
        assert reader.read() == plaintext[10003:]
        assert reader.read() == b""


def test_read_exactly_past_the_end() -> None:
    with (
        AgeDecryptingReader(io.BytesIO(encrypt(b"short")), [IDENTITY]) as reader,
        pytest.raises(PlaintextEndsEarly) as caught,
    ):
        reader.read_exactly(6)
    assert caught.value.exit_code == ExitCode.INTEGRITY


def test_second_identity_of_several_opens() -> None:
    other = pyrage.x25519.Identity.generate()
    assert decrypt(encrypt(b"evidence"), [other, IDENTITY]) == b"evidence"


def test_to_several_recipients() -> None:
    other = pyrage.x25519.Identity.generate()
    out = io.BytesIO()
    with AgeEncryptingWriter(out, [RECIPIENT, other.to_public()]) as writer:
        writer.write(b"for both")
    assert decrypt(out.getvalue(), [other]) == b"for both"
    assert decrypt(out.getvalue(), [IDENTITY]) == b"for both"


@requires_age
@pytest.mark.parametrize("size", [0, 1, CHUNK - 1, CHUNK + 1, 3 * 2**20 + 1])
def test_age_cli_decrypts_what_we_write(tmp_path: Path, size: int) -> None:
    plaintext = os.urandom(size)
    (tmp_path / "sealed.age").write_bytes(encrypt(plaintext))
    key = tmp_path / "key.txt"
    key.write_text(str(IDENTITY) + "\n")
    # To standard output: age -o creates no file at all for an empty plaintext.
    done = subprocess.run(["age", "-d", "-i", key, tmp_path / "sealed.age"], check=True, capture_output=True)
    assert done.stdout == plaintext


@requires_age
@pytest.mark.parametrize("size", [0, 1, CHUNK - 1, CHUNK + 1, 3 * 2**20 + 1])
def test_we_decrypt_what_the_age_cli_writes(tmp_path: Path, size: int) -> None:
    plaintext = os.urandom(size)
    (tmp_path / "plain").write_bytes(plaintext)
    sealed = tmp_path / "sealed.age"
    subprocess.run(["age", "-r", str(RECIPIENT), "-o", sealed, tmp_path / "plain"], check=True, capture_output=True)
    with sealed.open("rb") as source, AgeDecryptingReader(source, [IDENTITY]) as reader:
        assert reader.read() == plaintext


# --- age data that does not authenticate --------------------------------------------------------------------------


def decryption_error(sealed: bytes, identities: list[Any] | None = None) -> DecryptionFailed:
    with pytest.raises(DecryptionFailed) as caught:
        decrypt(sealed, identities)
    assert caught.value.exit_code == ExitCode.INTEGRITY
    assert "\n" not in str(caught.value)
    return caught.value


SEALED = encrypt(os.urandom(3 * CHUNK + 1000))


def test_not_for_this_identity() -> None:
    error = decryption_error(SEALED, [pyrage.x25519.Identity.generate()])
    assert type(error) is NotForThisIdentity
    assert "not encrypted to this vault" in str(error)


def flipped(data: bytes, position: int) -> bytes:
    altered = bytearray(data)
    altered[position] ^= 0x01
    return bytes(altered)


@pytest.mark.parametrize("line", ["share", "wrapped key"])
def test_altered_recipient_stanza_reads_as_not_for_this_identity(line: str) -> None:
    share = SEALED.index(b"-> X25519 ") + len(b"-> X25519 ")
    position = share + 5 if line == "share" else SEALED.index(b"\n", share) + 6
    altered = bytearray(SEALED)
    altered[position] = ord("A") if altered[position] != ord("A") else ord("B")  # still valid base64
    assert type(decryption_error(bytes(altered))) is NotForThisIdentity


@pytest.mark.parametrize("where", ["version line", "header mac", "mac line marker"])
def test_altered_header(where: str) -> None:
    mac_line = SEALED.index(b"\n---")
    position = {"version line": 5, "header mac": mac_line + 10, "mac line marker": mac_line + 2}[where]
    assert type(decryption_error(flipped(SEALED, position))) is DamagedHeader


def test_not_an_age_file() -> None:
    assert type(decryption_error(os.urandom(4000))) is DamagedHeader


@pytest.mark.parametrize("offset", [0, 20, SEALED_CHUNK + 5, 3 * SEALED_CHUNK + 10])
def test_altered_payload(offset: int) -> None:
    position = payload_start(SEALED) + offset
    assert type(decryption_error(flipped(SEALED, position))) is AlteredOrTruncated


@pytest.mark.parametrize("chunks", [0, 1, 2, 3])
def test_truncated_at_a_chunk_boundary(chunks: int) -> None:
    end = payload_start(SEALED) + 16 + chunks * SEALED_CHUNK
    assert type(decryption_error(SEALED[:end])) is Truncated


@pytest.mark.parametrize("cut", [1, 100, SEALED_CHUNK - 1])
def test_truncated_inside_a_chunk(cut: int) -> None:
    end = payload_start(SEALED) + 16 + SEALED_CHUNK + cut
    assert type(decryption_error(SEALED[:end])) is AlteredOrTruncated


def test_truncated_by_one_byte() -> None:
    assert type(decryption_error(SEALED[:-1])) is AlteredOrTruncated


@pytest.mark.parametrize("end", [0, 10, "header", "nonce"])
def test_truncated_in_the_header_or_nonce(end: int | str) -> None:
    cut = {"header": SEALED.index(b"\n---"), "nonce": payload_start(SEALED) + 8}.get(end, end)
    assert isinstance(cut, int)
    assert type(decryption_error(SEALED[:cut])) is Truncated


@pytest.mark.parametrize("tail", [b"\0", b"x" * 17, bytes(SEALED_CHUNK)])
@pytest.mark.parametrize("size", [0, 1000, CHUNK, 2 * CHUNK])
def test_trailing_bytes_are_refused(size: int, tail: bytes) -> None:
    sealed = encrypt(os.urandom(size))
    error = decryption_error(sealed + tail)
    # After a final chunk that is not full, pyrage cannot tell extra bytes from an altered last chunk.
    assert type(error) is (TrailingData if size and size % CHUNK == 0 else AlteredOrTruncated)


def test_plaintext_before_the_damage_is_readable_but_the_end_never_comes() -> None:
    altered = flipped(SEALED, payload_start(SEALED) + 16 + 2 * SEALED_CHUNK + 3)
    with AgeDecryptingReader(io.BytesIO(altered), [IDENTITY]) as reader:
        with pytest.raises(AlteredOrTruncated):
            while reader.read(1000):
                pass
        assert not reader.authenticated
        with pytest.raises(AlteredOrTruncated):
            reader.read(1)


class FailingSource:
    def __init__(self, data: bytes, fail_at: int) -> None:
        self._data = io.BytesIO(data)
        self._fail_at = fail_at

    def read(self, size: int = -1) -> bytes:
        if self._data.tell() >= self._fail_at:
            raise OSError(errno.EIO, "Input/output error")
        return self._data.read(size)


@pytest.mark.parametrize("fail_at", [0, 50_000])
def test_source_error_is_raised_as_itself(fail_at: int) -> None:
    with AgeDecryptingReader(FailingSource(SEALED, fail_at), [IDENTITY]) as reader, pytest.raises(OSError) as caught:
        reader.read()
    assert caught.value.errno == errno.EIO
    assert not isinstance(caught.value, DecryptionFailed)


# --- stopping early, output errors, threads and memory --------------------------------------------------------------


def test_early_close_stops_the_thread_promptly(tmp_path: Path) -> None:
    sealed = tmp_path / "big.age"
    with sealed.open("wb") as out, AgeEncryptingWriter(out, [RECIPIENT]) as writer:
        block = bytes(2**20)
        for _ in range(50):
            writer.write(block)
    with sealed.open("rb") as source:
        reader = AgeDecryptingReader(source, [IDENTITY])
        assert reader.read(1) == b"\0"
        started = time.monotonic()
        reader.close()
        assert time.monotonic() - started < 1.0
    assert not reader.authenticated
    assert pipe_threads() == []
    with pytest.raises(ValueError, match="closed"):
        reader.read(1)
    reader.close()  # twice is fine


def test_close_before_any_read() -> None:
    reader = AgeDecryptingReader(io.BytesIO(SEALED), [IDENTITY])
    reader.close()
    assert pipe_threads() == []


def test_context_manager_closes_on_an_exception() -> None:
    with pytest.raises(KeyError), AgeDecryptingReader(io.BytesIO(SEALED), [IDENTITY]) as reader:
        reader.read(10)
        raise KeyError("done")
    assert pipe_threads() == []


class FullDisk:
    """A writer that fails like a full disk after ``room`` bytes."""

    def __init__(self, room: int) -> None:
        self.room = room
        self.written = 0

    def write(self, data: bytes) -> int:
        if self.written + len(data) > self.room:
            raise OSError(errno.ENOSPC, "No space left on device")
        self.written += len(data)
        return len(data)


@pytest.mark.parametrize("size", [3, 3000, 200_000])
def test_output_error_of_a_small_stream_is_raised_on_close(size: int) -> None:
    writer = AgeEncryptingWriter(FullDisk(0), [RECIPIENT])
    writer.write(os.urandom(size))
    with pytest.raises(OSError) as caught:
        writer.close()
    assert caught.value.errno == errno.ENOSPC
    assert pipe_threads() == []


def test_output_error_mid_stream_is_raised_by_write() -> None:
    writer = AgeEncryptingWriter(FullDisk(2 * 2**20), [RECIPIENT])
    block = bytes(2**20)
    with pytest.raises(OSError) as caught:
        for _ in range(100):
            writer.write(block)
    assert caught.value.errno == errno.ENOSPC
    writer.abort()
    assert pipe_threads() == []


def test_output_error_inside_pyrage_is_raised_as_itself() -> None:
    """A failing last small write inside pyrage: pyrage 1.4 drops that error, the relay must not."""
    writer = AgeEncryptingWriter(FullDisk(1500 * 1024), [RECIPIENT])
    writer.write(bytes(2 * 2**20))
    with pytest.raises(OSError) as caught:
        writer.close()
    assert caught.value.errno == errno.ENOSPC


def test_abort_leaves_no_thread_and_never_raises() -> None:
    out = io.BytesIO()
    with pytest.raises(RuntimeError), AgeEncryptingWriter(out, [RECIPIENT]) as writer:
        writer.write(bytes(3 * 2**20))
        raise RuntimeError("stop")
    assert pipe_threads() == []
    with pytest.raises(DecryptionFailed):
        decrypt(out.getvalue())
    with pytest.raises(ValueError, match="closed"):
        writer.write(b"x")


def test_abort_while_the_output_blocks_returns() -> None:
    class SlowOutput:
        def write(self, data: bytes) -> int:
            time.sleep(0.01)
            return len(data)

    writer = AgeEncryptingWriter(SlowOutput(), [RECIPIENT])
    for _ in range(8):
        writer.write(bytes(2**20))
    started = time.monotonic()
    writer.abort()
    assert time.monotonic() - started < 2.0
    assert pipe_threads() == []


def test_no_recipients_or_identities() -> None:
    with pytest.raises(ValueError):
        AgeEncryptingWriter(io.BytesIO(), [])
    with pytest.raises(ValueError):
        AgeDecryptingReader(io.BytesIO(SEALED), [])


def test_streaming_200_mib_keeps_memory_bounded() -> None:
    """200 MiB go from a writer through a pipe into a reader; Python-level memory stays at a few blocks."""
    total, block = 200 * 2**20, bytes(2**20)
    read_end, write_end = os.pipe()
    failures: list[BaseException] = []

    def produce() -> None:
        try:
            with open(write_end, "wb") as out, AgeEncryptingWriter(out, [RECIPIENT]) as writer:
                for _ in range(total // len(block)):
                    writer.write(block)
        except BaseException as exc:
            failures.append(exc)

    tracemalloc.start()
    try:
        producer = threading.Thread(target=produce)
        producer.start()
        received = 0
        with open(read_end, "rb") as source, AgeDecryptingReader(source, [IDENTITY]) as reader:
            while piece := reader.read(256 * 1024):
                received += len(piece)
            assert reader.authenticated
        producer.join()
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert failures == []
    assert received == total

    assert peak < 40 * 2**20, f"peak {peak / 2**20:.1f} MiB"
