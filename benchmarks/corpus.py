"""Synthetic, clearly fictional records for benchmarks: people and ~300-word testimonies.

Words follow a Zipf distribution over a Korean and an English vocabulary (common real words at the top ranks,
made-up words from syllables in the long tail). Place names are real (Korean, English and Chinese forms, Zipf
over places); person names are fictional combinations of syllables. Every record says it is fictional, so the
word ``fictional`` is in every document (the worst case for search). Generation is deterministic for a seed,
so the encrypted and the plain databases get exactly the same records.
"""

from __future__ import annotations

import itertools
import random
import uuid
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from safecase.domain.ids import RecordId

FICTION_WORD = "fictional"
WORDS_PER_TESTIMONY = 300
TRANSLATED_SHARE = 0.3  # Korean originals that also carry a (partial) English translation
TRANSLATION_WORDS = 100
ENGLISH_SHARE = 0.2  # testimonies written in English rather than Korean
ZIPF_EXPONENT = 1.07
VOCABULARY_SIZE = 30_000  # word types per language


@dataclass(frozen=True)
class Place:
    ko: str
    en: str
    zh: str


# Most mentioned first: the Zipf rank of a place is its position here.
PLACES: tuple[Place, ...] = (
    Place("서울", "Seoul", "首尔"),
    Place("선양", "Shenyang", "沈阳"),
    Place("옌지", "Yanji", "延吉"),
    Place("단둥", "Dandong", "丹东"),
    Place("투먼", "Tumen", "图们"),
    Place("혜산", "Hyesan", "惠山"),
    Place("회령", "Hoeryong", "会宁"),
    Place("신의주", "Sinuiju", "新义州"),
    Place("청진", "Chongjin", "清津"),
    Place("무산", "Musan", "茂山"),
    Place("온성", "Onsong", "稳城"),
    Place("창바이", "Changbai", "长白"),
    Place("허룽", "Helong", "和龙"),
    Place("훈춘", "Hunchun", "珲春"),
    Place("룽징", "Longjing", "龙井"),
    Place("남양", "Namyang", "南阳"),
    Place("베이징", "Beijing", "北京"),
    Place("칭다오", "Qingdao", "青岛"),
    Place("하얼빈", "Harbin", "哈尔滨"),
    Place("쿤밍", "Kunming", "昆明"),
    Place("옌볜", "Yanbian", "延边"),
    Place("평양", "Pyongyang", "平壤"),
    Place("함흥", "Hamhung", "咸兴"),
    Place("개천", "Kaechon", "价川"),
    Place("전거리", "Jongori", "全巨里"),
    Place("다롄", "Dalian", "大连"),
    Place("창춘", "Changchun", "长春"),
    Place("지린", "Jilin", "吉林"),
    Place("방콕", "Bangkok", "曼谷"),
    Place("비엔티안", "Vientiane", "万象"),
)


def _words(text: str) -> tuple[str, ...]:
    return tuple(text.split())


# fmt: off
# Fictional names: a surname (weighted like real frequencies) and two given-name syllables.
SURNAMES: tuple[tuple[str, str, str, int], ...] = (
    ("김", "Kim", "金", 21), ("이", "Lee", "李", 15), ("박", "Park", "朴", 8), ("최", "Choi", "崔", 5),
    ("정", "Jeong", "鄭", 4), ("강", "Kang", "姜", 2), ("조", "Jo", "趙", 2), ("윤", "Yun", "尹", 2),
    ("장", "Jang", "張", 2), ("임", "Im", "林", 2), ("한", "Han", "韓", 2), ("오", "O", "吳", 1),
    ("서", "Seo", "徐", 1), ("신", "Sin", "申", 1), ("권", "Kwon", "權", 1), ("황", "Hwang", "黃", 1),
    ("안", "An", "安", 1), ("송", "Song", "宋", 1), ("류", "Ryu", "柳", 1), ("전", "Jeon", "全", 1),
    ("홍", "Hong", "洪", 1), ("고", "Ko", "高", 1), ("문", "Mun", "文", 1), ("양", "Yang", "梁", 1),
)
GIVEN: tuple[tuple[str, str, str], ...] = (
    ("영", "yeong", "英"), ("희", "hui", "姬"), ("철", "cheol", "哲"), ("수", "su", "秀"), ("민", "min", "敏"),
    ("정", "jeong", "貞"), ("혜", "hye", "惠"), ("성", "seong", "成"), ("옥", "ok", "玉"), ("순", "sun", "順"),
    ("명", "myeong", "明"), ("광", "gwang", "光"), ("은", "eun", "恩"), ("국", "guk", "國"), ("향", "hyang", "香"),
    ("일", "il", "日"), ("춘", "chun", "春"), ("숙", "suk", "淑"), ("금", "geum", "金"), ("혁", "hyeok", "赫"),
    ("남", "nam", "男"), ("경", "gyeong", "京"), ("학", "hak", "學"), ("진", "jin", "珍"), ("미", "mi", "美"),
    ("란", "ran", "蘭"), ("화", "hwa", "花"), ("용", "yong", "龍"), ("호", "ho", "浩"), ("현", "hyeon", "賢"),
    ("송", "song", "松"), ("애", "ae", "愛"), ("선", "seon", "善"), ("덕", "deok", "德"), ("복", "bok", "福"),
    ("봉", "bong", "鳳"), ("련", "ryeon", "蓮"), ("실", "sil", "實"), ("산", "san", "山"), ("룡", "ryong", "龍"),
)

