"""Long reads of evidence stop when asked (a lock or panic must not wait for a big verify, preview or export), and
a stopped export leaves no partial copy behind."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from safecase.errors import SafeCaseError
from safecase.services.attachments import AttachmentService
from tests.services.test_attachments import MiB, case_id, evidence_file, service

__all__ = ["case_id", "service"]  # fixtures shared with test_attachments


class Stopped(SafeCaseError):
    pass


class StopAfter:
    """A cancel check that lets ``blocks`` blocks through, then stops the work."""

    def __init__(self, blocks: int) -> None:
        self.calls = 0
        self._blocks = blocks

    def __call__(self) -> None:
        self.calls += 1
        if self.calls > self._blocks:
            raise Stopped("stopped")


@pytest.fixture
def big_attachment(service: AttachmentService, case_id: str, tmp_path: Path) -> str:
    return service.attach(case_id, evidence_file(tmp_path / "interview.wav", os.urandom(8 * MiB + 5))).id


def test_verify_stops_within_a_block_of_being_asked(service: AttachmentService, big_attachment: str) -> None:
    check = StopAfter(2)
    with pytest.raises(Stopped):
        service.verify(big_attachment, check_cancelled=check)
    assert check.calls == 3  # not one per 8 KiB, not the whole file
    assert service.verify(big_attachment).id == big_attachment  # nothing was harmed


def test_a_stopped_preview_read_gives_nothing_back(service: AttachmentService, big_attachment: str) -> None:
    with pytest.raises(Stopped):
        service.read_plaintext(big_attachment, 16 * MiB, check_cancelled=StopAfter(1))


def test_a_stopped_export_leaves_no_partial_copy(
    service: AttachmentService, big_attachment: str, tmp_path: Path
) -> None:
    destination = tmp_path / "out" / "interview.wav"
    destination.parent.mkdir()
    with pytest.raises(Stopped):
        service.export(big_attachment, destination, check_cancelled=StopAfter(3))
    assert list(destination.parent.iterdir()) == []
