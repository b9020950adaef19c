"""Entry point and composition root of the command line."""

from __future__ import annotations

import contextlib
import logging
import os
import sys
from collections.abc import Callable, Mapping, Sequence
from typing import TextIO

from safecase.cli import (
    attachment_commands,
    exchange_commands,
    record_commands,
    report_commands,
    vault_commands,
    verify_command,
)
from safecase.cli.app_command import app
from safecase.cli.context import CliContext
from safecase.cli.parser import build_parser
from safecase.cli.secret_input import Prompt, terminal_prompt
from safecase.crypto.kdf import KdfPolicy
from safecase.domain.clock import Clock, SystemClock
from safecase.errors import ExitCode, SafeCaseError
from safecase.process_hardening import harden_process
from safecase.services.vault import VaultService
from safecase.storage.database import DatabaseErrors, translate_database_error

log = logging.getLogger(__name__)

Command = Callable[[CliContext], int]

COMMANDS: dict[str, Command] = {
    "init": vault_commands.init,
    "demo": vault_commands.demo,
    "passwd": vault_commands.passwd,
    "recover": vault_commands.recover,
    "rotate-key": vault_commands.rotate_key,
    "shred": vault_commands.shred,
    "check": vault_commands.check,
    "identity": vault_commands.identity,
    "header": vault_commands.header,
    "record": record_commands.record,
    "history": record_commands.history,
    "import": record_commands.import_file,
    "search": record_commands.search,
    "attach": attachment_commands.attach,
    "attachment": attachment_commands.attachment,
    "contact": exchange_commands.contact,
    "bundle": exchange_commands.bundle,
    "sync": exchange_commands.sync,
    "conflict": exchange_commands.conflict,
    "report": report_commands.report,
    "verify": verify_command.verify,
    "app": app,
}


def run(
    argv: Sequence[str],
    *,
    kdf_policy: KdfPolicy,
    clock: Clock,
    stdin: TextIO,
    stdout: TextIO,
    stderr: TextIO,
    environ: Mapping[str, str],
    prompt: Prompt,
) -> int:
    """Parse and run one command; every expected failure becomes one line on stderr and an exit code."""
    parser = build_parser()
    try:
        with contextlib.redirect_stdout(stdout), contextlib.redirect_stderr(stderr):  # argparse prints to sys.*
            args = parser.parse_args(list(argv))
    except SystemExit as exit_request:
        return int(exit_request.code or 0)
    if args.command is None:
        args.command = "app"
    context = CliContext(args, VaultService(kdf_policy, clock), stdin, stdout, stderr, environ, prompt)
    try:
        try:
            return COMMANDS[args.command](context)
        except DatabaseErrors as database_error:
            raise translate_database_error(database_error) from None
    except SafeCaseError as error:
        print(f"safecase: {error.message}", file=stderr)
        return int(error.exit_code)
    except KeyboardInterrupt:
        print("safecase: interrupted; nothing was changed by the unfinished step.", file=stderr)
        return 130
    except BrokenPipeError:
        return ExitCode.ERROR
    except Exception as unexpected:  # the boundary: log the type only, never content
        log.debug("unexpected failure", exc_info=bool(environ.get("SAFECASE_DEBUG")))
        print(
            f"safecase: unexpected internal error ({type(unexpected).__name__}). Please report it; "
            "run with SAFECASE_DEBUG=1 for details.",
            file=stderr,
        )
        if environ.get("SAFECASE_DEBUG"):
            raise
        return ExitCode.ERROR


def main(argv: Sequence[str] | None = None) -> int:
    harden_process()
    return run(
        sys.argv[1:] if argv is None else argv,
        kdf_policy=KdfPolicy.production(),
        clock=SystemClock(),
        stdin=sys.stdin,
        stdout=sys.stdout,
        stderr=sys.stderr,
        environ=os.environ,
        prompt=terminal_prompt,
    )