KO_COMMON = _words(
    "그때 우리 사람 공안 체포 국경 강 밤 가족 어머니 아버지 동생 언니 오빠 보위부 집결소 구류장 조사 북송 중국 "
    "조선 돈 브로커 기차 버스 트럭 감옥 노동 단련대 교화소 식량 옥수수 시장 장사 친척 전화 연락 도강 두만강 "
    "압록강 경비대 군인 검문소 차 아침 저녁 하루 며칠 한달 일년 다시 처음 마지막 모두 함께 혼자 많이 조금 "
    "매일 계속 결국 갑자기 그래서 그런데 하지만 그리고 때문에 정말 아주 너무 잘 못 안 더 가장 같이 먼저 나중에 "
    "배고픔 추위 병 약 병원 의사 구타 심문 자백 서류 사진 지문 손 발 머리 옷 신발 방 감방 바닥 창문 문 "
    "간수 계호원 수감자 여자 남자 아이 아들 딸 남편 아내 할머니 할아버지 이웃 친구 선생 회사 공장 농장 광산 "
    "집 마을 도시 산 길 다리 역 항구 배 비 눈 바람 여름 겨울 봄 가을 생각 기억 이야기 말 소리 눈물 죽음 "
    "살다 죽다 가다 오다 보다 듣다 먹다 자다 일하다 도망치다 잡히다 넘기다 때리다 묻다 대답하다 기다리다"
)
KO_PARTICLES = ("", "", "", "", "에서", "을", "를", "이", "가", "은", "는", "에", "으로", "와", "도", "의", "에게")
KO_SYLLABLES = (
    "가나다라마바사아자차카타파하거너더러머버서어저처커터퍼허고노도로모보소오조초코토포호구누두루무부수우주"
    "추쿠투푸후그느드르므브스으즈츠크트프흐기니디리미비시이지치키티피히강남당랑망방상앙장창"
)
EN_COMMON = _words(
    "the and was to we they i of in a my at were there he she it that for on with by our from not had "
    "police border river night family mother father brother sister security detention centre holding camp "
    "guards soldiers train bus truck prison labour food corn market money broker phone contact crossed "
    "caught arrested returned questioned beaten interrogated released escaped sent taken days weeks months "
    "years later again first last together alone many few every morning evening winter summer cold hungry "
    "sick hospital doctor cell floor window door women men children son daughter husband wife grandmother "
    "neighbour friend factory farm mine house village city mountain road bridge station port boat rain snow "
    "remember told asked answered waited worked ran walked slept ate heard saw"
)
EN_SYLLABLES = ("ka", "lo", "ri", "ven", "tor", "mi", "san", "del", "ro", "qua", "nis", "tel", "bar", "ost",
                "el", "um", "ra", "fen", "gol", "pri", "ward", "ly", "ton", "sha", "ber", "cam", "dro", "vi")
# Fixed phrases a documenter would search for, mixed into the running text.
EN_PHRASES = ("handed over to the", "border security police", "holding centre", "forced repatriation",
              "interrogated for days")
