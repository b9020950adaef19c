"""Team contacts: adding someone from their signed card or a bare age recipient, confirming their fingerprint,
revoking them, and writing this vault's own card.

A contact is trusted for bundles only once the user has compared the fingerprint with the person (read aloud, or
from the QR code the app shows). Until then bundles from them import, but what they bring is marked as coming
from an unverified source. Removing a contact keeps it as revoked, so that bundles signed by its key are refused.
"""

from __future__ import annotations

import re
import unicodedata
import uuid
from dataclasses import dataclass

import pyrage

from safecase.crypto.contact_card import ContactCard, make_card, read_card
from safecase.crypto.identity import PublicIdentity
from safecase.errors import IntegrityError, NotFoundError, SafeCaseError, UsageError, shown
from safecase.services.session import VaultSession
from safecase.storage.team_contacts import TeamContact, TeamContactStore

MAX_NAME_CHARS = 200
_NOT_AGE = "This is not an age recipient (it starts with age1): ask for the one `age-keygen -y` prints."
_FINGERPRINT_MISMATCH = (
    "The fingerprint does not match this contact's keys: the card may not be theirs. "
    "Do not trust bundles from it; ask them for their card again, in person."
)


@dataclass(frozen=True)
class AddedContact:
    contact: TeamContact
    outcome: str  # "added", "updated" (a newer card from the same keys), "unchanged", "reinstated"


def clean_name(text: str) -> str:
    """A display name as typed: trimmed, no control or direction-override characters, at most 200 characters."""
    text = text.strip()
    if any(unicodedata.category(c) in {"Cc", "Cf", "Cs", "Zl", "Zp"} for c in text):
        raise UsageError("A contact name cannot contain control or formatting characters: type it plainly.")
    if len(text) > MAX_NAME_CHARS:
        raise UsageError(f"A contact name has at most {MAX_NAME_CHARS} characters.")
    return text


