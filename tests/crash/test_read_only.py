"""A read-only vault: every command fails in one clear line or works, and not one byte of the vault changes.

Two ways a vault becomes read-only, each where this machine allows it:

- a read-only mount (the vault folder bind-mounted read-only over itself: a write-protected USB stick or a
  forensic image); needs root;
- no write permission (``chmod -R a-w``): as root, which ignores file modes, the command runs in the writer child
  after dropping to an ordinary user (uid 65534) that owns the vault; otherwise the test's own user.

Each command runs as ``safecase`` does (in the writer child, test KDF). Reads (identity, list, show, search,
history, evidence list and verify, check) must work or be refused in one line that says the vault is read-only;
writes (record add/edit/delete, import, attach, bundle import, passwd, rotate-key, recover, header restore and
export, contact add, shred) must fail in one line, exit non-zero, no traceback. After every command the vault
folder is byte for byte, name for name, what it was.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import tempfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from safecase.services.attachments import AttachmentService
from safecase.services.exchange.contacts import ContactService
from tests.adversarial.figures import SecurityFigure, record

from .evidence_vaults import CASE_ID, add_case, evidence, make_bundle
from .harness import (
    NEW_PASSPHRASE,
    PASSPHRASE,
    WriterProcess,
    create_vault,
    fictional_records,
    record_id,
    request_for,
    services,
)
from .mounts import can_mount, read_only_bind
from .vault_state import MARKER

ORDINARY_UID = 65534  # "nobody": an account without privileges, present on every Linux system
READ_ONLY_WORDS = ("read-only", "read only", "cannot be written", "permission")


@dataclass(frozen=True)
class Inputs:
    """The vault and every file the commands read, in a folder an ordinary user may enter."""

    folder: Path
    vault: Path
    attachment_id: str
    files: dict[str, Path]


def _commands(inputs: Inputs) -> dict[str, tuple[bool, list[str]]]:
    """name -> (writes?, arguments)."""
    f = inputs.files
    return {
        "identity": (False, ["identity"]),
        "record list": (False, ["record", "list", "person"]),
        "record show": (False, ["record", "show", record_id(1)]),
        "search": (False, ["search", MARKER]),
        "history": (False, ["history", record_id(1)]),
        "attachment list": (False, ["attachment", "list", CASE_ID]),
        "attachment verify": (False, ["attachment", "verify", inputs.attachment_id]),
        "check": (False, ["check"]),
        "record add": (True, ["record", "add", "tag", str(f["tag"])]),
        "record edit": (True, ["record", "edit", record_id(2), str(f["patch"])]),
        "record delete": (True, ["record", "delete", record_id(2)]),
        "import": (True, ["import", str(f["rows"])]),
        "attach": (True, ["attach", CASE_ID, str(f["evidence"])]),
        "bundle import": (True, ["bundle", "import", str(f["bundle"])]),
        "contact add": (True, ["contact", "add", str(f["card"])]),
        "passwd": (True, ["passwd", "--new-passphrase-file", str(f["new_passphrase"])]),
        "rotate-key": (True, ["rotate-key"]),
        "recover": (
            True,
            [
                "recover",
                "--recovery-key-file",
                str(f["recovery_key"]),
                "--new-passphrase-file",
                str(f["new_passphrase"]),
            ],
        ),
        "header export": (True, ["header", "export", "-o", str(inputs.folder / "out" / "header-copy.json")]),
        "header restore": (True, ["header", "restore", str(inputs.vault / "header.bak.json")]),
        "shred": (True, ["shred", "--yes"]),
    }


def fingerprint(vault: Path) -> dict[str, str]:
    """Every name in the vault folder with its content's SHA-256 (folders as such)."""
    found = {}
    for path in sorted(vault.rglob("*")):
        name = str(path.relative_to(vault))
        found[name] = "folder" if path.is_dir() else hashlib.sha256(path.read_bytes()).hexdigest()
    return found


def _write(folder: Path, name: str, text: str) -> Path:
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


def build_inputs(folder: Path) -> Inputs:
    base = add_case(create_vault(folder / "vault", fictional_records(6)))
    bundle = make_bundle(folder / "exchange", base)
    with services().unlock(base.root, PASSPHRASE) as session:
        attachment = AttachmentService(session).attach(CASE_ID, evidence(folder / "kept.jpg", 50_000))
    other = create_vault(folder / "stranger" / "vault")
    with services().unlock(other.root, PASSPHRASE) as session:
        card = folder / "stranger.card"
        card.write_bytes(ContactService(session).own_card())
    rows = [{"kind": "tag", "label": "Fictional imported tag"}]
    files = {
        "passphrase": _write(folder, "passphrase.txt", PASSPHRASE + "\n"),
        "new_passphrase": _write(folder, "new-passphrase.txt", NEW_PASSPHRASE + "\n"),
        "recovery_key": _write(folder, "recovery-key.txt", base.recovery_key.formatted() + "\n"),
        "tag": _write(folder, "tag.json", json.dumps({"label": "Fictional tag"})),
        "patch": _write(folder, "patch.json", json.dumps({"description": "Edited."})),
        "rows": _write(folder, "rows.json", json.dumps(rows)),
        "evidence": evidence(folder / "new-evidence.jpg", 40_000),
        "bundle": bundle,
        "card": card,
    }
    (folder / "out").mkdir()
    return Inputs(folder, base.root, attachment.id, files)


