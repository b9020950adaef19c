"""What every command gets: the parsed arguments, the services, and the terminal streams."""

from __future__ import annotations

import argparse
import json
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TextIO

import platformdirs

from safecase.cli.secret_input import Prompt, SecretSource
from safecase.crypto.recovery_key import RecoveryKey, parse_recovery_key
from safecase.services.session import VaultSession
from safecase.services.vault import VaultService

VAULT_ENV = "SAFECASE_VAULT"


def default_vault_root() -> Path:
    return Path(platformdirs.user_data_dir("SafeCase", appauthor=False, roaming=False)) / "vault"


@dataclass
class CliContext:
    args: argparse.Namespace
    vaults: VaultService
    stdin: TextIO
    stdout: TextIO
    stderr: TextIO
    environ: Mapping[str, str]
    prompt: Prompt

    def option(self, name: str, default: Any = None) -> Any:
        return getattr(self.args, name, default)

    @property
    def wants_json(self) -> bool:
        return bool(self.option("json", False))

    def vault_root(self) -> Path:
        explicit = self.option("vault")
        if explicit is not None:
            return Path(explicit).expanduser()
        from_env = self.environ.get(VAULT_ENV)
        return Path(from_env).expanduser() if from_env else default_vault_root()

    def secrets(self) -> SecretSource:
        return SecretSource(
            self.prompt,
            self.option("passphrase_file"),
            self.option("new_passphrase_file"),
            self.option("recovery_key_file"),
        )

    def recovery_key(self) -> RecoveryKey:
        return parse_recovery_key(self.secrets().recovery_key())

    def unlock(self) -> VaultSession:
        return self.vaults.unlock(self.vault_root(), self.secrets().passphrase())

    def say(self, text: str = "") -> None:
        print(text, file=self.stdout)

    def note(self, text: str) -> None:
        print(text, file=self.stderr)

    def emit_json(self, value: Any) -> None:
        json.dump(value, self.stdout, ensure_ascii=False, indent=2, sort_keys=True)
        self.stdout.write("\n")
