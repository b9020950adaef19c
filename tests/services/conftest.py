"""Fixtures shared by the service tests: the recording ones (an attachment service, a testimony to record for, and
a recorder started on it, closed again after the test)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from safecase.services.attachments import AttachmentService
from safecase.services.recording import Recorder
from safecase.services.session import VaultSession
from tests.services.test_recording import RATE, make_testimony


@pytest.fixture
def attachments(session: VaultSession) -> AttachmentService:
    return AttachmentService(session)


@pytest.fixture
def testimony_id(session: VaultSession) -> str:
    return make_testimony(session)


@pytest.fixture
def recorder(session: VaultSession, attachments: AttachmentService, testimony_id: str) -> Iterator[Recorder]:
    started = Recorder.start(session, attachments, testimony_id, RATE, 1)
    yield started
    started.close_file()