class ContactService:
    def __init__(self, session: VaultSession) -> None:
        self._session = session
        self._store = TeamContactStore(session.db)

    # -- this vault's card ----------------------------------------------------------------------------------------

    def own_card(self) -> bytes:
        stored = self._session.identity_record()
        return make_card(stored.identity, stored.display_name, stored.organisation, self._session.now_iso())

    # -- reads ----------------------------------------------------------------------------------------------------

    def all(self) -> list[TeamContact]:
        return self._store.all()

    def resolve(self, reference: str) -> TeamContact:
        """A contact by id, by the start of its id (8 characters or more), or by its exact name if unique."""
        reference = reference.strip()
        contacts = self._store.all()
        for contact in contacts:
            if contact.id == reference.lower():
                return contact
        matches = [c for c in contacts if len(reference) >= 8 and c.id.startswith(reference.lower())]
        if not matches:
            folded = reference.casefold()
            matches = [c for c in contacts if c.display_name.casefold() == folded and folded]
        if len(matches) == 1:
            return matches[0]
        if matches:
            raise UsageError(f"{len(matches)} contacts are called {shown(reference)}: name one by its id.")
        raise NotFoundError(f"No contact {shown(reference)}: see `safecase contact list`.")

    def by_signing_key(self, public_key: bytes) -> TeamContact | None:
        return self._store.by_signing_key(public_key)

    # -- writes ---------------------------------------------------------------------------------------------------

    def add_card(self, data: bytes) -> AddedContact:
        card = read_card(data)
        own = self._session.identity.public()
        if (
            card.public.ed25519_public_bytes == own.ed25519_public_bytes
            or card.public.age_recipient == own.age_recipient
        ):
            raise UsageError("This is this vault's own card: add the cards of the people you exchange bundles with.")
        text = data.decode("utf-8")
        with self._session.db.transaction():
            known = self._store.by_signing_key(card.public.ed25519_public_bytes)
            if known is not None:
                return self._renew(known, card, text)
            age_only = self._store.by_age_recipient(card.public.age_recipient)
            if age_only is not None and age_only.ed25519_public_key is None:
                return self._upgrade(age_only, card, text)
            self._refuse_recipient_in_use(card.public.age_recipient)
            contact = TeamContact(
                str(uuid.uuid4()),
                card.display_name,
                card.organisation,
                card.public.age_recipient,
                card.public.ed25519_public_bytes,
                card.fingerprint,
                text,
                self._session.now_iso(),
                None,
                None,
            )
            self._store.add(contact)
            self._session.log("contact.add", contact.id, "card")
        return AddedContact(contact, "added")

    def add_age_recipient(self, recipient: str, name: str, organisation: str = "") -> AddedContact:
        recipient = recipient.strip()
        try:
            pyrage.x25519.Recipient.from_str(recipient)
        except (pyrage.RecipientError, ValueError, TypeError):
            raise UsageError(_NOT_AGE) from None
        if not recipient.startswith("age1"):
            raise UsageError(_NOT_AGE)
        if recipient == self._session.identity.public().age_recipient:
            raise UsageError("This is this vault's own age recipient.")
        name, organisation = clean_name(name), clean_name(organisation)
        if not name:
            raise UsageError("Give the recipient a name with --name, e.g. --name 'OHCHR Seoul'.")
        with self._session.db.transaction():
            self._refuse_recipient_in_use(recipient)
            contact = TeamContact(
                str(uuid.uuid4()), name, organisation, recipient, None, None, None, self._session.now_iso(), None, None
            )
            self._store.add(contact)
            self._session.log("contact.add", contact.id, "age")
        return AddedContact(contact, "added")

    def verify(self, reference: str, *, fingerprint: str | None = None, qr_payload: str | None = None) -> TeamContact:
        """Mark a contact verified. With `fingerprint` or `qr_payload`, they must match (else IntegrityError);
        without, the caller has asked the user to confirm the digits."""
        contact = self.resolve(reference)
        if contact.revoked:
            raise SafeCaseError("This contact was removed: add their card again before verifying it.")
        if fingerprint is not None and not self._matches(contact, fingerprint):
            raise IntegrityError(_FINGERPRINT_MISMATCH)
        if qr_payload is not None:
            scanned = PublicIdentity.from_qr_payload(qr_payload.strip())
            if scanned != contact.public():
                raise IntegrityError(_FINGERPRINT_MISMATCH)
        with self._session.db.transaction():
            self._store.set_verified(contact.id, self._session.now_iso())
            self._session.log("contact.verify", contact.id)
        verified = self._store.get(contact.id)
        assert verified is not None
        return verified

    def remove(self, reference: str) -> TeamContact:
        """Revoke a contact: bundles signed by its key are refused from now on; it receives nothing more."""
        contact = self.resolve(reference)
        if contact.revoked:
            return contact
        with self._session.db.transaction():
            self._store.set_revoked(contact.id, self._session.now_iso())
            self._session.log("contact.revoke", contact.id)
        revoked = self._store.get(contact.id)
        assert revoked is not None
        return revoked

    # -- internals ------------------------------------------------------------------------------------------------

    def _renew(self, known: TeamContact, card: ContactCard, text: str) -> AddedContact:
        if known.age_recipient != card.public.age_recipient:  # cannot happen for a valid card: the keys are one
            raise IntegrityError(_FINGERPRINT_MISMATCH)
        if known.revoked:
            self._store.set_revoked(known.id, None)
            self._store.set_verified(known.id, None)
            self._store.replace_card(known.id, card.display_name, card.organisation, text)
            self._session.log("contact.reinstate", known.id)
            outcome = "reinstated"
        elif (card.display_name, card.organisation) != (known.display_name, known.organisation):
            self._store.replace_card(known.id, card.display_name, card.organisation, text)
            self._session.log("contact.update", known.id)
            outcome = "updated"
        else:
            outcome = "unchanged"
        renewed = self._store.get(known.id)
        assert renewed is not None
        return AddedContact(renewed, outcome)

    def _upgrade(self, age_only: TeamContact, card: ContactCard, text: str) -> AddedContact:
        """Someone first added by their bare age recipient now has a SafeCase card with the same recipient."""
        keyed = TeamContact(
            age_only.id,
            card.display_name,
            card.organisation,
            card.public.age_recipient,
            card.public.ed25519_public_bytes,
            card.fingerprint,
            text,
            age_only.added_at,
            None,
            None,
        )
        self._store.attach_card(age_only.id, keyed)
        self._session.log("contact.update", age_only.id, "card")
        upgraded = self._store.get(age_only.id)
        assert upgraded is not None
        return AddedContact(upgraded, "updated")

    def _refuse_recipient_in_use(self, recipient: str) -> None:
        if self._store.by_age_recipient(recipient) is not None:
            raise UsageError("A contact with this age recipient already exists: see `safecase contact list`.")

    @staticmethod
    def _matches(contact: TeamContact, typed: str) -> bool:
        if contact.fingerprint is None:
            return typed.strip() == contact.age_recipient
        digits = re.sub(r"\s+", "", typed)
        return digits == contact.fingerprint.replace(" ", "")
