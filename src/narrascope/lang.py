"""Language identification with py3langid, whose model ships inside the package."""

from __future__ import annotations

import copy
import re
from collections.abc import Iterable
from functools import lru_cache
from typing import Any

from narrascope.latin_slavic import NAMES, POLISH, SLAVIC, evidence, hinted, latin_slavic, spelled_in_lacinka
from narrascope.narratives.segment import sentences

MIN_CHARS = 20


@lru_cache(maxsize=1)
def _model() -> Any:
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    return LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)  # seconds: read once


@lru_cache(maxsize=8)
def _identifier(languages: tuple[str, ...] | None) -> Any:
    """The identifier, restricted to ``languages`` (a copy sharing the one model read from disk)."""
    if not languages:
        return _model()
    ident = copy.copy(_model())
    ident.set_languages(list(languages))
    return ident


def identify(text: str, languages: Iterable[str] | None = None, min_chars: int = MIN_CHARS) -> str | None:
    """ISO 639-1 code of ``text``'s language, or ``None`` when the text is too short to tell.

    ``languages`` restricts the candidates (for example ``["en", "ru", "uk", "de"]``).
    Only the first 3,000 characters are looked at: enough for a page, and 7x faster than 20,000.
    """
    sample = text[:3000]
    if sum(map(str.isalpha, sample)) < min_chars:
        return None
    lang, _ = _identifier(tuple(sorted(languages)) if languages else None).classify(sample)
    return str(lang)


def text_languages(text: str, languages: Iterable[str] | None = None) -> list[str]:
    """The languages of ``text`` by how many of its letters each holds, most first: the first is the text's
    language, the others have passages of their own (an English article quoting a Russian sentence is
    ``["en", "ru"]``, a comment of Russian typed in Latin letters ``["ru-Latn"]``). The passages are those a
    layer reading only the whole text's language would not read (:func:`unreadable`), so the sentences'
    languages decide, Latin-letter Slavic and quotations included; the rest is in the language the
    identifier gives the whole text. ``languages`` restricts that identification (``--language``) and the
    passages counted; ``[]``: too short to tell."""
    allowed = tuple(sorted(languages)) if languages else None
    base = identify(text, allowed)
    if base is None:
        return []
    counts = {base: sum(map(str.isalpha, text))}
    # the whole text's language is not given: a Russian quote may tip it, and its English sentences are told too
    for start, end, lang in unreadable.__wrapped__(text, (base,), None):  # not cached: a page is read once here
        if allowed is None or lang in allowed:
            held = sum(map(str.isalpha, text[start:end]))
            counts[base] -= held
            counts[lang] = counts.get(lang, 0) + held
    return [lang for lang, n in sorted(counts.items(), key=lambda kv: -kv[1]) if n > 0]


#: letters a Latin-script sentence needs before its language is judged (shorter ones are read as they are)
MIN_LETTERS = 15
#: another language's probability that marks a Latin-script sentence as not English. Measured on 5,895
#: English texts of 15 letters or more (the first 4,000 ClaimBuster sentences and 4,000 HateXplain posts):
#: at 0.9 only a Dutch and a German post are marked, at 0.8 a Spanish one too, and no English text
CONFIDENT = 0.9
#: Russian written in Latin letters ("Ty tupoi idiot"): English below NOT_ENGLISH and, spelled back in
#: Cyrillic, Russian, Ukrainian or Belarusian at LATIN_CYRILLIC or more. On the same 5,895 texts only the
#: German post is marked
NOT_ENGLISH, LATIN_CYRILLIC = 0.1, 0.6
#: the identifier's best guess for Russian in Latin letters stays low (0.07 to 0.27 on the cases of
#: tests/test_lang.py); an Italian sentence at 0.5 or more is not spelled back
LATIN_GUESS = 0.5
CYRILLIC_LANGUAGES = ("be", "bg", "mk", "ru", "sr", "uk")
_BACK = (("shch", "щ"), ("sch", "щ"), ("zh", "ж"), ("kh", "х"), ("ch", "ч"), ("sh", "ш"), ("ts", "ц"), ("ya", "я"),
         ("ja", "я"), ("yu", "ю"), ("ju", "ю"), ("yo", "ё"), ("jo", "ё"), ("a", "а"), ("b", "б"), ("v", "в"),
         ("g", "г"), ("d", "д"), ("e", "е"), ("z", "з"), ("i", "и"), ("j", "й"), ("k", "к"), ("l", "л"), ("m", "м"),
         ("n", "н"), ("o", "о"), ("p", "п"), ("r", "р"), ("s", "с"), ("t", "т"), ("u", "у"), ("f", "ф"), ("h", "х"),
         ("c", "ц"), ("y", "ы"), ("w", "в"), ("x", "кс"), ("q", "к"), ("'", "ь"))