@dataclass
class ReadOnlyOutcome:
    how: str
    tried: int = 0
    reads_working: list[str] = field(default_factory=list)
    refused: dict[str, str] = field(default_factory=dict)  # command -> its one line
    changed: list[str] = field(default_factory=list)
    unclear: list[str] = field(default_factory=list)

    def judge(
        self, name: str, writes: bool, report: dict[str, object], before: dict[str, str], after: dict[str, str]
    ) -> None:
        """A read may work; anything else must fail in one clear line; the vault must not change either way."""
        self.tried += 1
        code, stderr = int(str(report["code"])), str(report["stderr"])
        if after != before:
            changed = sorted(k for k in set(before) | set(after) if before.get(k) != after.get(k))
            self.changed.append(f"{name}: changed {changed}")
        if code == 0 and not writes:
            self.reads_working.append(name)
            return
        lines = stderr.splitlines()
        clear = len(lines) == 1 and lines[0].startswith("safecase: ") and "internal error" not in lines[0]
        if code == 0 or not clear or "Traceback" in stderr or not any(w in stderr.lower() for w in READ_ONLY_WORDS):
            self.unclear.append(f"{name}: exit {code}, {stderr!r}")
            return
        self.refused[name] = lines[0]

    def figure(self) -> SecurityFigure:
        failed = len(set(self.changed) | set(self.unclear))
        note = (
            f"{self.how}; reads that work: {', '.join(self.reads_working) or 'none (unlock refuses a read-only vault)'}"
        )
        return SecurityFigure(
            "crash", f"Read-only vault ({self.how.split(';')[0]}): every command", self.tried, "commands",
            self.tried - failed, lost=len(self.changed), crashes=len(self.unclear), note=note,
        )  # fmt: skip

    def assert_clean(self) -> None:
        problems = self.changed + self.unclear
        assert not problems, "\n".join(problems)


def run_all(inputs: Inputs, outcome: ReadOnlyOutcome, run_as: int | None) -> None:
    base_argv = ["--vault", str(inputs.vault), "--passphrase-file", str(inputs.files["passphrase"])]
    report = inputs.folder / "out" / "report.json"
    request = request_for("cli", argv=[], report=str(report))
    with WriterProcess(request, inputs.folder / "out") as writer:
        for name, (writes, args) in _commands(inputs).items():
            before = fingerprint(inputs.vault)
            writer.submit(inputs.vault, None, argv=[*args, *base_argv], run_as=run_as, report=str(report))
            result = writer.result()
            if result["outcome"] != "completed":
                outcome.unclear.append(f"{name}: the command {result['outcome']}")
                continue
            outcome.judge(
                name, writes, json.loads(report.read_text(encoding="utf-8")), before, fingerprint(inputs.vault)
            )


@pytest.fixture
def shared_folder() -> Iterator[Path]:
    """A folder an ordinary user may enter (the crash folder is private to root)."""
    folder = Path(tempfile.mkdtemp(prefix="safecase-read-only-", dir="/dev/shm" if Path("/dev/shm").is_dir() else None))
    folder.chmod(0o755)
    yield folder
    shutil.rmtree(folder, ignore_errors=True)


def test_a_vault_on_a_read_only_mount_refuses_every_write_clearly_and_stays_byte_for_byte(shared_folder: Path) -> None:
    if not can_mount():
        pytest.skip("a read-only mount needs root; the permission test below covers a read-only vault")
    inputs = build_inputs(shared_folder)
    outcome = ReadOnlyOutcome("read-only bind mount")
    with read_only_bind(inputs.vault) as mounted:
        if not mounted:
            pytest.skip("this machine refused the read-only bind mount")
        run_all(inputs, outcome, run_as=None)
    record(outcome.figure())
    outcome.assert_clean()


def _give_to(path: Path, uid: int) -> None:
    for item in [path, *path.rglob("*")]:
        os.chown(item, uid, uid, follow_symlinks=False)


def _without_write_permission(vault: Path) -> Callable[[], None]:
    """chmod -R a-w; returns how to put the modes back."""
    modes = {p: p.stat().st_mode for p in [vault, *vault.rglob("*")]}
    for path, mode in modes.items():
        path.chmod(mode & ~0o222)

    def restore() -> None:
        for path, mode in modes.items():
            path.chmod(mode)

    return restore


def test_a_vault_without_write_permission_refuses_every_write_clearly_and_stays_byte_for_byte(
    shared_folder: Path,
) -> None:
    inputs = build_inputs(shared_folder)
    root = hasattr(os, "geteuid") and os.geteuid() == 0
    if root:
        _give_to(shared_folder, ORDINARY_UID)
    restore = _without_write_permission(inputs.vault)
    outcome = ReadOnlyOutcome(f"chmod -R a-w, run as {'uid 65534' if root else 'the test user'}")
    try:
        run_all(inputs, outcome, run_as=ORDINARY_UID if root else None)
    finally:
        restore()
    record(outcome.figure())
    outcome.assert_clean()
