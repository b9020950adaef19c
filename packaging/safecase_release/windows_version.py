"""The version resource of SafeCase's Windows programs (what Explorer shows under Properties > Details).

PyInstaller reads it as the text of a ``VSVersionInfo`` expression; the spec writes this text into its work folder
at build time, so the resource always carries the version in ``pyproject.toml``.
"""

from __future__ import annotations

import re

COMPANY = "SafeCase developers"
DESCRIPTION = "SafeCase: encrypted documentation of human-rights cases"
LICENCE = "AGPL-3.0-or-later"


def version_tuple(version: str) -> tuple[int, int, int, int]:
    """``0.1.0`` -> (0, 1, 0, 0); ``1.2.3rc1`` -> (1, 2, 3, 0). Windows wants four 16-bit numbers."""
    match = re.match(r"^(\d+)(?:\.(\d+))?(?:\.(\d+))?(?:\.(\d+))?", version)
    if not match:
        raise ValueError(f"not a version number: {version!r}")
    numbers = tuple(int(part or 0) for part in match.groups())
    if any(number > 0xFFFF for number in numbers):
        raise ValueError(f"a part of {version!r} is too large for a Windows version resource")
    return numbers[0], numbers[1], numbers[2], numbers[3]


def version_info_text(version: str, original_filename: str) -> str:
    numbers = version_tuple(version)
    strings = {
        "CompanyName": COMPANY,
        "FileDescription": DESCRIPTION,
        "FileVersion": version,
        "InternalName": original_filename.rsplit(".", 1)[0],
        "LegalCopyright": f"{COMPANY}, {LICENCE}",
        "OriginalFilename": original_filename,
        "ProductName": "SafeCase",
        "ProductVersion": version,
    }
    string_structs = ",\n".join(f"          StringStruct({key!r}, {value!r})" for key, value in strings.items())
    return f"""VSVersionInfo(
  ffi=FixedFileInfo(
    filevers={numbers!r},
    prodvers={numbers!r},
    mask=0x3f,
    flags=0x0,
    OS=0x40004,
    fileType=0x1,
    subtype=0x0,
    date=(0, 0)
  ),
  kids=[
    StringFileInfo([
      StringTable(
        '040904B0',
        [
{string_structs}
        ])
    ]),
    VarFileInfo([VarStruct('Translation', [1033, 1200])])
  ]
)
"""
