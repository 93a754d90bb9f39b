"""One Latin spelling key for a word however it is written: Cyrillic, Latin or Belarusian Łacinka.

Search indexes the key of every word that is not plain ASCII and looks a query's words up by their
keys, so ``Минск`` finds ``Мінск`` (Russian и, Belarusian і), ``елка`` finds ``ёлка``, ``усё`` finds
``ўсё`` and the Latin ``Minsk`` finds both. The key is a transliteration (Russian, Ukrainian and
Belarusian letters in one table) made coarse where the ways of writing a sound in Latin differ:
``kh``, ``ch`` and ``h`` (Łacinka writes х as ``ch``), ``ts`` and ``c``, ``y``, ``j`` and ``i``,
doubled letters. Keys only find more; they never take away what the word itself matches. Names written
differently in the three languages (Лукашенко, Лукашэнка; Тихановская, Ціханоўская) meet through
their Latin spellings in :mod:`narrascope.web.variants`.
"""

from __future__ import annotations

import re
import unicodedata

#: Russian, Ukrainian and Belarusian letters (lower case) in Latin
CYRILLIC = {
    "а": "a", "б": "b", "в": "v", "г": "g", "ґ": "g", "д": "d", "е": "e", "ё": "e", "є": "ye", "ж": "zh",
    "з": "z", "и": "i", "і": "i", "ї": "yi", "й": "y", "к": "k", "л": "l", "м": "m", "н": "n", "о": "o",
    "п": "p", "р": "r", "с": "s", "т": "t", "у": "u", "ў": "u", "ф": "f", "х": "kh", "ц": "ts", "ч": "ch",
    "ш": "sh", "щ": "shch", "ъ": "", "ы": "y", "ь": "", "э": "e", "ю": "yu", "я": "ya", "'": "", "ʼ": "",
    "’": "",
}
#: Łacinka and other Slavic Latin letters whose marks carry a sound (č is ch, not c)
MARKED = {"č": "ch", "š": "sh", "ž": "zh", "ł": "l", "ŭ": "u", "ć": "c", "ś": "s", "ź": "z", "ń": "n", "ß": "ss"}
#: Latin spellings of one sound, made one (applied in order, after transliteration)
COARSE = (("kh", "h"), ("ch", "h"), ("tz", "c"), ("ts", "c"), ("y", "i"), ("j", "i"), ("w", "v"), ("x", "ks"))
_DOUBLED = re.compile(r"(.)\1+")
WORD = re.compile(r"\w+")


def is_plain(word: str) -> bool:
    """Whether ``word`` is ASCII (the index matches it as typed; only other words get a key)."""
    return word.isascii()


def latin(word: str) -> str:
    """``word`` lower-cased and transliterated to Latin, marks removed (``Ціханоўская``: ``tsikhanouskaya``)."""
    out = []
    for ch in word.lower():
        if ch in CYRILLIC:
            out.append(CYRILLIC[ch])
        elif ch in MARKED:
            out.append(MARKED[ch])
        else:
            out.append(unicodedata.normalize("NFKD", ch)[:1])
    return "".join(out)


def spelling_key(word: str) -> str:
    """The coarse Latin key of ``word``: ``Ціханоўская``, ``Tsikhanouskaya`` and ``Cichanoŭskaja`` all give
    ``cihanouskaia``; ``Лукашенко`` and ``Lukashenko`` give ``lukashenko``; ``Мінск``, ``Минск`` and
    ``Minsk`` give ``minsk``.
    """
    key = latin(word)
    for a, b in COARSE:
        key = key.replace(a, b)
    return _DOUBLED.sub(r"\1", key)


def spelled(text: str) -> str:
    """The keys of the words of ``text`` that are not plain ASCII, each once, space-separated (the index column)."""
    keys = dict.fromkeys(spelling_key(w) for w in WORD.findall(text) if not is_plain(w))
    return " ".join(k for k in keys if k)
