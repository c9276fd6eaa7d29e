"""The one person-name normaliser (identity search, linkage, later directory search of people).

Builds on :func:`teilhabe.lib.textnorm.fold`. A name becomes a :class:`NameKeys` value:

- ``tokens``: the folded core tokens in their own script, particles (``al``/``el``/``bin``/``ibn``/``abu``,
  Arabic ``ال``) removed, e.g. ``"Al-Ahmad, Mohammed"`` → ``("ahmad", "mohammed")``;
- ``joined``: particle + following token written together (``"alahmad"``), so ``Alahmad`` finds ``Al-Ahmad``;
- ``latin``: each core token transliterated to Latin (Arabic, Persian, Pashto, Kurdish-Sorani, Cyrillic incl.
  Ukrainian, Ge'ez/Tigrinya), spelling-normalised (German transcriptions ``sch``/``tsch``/``dsch``, ``kh``/``ch``,
  ``ou``/``u``, ``w``/``v``, ``ph``/``f``, ``q``/``k``, ``x``/``ks``, ...);
- ``skeletons``: a consonant skeleton of each Latin token: vowels and semivowels (``a e i o u y j``) dropped,
  doubled letters collapsed, final ``d`` → ``t`` (Mehmet/Mohammed), final vowel + ``h`` dropped.
  ``Muhammad``, ``Mohamed``, ``Mohammad``, ``Mehmet``, ``محمد`` all give ``mhmt``; ``Ahmad``, ``احمد`` give ``hmt``.
  Arabic script writes no short vowels, so a skeleton is the natural common denominator of the scripts;
- ``phonetic``: Metaphone (jellyfish) of each Latin token, for Latin typing variants the skeleton misses.

Birth dates: :func:`parse_birth` reads ISO, German ``TT.MM.JJJJ``, ``00.00.JJJJ`` and year-only input;
:func:`compare_birth` treats placeholder days (01.01., 31.12., 00.00., missing) as uncertain, not as facts.

All functions are pure and Django-free; they raise nothing on odd input (empty name → empty keys).
See docs/decisions/0030-name-normaliser.md.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache

import jellyfish

from teilhabe.lib.textnorm import fold

# --- particles ------------------------------------------------------------------------------------------

# Latin particles that stand alone as a token (after fold: hyphens are spaces).
PARTICLES = frozenset(
    {
        "al", "el", "ul", "il", "ar", "as", "ash", "ad", "an", "at", "az", "ath",
        "bin", "ben", "ibn", "bint", "binti", "abu", "abou", "bou", "ould", "walad",
        "von", "van", "de", "der", "den", "da", "di", "du", "la", "le",
    }
)  # fmt: skip
# "Abd"/"Abdul"/"عبد" written apart from the following name: joined to it ("Abd al-Rahman" = "Abdulrahman").
ABD_WORDS = frozenset({"abd", "abdul", "abdel", "abdal", "abdol", "abdu", "abdoul", "abdou", "عبد"})
# Glued article prefixes ("Alahmad", "Elsayed", Arabic "الأحمد"): stripped as an *alternative* only.
_LATIN_ARTICLE = re.compile(r"^(?:al|el|ul)(?=[a-z]{3,})")
_ARABIC_ARTICLE = re.compile(r"^(?:ال|وال|بال)(?=\S{2,})")
# "Abd al-Rahman", "Abdurrahman", "Abdel Rahman", "Abdulaziz" → "abd" + name (when a name follows).
_ABD = re.compile(r"^abd[aeiou]{0,2}(?:l|r|n|s|t|d|z|sh)?(?=[a-z]{3,})")

# --- transliteration to Latin ----------------------------------------------------------------------------

# Pre-fold: letters whose diacritic carries a sound that ``fold`` would throw away.
_PRE_FOLD = str.maketrans(
    {
        "ç": "ch", "Ç": "ch", "ş": "sh", "Ş": "sh", "ș": "sh", "Ș": "sh", "ğ": "", "Ğ": "",
        "č": "ch", "Č": "ch", "š": "sh", "Š": "sh", "ž": "zh", "Ž": "zh", "ḫ": "kh", "ẖ": "kh",
        "ʿ": "", "ʾ": "", "ß": "ss",
    }
)  # fmt: skip

# After fold (alef/hamza/taa-marbuta/ya variants already unified).
_ARABIC = {
    "ا": "a", "ب": "b", "ت": "t", "ث": "th", "ج": "j", "ح": "h", "خ": "kh", "د": "d", "ذ": "dh",
    "ر": "r", "ز": "z", "س": "s", "ش": "sh", "ص": "s", "ض": "d", "ط": "t", "ظ": "z", "ع": "a",
    "غ": "gh", "ف": "f", "ق": "q", "ك": "k", "ل": "l", "م": "m", "ن": "n", "ه": "h", "و": "u",
    "ي": "i",
    # Persian, Dari, Pashto, Kurdish (Sorani), Urdu letters that fold leaves alone
    "پ": "p", "چ": "ch", "ژ": "zh", "گ": "g", "ټ": "t", "ډ": "d", "ړ": "r", "ږ": "zh", "ښ": "sh",
    "ځ": "z", "څ": "s", "ڼ": "n", "ڕ": "r", "ڵ": "l", "ۆ": "o", "ێ": "e", "ڤ": "v", "ڠ": "ng",
    "ۇ": "u", "ٹ": "t", "ڈ": "d", "ڑ": "r", "ں": "n", "ے": "e", "ە": "e",
}  # fmt: skip

_CYRILLIC = {
    "а": "a", "б": "b", "в": "v", "г": "g", "д": "d", "е": "e", "ж": "zh", "з": "z", "и": "i",
    "к": "k", "л": "l", "м": "m", "н": "n", "о": "o", "п": "p", "р": "r", "с": "s", "т": "t",
    "у": "u", "ф": "f", "х": "kh", "ц": "ts", "ч": "ch", "ш": "sh", "щ": "shch", "ъ": "", "ы": "y",
    "ь": "", "э": "e", "ю": "yu", "я": "ya", "і": "i",
}  # fmt: skip

# Ge'ez (Tigrinya, Amharic): syllables come in rows of eight per consonant, starting at U+1200.
# ኸ (row 23) is the spirant form of ከ after a vowel in Tigrinya; Latin name spellings write it k
# (ተኽለ = Tekle, ሚኽኤል = Mikael), so it is transliterated k, not kh (which would fold to h).
_GEEZ_ROWS = (  # noqa: SIM905
    "h l h m s r s sh q qw qh qhw b v t ch h hw n ny - k kw k kw w - z zh y d d j g gw ng t ch p ts ts f p"
).split()
_GEEZ_VOWELS = "euiaeəo"


def _geez(ch: str) -> str:
    offset = ord(ch) - 0x1200
    row, col = divmod(offset, 8)
    if offset < 0 or row >= len(_GEEZ_ROWS):
        return ""
    consonant = _GEEZ_ROWS[row].strip("-")  # "-": glottal/pharyngeal rows carry only the vowel
    vowel = _GEEZ_VOWELS[col] if col < len(_GEEZ_VOWELS) else "a"
    return consonant + ("" if vowel == "ə" else vowel)


def _is_arabic(ch: str) -> bool:
    return "\u0600" <= ch <= "\u06ff" or "\u0750" <= ch <= "\u077f"


_LONG_VOWEL_LETTERS = "اوي"
# Latin zh/kh/gh stand for the single letters ژ/خ/غ; ز, ك, گ followed by ه or ح are two sounds with a short
# vowel between them that the script does not write (زهرا = Zahra, not "Zhra"). The mark keeps them apart
# through the spelling rules and is removed at the end of :func:`spell`.
_APART = "|"


def _arabic_to_latin(token: str) -> str:
    out: list[str] = []
    for i, ch in enumerate(token):
        nxt = token[i + 1] if i + 1 < len(token) else ""
        if ch == "و":
            # consonant w at the start or before a long-vowel letter (Walid, Marwan, نوید = Navid, داوود =
            # Dawud), else long u (Yusuf)
            # Kurdish (Sorani) writes every vowel; و after its vowel letters ە ێ ۆ is w (هەورامی = Hewrami)
            prev = token[i - 1] if i else ""
            out.append("w" if i == 0 or (nxt != "" and nxt in _LONG_VOWEL_LETTERS) or prev in "ەێۆ" else "u")
        elif ch == "ي":
            out.append("y" if i == 0 or (nxt != "" and nxt in _LONG_VOWEL_LETTERS) else "i")
        elif ch == "ه" and i == len(token) - 1 and i > 0:
            out.append("a")  # taa marbuta folded to ه, or final ha: both sound as a vowel ending
        else:
            latin = _ARABIC.get(ch, "")
            if ch in "هح" and out and out[-1][-1:] in ("z", "k", "g"):
                latin = _APART + latin
            out.append(latin)
    return "".join(out)


# Persian, Dari, Pashto and Urdu read the Arabic letters ض ظ ذ as z and ث ص as s (رضا = Reza, not "Rida").
# A field written with a letter only these alphabets have (ی ک پ چ ژ گ ۀ, before folding) is read so.
_PERSIAN_LETTERS = frozenset("یکپچژگۀ")
_PERSIAN_READING = str.maketrans({"ض": "ز", "ظ": "ز", "ذ": "ز", "ث": "س", "ص": "س"})


def is_persian_script(text: str) -> bool:
    """True when *text* (unfolded) holds a letter of the Persian alphabet that Arabic does not have."""
    return any(ch in _PERSIAN_LETTERS for ch in text)


@lru_cache(maxsize=2**18)
def to_latin(token: str) -> str:
    """One folded token in any supported script → lower-case Latin letters (no spelling normalisation)."""
    if not token:
        return ""
    if any(_is_arabic(ch) for ch in token):
        return _arabic_to_latin(token)
    ukrainian = any(ch in "ії" for ch in token)
    out = []
    for ch in token:
        if "\u0400" <= ch <= "\u04ff":
            out.append("h" if ch == "г" and ukrainian else _CYRILLIC.get(ch, ""))
        elif "\u1200" <= ch <= "\u137f":
            out.append(_geez(ch))
        elif "a" <= ch <= "z" or ch.isdigit():
            out.append(ch)
    return "".join(out)


# Spelling normalisation of Latin forms, in order (German authority transcriptions first).
_SPELLING = [
    (re.compile(r"dsch|dzh|dj"), "j"),
    (re.compile(r"tsch|tch|cz"), "ch"),
    (re.compile(r"sch|sh"), "s"),
    (re.compile(r"kh|ch"), "h"),
    (re.compile(r"ph"), "f"),
    (re.compile(r"th"), "t"),
    (re.compile(r"dh"), "d"),
    (re.compile(r"gh"), "g"),
    (re.compile(r"zh"), "z"),
    (re.compile(r"ck|q|c"), "k"),
    (re.compile(r"x"), "ks"),
    (re.compile(r"tz|ts"), "z"),
    (re.compile(r"w"), "v"),
    (re.compile(r"ou|oo|uo"), "u"),
    (re.compile(r"ee|ie|ei"), "i"),
    (re.compile(r"(?<=[aeiouy])h$"), ""),  # Abdullah/Abdulla, Fatimah/Fatima
    (re.compile(r"(?<=o)(?:ff|v)$"), "v"),  # Ivanoff/Ivanov/Iwanow
]
_VOWELS = re.compile(r"[aeiouyj]")
_DOUBLE = re.compile(r"(.)\1+")


@lru_cache(maxsize=2**18)
def spell(latin: str) -> str:
    """Normalised Latin spelling (vowels kept): ``spell("mouhammed") == "muhamed"``."""
    text = latin
    for pattern, repl in _SPELLING:
        text = pattern.sub(repl, text)
    return _DOUBLE.sub(r"\1", text.replace(_APART, ""))


def skeleton(latin: str) -> str:
    """Consonant skeleton of a Latin token: ``skeleton("muhammad") == skeleton("mehmet") == "mhmt"``.

    Falls back to the spelled form when a name has no consonant at all (``"Aya"`` → ``"aa"`` → ``"a"``).
    """
    spelled = spell(latin)
    # z/s: German speakers write s for the voiced sound (Sahra/Zahra, Nasdar/Nazdar).
    core = _DOUBLE.sub(r"\1", _VOWELS.sub("", spelled).replace("z", "s"))
    if core.endswith("d"):
        core = core[:-1] + "t"
    if core.endswith("b"):
        core = core[:-1] + "p"
    return core or spelled[:3]


# Consonant classes that transcriptions of these name families confuse with each other (linkage only; the
# search keys are unchanged): Ukrainian г is h where Russian writes g (Serhii/Sergej, Hryhorii/Grigorij);
# č/ç written without the diacritic as c, i.e. k (Sevcenko/Shevchenko, Celik/Çelik); Arabic ق/غ as q, g, gh
# or k (Ghorbani/Qorbani/Gorbani); v/f (Ivanov/Iwanoff → v; Persian/Kurdish f/v), b/p and d/t voicing.
_LOOSE = str.maketrans({"g": "k", "h": "k", "f": "v", "b": "p", "d": "t"})
# Turkish ğ between back vowels is silent and written g or left out (Doğan = Dogan = Doan, Oğuz = Oguz).
_SOFT_G = re.compile(r"(?<=[aou])g(?=[aou])")
# German writers mark a long vowel with a silent h (Pohpal = Popal, Gühl = Gül, Hamdahn); an h between a
# vowel and a consonant is dropped in the loose key (Ahmad → "amad" on every side alike).
_LENGTH_H = re.compile(r"(?<=[aeiou])h(?=[^aeiouy])")


def loose_skeleton(latin: str) -> str:
    """A coarser consonant key for linkage comparisons, from the spelled Latin form of a name (tokens
    separated by spaces). Per token: a Turkish soft g between back vowels and an h between a vowel and a
    consonant (German length mark) are dropped, then the
    :func:`skeleton` is taken, an ``h`` that ends the token dropped (Latin writes ح and a vowel-ending ه alike, and drops
    both: صالح = Saleh, Salih) and the consonant classes g/h/k, f/v, b/p, d/t merged.
    ``loose_skeleton("serhii") == loose_skeleton("sergej")``; ``"sevkenko"`` = ``"sevhenko"``."""
    keys = []
    for token in latin.split():
        core = skeleton(_LENGTH_H.sub("", _SOFT_G.sub("", token)))
        if len(core) > 1 and token.endswith("h"):  # written last, not only last consonant (Serhii keeps it)
            core = core[:-1]
        keys.append(_DOUBLE.sub(r"\1", core.translate(_LOOSE)))
    return " ".join(keys)


_FRENCH_CH = re.compile(r"(?<![stSTßz])ch", re.IGNORECASE)


def french_reading(text: str) -> str | None:
    """The name as French transcription reads it: ``ch`` is ʃ (Aicha = Aisha, Hicham = Hisham, Chadi =
    Shadi), where German reads it as kh (Chaled = Khaled). ``None`` when the text has no such ``ch``
    (``sch``/``tsch`` are German ʃ/tʃ in both readings)."""
    reading = _FRENCH_CH.sub("sh", text)
    return reading if reading != text else None


def gap_pattern(latin: str) -> str:
    """Skeleton with vowel gaps marked: ``"muhamad"`` → ``"m.h.m.d"``, ``"mahmud"`` → ``"m.hm.d"``."""
    spelled = _VOWELS.sub(".", spell(latin))
    return re.sub(r"\.+", ".", spelled).strip(".")


def phonetic(latin: str) -> str:
    """Metaphone of the spelled Latin token (jellyfish), upper case; empty for empty input."""
    spelled = spell(latin)
    return jellyfish.metaphone(spelled) if spelled else ""


# --- names ----------------------------------------------------------------------------------------------


def _prefold(text: str) -> str:
    return fold(str(text).translate(_PRE_FOLD))


def split_family_given(text: str) -> tuple[str, str]:
    """``"Al-Ahmad, Mohammed"`` → ``("Al-Ahmad", "Mohammed")``; without a comma → ``("", text)``."""
    if "," in (text or ""):
        family, _, given = text.partition(",")
        return family.strip(), given.strip()
    return "", (text or "").strip()


@dataclass(frozen=True)
class TokenKeys:
    """Keys of one core token; ``alternatives`` hold the keys of glued/stripped variants."""

    folded: str
    latin: str
    skeleton: str
    phonetic: str
    alternatives: frozenset[str] = field(default_factory=frozenset)

    def keys(self) -> set[str]:
        """Prefixed keys as stored in the search side table: ``t:`` folded, ``s:`` skeleton, ``p:`` phonetic."""
        out = {f"t:{self.folded}", f"s:{self.skeleton}"}
        if self.phonetic:
            out.add(f"p:{self.phonetic}")
        return out | set(self.alternatives)


@lru_cache(maxsize=2**18)
def _token_keys(token: str, extra: tuple[str, ...] = (), persian: bool = False) -> TokenKeys:
    """Cached per token: composed names repeat the same tokens far more often than whole names repeat.
    *persian*: Arabic-script letters are read as in Persian (``_PERSIAN_READING``)."""
    latin = to_latin(token.translate(_PERSIAN_READING) if persian else token)
    alternatives: set[str] = set()
    for other in extra:
        other_latin = to_latin(other.translate(_PERSIAN_READING) if persian else other)
        alternatives |= {f"t:{other}", f"s:{skeleton(other_latin)}"}
    return TokenKeys(token, spell(latin), skeleton(latin), phonetic(latin), frozenset(alternatives))


def _strip_article(token: str) -> str | None:
    for pattern in (_ARABIC_ARTICLE, _LATIN_ARTICLE):
        stripped = pattern.sub("", token, count=1)
        if stripped != token:
            return stripped
    return None


def _abd(token: str) -> str:
    latin = to_latin(token)
    if latin.startswith("abd"):
        return _ABD.sub("abd", latin, count=1)
    return token


def name_tokens(*parts: str, persian: bool = False) -> list[TokenKeys]:
    """Core tokens of one or more name fields, in order, with their keys.

    A particle is merged into the following token as an alternative (``al ahmad`` → token ``ahmad`` with the
    alternative ``alahmad``); a glued article yields the stripped form as a token and the glued form as an
    alternative (``alahmad`` → ``ahmad`` + ``alahmad``). Tokens of one letter are dropped. Arabic-script
    parts are read as Persian (ض ظ ذ = z, ث ص = s) when they hold a Persian letter or *persian* is set
    (the caller knows the record is Persian/Dari/Pashto, e.g. from the other name field).
    """
    result: list[TokenKeys] = []
    for part in parts:
        words = _prefold(part or "").split()
        persian_part = persian or is_persian_script(part or "")
        pending: list[str] = []
        abd = ""
        for index, word in enumerate(words):
            if word in ABD_WORDS and index < len(words) - 1:
                abd = "عبد" if _is_arabic(word[0]) else "abd"
                continue
            if word in PARTICLES and index < len(words) - 1:
                pending.append(word)
                continue
            if abd:
                stripped_article = _strip_article(word) if _is_arabic(word[0]) or pending else None
                word, abd, pending = abd + (stripped_article or word), "", []
            else:
                word = _abd(word)
            glued = ["".join(pending) + word] if pending else []
            stripped = _strip_article(word)
            if stripped and _is_arabic(word[0]):
                glued.append(word)  # Arabic article: always a particle
                word = stripped
            elif stripped:
                glued.append(stripped)  # Latin "Alahmad" but also "Alexander": the stripped form is an alternative

            pending = []
            if len(word) < 2 and not glued:
                continue
            result.append(_token_keys(word, tuple(glued), persian_part))
    return result


@dataclass(frozen=True)
class NameKeys:
    tokens: tuple[TokenKeys, ...]

    @property
    def latin(self) -> str:
        return " ".join(t.latin for t in self.tokens)

    @property
    def skeletons(self) -> tuple[str, ...]:
        return tuple(t.skeleton for t in self.tokens)

    def keys(self) -> set[str]:
        out: set[str] = set()
        for token in self.tokens:
            out |= token.keys()
        return out


@lru_cache(maxsize=50_000)
def name_keys(*parts: str, persian: bool = False) -> NameKeys:
    """All keys of a person's name fields (any script, any order, ``Family, Given`` allowed).

    Cached (the result is immutable): search ranking and linkage see the same names again and again."""
    return NameKeys(tuple(name_tokens(*(part or "" for part in parts), persian=persian)))


def token_similarity(a: TokenKeys, b: TokenKeys) -> float:
    """0..1: 1.0 same folded token (or a shared glued form), 0.9 same skeleton (0.85 if the Latin vowel
    layout differs), 0.8 same phonetic key,
    else the Jaro-Winkler similarity of the spelled Latin forms scaled to ≤ 0.75."""
    if a.folded == b.folded or f"t:{a.folded}" in b.alternatives or f"t:{b.folded}" in a.alternatives:
        return 1.0
    if a.skeleton == b.skeleton or f"s:{a.skeleton}" in b.alternatives or f"s:{b.skeleton}" in a.alternatives:
        # Same consonants; Latin forms with a different vowel layout (Muhammad/Mahmoud) rank a little lower.
        pa, pb = gap_pattern(a.latin), gap_pattern(b.latin)
        return 0.9 if pa == pb or "." not in pa or "." not in pb else 0.85
    if a.phonetic and a.phonetic == b.phonetic:
        return 0.8
    return 0.75 * jellyfish.jaro_winkler_similarity(a.latin, b.latin)


def name_similarity(a: NameKeys, b: NameKeys) -> float:
    """Order-free similarity of two names: mean of each token's best match on the shorter side, 0..1."""
    if not a.tokens or not b.tokens:
        return 0.0
    short, long_ = (a, b) if len(a.tokens) <= len(b.tokens) else (b, a)
    return sum(max(token_similarity(t, u) for u in long_.tokens) for t in short.tokens) / len(short.tokens)


