"""The home folder of a throwaway user, for the leak sweep: its layout, and the environment that confines a process
to it.

Every place a program may write without being told where (settings, caches, data, state, runtime files, temporary
files, the working folder) points inside one fresh folder, so whatever the journey writes can be found there and
scanned. The parent test builds the folder and the environment; the child journey reads the same layout.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from tests.adversarial.leak_markers import MarkerSet

PASSPHRASE = "seven violet lanterns drift over quiet water"
NEW_PASSPHRASE = "a heron waits where the cold river bends twice"
COLLEAGUE_PASSPHRASE = "granite orchard under a slow october moon"
OWNER_NAME = "Field Worker"
COLLEAGUE_NAME = "Coordinator"
ORGANISATION = "Documentation Team"

# Variables that could send a write outside the throwaway home, or reach the real desktop session.
UNSET_VARIABLES = (
    "SAFECASE_VAULT",
    "SAFECASE_DEBUG",
    "SAFECASE_SECURITY_FIGURES",
    "DBUS_SESSION_BUS_ADDRESS",
    "DISPLAY",
    "WAYLAND_DISPLAY",
    "XAUTHORITY",
    "PYTHONPYCACHEPREFIX",
    "PYTHONSTARTUP",
    "QT_PLUGIN_PATH",
    "XDG_CONFIG_DIRS",
    "XDG_DATA_DIRS",
)


@dataclass(frozen=True)
class HomeLayout:
    """Where things are in the throwaway home. ``root`` is $HOME."""

    root: Path

    @property
    def config(self) -> Path:
        return self.root / ".config"

    @property
    def data(self) -> Path:
        return self.root / ".local" / "share"

    @property
    def cache(self) -> Path:
        return self.root / ".cache"

    @property
    def state(self) -> Path:
        return self.root / ".local" / "state"

    @property
    def runtime(self) -> Path:
        return self.root / ".run"

    @property
    def temp(self) -> Path:
        return self.root / "tmp"

    @property
    def documents(self) -> Path:
        """The user's own files: sources to attach (removed once taken in) and the working folder."""
        return self.root / "Documents"

    @property
    def exports(self) -> Path:
        """Where the user writes what leaves the vault: bundles, reports, evidence copies, a header backup."""
        return self.root / "Exports"

    @property
    def keys(self) -> Path:
        """Passphrase and recovery-key files (no markers in them)."""
        return self.root / "keys"

    @property
    def cards(self) -> Path:
        return self.root / "cards"

    @property
    def vault(self) -> Path:
        """The main vault, where SafeCase puts it by default (the platform's user data folder)."""
        return self.data / "SafeCase" / "vault"

    @property
    def colleague_vault(self) -> Path:
        """The vault the bundle is imported into: 'elsewhere'."""
        return self.root / "colleague" / "vault"

    @property
    def passphrase_file(self) -> Path:
        return self.keys / "passphrase.txt"

    @property
    def new_passphrase_file(self) -> Path:
        return self.keys / "new-passphrase.txt"

    @property
    def own_recovery_key(self) -> Path:
        return self.keys / "own-recovery-key.txt"

    @property
    def colleague_passphrase_file(self) -> Path:
        return self.keys / "colleague-passphrase.txt"

    # -- the exports -----------------------------------------------------------------------------------------------

    @property
    def text_export(self) -> Path:
        return self.exports / "statement-copy.txt"

    @property
    def image_export(self) -> Path:
        return self.exports / "photo-copy.png"

    @property
    def report_pdf(self) -> Path:
        return self.exports / "report.pdf"

    @property
    def app_report_pdf(self) -> Path:
        """The report signed and saved from the app's wizard."""
        return self.exports / "report-from-app.pdf"

    @property
    def sealed_report(self) -> Path:
        return self.exports / "report-for-coordinator.age"

    @property
    def bundle(self) -> Path:
        return self.exports / "to-coordinator.safecase-bundle"

    @property
    def header_backup(self) -> Path:
        return self.exports / "header-backup.json"

    def ui_export(self, markers: MarkerSet) -> Path:
        """The copy exported from the app, under the name its dialog suggests: the file's own name."""
        return self.exports / ui_source_name(markers)

    def plaintext_exports(self, markers: MarkerSet) -> frozenset[Path]:
        """The allow-list: the files the user explicitly exported in plaintext, and nothing else.

        The bundles (exported and synced), the sealed report, the reports' .minisig files, the header backup and the
        contact cards leave the vault too, but must hold no marker: they are encrypted or carry no record content.
        """
        return frozenset(
            {self.text_export, self.image_export, self.report_pdf, self.app_report_pdf, self.ui_export(markers)}
        )

    def folders(self) -> tuple[Path, ...]:
        return (
            self.config,
            self.data,
            self.cache,
            self.state,
            self.runtime,
            self.temp,
            self.documents,
            self.exports,
            self.keys,
            self.cards,
            self.colleague_vault.parent,
        )


def text_source_name(markers: MarkerSet) -> str:
    return f"{markers.joined('attachment.text_file_name', '_')}.txt"


def image_source_name(markers: MarkerSet) -> str:
    return f"{markers.joined('attachment.image_file_name', '_')}.png"


def pdf_source_name(markers: MarkerSet) -> str:
    return f"{markers.joined('attachment.pdf_file_name', '_')}.pdf"


def ui_source_name(markers: MarkerSet) -> str:
    return f"{markers.joined('attachment.ui_file_name', ' ')}.txt"


def make_home(root: Path) -> HomeLayout:
    """Create the throwaway home with private folders and the passphrase files the journey reads."""
    layout = HomeLayout(root)
    for folder in layout.folders():
        folder.mkdir(parents=True, exist_ok=True, mode=0o700)
    layout.runtime.chmod(0o700)  # Qt refuses a runtime folder others may enter
    for path, secret in (
        (layout.passphrase_file, PASSPHRASE),
        (layout.new_passphrase_file, NEW_PASSPHRASE),
        (layout.colleague_passphrase_file, COLLEAGUE_PASSPHRASE),
    ):
        path.write_text(secret + "\n", encoding="utf-8")
        path.chmod(0o600)
    return layout


def confined_environment(layout: HomeLayout, repo_root: Path) -> dict[str, str]:
    """The environment of a user whose every default location is inside ``layout.root``."""
    environ = {name: value for name, value in os.environ.items() if name not in UNSET_VARIABLES}
    environ.update(
        HOME=str(layout.root),
        USER="throwaway",
        LOGNAME="throwaway",
        XDG_CONFIG_HOME=str(layout.config),
        XDG_DATA_HOME=str(layout.data),
        XDG_CACHE_HOME=str(layout.cache),
        XDG_STATE_HOME=str(layout.state),
        XDG_RUNTIME_DIR=str(layout.runtime),
        TMPDIR=str(layout.temp),
        TMP=str(layout.temp),
        TEMP=str(layout.temp),
        QT_QPA_PLATFORM="offscreen",
        PYTHONPATH=os.pathsep.join([str(repo_root), str(repo_root / "src")]),
        PYTHONDONTWRITEBYTECODE="1",
        PYTHONUNBUFFERED="1",
    )
    return environ
