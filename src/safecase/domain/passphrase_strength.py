"""How hard a passphrase would be to guess, for the strength meter shown when a vault is created (no Qt, no I/O).

The estimate is the number of bits a small model needs to predict the passphrase one character at a time. Six
predictors each bet on the next character: any character of its script (lower case, digits, Hangul, ...), the same
character again, the next step of a sequence (abcd, 9876), a neighbouring key (qwerty, 1qaz, 1q2w), a copy of
something typed earlier, or the next letter of a very common password. Their weights follow how well each has
predicted so far (Bayesian mixing with a fixed share, so a new pattern is noticed within a character or two). A
character costs -log2 of its mixed probability, which is never negative, so typing more never lowers the estimate.

It is a meter, not a promise: it cannot know that four words came from a word list, so it overestimates long
passphrases made of words. Its job is to tell "weak" from "fine" while someone types. Whether a passphrase is
accepted at all is decided elsewhere (``crypto.secrets.check_new_passphrase``).
"""

from __future__ import annotations

import math
import unicodedata
from dataclasses import dataclass

MAX_SCORE = 4
SCORE_THRESHOLDS_BITS = (28.0, 40.0, 55.0, 70.0)
"""Bits needed for scores 1..4. With a key derivation tuned to about a second, 55 bits resist a well-funded
offline attack for centuries; 28 bits fall in hours."""

HINT_TOO_SHORT = "too_short"
HINT_ADD_WORDS = "add_words"
HINT_AVOID_REPEATS = "avoid_repeats"
HINT_AVOID_SEQUENCES = "avoid_sequences"
HINT_COMMON = "common"
HINT_GOOD = "good"
HINT_CODES = (HINT_TOO_SHORT, HINT_ADD_WORDS, HINT_AVOID_REPEATS, HINT_AVOID_SEQUENCES, HINT_COMMON, HINT_GOOD)

_SHORT_CHARS = 10
_MAX_CHARS = 128  # beyond this the score is long settled; the rest is not examined (the meter runs per keystroke)
_MAX_CONTEXT = 12
_PATTERN_SHARE = 0.3

# Predictor order: script, repeat, sequence, keyboard, copy, common password.
_PRIOR = (0.5, 0.1, 0.1, 0.1, 0.1, 0.1)
_SHARE = 0.2
_MEMORY = 0.1
_REPEATS, _SEQUENCES, _COMMON = frozenset({1, 4}), frozenset({2, 3}), frozenset({5})

_HANGUL_SYLLABLES = 2350  # the syllables of KS X 1001, which cover nearly all Korean text
_KEYBOARD_LINES = (
    "`1234567890-=",
    "qwertyuiop[]\\",
    "asdfghjkl;'",
    "zxcvbnm,./",
    "1qaz",
    "2wsx",
    "3edc",
    "4rfv",
    "5tgb",
    "6yhn",
    "7ujm",
    "8ik,",
    "9ol.",
    "0p;/",
    "1q2w3e4r5t6y7u8i9o0p",
)
_LEET = {"0": "o", "1": "il", "3": "e", "4": "a", "5": "s", "7": "t", "8": "b", "@": "a", "$": "s", "!": "i"}

# Very common choices from public breach lists, plus Korean favourites (in Hangul and as typed with the keyboard
# left in English mode: "dkssud" is 안녕, "tkfkdgo" 사랑해, "qkqh" 바보).
_COMMON_TEXT = """
    123456 1234567 12345678 123456789 1234567890 12345 1234 111111 000000 123123 654321 666666 121212 112233
    123321 987654321 11111111 88888888 147258369 159753 123qwe qwerty qwertyuiop qwerty123 qwe123 1q2w3e 1q2w3e4r
    1q2w3e4r5t qwer1234 asdf1234 asdfgh asdfghjkl zxcvbnm 1qaz2wsx zaq12wsx password password1 password123
    passw0rd p@ssword iloveyou princess admin admin123 welcome welcome1 letmein monkey dragon football baseball
    sunshine master shadow superman batman trustno1 abc123 abcd1234 abcdef secret qazwsx starwars whatever
    freedom hello hello123 loveme michael jennifer charlie jordan hunter ashley killer access flower soccer
    mustang computer internet samsung google naver daum kakao love1234 iloveu saranghae saranghaeyo korea
    dkssud tkfkdgo tkfkdgody qkqh 사랑해 사랑해요 사랑 안녕 안녕하세요 대한민국 비밀번호 우리집 하나님
    changeme default trustme test1234 testtest guest summer winter autumn spring
    correcthorsebatterystaple
"""
_COMMON_PASSWORDS = frozenset(_COMMON_TEXT.split()) | {"correct horse battery staple"}


