"""An evidence intake (``safecase attach``) killed at every durability point leaves no evidence or the whole of it.

Intake encrypts the file into ``blobs/<name>.partial`` (several 1 MiB blocks here), fsyncs it, commits the
attachment record, its blob row and the audit entry in one transaction, then renames the blob. Whatever the kill
point, the next unlock must sweep or complete the leftover: every survivor unlocks, passes ``check`` (which
decrypts and re-hashes every evidence file), keeps no ``.partial`` and no unreferenced blob, and holds exactly the
old state or the new one, evidence compared by content (``full_snapshot``). The vault then takes the same file in
again. tests/services/test_attachment_intake.py covers the refusals; this covers the kills.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from safecase.services.attachments import AttachmentService
from safecase.services.check import check_vault
from tests.adversarial.figures import budget, record

from .evidence_vaults import CASE_ID, add_case, evidence
from .harness import PASSPHRASE, BaseVault, Survivor, create_vault, fictional_records, request_for, services
from .sweeps import sweep
from .vault_state import full_snapshot


def _attach_again(source: Path) -> Callable[[Path, Survivor], None]:
    def attach_again(vault: Path, survivor: Survivor) -> None:
        """The survivor takes the same file in again, and still passes check."""
        with services().unlock(vault, PASSPHRASE) as session:
            AttachmentService(session).attach(CASE_ID, source)
            problems = check_vault(session).problems
        assert not problems, problems

    return attach_again


@pytest.fixture
def vault_with_case(workdir: Path) -> BaseVault:
    return add_case(create_vault(workdir / "base" / "vault", fictional_records(6)))


def test_an_intake_killed_at_any_durability_point_leaves_no_evidence_or_all_of_it(
    workdir: Path, vault_with_case: BaseVault
) -> None:
    source = evidence(workdir / "interview-photo.jpg")
    request = request_for("attach", record_id=CASE_ID, source=str(source))
    result = sweep(
        workdir,
        request,
        vault_with_case,
        budget=budget(60, 10_000),
        measure=full_snapshot,
        then=_attach_again(source),
    )
    record(result.figure("Evidence intake (2 MiB file) killed at a durability point"))
    result.assert_clean()
    old = result.points_where(lambda s: s.state == "old")
    new = result.points_where(lambda s: s.state == "new")
    assert old and new and max(old) < min(new), "once the intake is committed, no later crash may lose it"
    assert result.labels[min(new) - 2] == "sql COMMIT", f"the evidence appeared at {result.describe(min(new))}"
    assert any(label.startswith("os.replace") and ".partial" in label for label in result.labels[min(new) - 1 :])