# --- birth dates ----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Birth:
    """A birth date as recorded: ``day``/``month`` are ``None`` when unknown; ``uncertain`` when the day and
    month are a placeholder (01.01., 31.12., 00.00., 01.07., missing) or flagged so by the agency."""

    year: int | None
    month: int | None = None
    day: int | None = None
    uncertain: bool = False

    @classmethod
    def of(cls, year: int | None, month: int | None, day: int | None, placeholder: bool = False) -> Birth:
        month = month or None
        day = day or None
        uncertain = placeholder or month is None or day is None or (month, day) in PLACEHOLDER_DAYS
        return cls(year or None, month, day, uncertain)


PLACEHOLDER_DAYS = frozenset({(1, 1), (12, 31), (7, 1), (6, 30)})
_DATE_PATTERNS = (
    re.compile(r"^(?P<y>\d{4})(?:-(?P<m>\d{1,2})(?:-(?P<d>\d{1,2}))?)?$"),
    re.compile(r"^(?:(?P<d>\d{1,2})\.)?(?:(?P<m>\d{1,2})\.)?(?P<y>\d{4})$"),
    re.compile(r"^(?:(?P<d>x{1,2}|\d{1,2})\.)(?:(?P<m>x{1,2}|\d{1,2})\.)(?P<y>\d{4})$"),
)


