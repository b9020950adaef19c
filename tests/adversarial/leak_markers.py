"""Made-up marker strings for the leak sweep, one per place and script, and the byte forms to look for on disk.

Each place a user puts words (a person's Hangul name, a contact's phone number, an attachment's file name...) gets
its own markers in Hangul, Latin and Chinese script, so a leak says which field escaped. The markers are built
from a seed (random syllables and letters), so no stale file from an earlier run can match, and none of them is
written in this source file. All of them are fictional.

A marker is looked for as it would reach a disk: composed (NFC) and decomposed (NFD: Hangul syllables split into
jamo, accents into combining marks), case-folded and with accents removed (as the search index folds it), each in
UTF-8 and UTF-16 of either byte order (:func:`tests.leak_scan.needles_for`).
"""

from __future__ import annotations

import random
import unicodedata
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from tests.leak_scan import BLOCK_BYTES, needles_for

HANGUL_FIRST, HANGUL_COUNT = 0xAC00, 11_172
CJK_FIRST, CJK_LAST = 0x4E00, 0x9FA5
LATIN_ONSETS = ("b", "br", "d", "dr", "f", "g", "k", "l", "m", "n", "p", "qu", "r", "s", "st", "t", "th", "v", "z")
LATIN_VOWELS = ("a", "e", "i", "o", "u", "ea", "ou")
ACCENTED_VOWELS = ("é", "å", "ö", "ñ", "í", "ú")  # each changes under NFD
LATIN_CODAS = ("", "", "n", "r", "l", "sk", "th", "w", "by")


@dataclass(frozen=True)
class Marker:
    """One made-up string and where it was put (``place``, e.g. "person.names") in which script."""

    place: str
    script: str
    text: str

    @property
    def label(self) -> str:
        return f"{self.place} ({self.script})"

    def forms(self) -> tuple[str, ...]:
        """Every spelling of the marker a copy of it might take."""
        return phone_forms(self.text) if self.script == "digits" else text_forms(self.text)


def text_forms(text: str) -> tuple[str, ...]:
    """``text`` composed, decomposed, case-folded and without accents: every spelling a copy of it might take."""
    composed = unicodedata.normalize("NFC", text)
    decomposed = unicodedata.normalize("NFD", text)
    folded = composed.casefold()
    bare = "".join(ch for ch in unicodedata.normalize("NFD", folded) if not unicodedata.combining(ch))
    bare = unicodedata.normalize("NFC", bare)  # Hangul stays composed, as the search index keeps it
    return tuple(dict.fromkeys((composed, decomposed, folded, bare)))


class MarkerMaker:
    """Builds fresh markers from one seed: Hangul syllables, Latin words with an accent, Chinese characters."""

    def __init__(self, seed: int) -> None:
        self._random = random.Random(seed)
        self._made: set[str] = set()

    def hangul(self, syllables: int = 4) -> str:
        return self._fresh(lambda: "".join(self._hangul_syllable() for _ in range(syllables)))

    def chinese(self, characters: int = 3) -> str:
        return self._fresh(lambda: "".join(chr(self._random.randint(CJK_FIRST, CJK_LAST)) for _ in range(characters)))

    def latin(self, words: int = 2, *, ascii_only: bool = False) -> str:
        return self._fresh(lambda: " ".join(self._latin_word(ascii_only=ascii_only) for _ in range(words)))

    def phone(self) -> str:
        def number() -> str:
            digits = "".join(str(self._random.randint(0, 9)) for _ in range(8))
            return f"+86 139 {digits[:4]} {digits[4:]}"

        return self._fresh(number)

    def _hangul_syllable(self) -> str:
        return chr(HANGUL_FIRST + self._random.randrange(HANGUL_COUNT))

    def _latin_word(self, *, ascii_only: bool) -> str:
        syllables = [self._random.choice(LATIN_ONSETS) + self._random.choice(LATIN_VOWELS) for _ in range(3)]
        if not ascii_only:
            at = self._random.randrange(1, 3)
            syllables[at] = syllables[at][:-1] + self._random.choice(ACCENTED_VOWELS)
        word = "".join(syllables) + self._random.choice(LATIN_CODAS)
        return word[0].upper() + word[1:] + "x"  # the x makes real words unlikely

    def _fresh(self, make: Callable[[], str]) -> str:
        """A string from ``make`` that this maker has not made before (so every place has its own marker)."""
        text = make()
        while text in self._made:
            text = make()
        self._made.add(text)
        return text


