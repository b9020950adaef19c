"""Reading what users hand us (record JSON, import files): bounded, UTF-8, and every failure a one-line message."""

from __future__ import annotations

import json
import os
import stat
from pathlib import Path
from typing import Any

from safecase.errors import UsageError


def read_input_text(path: Path, limit: int) -> str:
    """The whole file as text, refusing folders, devices, endless streams and anything over `limit` bytes."""
    try:
        fd = os.open(path, os.O_RDONLY)
    except FileNotFoundError:
        raise UsageError(f"{path} does not exist.") from None
    except OSError as exc:
        raise UsageError(f"Cannot read {path}: {exc.strerror}.") from None
    if stat.S_ISDIR(os.fstat(fd).st_mode):  # before fdopen, which refuses folders with its own error
        os.close(fd)
        raise UsageError(f"{path} is a folder, not a file.")
    with os.fdopen(fd, "rb") as handle:
        try:
            data = handle.read(limit + 1)
        except OSError as exc:
            raise UsageError(f"Cannot read {path}: {exc.strerror}.") from None
    if len(data) > limit:
        raise UsageError(f"{path} is larger than {limit // 2**20} MiB; split it into smaller files.")
    return decode_utf8(data, str(path))


def decode_utf8(data: bytes, source: str) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise UsageError(f"{source} is not UTF-8 text; save it as UTF-8 and try again.") from None


def parse_json(text: str, source: str) -> Any:
    """json.loads with one-line errors, also for nesting too deep or numbers too long to be data."""
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise UsageError(f"{source} is not valid JSON (line {exc.lineno}, column {exc.colno}).") from None
    except (RecursionError, ValueError):
        raise UsageError(f"{source} is nested too deeply or holds a number too long to be a value.") from None