_BACK_RE = re.compile("|".join(re.escape(a) for a, _ in _BACK))
_BACK_MAP = dict(_BACK)
#: a letter of neither the Latin nor no script (Cyrillic, Arabic, CJK, ...)
_NON_LATIN = re.compile(r"[^\W\d_A-Za-z\u00c0-\u024f]")
#: characters of a text (or of its Latin part) that tell whether it is read whole
SAMPLE = 1000


def letters(text: str) -> tuple[int, int, int]:
    """How many of ``text``'s letters are Latin, Cyrillic and of other scripts."""
    latin = cyrillic = other = 0
    for ch in text:
        if ch.isalpha():
            if ch.isascii() or "\u00c0" <= ch <= "\u024f":
                latin += 1
            elif "\u0400" <= ch <= "\u052f":
                cyrillic += 1
            else:
                other += 1
    return latin, cyrillic, other


def script(text: str) -> str | None:
    """The script most of ``text``'s letters are in: ``latin``, ``cyrillic`` or ``other`` (``None``: no letters)."""
    latin, cyrillic, other = letters(text)
    top = max(latin, cyrillic, other)
    return None if not top else "latin" if top == latin else "cyrillic" if top == cyrillic else "other"


def sentence_language(text: str, spell_back: bool = True) -> str | None:
    """The language of one sentence, or ``None`` when it cannot be told (too short, no letters, or Latin
    letters that are not confidently another language: read as English). Cyrillic sentences are told among
    Cyrillic languages. Russian, Ukrainian and Belarusian in Latin letters are ``ru-Latn``, ``uk-Latn`` and
    ``be-Latn`` (``sla-Latn``: Slavic, which one not told), by their words (:mod:`narrascope.latin_slavic`)
    or, for Russian, ``spell_back``: the text spelled back in Cyrillic is Russian."""
    kind = script(text)
    if kind is None:
        return None
    if kind == "cyrillic":
        return str(_identifier(CYRILLIC_LANGUAGES).classify(text)[0])
    if kind == "other":
        return str(_identifier(None).classify(text)[0])
    slavic = latin_slavic(text) if hinted(text.lower()) else None  # the screen first: 10x faster
    if slavic:
        return _slavic(text, slavic)
    if sum(map(str.isalpha, text)) < MIN_LETTERS:
        return None
    ranked = dict(_identifier(None).rank(text))
    top = max(ranked, key=ranked.__getitem__)
    if top == "en" or ranked[top] >= CONFIDENT:
        return str(top)
    # spelled back only with a word of evidence: on 114,830 English sentences of ../shared/data (tweets,
    # comments, news) the spelling alone called 143 Russian or Belarusian, with a word of evidence none
    if spell_back and ranked.get("en", 0.0) < NOT_ENGLISH and ranked[top] < LATIN_GUESS and evidence(text)[1]:
        back = _BACK_RE.sub(lambda m: _BACK_MAP[m[0]], text.lower())
        lang, prob = _identifier(None).classify(back)
        if lang in ("ru", "uk", "be") and prob >= LATIN_CYRILLIC:
            return f"{lang}-Latn"
    return None


def _slavic(text: str, found: str) -> str:
    """The language of a Latin-script sentence whose words are Slavic (``found``: what :func:`latin_slavic`
    said). Polish spelling: Polish when the identifier says so, else ``sla-Latn`` (never Belarusian). Another
    language the identifier is sure of (Czech, Croatian, Polish ...) is that language; Łacinka's letters, and
    Belarusian words without Polish spelling that the identifier takes for Polish, stay Belarusian."""
    ranked = dict(_identifier(None).rank(text))
    top = max(ranked, key=ranked.__getitem__)
    if found == POLISH:
        return POLISH if top == POLISH else SLAVIC
    if spelled_in_lacinka(text) or top == "en" or ranked[top] < CONFIDENT:
        return found
    # sure of another language: Czech, Croatian, Polish without its own letters ("Nie, ty jesteś głupi"),
    # but not Polish where the words are Belarusian ("jakoje budzie", typed without ŭ)
    return found if top == POLISH and found == "be-Latn" else str(top)