@dataclass(frozen=True)
class Strength:
    """A passphrase's estimated strength: `score` 0..4 for the meter, `bits` the estimate, `hint_code` what to do."""

    score: int
    bits: float
    hint_code: str


def estimate_strength(passphrase: str) -> Strength:
    """Estimate how hard ``passphrase`` is to guess. Never raises, whatever the text."""
    text = unicodedata.normalize("NFC", passphrase)[:_MAX_CHARS]
    bits, dominant = _model_cost(text)
    score = score_for_bits(bits)
    return Strength(score, bits, _hint(text, score, dominant))


def score_for_bits(bits: float) -> int:
    return sum(1 for threshold in SCORE_THRESHOLDS_BITS if bits >= threshold)


def _hint(text: str, score: int, dominant: list[int]) -> str:
    if _is_common(text):
        return HINT_COMMON
    if score >= 3:
        return HINT_GOOD
    if len(text) >= 6:
        for predictors, code in ((_REPEATS, HINT_AVOID_REPEATS), (_SEQUENCES, HINT_AVOID_SEQUENCES)):
            if sum(1 for index in dominant if index in predictors) >= _PATTERN_SHARE * len(text):
                return code
        if sum(1 for index in dominant if index in _COMMON) >= _PATTERN_SHARE * len(text):
            return HINT_COMMON
    return HINT_TOO_SHORT if len(text) < _SHORT_CHARS else HINT_ADD_WORDS


def _is_common(text: str) -> bool:
    lowered = text.casefold()
    core = lowered.rstrip("0123456789!@#$%^&*?.,;:-_+= ")
    candidates = {lowered, core, *_unleet(lowered), *_unleet(core)}
    return bool(candidates & _COMMON_PASSWORDS)


def _unleet(text: str) -> set[str]:
    first = "".join(_LEET.get(char, char)[0] for char in text)
    last = "".join(_LEET.get(char, char)[-1] for char in text)
    return {first, last}


# -- the model ---------------------------------------------------------------------------------------------------


def _model_cost(text: str) -> tuple[float, list[int]]:
    """Total bits for ``text`` and, per character, which predictor explained it best."""
    weights = list(_PRIOR)
    memory = list(_PRIOR)
    trie_states = [_TRIE]
    bits = 0.0
    dominant: list[int] = []
    for index, char in enumerate(text):
        prefix = text[:index]
        common, trie_states = _common_password(trie_states, char)
        predictions = (
            1.0 / _alphabet_size(char),
            1.0 if prefix and char == prefix[-1] else 0.0,
            _sequence(prefix, char),
            _keyboard(prefix, char),
            _copy(prefix, char),
            common,
        )
        shares = [weight * prediction for weight, prediction in zip(weights, predictions, strict=True)]
        mixed = sum(shares)
        # A character no pattern predicted costs what a freely chosen one would, not more, however sure the
        # predictors had become: breaking a pattern is not a virtue (aaaa bbbb cccc stays weak).
        bits -= math.log2(max(mixed, _PRIOR[0] * predictions[0]))
        dominant.append(max(range(len(shares)), key=shares.__getitem__))
        posterior = [share / mixed for share in shares]
        memory = [(1 - _MEMORY) * old + _MEMORY * new for old, new in zip(memory, posterior, strict=True)]
        weights = [(1 - _SHARE) * new + _SHARE * old for new, old in zip(posterior, memory, strict=True)]
    return bits, dominant


