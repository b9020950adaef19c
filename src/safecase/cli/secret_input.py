"""Reading secrets: from a file named on the command line (first line), or asked on the terminal, never echoed."""

from __future__ import annotations

import getpass
import sys
from collections.abc import Callable
from pathlib import Path

from safecase.errors import UsageError, VaultStateError
from safecase.storage.fsutil import read_small_file

SECRET_FILE_LIMIT = 64 * 1024

Prompt = Callable[[str], str]


def read_secret_file(path: Path, what: str) -> str:
    try:
        data = read_small_file(path, SECRET_FILE_LIMIT, f"{what} file")
    except VaultStateError as exc:
        raise UsageError(exc.message) from None
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise UsageError(f"The {what} file {path} is not UTF-8 text.") from None
    first_line = text.split("\n", 1)[0].removesuffix("\r")  # only a real line break ends it, not U+2028 etc.
    if not first_line:
        raise UsageError(f"The {what} file {path} is empty: write the {what} on its first line.")
    return first_line


_NON_INTERACTIVE_OPTION = {
    "passphrase": "--passphrase-file FILE",
    "new passphrase": "--new-passphrase-file FILE",
    "repeat the new passphrase": "--new-passphrase-file FILE",
    "recovery key": "--recovery-key-file FILE",
    "type the fingerprint as they read it": "--fingerprint DIGITS",
}


def terminal_prompt(label: str) -> str:
    if not sys.stdin.isatty():
        option = _NON_INTERACTIVE_OPTION.get(label.lower(), "--yes")
        raise UsageError(f"No terminal to ask for this ({label}): use {option}.")
    return getpass.getpass(f"{label}: ")


class SecretSource:
    """Gets each secret from its file option if given, else from the terminal prompt."""

    def __init__(
        self,
        prompt: Prompt,
        passphrase_file: Path | None,
        new_passphrase_file: Path | None,
        recovery_key_file: Path | None,
    ) -> None:
        self._prompt = prompt
        self._files = {
            "passphrase": passphrase_file,
            "new passphrase": new_passphrase_file,
            "recovery key": recovery_key_file,
        }

    def passphrase(self) -> str:
        return self._get("passphrase", "Passphrase")

    def recovery_key(self) -> str:
        return self._get("recovery key", "Recovery key")

    def new_passphrase(self, *, file_key: str = "new passphrase") -> str:
        path = self._files[file_key]
        if path is not None:
            return read_secret_file(path, file_key)
        first = self._prompt("New passphrase")
        if self._prompt("Repeat the new passphrase") != first:
            raise UsageError("The two passphrases do not match. Nothing was changed; try again.")
        return first

    def _get(self, key: str, label: str) -> str:
        path = self._files[key]
        return read_secret_file(path, key) if path is not None else self._prompt(label)