@dataclass(frozen=True)
class MarkerSet:
    """Every marker of one run, by place and then script (a phone number's script is "digits")."""

    by_place: dict[str, dict[str, Marker]]

    def text(self, place: str, script: str) -> str:
        return self.by_place[place][script].text

    def joined(self, place: str, separator: str = " ") -> str:
        """The place's markers in every script, in one string (a title or a sentence)."""
        return separator.join(marker.text for marker in self.by_place[place].values())

    def __iter__(self) -> Iterator[Marker]:
        for markers in self.by_place.values():
            yield from markers.values()

    def texts(self) -> list[str]:
        return [marker.text for marker in self]


# Where the journey puts words, each with a marker in Hangul, Latin and Chinese script; the places after the list
# take one marker of the one kind they can hold.
PLACES = (
    "case.title",
    "case.summary",
    "person.names",
    "person.aliases",
    "person.notes",
    "contact.messenger",
    "contact.notes",
    "testimony.original_text",
    "testimony.translation",
    "testimony.cli_edit",
    "attachment.text_content",
    "attachment.text_file_name",
    "attachment.image_file_name",
    "attachment.pdf_file_name",
    "attachment.ui_file_content",
    "attachment.ui_file_name",
    "editor.typed_text",
    "editor.draft_text",
)
PHONE_PLACE = "contact.phone"
IMAGE_COMMENT_PLACE = "attachment.image_comment"  # PNG text chunks are Latin-1: ASCII only
PDF_COMMENT_PLACE = "attachment.pdf_comment"
PCM_PLACE = "recording.pcm"  # audio samples are bytes: ASCII, so its UTF-8 is the PCM itself


def make_markers(seed: int) -> MarkerSet:
    maker = MarkerMaker(seed)
    by_place: dict[str, dict[str, Marker]] = {}
    for place in PLACES:
        by_place[place] = {
            "hangul": Marker(place, "hangul", maker.hangul()),
            "latin": Marker(place, "latin", maker.latin()),
            "chinese": Marker(place, "chinese", maker.chinese()),
        }
    by_place[PHONE_PLACE] = {"digits": Marker(PHONE_PLACE, "digits", maker.phone())}
    for place in (IMAGE_COMMENT_PLACE, PDF_COMMENT_PLACE, PCM_PLACE):
        by_place[place] = {"latin": Marker(place, "latin", maker.latin(3, ascii_only=True))}
    return MarkerSet(by_place)


def phone_forms(phone: str) -> tuple[str, ...]:
    """A phone number as typed and as a program might normalise it (no spaces, no plus)."""
    compact = phone.replace(" ", "")
    return (phone, compact, compact.lstrip("+"))


@dataclass(frozen=True)
class NeedleIndex:
    """Every needle of every marker, and which marker each belongs to (to say what leaked where)."""

    owners: dict[bytes, Marker]

    @classmethod
    def of(cls, markers: Iterable[Marker]) -> NeedleIndex:
        owners: dict[bytes, Marker] = {}
        for marker in markers:
            for needle in needles_for(*marker.forms()):
                owners.setdefault(needle, marker)
        return cls(owners)

    @property
    def needles(self) -> tuple[bytes, ...]:
        return tuple(self.owners)

    def found_in(self, path: Path) -> set[str]:
        """The labels of the markers whose needles are in the file (read whole: only for files known to leak)."""
        found: set[str] = set()
        overlap = max(len(needle) for needle in self.owners)
        tail = b""
        with path.open("rb") as handle:
            while block := handle.read(BLOCK_BYTES):
                window = tail + block
                found.update(marker.label for needle, marker in self.owners.items() if needle in window)
                tail = window[-overlap:]
        return found

    def names_in(self, name: str) -> set[str]:
        """The labels of the markers a file or folder name spells, in any of their text forms."""
        spellings = {unicodedata.normalize("NFC", name), unicodedata.normalize("NFD", name), name.casefold()}
        found: set[str] = set()
        for needle, marker in self.owners.items():
            try:
                text = needle.decode("utf-8")
            except UnicodeDecodeError:
                continue
            if any(text in spelling for spelling in spellings):
                found.add(marker.label)
        return found