def _alphabet_size(char: str) -> int:
    """How many characters a person choosing freely from this character's script picks among."""
    code = ord(char)
    if char.isascii():
        if char.isalpha():
            return 26
        if char.isdigit():
            return 10
        return 2 if char == " " else 33
    if 0xAC00 <= code <= 0xD7A3:
        return _HANGUL_SYLLABLES
    if 0x1100 <= code <= 0x11FF or 0x3130 <= code <= 0x318F:
        return 51  # jamo: consonants and vowels typed on their own
    if 0x3400 <= code <= 0x9FFF or 0x20000 <= code <= 0x3FFFF:
        return 5000  # Han characters in everyday use
    if char.isspace():
        return 2
    return 100 if char.isalpha() else 200


def _sequence(prefix: str, char: str) -> float:
    """abcd, 1357, 9876, 가나다? The next step of a run of equal small steps between code points."""
    if not prefix:
        return 0.0
    step = ord(char) - ord(prefix[-1])
    if len(prefix) >= 2 and 0 < abs(established := ord(prefix[-1]) - ord(prefix[-2])) <= 2:
        return 1.0 if step == established else 0.0
    return 0.25 if abs(step) == 1 else 0.0


def _keyboard(prefix: str, char: str) -> float:
    """A neighbour on a keyboard row or column, most likely in the direction the last step went."""
    if not prefix:
        return 0.0
    previous, target = prefix[-1].lower(), char.lower()
    before = prefix[-2].lower() if len(prefix) >= 2 else ""
    odds: dict[str, float] = {}
    for line in _KEYBOARD_LINES:
        position = line.find(previous)
        if position < 0:
            continue
        for step in (1, -1):
            if 0 <= position + step < len(line):
                continuing = 0 <= position - step < len(line) and line[position - step] == before
                neighbour = line[position + step]
                odds[neighbour] = max(odds.get(neighbour, 0.0), 16.0 if continuing else 1.0)
    total = sum(odds.values())
    return odds.get(target, 0.0) / total if total else 0.0


def _copy(prefix: str, char: str) -> float:
    """What followed the longest earlier occurrence of the text just typed (passpass, abcabc, 사랑사랑)."""
    length = len(prefix)
    for context_length in range(min(_MAX_CONTEXT, length - 1), 0, -1):
        context = prefix[length - context_length :]
        followers: list[str] = []
        start = prefix.find(context, 0, length - 1)
        while start >= 0:
            followers.append(prefix[start + context_length])
            start = prefix.find(context, start + 1, length - 1)
        if followers:
            return followers.count(char) / len(followers)
    return 0.0


class _TrieNode:
    __slots__ = ("children", "words")

    def __init__(self) -> None:
        self.children: dict[str, _TrieNode] = {}
        self.words = 0


def _build_trie(words: frozenset[str]) -> _TrieNode:
    root = _TrieNode()
    for word in words:
        node = root
        node.words += 1
        for char in word:
            node = node.children.setdefault(char, _TrieNode())
            node.words += 1
    return root


_TRIE = _build_trie(_COMMON_PASSWORDS)


def _common_password(states: list[_TrieNode], char: str) -> tuple[float, list[_TrieNode]]:
    """The chance that ``char`` continues a common password begun at some earlier point, and the new states.

    Upper case and look-alike digits (p4ssw0rd) continue a word too, at half the odds.
    """
    lowered = char.lower()
    variants = [(lowered, 1.0 if lowered == char else 0.5)] + [(plain, 0.5) for plain in _LEET.get(char, "")]
    best = 0.0
    reached: list[_TrieNode] = [_TRIE]
    for node in states:
        for plain, factor in variants:
            child = node.children.get(plain)
            if child is not None:
                best = max(best, factor * child.words / node.words)
                if child not in reached:
                    reached.append(child)
    return best, reached
