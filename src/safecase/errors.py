"""One error hierarchy for every layer.

Each class knows the exit code the command line returns for it. The message is the one line a user sees: it says
what went wrong and what to do, and never contains secrets or user content beyond what the user just typed as an
identifier (a record id, a file name).
"""

from __future__ import annotations

import unicodedata
from enum import IntEnum
from os import PathLike


def shown(text: str | PathLike[str]) -> str:
    """``text`` (a file name, a path) made safe to print: control and format characters (terminal escapes, line
    breaks, right-to-left overrides, zero-width characters) are written as ``<U+XXXX>``."""
    return "".join(
        f"<U+{ord(c):04X}>" if unicodedata.category(c) in {"Cc", "Cf", "Cs", "Zl", "Zp"} else c for c in str(text)
    )


class ExitCode(IntEnum):
    OK = 0
    ERROR = 1
    USAGE = 2
    WRONG_SECRET = 3
    INTEGRITY = 4


class SafeCaseError(Exception):
    """An expected failure with a user-facing one-line message."""

    exit_code: ExitCode = ExitCode.ERROR

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message

    def __str__(self) -> str:
        return self.message


class UsageError(SafeCaseError):
    """The command was called the wrong way (missing argument, bad option value)."""

    exit_code = ExitCode.USAGE


class WrongSecretError(SafeCaseError):
    """The passphrase, recovery key or other key does not open the vault."""

    exit_code = ExitCode.WRONG_SECRET


class IntegrityError(SafeCaseError):
    """Stored data or a signature does not verify: something was altered or damaged."""

    exit_code = ExitCode.INTEGRITY


class VaultStateError(SafeCaseError):
    """The vault folder is missing, already exists, is read-only, or is otherwise unusable as asked."""


class ValidationError(SafeCaseError):
    """A record or an import row does not fit its kind's schema.

    `field` names the offending field as a dotted path (e.g. ``names.hangul`` or ``victim_ids[2]``) so that a
    form can show the message beside that field.
    """

    def __init__(self, message: str, field: str = "") -> None:
        super().__init__(f"{field}: {message}" if field else message)
        self.field = field
        self.reason = message


class NotFoundError(SafeCaseError):
    """A record or other object named by id does not exist (or was deleted)."""


class Cancelled(SafeCaseError):
    """The user (or a lock) stopped a long operation; whatever it had not finished was rolled back."""

    def __init__(self) -> None:
        super().__init__("cancelled; nothing was changed by the unfinished step.")
