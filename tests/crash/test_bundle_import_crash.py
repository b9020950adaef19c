"""``safecase bundle import`` killed at any durability point leaves none of the bundle or all of it.

Another vault (a fictional teammate) exports a bundle to this vault: people, testimonies, tags, a case and two
evidence files. The import holds the write lock, stages the evidence the vault lacks as ``.partial`` blobs, merges
every version, references the blobs and records the bundle in one transaction, then renames the blobs. Every
survivor must unlock, pass ``check`` (evidence decrypted and re-hashed), keep no partial or unreferenced blob, and
hold exactly the state before the import or after it: records, versions, links, search, evidence by content,
``bundles_received``, ``version_sources``, conflicts and audit entries (``full_snapshot``). The survivor then
imports the same bundle again and ends in the finished state, so a crashed import never blocks a retry.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from safecase.services.exchange.importer import BundleImporter
from tests.adversarial.figures import budget, record

from .evidence_vaults import make_bundle
from .harness import (
    PASSPHRASE,
    WRITER_CLOCK_MS,
    BaseVault,
    Survivor,
    copy_vault,
    create_vault,
    fictional_records,
    request_for,
    run_uninterrupted,
    services,
    state_of,
)
from .sweeps import sweep
from .vault_state import full_snapshot


def _import_again(bundle: Path, finished: str) -> Callable[[Path, Survivor], None]:
    def import_again(vault: Path, survivor: Survivor) -> None:
        """Importing the bundle again after the crash ends in the very state an uninterrupted import reaches."""
        with services(WRITER_CLOCK_MS).unlock(vault, PASSPHRASE) as session:  # the clock of a clean import
            BundleImporter(session).import_bundle(bundle)
        assert state_of(vault, measure=full_snapshot) == finished, "a retried import differs from a clean one"

    return import_again


@pytest.fixture
def receiver(workdir: Path) -> BaseVault:
    return create_vault(workdir / "base" / "vault", fictional_records(6))


def test_a_bundle_import_killed_anywhere_leaves_none_of_the_bundle_or_all_of_it(
    workdir: Path, receiver: BaseVault
) -> None:
    bundle = make_bundle(workdir, receiver)
    request = request_for("bundle_import", bundle=str(bundle))
    finished = copy_vault(receiver.root, workdir / "finished" / "vault")
    run_uninterrupted(request, finished, scratch=workdir)
    new_state = state_of(finished, measure=full_snapshot)
    result = sweep(
        workdir,
        request,
        receiver,
        budget=budget(60, 10_000),
        measure=full_snapshot,
        then=_import_again(bundle, new_state),
    )
    record(result.figure("Bundle import (10 records, 2 evidence files) killed at a durability point"))
    result.assert_clean()
    old = result.points_where(lambda s: s.state == "old")
    new = result.points_where(lambda s: s.state == "new")
    assert old and new and max(old) < min(new), "once the import is committed, no later crash may lose it"
    assert result.labels[min(new) - 2] == "sql COMMIT", f"the bundle appeared at {result.describe(min(new))}"
