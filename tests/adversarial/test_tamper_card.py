"""Tamper sweep of contact cards: every bit flipped and every cut, added to a receiving vault.

What is attacked: ``contact add CARD`` (``ContactService.add_card``, and the command line for a sample) with two
cards: a newcomer's the vault has never seen, and the card of a contact it already verified (re-adding a card
renews the contact, so a tampered renewal must not rename, unverify or replace it). What must hold
(docs/EXCHANGE.md, crypto/contact_card.py): the card is refused, nothing in the vault changes, and the one-line
message is the one the damage calls for. A change that leaves the card unreadable as a card, a field of the wrong
form, is "not a SafeCase contact card" (exit 2; hidden characters in a name have their own exit-2 message); a
well-formed card whose fingerprint, minisign key or signature does not match its keys "was altered" (exit 4).
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from safecase.crypto import contact_card
from safecase.errors import ExitCode, SafeCaseError
from safecase.services.exchange.contacts import ContactService
from safecase.services.session import VaultSession
from tests.adversarial.figures import budget
from tests.adversarial.tamper_artefacts import VaultSnapshot, exchange, open_vault, run_cli, snapshot
from tests.adversarial.tamper_support import Sweep, Variant, cli_problem, cuts, flips, refusal_problem
from tests.conftest import PASSPHRASE

NOT_A_CARD = (ExitCode.USAGE, contact_card._NOT_A_CARD)
HIDDEN = (ExitCode.USAGE, contact_card._HIDDEN_IN_NAME)
SIGNATURE = (ExitCode.INTEGRITY, contact_card._SIGNATURE_FAILS)
FINGERPRINT = (ExitCode.INTEGRITY, contact_card._FINGERPRINT_MISMATCH)
MINISIGN = (ExitCode.INTEGRITY, contact_card._MINISIGN_MISMATCH)
Verdict = tuple[int, str]

# The field a damaged (but still well-formed) card differs in -> the refusals the design allows for it.
BY_FIELD: dict[str, set[Verdict]] = {
    "fingerprint": {FINGERPRINT},
    "minisign_public_key": {MINISIGN},
    "ed25519_public_key": {NOT_A_CARD, FINGERPRINT},
    "age_recipient": {NOT_A_CARD, FINGERPRINT},
    "signature": {NOT_A_CARD, SIGNATURE},
    "display_name": {NOT_A_CARD, HIDDEN, SIGNATURE},
    "organisation": {NOT_A_CARD, HIDDEN, SIGNATURE},
    "created_at": {NOT_A_CARD, SIGNATURE},
    "format": {NOT_A_CARD},
    "version": {NOT_A_CARD},
}


def _unique(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    keys = [key for key, _ in pairs]
    if len(set(keys)) != len(keys):
        raise ValueError("duplicate key")
    return dict(pairs)


def allowed_refusals(original: bytes, variant: bytes) -> set[Verdict]:
    """What the design says a damaged card gets, judged from the JSON alone (independently of the parser)."""
    try:
        fields = json.loads(variant.removeprefix(b"\xef\xbb\xbf").decode("utf-8"), object_pairs_hook=_unique)
    except ValueError:
        return {NOT_A_CARD}
    before = json.loads(original)
    if not isinstance(fields, dict) or set(fields) != set(before):
        return {NOT_A_CARD}
    changed = [key for key in before if fields[key] != before[key] or type(fields[key]) is not type(before[key])]
    if len(changed) != 1:
        return {NOT_A_CARD} if changed else set()  # no change at all: it must be accepted as the same card
    return BY_FIELD[changed[0]]


@dataclass
class CardBench:
    session: VaultSession
    before: VaultSnapshot

    def unchanged(self) -> bool:
        return snapshot(self.session) == self.before


@pytest.fixture
def bench(tmp_path: Path) -> Iterable[CardBench]:
    folder = exchange().receiver_copy(tmp_path / "vault")
    with open_vault(folder) as session:
        yield CardBench(session, snapshot(session))


def cards() -> dict[str, bytes]:
    return {"newcomer's card": exchange().newcomer_card, "known contact's card": exchange().sender_card}


def sweep_cards(bench: CardBench, sweep: Sweep, variants: Iterable[tuple[bytes, Variant]]) -> None:
    contacts = ContactService(bench.session)
    for original, variant in variants:
        allowed = allowed_refusals(original, variant.data)
        try:
            contacts.add_card(variant.data)
        except SafeCaseError as error:
            codes = sorted({code for code, _ in allowed})
            problem = refusal_problem(error, codes, [text for code, text in allowed if code == error.exit_code])
            sweep.refused(variant, problem if problem or bench.unchanged() else "the vault changed")
        except Exception as error:
            sweep.crashed(variant, error)
        else:
            sweep.accepted_variant(variant)
            bench.before = snapshot(bench.session)  # go on from the changed vault, so later variants stay judged


def test_every_bit_flipped_in_a_contact_card_is_refused_and_changes_nothing(bench: CardBench) -> None:
    sweep = Sweep("Contact card: every bit flipped")
    for card in cards().values():
        sweep_cards(bench, sweep, ((card, v) for v in flips(card, range(len(card)), lambda _: True)))
    sizes = " and ".join(f"{len(card)}-byte {name}" for name, card in cards().items())
    sweep.publish(f"all 8 bits of every byte of a {sizes}; exit 2 or 4 as the damage calls for, vault unchanged")


def test_a_contact_card_cut_anywhere_is_refused_and_changes_nothing(bench: CardBench) -> None:
    sweep = Sweep("Contact card: truncated at every byte")
    for card in cards().values():
        content = len(card.rstrip())  # cutting only the final newline leaves the very same card
        sweep_cards(bench, sweep, ((card, v) for v in cuts(card, range(content))))
    sweep.publish("every length up to the closing brace of both cards; exit 2, vault unchanged")


def test_the_command_line_refuses_tampered_cards_in_one_line(tmp_path: Path) -> None:
    folder = exchange().receiver_copy(tmp_path / "vault")
    secret = tmp_path / "passphrase.txt"
    secret.write_text(PASSPHRASE + "\n", encoding="utf-8")
    with open_vault(folder) as session:
        before = snapshot(session)
    card_file = tmp_path / "tampered.safecase-card"
    for card in cards().values():
        variants = list(flips(card, range(len(card))))
        for variant in variants[:: max(1, len(variants) // budget(20, 200))]:
            card_file.write_bytes(variant.data)
            allowed = allowed_refusals(card, variant.data)
            result = run_cli(["contact", "add", str(card_file), "--vault", str(folder), "--passphrase-file",
                              str(secret)])  # fmt: skip
            problem = cli_problem(result, sorted({c for c, _ in allowed}), [text for _, text in allowed])
            assert problem is None, (variant.label, problem)
    with open_vault(folder) as session:
        assert snapshot(session) == before
