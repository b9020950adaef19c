"""Pseudonym codes such as ``P-0042``: the identifier shown for a person wherever their name may not be.

Every stored person has one (see ``records.normalise_for_storage``). The numbering helpers here are pure;
which numbers are taken is the caller's business (the vault knows its persons).
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from safecase.errors import ValidationError

DEFAULT_PREFIX = "P"
_PREFIX = re.compile(r"[A-Z][A-Z0-9]{0,15}(-[A-Z0-9]{1,8})?", re.ASCII)


def format_pseudonym(number: int, prefix: str = DEFAULT_PREFIX) -> str:
    """``format_pseudonym(42) == "P-0042"``; numbers past 9999 simply grow (``P-12345``)."""
    if number < 1:
        raise ValueError("pseudonym numbers start at 1")
    if _PREFIX.fullmatch(prefix) is None:
        raise ValidationError(
            "must be capital letters and digits such as P or NK-K7", field="pseudonym_prefix"
        )
    return f"{prefix}-{number:04d}"


def pseudonym_number(pseudonym: str, prefix: str = DEFAULT_PREFIX) -> int | None:
    """The number of a pseudonym made by ``format_pseudonym`` with `prefix`, or None for any other code."""
    match = re.fullmatch(re.escape(prefix) + r"-([0-9]{4,})", pseudonym, re.ASCII)
    return int(match[1]) if match else None


def next_pseudonym(taken: Iterable[str], prefix: str = DEFAULT_PREFIX) -> str:
    """The pseudonym after the highest numbered one in `taken` with this prefix (``P-0001`` if none)."""
    numbers = (pseudonym_number(code, prefix) for code in taken)
    return format_pseudonym(max((n for n in numbers if n is not None), default=0) + 1, prefix)