KO_PHRASES = ("보위부 구류장", "강제 북송", "국경 경비대", "노동 단련대", "중국 공안에 체포")
# fmt: on
PHRASE_RATE = 0.002  # per word position: a fixed phrase in ~45% of testimonies
PLACE_RATE = 0.012  # per word position: ~3.6 place mentions in 300 words
NAME_RATE = 0.004  # per word position: ~1.2 names in 300 words
SENTENCE_WORDS = (6, 16)
INTERVIEW_PLACES = ("Seoul", "서울", "Busan", "Incheon", "Bangkok", "London")
ORIGINS = ("Hoeryong", "Musan", "Hyesan", "Chongjin", "Onsong", "Sinuiju", "Hamhung", "Pyongyang")
STATUSES = ("repatriated", "disappeared", "detained", "imprisoned", "resettled", "escaped", "in_hiding")


class ZipfSampler:
    """Draws items by Zipf rank (first item most likely) from a fixed list; fast in bulk."""

    def __init__(self, items: Sequence[str], exponent: float = ZIPF_EXPONENT) -> None:
        self.items = list(items)
        weights = (float(rank) ** -exponent for rank in range(1, len(items) + 1))
        self._cumulative: list[float] = list(itertools.accumulate(weights))

    def sample(self, rng: random.Random, k: int) -> list[str]:
        return rng.choices(self.items, cum_weights=self._cumulative, k=k)

    def probability(self, rank: int) -> float:
        """Probability of the item at 1-based ``rank``."""
        low = self._cumulative[rank - 2] if rank > 1 else 0.0
        return (self._cumulative[rank - 1] - low) / self._cumulative[-1]

    def rank_near(self, probability: float) -> int:
        """The first 1-based rank whose probability is at most ``probability`` (the last rank if none is)."""
        for rank in range(1, len(self.items) + 1):
            if self.probability(rank) <= probability:
                return rank
        return len(self.items)


def _made_up_words(
    rng: random.Random, syllables: Sequence[str], count: int, taken: set[str], lengths: tuple[int, int]
) -> list[str]:
    words: list[str] = []
    while len(words) < count:
        word = "".join(rng.choices(syllables, k=rng.randint(*lengths)))
        if word not in taken:
            taken.add(word)
            words.append(word)
    return words


@dataclass(frozen=True)
class Vocabulary:
    """The word lists of one corpus, fixed by its seed."""

    korean: ZipfSampler
    english: ZipfSampler
    places: ZipfSampler  # indices into PLACES, as strings
    surnames: list[tuple[str, str, str]]
    surname_weights: list[int]

    @classmethod
    def build(cls, seed: int) -> Vocabulary:
        rng = random.Random(seed)
        taken_ko: set[str] = set(KO_COMMON)
        korean = list(KO_COMMON) + _made_up_words(rng, KO_SYLLABLES, VOCABULARY_SIZE - len(KO_COMMON), taken_ko, (2, 3))
        taken_en: set[str] = set(EN_COMMON) | {FICTION_WORD}
        english = list(EN_COMMON) + _made_up_words(
            rng, EN_SYLLABLES, VOCABULARY_SIZE - len(EN_COMMON), taken_en, (2, 4)
        )
        return cls(
            korean=ZipfSampler(korean),
            english=ZipfSampler(english),
            places=ZipfSampler([str(i) for i in range(len(PLACES))], exponent=1.0),
            surnames=[s[:3] for s in SURNAMES],
            surname_weights=[s[3] for s in SURNAMES],
        )


@dataclass(frozen=True)
class PersonName:
    hangul: str
    romanized: str
    chinese: str


def _name(rng: random.Random, vocabulary: Vocabulary) -> PersonName:
    surname = rng.choices(vocabulary.surnames, weights=vocabulary.surname_weights)[0]
    first, second = rng.sample(GIVEN, 2)
    return PersonName(
        surname[0] + first[0] + second[0],
        f"{surname[1]} {first[1].capitalize()}-{second[1]}",
        surname[2] + first[2] + second[2],
    )


