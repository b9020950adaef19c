"""SHA256SUMS of a release's files, signed with minisign so a recipient can check them before installing.

The sums file has the format of ``sha256sum`` (``<hex>  <name>``), so ``sha256sum -c SHA256SUMS`` checks the
downloads; ``minisign -Vm SHA256SUMS -P <public key>`` checks that the sums come from the organisation's key.
"""

from __future__ import annotations

import hashlib
import shutil
import subprocess
from collections.abc import Iterable
from pathlib import Path

SUMS_NAME = "SHA256SUMS"
SIGNATURE_SUFFIX = ".minisig"


class SigningError(RuntimeError):
    """A key or tool problem, with the one line that says what to do."""


def sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as content:
        while chunk := content.read(1 << 20):
            digest.update(chunk)
    return digest.hexdigest()


def write_sums(files: Iterable[Path], output: Path) -> Path:
    """One ``<sha256>  <file name>`` line per file, sorted by name; the files must sit beside ``output``."""
    lines = []
    for path in sorted(files, key=lambda item: item.name):
        if path.parent.resolve() != output.parent.resolve():
            raise ValueError(f"{path.name} is not beside {output.name}")
        lines.append(f"{sha256_file(path)}  {path.name}\n")
    output.write_text("".join(lines), encoding="utf-8")
    return output


def minisign_tool() -> str:
    tool = shutil.which("minisign")
    if tool is None:
        raise SigningError(
            "minisign is not installed (Debian/Ubuntu: apt install minisign; macOS: brew install minisign)"
        )
    return tool


def check_secret_key(key: Path) -> None:
    if not key.is_file():
        raise SigningError(f"release key not found: {key} (give --key FILE or set SAFECASE_RELEASE_KEY)")
    first = key.read_text(encoding="utf-8", errors="replace").splitlines()[:1]
    if not first or not first[0].startswith("untrusted comment:"):
        raise SigningError(f"{key} is not a minisign secret key (make one with: minisign -G -s {key.name})")


def sign(file: Path, key: Path, trusted_comment: str) -> Path:
    """``file``.minisig, signed with ``key``. An encrypted key makes minisign ask for its password."""
    check_secret_key(key)
    signature = file.with_name(file.name + SIGNATURE_SUFFIX)
    command = [minisign_tool(), "-S", "-s", str(key), "-m", str(file), "-x", str(signature), "-t", trusted_comment]
    # minisign's own messages (and its password prompt, for an encrypted key) go to the terminal.
    result = subprocess.run(command, check=False, stdout=subprocess.DEVNULL)
    if result.returncode != 0:
        raise SigningError(f"minisign could not sign {file.name} (exit {result.returncode}; its message is above)")
    return signature


def verify(file: Path, public_key: Path) -> None:
    """Raise unless ``file``.minisig is a valid signature of ``file`` by ``public_key``."""
    if not public_key.is_file():
        raise SigningError(f"public key not found: {public_key}")
    command = [minisign_tool(), "-V", "-q", "-p", str(public_key), "-m", str(file)]
    result = subprocess.run(command, check=False, capture_output=True, text=True)
    if result.returncode != 0:
        raise SigningError(
            f"{file.name}{SIGNATURE_SUFFIX} does not verify with {public_key}: {_last_line(result.stderr)}"
        )


def _last_line(text: str) -> str:
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    return lines[-1] if lines else "no reason given"
