"""The vault header: byte format, strict parsing, unwrapping, and what tampering with it does."""

from __future__ import annotations

import hashlib
import json
import unicodedata
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from safecase.crypto.encoding import b64encode, canonical_json
from safecase.crypto.header import VaultHeader, create_header
from safecase.crypto.kdf import KdfPolicy
from safecase.crypto.recovery_key import generate_recovery_key
from safecase.errors import IntegrityError, WrongSecretError

from .conftest import CREATED_AT, PASSPHRASE, VAULT_ID, VaultKeys, make_vault


def edited(header: VaultHeader, edit: Any) -> bytes:
    """The header's bytes after `edit(fields)`, the checksum recomputed as a deliberate attacker would."""
    fields = json.loads(header.to_bytes())
    del fields["checksum"]
    edit(fields)
    fields["checksum"] = hashlib.sha256(canonical_json(fields)).hexdigest()
    return canonical_json(fields)


def unlock(data: bytes, passphrase: str, policy: KdfPolicy) -> bytes:
    """What the vault service does: parse, check the KDF policy, derive, unwrap."""
    header = VaultHeader.from_bytes(data)
    return header.unwrap_with_kek(policy.derive_kek(passphrase, header.kdf))


# --- format -------------------------------------------------------------------------------------------------


def test_header_round_trips_through_bytes(vault: VaultKeys) -> None:
    data = vault.header.to_bytes()
    assert VaultHeader.from_bytes(data) == vault.header
    assert VaultHeader.from_bytes(data).to_bytes() == data


def test_header_bytes_are_canonical_json_with_a_checksum(vault: VaultKeys) -> None:
    data = vault.header.to_bytes()
    fields = json.loads(data)
    assert data == json.dumps(fields, sort_keys=True, separators=(",", ":")).encode()
    assert fields["format"] == "safecase-vault-header"
    assert fields["version"] == 1
    assert fields["key_epoch"] == 1
    assert fields["pending"] is None
    assert fields["created_at"] == "2024-03-01T09:30:00Z"
    assert set(fields["kdf"]) == {"memory_kib", "iterations", "lanes", "salt"}
    checksum = fields.pop("checksum")
    assert checksum == hashlib.sha256(canonical_json(fields)).hexdigest()


def test_header_holds_no_plaintext_key(vault: VaultKeys) -> None:
    data = vault.header.to_bytes()
    assert vault.master_key not in data
    assert b64encode(vault.master_key).encode() not in data


def test_created_at_may_be_an_iso_string_and_is_kept_to_the_second(vault: VaultKeys) -> None:
    header = create_header(
        VAULT_ID,
        vault.params,
        vault.kek,
        vault.master_key,
        vault.recovery_key.public_key_bytes(),
        "2024-03-01T18:30:00.456+09:00",
    )
    assert json.loads(header.to_bytes())["created_at"] == "2024-03-01T09:30:00Z"
    assert header.created_at == CREATED_AT
    with pytest.raises(ValueError, match="time zone"):
        create_header(VAULT_ID, vault.params, vault.kek, vault.master_key, bytes(32), "2024-03-01T09:30:00")


def test_a_trailing_newline_is_tolerated(vault: VaultKeys) -> None:
    assert VaultHeader.from_bytes(vault.header.to_bytes() + b"\n") == vault.header


# --- unwrapping ---------------------------------------------------------------------------------------------


def test_passphrase_and_recovery_key_both_unwrap_the_master_key(vault: VaultKeys) -> None:
    header = VaultHeader.from_bytes(vault.header.to_bytes())
    assert unlock(header.to_bytes(), PASSPHRASE, vault.policy) == vault.master_key
    assert header.unwrap_with_recovery_key(vault.recovery_key) == vault.master_key


def test_nfc_and_nfd_passphrases_unlock_the_same_header(policy: KdfPolicy) -> None:
    nfc = unicodedata.normalize("NFC", PASSPHRASE)
    nfd = unicodedata.normalize("NFD", PASSPHRASE)
    assert nfc != nfd
    vault = make_vault(policy, passphrase=nfd)
    assert unlock(vault.header.to_bytes(), nfc, policy) == vault.master_key


def test_wrong_passphrase_is_a_wrong_secret_error(vault: VaultKeys) -> None:
    with pytest.raises(WrongSecretError, match=r"Wrong passphrase\. Check the keyboard layout"):
        unlock(vault.header.to_bytes(), "바다 건너 새벽 기자", vault.policy)


def test_another_vaults_recovery_key_is_a_wrong_secret_error(vault: VaultKeys) -> None:
    with pytest.raises(WrongSecretError, match="This recovery key belongs to a different vault"):
        vault.header.unwrap_with_recovery_key(generate_recovery_key())


