"""The one text pipeline of directory search, used identically when indexing offers and when reading a query.

``analyze(text, language)`` turns text into a list of :class:`Token` (surface word, set of index forms).
Every form of a token is derived from ``fold(word)`` only, so two spellings that fold alike
("für"/"fur"/"fuer", "الألمانية"/"الالمانية"/"الأَلْمانِيَّة", "المدرسة"/"المدرسه", "ё"/"е") produce the same
forms, on the index side and on the query side alike.

Pipeline per word:

1. ``teilhabe.lib.textnorm.fold``: NFKC, case folding, Latin diacritics, Arabic/Persian letter variants
   and tashkeel, Cyrillic variants (ё→е, ї→і, є→е, ґ→г, й→и); then German umlaut transcriptions
   (ue→u, ae→a, oe→o) for Latin words. Zero-width non-joiners (Persian) separate words.
2. Stop words of all seven languages are dropped (both sides).
3. Forms: the folded word itself plus its stem(s):

   ============  ===========================================================================
   de en tr ru   Snowball stemmer of that language (PyStemmer, the C Snowball library)
   ar            Arabic Snowball stemmer; additionally the word without a leading article
                 (ال, وال, بال, كال, فال, لل) and that word's stem
   fa            Persian Snowball stemmer (strips ها/های/ان/...), same article rule not applied
   uk            no Snowball stemmer exists: a light suffix stripper (declension endings,
                 longest match first, stem ≥ 3 letters), see ``_UK_SUFFIXES``
   ============  ===========================================================================

Index side: a text in language L gets the forms of L. Query side: the language of a query is unknown
(a German page visitor may type Arabic), so a word gets the forms of every language of its script
(Latin: de, en, tr; Cyrillic: ru, uk; Arabic script: ar, fa). Query and index meet on any common form.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

import Stemmer

from teilhabe.lib.textnorm import fold

# Words, including combining marks (Arabic tashkeel, Latin accents in NFD) that ``\w`` does not match.
WORD = re.compile(r"[\w\u0300-\u036f\u0483-\u0489\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06ed]+")
_UMLAUT = re.compile(r"(?<=[a-z])([aou])e")

# Snowball algorithm per platform language; Ukrainian has none (light stripper below).
SNOWBALL = {"de": "german", "en": "english", "tr": "turkish", "ru": "russian", "ar": "arabic", "fa": "persian"}
SCRIPT_LANGUAGES = {"latin": ("de", "en", "tr"), "cyrillic": ("ru", "uk"), "arabic": ("ar", "fa")}
_AR_ARTICLES = ("وال", "بال", "كال", "فال", "ال", "لل")
_UK_SUFFIXES = sorted(
    [
        "ами", "ями", "ові", "еві", "ого", "ому", "ими", "іми", "ий", "ій", "ої", "ою", "ею", "их", "іх",
        "ів", "ах", "ях", "ам", "ям", "ом", "ем", "им", "ім", "ії", "ія", "ію", "ей", "а", "я", "у", "ю",
        "о", "е", "і", "и", "ь",
    ],
    key=len,
    reverse=True,
)  # fmt: skip
_UK_SUFFIXES = sorted({fold(s) for s in _UK_SUFFIXES}, key=len, reverse=True)  # same folding as the words

STOPWORDS = {
    # German
    "der", "die", "das", "den", "dem", "des", "ein", "eine", "einen", "einem", "einer", "und", "oder",
    "fur", "mit", "von", "vom", "zu", "zum", "zur", "im", "in", "am", "an", "auf", "aus", "bei", "fuer",
    "ist", "sind", "wir", "sie", "ihr", "ihre", "ich", "es", "als", "auch", "wie", "nach",
    # English
    "the", "a", "and", "or", "for", "of", "to", "with", "on", "at", "by", "is", "are", "we", "you",
    # Turkish
    "ve", "ile", "icin", "bir", "bu", "da", "de",
    # Russian / Ukrainian (folded: й→и, ї→і, є→е)
    "и", "в", "во", "на", "с", "со", "для", "по", "к", "о", "об", "из", "за", "і", "та", "з", "із", "до",
    "у", "що", "или", "або", "не",
    # Arabic / Persian (folded)
    "في", "من", "مع", "الي", "علي", "عن", "و", "او", "ل", "ب", "برا", "براي", "در", "با", "از", "به",
    "را", "که", "ها", "هاي", "يا", "اين", "ان",
}  # fmt: skip


@dataclass(frozen=True)
class Token:
    """One word: ``surface`` as written (for "Meinten Sie …?"), ``folded`` form, ``forms`` to match on."""

    surface: str
    folded: str
    forms: frozenset[str]


def script_of(word: str) -> str:
    for ch in word:
        if "\u0600" <= ch <= "\u06ff" or "\ufb50" <= ch <= "\ufeff":
            return "arabic"
        if "\u0400" <= ch <= "\u04ff":
            return "cyrillic"
        if ch.isalpha():
            return "latin"
    return "other"


@lru_cache(maxsize=16)
def _stemmer(algorithm: str) -> Stemmer.Stemmer:
    stemmer = Stemmer.Stemmer(algorithm)
    stemmer.maxCacheSize = 50000
    return stemmer


def fold_word(word: str) -> str:
    """``fold`` plus German umlaut transcriptions for Latin words (``fold_word("Fuer") == "fur"``)."""
    folded = fold(word).replace(" ", "")
    if folded and script_of(folded) == "latin":
        folded = _UMLAUT.sub(r"\1", folded)
    return folded


def _uk_stem(word: str) -> str:
    for suffix in _UK_SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            return word[: -len(suffix)]
    return word


def forms_for(folded: str, language: str) -> set[str]:
    """Index forms of one folded word in ``language`` (``folded`` itself always included)."""
    forms = {folded}
    if language == "uk":
        forms.add(_uk_stem(folded))
    elif language in SNOWBALL:
        forms.add(_stemmer(SNOWBALL[language]).stemWord(folded))
        if language == "ar":
            for article in _AR_ARTICLES:
                if folded.startswith(article) and len(folded) - len(article) >= 3:
                    bare = folded[len(article) :]
                    forms.update({bare, _stemmer("arabic").stemWord(bare)})
                    break
    return {f for f in forms if len(f) >= 2 or not f.isascii()}


def split_words(text: str) -> list[str]:
    # Zero-width non-joiner (Persian "گروه‌های") and apostrophes inside words are word boundaries/removed.
    return WORD.findall(text.replace("\u200c", " "))


def analyze(text: str, language: str) -> list[Token]:
    """Tokens of ``text`` written in ``language`` (index side), stop words removed."""
    tokens = []
    for word in split_words(fold_apostrophes(text)):
        folded = fold_word(word)
        if not folded or folded in STOPWORDS:
            continue
        script = script_of(folded)
        lang = language if script in {"latin", "other"} or language in SCRIPT_LANGUAGES.get(script, ()) else ""
        if not lang:
            lang = SCRIPT_LANGUAGES[script][0]
        tokens.append(Token(word, folded, frozenset(forms_for(folded, lang))))
    return tokens


def analyze_query(text: str) -> list[Token]:
    """Tokens of a query: forms of every language written in the word's script."""
    tokens = []
    for word in split_words(fold_apostrophes(text)):
        folded = fold_word(word)
        if not folded or folded in STOPWORDS:
            continue
        forms: set[str] = set()
        for language in SCRIPT_LANGUAGES.get(script_of(folded), ("de",)):
            forms |= forms_for(folded, language)
        tokens.append(Token(word, folded, frozenset(forms)))
    return tokens


def fold_apostrophes(text: str) -> str:
    """Apostrophes inside words ("здоров'я", "Komp'yuter") are removed before splitting, like ``fold`` does."""
    return re.sub("['`´\u2018\u2019\u02bc\u02bb]", "", text or "")