def _running_text(
    rng: random.Random, vocabulary: Vocabulary, words: int, korean: bool, names: Sequence[PersonName]
) -> str:
    """About ``words`` words of Zipf text with place names, the given names and fixed phrases mixed in."""
    if korean:
        lemmas = vocabulary.korean.sample(rng, words)
        particles = rng.choices(KO_PARTICLES, k=words)
        tokens = [lemma + particle for lemma, particle in zip(lemmas, particles, strict=True)]
    else:
        tokens = vocabulary.english.sample(rng, words)
    out: list[str] = []
    until_stop = rng.randint(*SENTENCE_WORDS)
    for position, token in enumerate(tokens):
        roll = rng.random()
        if roll < PLACE_RATE:
            place = PLACES[int(vocabulary.places.sample(rng, 1)[0])]
            mention = place.ko if korean else place.en
            if rng.random() < 0.15:
                mention += f"({place.zh})"
            out.append(mention + (rng.choice(KO_PARTICLES) if korean else ""))
        elif roll < PLACE_RATE + NAME_RATE and names:
            name = rng.choice(names)
            out.append(name.hangul if korean else name.romanized)
        elif roll < PLACE_RATE + NAME_RATE + PHRASE_RATE:
            out.append(rng.choice(KO_PHRASES if korean else EN_PHRASES))
        else:
            out.append(token)
        if position == 0 and not korean:
            out[-1] = out[-1].capitalize()
        until_stop -= 1
        if until_stop == 0:
            out[-1] += "."
            until_stop = rng.randint(*SENTENCE_WORDS)
    if korean and rng.random() < 0.5:
        out.append(f"{rng.randint(2005, 2025)}년")
    return " ".join(out) + "."


@dataclass(frozen=True)
class Story:
    """One interviewee and their testimony; the testimony refers to the person by id."""

    person_id: RecordId
    person: dict[str, Any]
    testimony_id: RecordId
    testimony: dict[str, Any]


class CorpusGenerator:
    """Deterministic stream of fictional stories (person + testimony) for one seed."""

    def __init__(self, seed: int, *, pseudonyms: bool = True) -> None:
        self.seed = seed
        self.vocabulary = Vocabulary.build(seed)
        self._rng = random.Random(seed + 1)
        self._ids = random.Random(seed + 2)
        self._pseudonyms = pseudonyms
        self._count = 0
        self._recent_names: list[PersonName] = []

    def stories(self, count: int) -> Iterator[Story]:
        for _ in range(count):
            yield self.story()

    def story(self) -> Story:
        rng, vocabulary = self._rng, self.vocabulary
        self._count += 1
        name = _name(rng, vocabulary)
        self._recent_names = ([*self._recent_names, name])[-50:]
        others = rng.sample(self._recent_names, min(2, len(self._recent_names)))
        person: dict[str, Any] = {
            "names": {"hangul": name.hangul, "romanized": name.romanized, "chinese": name.chinese},
            "sex": rng.choice(("female", "female", "male")),
            "birth_year": rng.randint(1950, 2008),
            "origin": rng.choice(ORIGINS),
            "status": rng.choice(STATUSES),
            "notes": f"{FICTION_WORD.capitalize()} person generated for a benchmark.",
        }
        if self._pseudonyms:
            person["pseudonym"] = f"B-{self.seed % 1000:03d}-{self._count:07d}"
        person_id = _uuid4(self._ids)
        korean = rng.random() >= ENGLISH_SHARE
        year = rng.randint(2008, 2025)
        place = PLACES[int(vocabulary.places.sample(rng, 1)[0])]
        testimony: dict[str, Any] = {
            "interviewee_id": person_id,
            "interviewer": f"Interviewer {rng.randint(1, 40):02d}",
            "date": f"{year}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}",
            "place": rng.choice(INTERVIEW_PLACES),
            "language": "ko" if korean else "en",
            "original_text": _running_text(rng, vocabulary, WORDS_PER_TESTIMONY, korean, others),
            "summary": f"{FICTION_WORD.capitalize()} testimony about {place.en}, {year}.",
        }
        if korean and rng.random() < TRANSLATED_SHARE:
            testimony["translation"] = _running_text(rng, vocabulary, TRANSLATION_WORDS, False, others)
            testimony["translation_language"] = "en"
        if rng.random() < 0.3:
            testimony["interpreter"] = f"Interpreter {rng.randint(1, 15):02d}"
        return Story(person_id, person, _uuid4(self._ids), testimony)


def _uuid4(rng: random.Random) -> RecordId:
    """A version-4 UUID from ``rng``: deterministic ids make the two databases identical."""
    return RecordId(str(uuid.UUID(int=rng.getrandbits(128), version=4)))
