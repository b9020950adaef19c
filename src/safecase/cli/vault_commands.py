"""Commands about the vault itself: init, demo, passwd, recover, rotate-key, shred, check, identity, header."""

from __future__ import annotations

import segno

from safecase.cli import exchange_commands
from safecase.cli.context import CliContext
from safecase.cli.parser import QUICK_CHECK_SAMPLE
from safecase.errors import ExitCode, UsageError
from safecase.services.check import CheckReport, check_vault
from safecase.services.demo import fill_demo_vault
from safecase.services.vault import CreatedVault
from safecase.storage.database import DamagedDatabaseError, KeyMismatchError
from safecase.storage.fsutil import ReservedFile
from safecase.storage.vault_folder import refuse_existing_vault_target


def init(ctx: CliContext) -> int:
    _create(ctx)
    return ExitCode.OK


def demo(ctx: CliContext) -> int:
    created, passphrase = _create(ctx)
    with ctx.vaults.unlock(created.folder, passphrase) as session:
        counts = fill_demo_vault(session, people=ctx.args.size)
    summary = ", ".join(f"{count} {kind}" for kind, count in counts.items())
    ctx.note(f"Filled the demo vault with fictional data: {summary}.")
    return ExitCode.OK


def _create(ctx: CliContext) -> tuple[CreatedVault, str]:
    root = ctx.vault_root()
    refuse_existing_vault_target(root)
    recovery_path = ctx.option("recovery_key_file")
    passphrase = ctx.secrets().new_passphrase(file_key="passphrase")
    recovery_file = ReservedFile(recovery_path) if recovery_path is not None else None
    ctx.note("Creating the vault (measuring this computer to tune the key derivation; a few seconds)...")
    try:
        created = ctx.vaults.create(root, passphrase, ctx.args.name, ctx.args.org)
    except BaseException:
        if recovery_file is not None:
            recovery_file.discard()
        raise
    ctx.note(f"Created vault {created.vault_id} at {created.folder}")
    ctx.note(f"Identity fingerprint: {created.fingerprint}")
    if recovery_file is not None:
        recovery_file.fill((created.recovery_key + "\n").encode("ascii"))
        ctx.note(
            f"The recovery key is in {recovery_file.path}. Print or copy it, keep it away from this laptop, "
            "then delete the file."
        )
    else:
        ctx.say("RECOVERY KEY (shown once; write it down and keep it away from this laptop):")
        ctx.say(created.recovery_key)
    return created, passphrase


def passwd(ctx: CliContext) -> int:
    with ctx.unlock() as session:
        ctx.vaults.change_passphrase(session, ctx.secrets().new_passphrase())
    ctx.note("Passphrase changed.")
    return ExitCode.OK


def recover(ctx: CliContext) -> int:
    with ctx.vaults.unlock_with_recovery_key(ctx.vault_root(), ctx.recovery_key()) as session:
        ctx.vaults.change_passphrase(session, ctx.secrets().new_passphrase())
    ctx.note("Recovered: the vault now opens with the new passphrase. The recovery key stays the same.")
    return ExitCode.OK


def rotate_key(ctx: CliContext) -> int:
    passphrase = ctx.secrets().passphrase()
    with ctx.vaults.unlock(ctx.vault_root(), passphrase) as session:
        ctx.vaults.rotate_master_key(session, passphrase)
    ctx.note(
        "The master key was replaced and the database re-encrypted. Exported header backups made before "
        "now no longer open this vault: export a new one."
    )
    return ExitCode.OK


def shred(ctx: CliContext) -> int:
    root = ctx.vault_root()
    if not ctx.args.yes:
        answer = ctx.prompt("Type SHRED to destroy the vault's keys")
        if answer.strip() != "SHRED":
            raise UsageError("Not confirmed; nothing was destroyed.")
    ctx.vaults.shred(root)
    ctx.note(
        f"Shredded: the vault at {root} cannot be opened any more. Only an exported header backup (opened with "
        "its passphrase or the recovery key) can bring it back. On SSDs old header copies may survive in the "
        "drive's spare blocks."
    )
    return ExitCode.OK


def check(ctx: CliContext) -> int:
    passphrase = ctx.secrets().passphrase()
    try:
        with ctx.vaults.unlock(ctx.vault_root(), passphrase) as session:
            sample = QUICK_CHECK_SAMPLE if ctx.option("quick", False) else None
            report = check_vault(session, evidence_sample=sample)
    except (DamagedDatabaseError, KeyMismatchError):  # the header's AEAD already proved the key right
        pages = ctx.vaults.damaged_pages(ctx.vault_root(), passphrase)
        report = CheckReport(problems=["database pages: " + ("; ".join(pages[:5]) or "the schema is unreadable")])
    if ctx.wants_json:
        ctx.emit_json({"ok": report.ok, "passed": report.passed, "problems": report.problems})
    else:
        for name in report.passed:
            ctx.say(f"ok       {name}")
        for problem in report.problems:
            ctx.say(f"FAILED   {problem}")
    if not report.ok:
        ctx.note("safecase: the vault failed its integrity check; restore it from a backup and do not add to it.")
        return ExitCode.INTEGRITY
    return ExitCode.OK


def identity(ctx: CliContext) -> int:
    if ctx.option("identity_command") == "card":
        return exchange_commands.identity_card(ctx)
    with ctx.unlock() as session:
        stored = session.identity_record()
    public = stored.identity.public()
    facts = {
        "name": stored.display_name,
        "organisation": stored.organisation,
        "fingerprint": public.fingerprint(),
        "age_recipient": public.age_recipient,
        "signing_key": public.ed25519_public_b64(),
        "qr": public.qr_payload(),
    }
    if ctx.wants_json:
        ctx.emit_json(facts)
    else:
        for key, value in facts.items():
            ctx.say(f"{key + ':':<15}{value}")
    if ctx.args.qr:
        segno.make(facts["qr"], error="m").terminal(out=ctx.stdout, compact=True)
    return ExitCode.OK


def header(ctx: CliContext) -> int:
    if ctx.args.header_command == "export":
        with ctx.unlock() as session:
            ctx.vaults.export_header(session, ctx.args.output)
        ctx.note(
            f"Header backup written to {ctx.args.output}. Keep it away from this laptop; with the recovery "
            "key it can restore this vault after a shred."
        )
        return ExitCode.OK
    use_recovery = ctx.option("recovery_key_file") is not None
    session = ctx.vaults.restore_header(
        ctx.vault_root(),
        ctx.args.file,
        None if use_recovery else ctx.secrets().passphrase(),
        ctx.recovery_key() if use_recovery else None,
    )
    session.close()
    ctx.note("Header restored: the vault opens again.")
    return ExitCode.OK
