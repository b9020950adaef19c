"""SHA256SUMS in sha256sum's format, and its minisign signature as a recipient checks it."""

from __future__ import annotations

import hashlib
import shutil
import subprocess
from pathlib import Path

import pytest
from safecase_release import signing
from safecase_release.signing import SigningError

needs_minisign = pytest.mark.skipif(shutil.which("minisign") is None, reason="minisign is not installed")


def release_files(folder: Path) -> list[Path]:
    folder.mkdir(exist_ok=True)
    archive = folder / "safecase-0.1.0-linux-x86_64.tar.gz"
    archive.write_bytes(b"archive bytes")
    bom = folder / "safecase-0.1.0-linux-x86_64.cdx.json"
    bom.write_text("{}\n", encoding="utf-8")
    return [archive, bom]


def test_sums_list_each_file_by_name_in_sha256sum_format(tmp_path: Path) -> None:
    files = release_files(tmp_path)
    sums = signing.write_sums(files, tmp_path / "SHA256SUMS")
    assert sums.read_text(encoding="utf-8") == "".join(
        f"{hashlib.sha256(path.read_bytes()).hexdigest()}  {path.name}\n" for path in sorted(files)
    )
    if shutil.which("sha256sum"):
        subprocess.run(["sha256sum", "-c", "--quiet", "SHA256SUMS"], cwd=tmp_path, check=True)


def test_sums_refuse_a_file_that_is_not_beside_them(tmp_path: Path) -> None:
    elsewhere = release_files(tmp_path / "elsewhere")
    with pytest.raises(ValueError, match="is not beside"):
        signing.write_sums(elsewhere, tmp_path / "SHA256SUMS")


def test_a_missing_or_foreign_key_file_is_named_before_anything_is_signed(tmp_path: Path) -> None:
    with pytest.raises(SigningError, match=r"release key not found: .*SAFECASE_RELEASE_KEY"):
        signing.check_secret_key(tmp_path / "nope.key")
    foreign = tmp_path / "id_ed25519"
    foreign.write_text("-----BEGIN OPENSSH PRIVATE KEY-----\n", encoding="utf-8")
    with pytest.raises(SigningError, match="not a minisign secret key"):
        signing.check_secret_key(foreign)


@pytest.fixture
def key_pair(tmp_path: Path) -> tuple[Path, Path]:
    secret, public = tmp_path / "release.key", tmp_path / "release.pub"
    subprocess.run(
        ["minisign", "-G", "-W", "-f", "-s", str(secret), "-p", str(public)], check=True, capture_output=True
    )
    return secret, public


@needs_minisign
def test_signed_sums_verify_with_the_public_key_and_carry_the_trusted_comment(
    tmp_path: Path, key_pair: tuple[Path, Path]
) -> None:
    secret, public = key_pair
    sums = signing.write_sums(release_files(tmp_path / "release"), tmp_path / "release" / "SHA256SUMS")
    signature = signing.sign(sums, secret, "safecase 0.1.0 linux-x86_64 commit abc")
    assert signature.name == "SHA256SUMS.minisig"
    signing.verify(sums, public)
    shown = subprocess.run(
        ["minisign", "-Vm", str(sums), "-p", str(public)], capture_output=True, text=True, check=True
    ).stdout
    assert "Trusted comment: safecase 0.1.0 linux-x86_64 commit abc" in shown


@needs_minisign
def test_changed_sums_or_another_key_fail_verification(tmp_path: Path, key_pair: tuple[Path, Path]) -> None:
    secret, public = key_pair
    sums = signing.write_sums(release_files(tmp_path / "release"), tmp_path / "release" / "SHA256SUMS")
    signing.sign(sums, secret, "safecase test")
    other_secret, other_public = tmp_path / "other.key", tmp_path / "other.pub"
    subprocess.run(
        ["minisign", "-G", "-W", "-s", str(other_secret), "-p", str(other_public)], check=True, capture_output=True
    )
    with pytest.raises(SigningError, match="does not verify"):
        signing.verify(sums, other_public)
    sums.write_text(sums.read_text(encoding="utf-8").replace("a", "b", 1), encoding="utf-8")
    with pytest.raises(SigningError, match="does not verify"):
        signing.verify(sums, public)