# --- damage and tampering -----------------------------------------------------------------------------------


def test_flipping_any_bit_of_the_header_is_detected(vault: VaultKeys) -> None:
    data = vault.header.to_bytes()
    for position in range(len(data)):
        for mask in (0x01, 0x02, 0x20, 0x80):
            damaged = bytearray(data)
            damaged[position] ^= mask
            with pytest.raises(IntegrityError):
                VaultHeader.from_bytes(bytes(damaged))


@settings(suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(position=st.integers(min_value=0), value=st.integers(min_value=0, max_value=255))
def test_replacing_any_byte_gives_integrity_or_wrong_secret_errors_only(
    vault: VaultKeys, position: int, value: int
) -> None:
    data = bytearray(vault.header.to_bytes())
    position %= len(data)
    if data[position] == value:
        return
    data[position] = value
    try:
        unlock(bytes(data), PASSPHRASE, vault.policy)
    except (IntegrityError, WrongSecretError):
        return
    pytest.fail("a damaged header unlocked")


@given(st.binary(max_size=2048))
def test_arbitrary_bytes_raise_only_integrity_errors(data: bytes) -> None:
    with pytest.raises(IntegrityError):
        VaultHeader.from_bytes(data)


JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False, allow_infinity=False) | st.text(max_size=20),
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=12), children, max_size=4),
    max_leaves=20,
)


@given(st.dictionaries(st.text(max_size=20), JSON, max_size=12))
def test_arbitrary_json_objects_raise_only_integrity_errors(fields: dict[str, Any]) -> None:
    fields.setdefault("format", "safecase-vault-header")
    with pytest.raises(IntegrityError):
        VaultHeader.from_bytes(json.dumps(fields).encode())


FIELD_PATHS = [
    ("vault_id",),
    ("created_at",),
    ("key_epoch",),
    ("kdf", "memory_kib"),
    ("kdf", "iterations"),
    ("kdf", "lanes"),
    ("kdf", "salt"),
    ("passphrase_wrap", "nonce"),
    ("passphrase_wrap", "ciphertext"),
    ("recovery_public_key",),
    ("recovery_wrap",),
    ("pending",),
    ("version",),
]


@settings(suppress_health_check=[HealthCheck.function_scoped_fixture], max_examples=200)
@given(path=st.sampled_from(FIELD_PATHS), value=JSON)
def test_any_field_replaced_with_any_json_fails_cleanly(vault: VaultKeys, path: tuple[str, ...], value: Any) -> None:
    def edit(fields: dict[str, Any]) -> None:
        target = fields
        for key in path[:-1]:
            target = target[key]
        target[path[-1]] = value

    data = edited(vault.header, edit)
    try:
        master_key = unlock(data, PASSPHRASE, vault.policy)
    except (IntegrityError, WrongSecretError):
        return
    assert master_key == vault.master_key  # only a no-op edit may still unlock
    assert VaultHeader.from_bytes(data) == vault.header


def test_missing_or_extra_fields_are_damage(vault: VaultKeys) -> None:
    with pytest.raises(IntegrityError, match="damaged"):
        VaultHeader.from_bytes(edited(vault.header, lambda f: f.pop("recovery_wrap")))
    with pytest.raises(IntegrityError, match="damaged"):
        VaultHeader.from_bytes(edited(vault.header, lambda f: f.update(comment="hello")))


def test_a_newer_header_version_asks_for_an_update(vault: VaultKeys) -> None:
    data = edited(vault.header, lambda f: f.update(version=2))
    with pytest.raises(IntegrityError, match=r"newer SafeCase \(header version 2\): update SafeCase"):
        VaultHeader.from_bytes(data)


@pytest.mark.parametrize("version", [0, -1, "1", 1.0, True, None])
def test_a_malformed_version_is_damage(vault: VaultKeys, version: object) -> None:
    with pytest.raises(IntegrityError, match="damaged"):
        VaultHeader.from_bytes(edited(vault.header, lambda f: f.update(version=version)))


def test_an_oversized_header_is_rejected_before_parsing(vault: VaultKeys) -> None:
    data = vault.header.to_bytes()
    with pytest.raises(IntegrityError):
        VaultHeader.from_bytes(data + b" " * (64 * 1024))


def test_deeply_nested_json_is_damage_not_a_crash() -> None:
    with pytest.raises(IntegrityError):
        VaultHeader.from_bytes(b"[" * 60000 + b"]" * 60)


def test_non_canonical_spelling_is_damage(vault: VaultKeys) -> None:
    fields = json.loads(vault.header.to_bytes())
    with pytest.raises(IntegrityError):
        VaultHeader.from_bytes(json.dumps(fields, indent=2, sort_keys=True).encode())