def _num(value: str | None) -> int | None:
    return int(value) if value and value.isdigit() else None


def parse_birth(text: str | date | None) -> Birth:
    """``"1991-01-01"``, ``"01.01.1991"``, ``"00.00.1991"``, ``"XX.XX.1991"``, ``"1991"`` → :class:`Birth`.

    Unreadable input gives ``Birth(None)`` (unknown), never an exception."""
    if isinstance(text, date):
        return Birth.of(text.year, text.month, text.day)
    raw = (text or "").strip().lower()
    for pattern in _DATE_PATTERNS:
        match = pattern.match(raw)
        if match:
            year, month, day = (_num(match.group(key)) for key in ("y", "m", "d"))
            if month and not 1 <= month <= 12:
                month = None
            if day and not 1 <= day <= 31:
                day = None
            return Birth.of(year, month, day)
    return Birth(None)


def compare_birth(a: Birth, b: Birth) -> str:
    """Comparison level of two birth dates, strongest first:

    ``"exact"`` same certain day; ``"year_uncertain"`` same year, at least one side a placeholder;
    ``"swapped"`` day and month swapped; ``"year"`` same year, different certain days; ``"near"`` years one
    apart; ``"unknown"`` a side without year; ``"different"`` otherwise.
    """
    if a.year is None or b.year is None:
        return "unknown"
    if a.year == b.year:
        if a.uncertain or b.uncertain:
            return "year_uncertain"
        if (a.month, a.day) == (b.month, b.day):
            return "exact"
        if (a.month, a.day) == (b.day, b.month):
            return "swapped"
        return "year"
    if abs(a.year - b.year) == 1:
        return "near"
    return "different"
