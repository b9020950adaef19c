"""Three vaults on one (fake) clock: two field workers and a coordinator who exchange cards and bundles."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from safecase.domain.clock import FakeClock
from safecase.services.attachments import AttachmentService
from safecase.services.exchange.contacts import ContactService
from safecase.services.exchange.export import BundleExporter, BundleReceipt
from safecase.services.exchange.importer import BundleImporter, ImportResult
from safecase.services.exchange.scope import ScopeRequest
from safecase.services.records import RecordService
from safecase.services.session import VaultSession
from safecase.services.vault import VaultService
from tests.conftest import PASSPHRASE


@dataclass
class Member:
    """One team member's vault, open for the test."""

    name: str
    session: VaultSession
    folder: Path

    @property
    def records(self) -> RecordService:
        return RecordService(self.session)

    @property
    def contacts(self) -> ContactService:
        return ContactService(self.session)

    @property
    def attachments(self) -> AttachmentService:
        return AttachmentService(self.session)

    def exporter(self) -> BundleExporter:
        return BundleExporter(self.session, self.attachments)

    def importer(self) -> BundleImporter:
        return BundleImporter(self.session)

    def send(self, to: list[Member], path: Path, request: ScopeRequest | None = None) -> BundleReceipt:
        recipients = [self.contacts.resolve(member.name) for member in to]
        exporter = self.exporter()
        return exporter.write(exporter.plan(recipients, request or ScopeRequest()), path)

    def receive(self, path: Path, *, allow_unknown_sender: bool = False) -> ImportResult:
        return self.importer().import_bundle(path, allow_unknown_sender=allow_unknown_sender)

    def knows(self, other: Member, *, verified: bool = True) -> None:
        added = self.contacts.add_card(other.contacts.own_card())
        if verified:
            self.contacts.verify(added.contact.id, fingerprint=added.contact.fingerprint)


@dataclass
class Team:
    kim: Member  # field worker
    lee: Member  # field worker
    park: Member  # coordinator
    clock: FakeClock
    root: Path

    @property
    def members(self) -> tuple[Member, Member, Member]:
        return (self.kim, self.lee, self.park)

    def bundle_path(self, name: str) -> Path:
        return self.root / "bundles" / f"{name}.safecase-bundle"


@pytest.fixture
def team(tmp_path: Path, vaults: VaultService, clock: FakeClock) -> Iterator[Team]:
    (tmp_path / "bundles").mkdir()
    opened: list[Member] = []
    for name in ("kim", "lee", "park"):
        folder = tmp_path / name
        vaults.create(folder, PASSPHRASE, name, "Test Org")
        opened.append(Member(name, vaults.unlock(folder, PASSPHRASE), folder))
    kim, lee, park = opened
    for member in opened:
        for other in opened:
            if other is not member:
                member.knows(other)
    yield Team(kim, lee, park, clock, tmp_path)
    for member in opened:
        member.session.close()