def test_editing_kdf_params_with_a_recomputed_checksum_fails_the_aead(vault: VaultKeys) -> None:
    # Still inside the test policy's range: derivation runs, then the wrap's associated data does not match.
    data = edited(vault.header, lambda f: f["kdf"].update(iterations=2))
    with pytest.raises(WrongSecretError):
        unlock(data, PASSPHRASE, vault.policy)
    with pytest.raises(IntegrityError, match="altered"):
        VaultHeader.from_bytes(data).unwrap_with_recovery_key(vault.recovery_key)


def test_editing_kdf_params_out_of_range_is_refused_before_deriving(vault: VaultKeys) -> None:
    data = edited(vault.header, lambda f: f["kdf"].update(memory_kib=512 * 1024 * 1024))
    with pytest.raises(IntegrityError, match="outside the safe range"):
        unlock(data, PASSPHRASE, vault.policy)


@pytest.mark.parametrize(
    "edit",
    [
        pytest.param(lambda f: f.update(vault_id="00000000-0000-4000-8000-000000000000"), id="vault_id"),
        pytest.param(lambda f: f.update(created_at="2030-01-01T00:00:00Z"), id="created_at"),
        pytest.param(lambda f: f.update(key_epoch=7), id="key_epoch"),
        pytest.param(lambda f: f["kdf"].update(salt=b64encode(bytes(16))), id="salt"),
    ],
)
def test_editing_any_bound_field_breaks_both_wraps(vault: VaultKeys, edit: Any) -> None:
    header = VaultHeader.from_bytes(edited(vault.header, edit))
    with pytest.raises(WrongSecretError):
        header.unwrap_with_kek(vault.policy.derive_kek(PASSPHRASE, header.kdf))
    with pytest.raises(IntegrityError):
        header.unwrap_with_recovery_key(vault.recovery_key)


def test_swapping_in_an_attackers_recovery_public_key_is_detected(vault: VaultKeys) -> None:
    attacker = generate_recovery_key()
    data = edited(vault.header, lambda f: f.update(recovery_public_key=b64encode(attacker.public_key_bytes())))
    header = VaultHeader.from_bytes(data)
    with pytest.raises(WrongSecretError, match="different vault"):
        header.unwrap_with_recovery_key(vault.recovery_key)
    with pytest.raises(IntegrityError):
        header.unwrap_with_recovery_key(attacker)
    with pytest.raises(WrongSecretError):
        header.unwrap_with_kek(vault.kek)


def test_a_wrap_copied_from_another_vault_does_not_open(policy: KdfPolicy) -> None:
    first, second = make_vault(policy), make_vault(policy)
    wrap = json.loads(second.header.to_bytes())["passphrase_wrap"]
    header = VaultHeader.from_bytes(edited(first.header, lambda f: f.update(passphrase_wrap=wrap)))
    with pytest.raises(WrongSecretError):
        header.unwrap_with_kek(first.kek)


# --- passphrase and recovery key changes --------------------------------------------------------------------


def test_changing_the_passphrase_keeps_the_master_key_and_the_recovery_key(vault: VaultKeys) -> None:
    new_params = vault.policy.calibrate()
    new_kek = vault.policy.derive_kek("새 비밀번호 예시입니다", new_params)
    header = vault.header.with_new_passphrase(new_params, new_kek, vault.master_key)
    header = VaultHeader.from_bytes(header.to_bytes())
    assert header.kdf == new_params
    assert header.key_epoch == vault.header.key_epoch
    assert unlock(header.to_bytes(), "새 비밀번호 예시입니다", vault.policy) == vault.master_key
    with pytest.raises(WrongSecretError):
        unlock(header.to_bytes(), PASSPHRASE, vault.policy)
    assert header.unwrap_with_recovery_key(vault.recovery_key) == vault.master_key


def test_replacing_the_recovery_key(vault: VaultKeys) -> None:
    new_key = generate_recovery_key()
    header = vault.header.with_new_recovery_key(vault.kek, new_key.public_key_bytes())
    assert header.unwrap_with_recovery_key(new_key) == vault.master_key
    assert header.unwrap_with_kek(vault.kek) == vault.master_key
    with pytest.raises(WrongSecretError, match="different vault"):
        header.unwrap_with_recovery_key(vault.recovery_key)


def test_replacing_the_recovery_key_needs_the_passphrase(vault: VaultKeys) -> None:
    with pytest.raises(WrongSecretError):
        vault.header.with_new_recovery_key(bytes(32), generate_recovery_key().public_key_bytes())
