"""Shared fixtures for the crypto tests: tiny KDF parameters and a small, fictional vault header."""

from __future__ import annotations

import os
from dataclasses import dataclass
from datetime import UTC, datetime

import pytest

from safecase.crypto.header import VaultHeader, create_header
from safecase.crypto.kdf import KdfParams, KdfPolicy
from safecase.crypto.recovery_key import RecoveryKey, generate_recovery_key

PASSPHRASE = "바다 건너 새벽 기차"  # a fictional passphrase (Korean, 11 characters)
VAULT_ID = "6f1c2a7e-3b4d-4e5f-8a9b-0c1d2e3f4a5b"
CREATED_AT = datetime(2024, 3, 1, 9, 30, tzinfo=UTC)


@dataclass(frozen=True)
class VaultKeys:
    """Everything a test needs to open the header it was built with."""

    policy: KdfPolicy
    params: KdfParams
    kek: bytes
    master_key: bytes
    recovery_key: RecoveryKey
    header: VaultHeader


@pytest.fixture
def policy() -> KdfPolicy:
    return KdfPolicy.for_tests()


def make_vault(policy: KdfPolicy, passphrase: str = PASSPHRASE) -> VaultKeys:
    params = policy.calibrate()
    kek = policy.derive_kek(passphrase, params)
    master_key = os.urandom(32)
    recovery_key = generate_recovery_key()
    header = create_header(VAULT_ID, params, kek, master_key, recovery_key.public_key_bytes(), CREATED_AT)
    return VaultKeys(policy, params, kek, master_key, recovery_key, header)


@pytest.fixture
def vault(policy: KdfPolicy) -> VaultKeys:
    return make_vault(policy)
