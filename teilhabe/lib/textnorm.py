"""Script-aware folding of text for matching, shared by name search (linkage) and directory search.

``fold(text)`` returns a lower-case string in which spelling variants that users and agencies mix up are
equal. It does **not** transliterate between scripts and does not stem; callers build on it
(``teilhabe.linkage`` for person names, ``teilhabe.directory.search`` for offers).

Rules (each one a variant seen in agency records or typed on a foreign keyboard):

- Unicode NFKC, then ``str.casefold`` (ß → ss, final sigma, Turkish dotted/dotless i handled below).
- Latin: combining marks removed (é → e, ü → u, ş → s, č → c); ``ı`` (dotless i) → i.
- Arabic: tashkeel and tatweel removed; أ إ آ ٱ → ا; ة → ه; ى → ي; ؤ → و; ئ → ي; hamza ء removed.
- Persian/Urdu letters folded to their Arabic forms: ی → ي, ک → ك, ۀ → ه, ھ → ه.
- Arabic-Indic and Persian digits → ASCII digits.
- Cyrillic: ё → е, й → и; Ukrainian ї → і, є → е, ґ → г; Belarusian ў → у.
- Apostrophes and modifier letters (’ ʼ ' ` ´ ʻ) removed; hyphens, underscores, slashes, commas → space;
  runs of white space collapsed.

Sources: Unicode Standard ch. 9 (Arabic), Unicode CLDR transliteration notes for Persian and Ukrainian.
"""

from __future__ import annotations

import re
import unicodedata

_ARABIC_MARKS = re.compile("[\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06ed\u0640]")
_APOSTROPHES = re.compile("['`´\u2018\u2019\u02bc\u02bb\u02b9\u02be\u02bf]")
_SEPARATORS = re.compile(r"[\s\-\u2010-\u2015_/,;.·]+")

_TABLE = str.maketrans(
    {
        # Arabic alef and hamza carriers
        "أ": "ا",
        "إ": "ا",
        "آ": "ا",
        "ٱ": "ا",
        "ة": "ه",
        "ى": "ي",
        "ؤ": "و",
        "ئ": "ي",
        "ء": "",
        # Persian / Urdu forms
        "ی": "ي",
        "ې": "ي",
        "ک": "ك",
        "ۀ": "ه",
        "ھ": "ه",
        "ہ": "ه",
        # Cyrillic variants
        "ё": "е",
        "й": "и",
        "ї": "і",
        "є": "е",
        "ґ": "г",
        "ў": "у",
        # Latin special letters that NFKD does not decompose
        "ı": "i",
        "ł": "l",
        "ø": "o",
        "đ": "d",
        "ħ": "h",
        "æ": "ae",
        "œ": "oe",
        "þ": "th",
    }
)
_DIGITS = str.maketrans("٠١٢٣٤٥٦٧٨٩۰۱۲۳۴۵۶۷۸۹", "01234567890123456789")


def strip_latin_marks(text: str) -> str:
    """Remove combining marks from Latin (and Cyrillic/Greek) letters; Arabic letters stay intact."""
    if text.isascii():  # nothing to strip (and NFD/NFC leave ASCII unchanged): the common case, fast
        return text
    decomposed = unicodedata.normalize("NFD", text)
    kept = []
    for ch in decomposed:
        if unicodedata.combining(ch) and not ("\u0600" <= ch <= "\u06ff"):
            # й and ї decompose to и/і + mark; they are folded before this step.
            continue
        kept.append(ch)
    return unicodedata.normalize("NFC", "".join(kept))


def fold(text: str | None) -> str:
    """Fold *text* for matching: ``fold("Al-Aḥmad") == fold("al ahmad")``; ``fold("أحمد") == fold("احمد")``.

    Returns a lower-case string with single spaces, no leading/trailing space; ``""`` for empty input.
    """
    if not text:
        return ""
    text = unicodedata.normalize("NFKC", str(text)).casefold()
    text = text.translate(_TABLE).translate(_DIGITS)
    text = _ARABIC_MARKS.sub("", text)
    text = _APOSTROPHES.sub("", text)
    text = strip_latin_marks(text)
    return _SEPARATORS.sub(" ", text).strip()


def fold_umlauts(text: str) -> str:
    """German umlaut transcriptions made equal for matching: ä/ae → a, ö/oe → o, ü/ue → u (after ``fold``).

    Use on both sides of a comparison; ``fold_umlauts(fold("für")) == fold_umlauts(fold("fuer"))``.
    Over-folds words like "Steuer" → "steur", which is harmless when both sides are folded alike.
    """
    return re.sub(r"(?<=[a-z])([aou])e", r"\1", fold(text))