def described(language: str) -> str:
    """``language`` as a reason names it: ``'ru'``, or ``'ru-Latn' (Russian in Latin letters)``."""
    name = NAMES.get(language)
    return f"{language!r} ({name})" if name else repr(language)


@lru_cache(maxsize=4096)
def unreadable(text: str, languages: tuple[str, ...], language: str | None = None) -> tuple[tuple[int, int, str], ...]:
    """``(start, end, language)`` of the runs of sentences of ``text`` in none of ``languages``, in order.

    The language of each sentence decides: the Russian quote in an English article is one run, the
    English sentences around it are read; a sentence whose language cannot be told is read. For speed
    (a few milliseconds a page) the sentences of one script are told together: all the Cyrillic ones
    of a text are in the language of its Cyrillic part, and so are those of other scripts; the Latin
    ones are read when the text's Latin part is confidently in ``languages`` (``language``: the whole
    text's, already identified), else each is told on its own (Russian in Latin letters, German), one
    too short to tell being in the language of the Latin part when the identifier is sure of that. A text
    with a word or letter of Russian, Ukrainian or Belarusian in Latin letters (:func:`hinted`) has each of
    its Latin sentences looked at even then: a Latin-letter Russian quote in an English article is a run."""
    slavic = hinted(text)
    if not _NON_LATIN.search(text) and not slavic:
        if language in languages or (language is None and len(text) > SAMPLE and _confident(text) in languages):
            return ()
    spans = sentences(text)
    kinds = [script(text[s:e]) for s, e in spans]
    joined = {kind: " ".join(text[s:e] for (s, e), k in zip(spans, kinds, strict=True) if k == kind)[:3000]
              for kind in ("cyrillic", "other")}
    cyrillic = str(_identifier(CYRILLIC_LANGUAGES).classify(joined["cyrillic"])[0]) if joined["cyrillic"] else ""
    other = str(_identifier(None).classify(joined["other"])[0]) if joined["other"] else ""
    latin = "" if language in languages else _confident(
        " ".join(text[s:e] for (s, e), k in zip(spans, kinds, strict=True) if k == "latin"))
    runs: list[tuple[int, int, str]] = []
    for (start, end), kind in zip(spans, kinds, strict=True):
        lang = (cyrillic if kind == "cyrillic" else other if kind == "other" else None if kind is None
                else _latin(text[start:end], latin, languages, slavic))
        if lang is None or lang in languages:
            continue
        if runs and runs[-1][2] == lang and not any(ch.isalpha() for ch in text[runs[-1][1]:start]):
            runs[-1] = (runs[-1][0], end, lang)
        else:
            runs.append((start, end, lang))
    return tuple(runs)


def _latin(sentence: str, latin: str | None, languages: tuple[str, ...], hint: bool) -> str | None:
    """The language of a Latin-script sentence of a text whose Latin part is in ``latin`` (``""``: the text is
    in one of ``languages``; ``None``: not known): Slavic words in Latin letters decide even then (``hint``:
    the text has some)."""
    if latin == "" or latin in languages:
        slavic = latin_slavic(sentence) if hint else None
        return _slavic(sentence, slavic) if slavic else None
    return sentence_language(sentence, spell_back=latin is None) or latin


def _confident(text: str) -> str | None:
    """The language of the first ``SAMPLE`` characters of ``text`` when the identifier is sure of it (>=
    ``CONFIDENT``), else ``None``."""
    if sum(map(str.isalpha, text[:SAMPLE])) < MIN_LETTERS:
        return None
    top, prob = _identifier(None).classify(text[:SAMPLE])
    return str(top) if prob >= CONFIDENT else None


def blanked(text: str, runs: tuple[tuple[int, int, str], ...]) -> str:
    """``text`` with the characters of ``runs`` replaced by spaces (offsets stay those of ``text``)."""
    for start, end, _ in runs:
        text = text[:start] + " " * (end - start) + text[end:]
    return text
