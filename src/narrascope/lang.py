"""Language identification with py3langid, whose model ships inside the package."""

from __future__ import annotations

import copy
import re
from collections.abc import Iterable
from functools import lru_cache
from typing import Any

from narrascope.latin_slavic import NAMES, POLISH, SLAVIC, evidence, hinted, latin_slavic, spelled_in_lacinka
from narrascope.sentences import sentences

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
    if base in CYRILLIC_LANGUAGES and script(text[:3000]) == "latin":  # a Cyrillic quote tipped the identifier
        base = _latin_part(text, allowed) or base
    if base is None:
        return []
    counts = {base: sum(map(str.isalpha, text))}
    # the whole text's language is not given: a Russian quote may tip it, and its English sentences are told too
    runs = [r for r in unreadable.__wrapped__(text, (base,), None) if allowed is None or r[2] in allowed]
    for start, end, lang in runs:  # not cached above: a page is read once here
        held = sum(map(str.isalpha, text[start:end]))
        counts[base] -= held
        counts[lang] = counts.get(lang, 0) + held
    top = max(counts, key=counts.__getitem__)
    if top != base:  # the identifier was wrong about the whole: what is left is in its own language, if it tells
        rest, left = identify(blanked(text, tuple(runs)), allowed, MIN_LETTERS) or top, counts.pop(base)
        counts[rest] = counts.get(rest, 0) + left
    return [lang for lang, n in sorted(counts.items(), key=lambda kv: -kv[1]) if n > 0]


#: the probability the language of a mostly Latin text's Latin letters needs to stand for it when a Cyrillic quote
#: tipped the whole text's identification: "He wrote «Смерть всем хохлам» under the post." is en at 0.40 on its
#: Latin letters; a Russian slur beside its two-word English translation (an EUvsDisinfo title) af at 0.04
TIPPED = 0.2


def _latin_part(text: str, allowed: tuple[str, ...] | None) -> str | None:
    """The language of ``text``'s Latin letters alone when the identifier gives it ``TIPPED`` or more, else ``None``."""
    latin = _NON_LATIN.sub(" ", text[:3000])
    if sum(map(str.isalpha, latin)) < MIN_LETTERS:
        return None
    lang, prob = _identifier(allowed).classify(latin)
    return str(lang) if prob >= TIPPED else None


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
    its Latin sentences looked at even then: a Latin-letter Russian quote in an English article is a run.

    A run may be part of a sentence (this is the one place where sentences get their language): each is first
    cut where its script changes for ``RUN_WORDS`` words or more (:func:`pieces`), so in "He wrote «Смерть
    всем хохлам» under the post." the quote is a run and the English words around it are read; and a
    quotation inside a piece that is read is told on its own (:func:`quoted`): a Russian one in Latin letters,
    or a two-word Cyrillic one, is a run too."""
    slavic = hinted(text)
    if not _NON_LATIN.search(text) and not slavic:
        if language in languages or (language is None and len(text) > SAMPLE and _confident(text) in languages):
            return ()
    spans = [piece for s, e in sentences(text) for piece in pieces(text, s, e)]
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
            runs += quoted(text, start, end, latin, languages, slavic) if kind else []
            continue
        if runs and runs[-1][2] == lang and not any(ch.isalpha() for ch in text[runs[-1][1]:start]):
            runs[-1] = (runs[-1][0], end, lang)
        else:
            runs.append((start, end, lang))
    return tuple(runs)


#: words a stretch of another script needs to be a passage of its own inside a sentence ("He wrote «Смерть всем
#: хохлам» under the post."): one Cyrillic name in an English sentence, or "Apple" in a Russian one, is read with it
RUN_WORDS = 3
#: words a quotation needs before its own language is told ("«Слава Україні»" inside an English sentence)
QUOTE_WORDS = 2
_TOKEN = re.compile(r"\S+")
_QUOTE = re.compile(r"«[^«»]+»|“[^“”]+”|„[^„“”]+[“”]|\"[^\"]+\"")


def pieces(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """The sentence ``text[start:end]`` cut where its script changes for ``RUN_WORDS`` words or more: the
    English words around a Russian quote, and the quote (with the quotation marks typed against its words),
    are pieces of their own. Shorter stretches belong to the sentence's main script; words without letters
    (emoji, numbers) never cut a stretch and belong to no piece between two. One piece: the whole sentence."""
    if not _NON_LATIN.search(text, start, end):  # one script: most sentences, told in a regular-expression scan
        return [(start, end)]
    main = script(text[start:end])
    groups: list[list[Any]] = []  # [script, first start, last end, words]
    for m in _TOKEN.finditer(text, start, end):
        kind = script(m[0])
        if kind is None:
            continue
        if groups and groups[-1][0] == kind:
            groups[-1][2:] = [m.end(), groups[-1][3] + 1]
        else:
            groups.append([kind, m.start(), m.end(), 1])
    merged: list[list[Any]] = []
    for kind, s, e, words in groups:
        kind = kind if words >= RUN_WORDS else main
        if merged and merged[-1][0] == kind:
            merged[-1][2] = e
        else:
            merged.append([kind, s, e, words])
    return [(start, end)] if len(merged) < 2 else [(s, e) for _, s, e, _ in merged]


def quoted(text: str, start: int, end: int, latin: str | None, languages: tuple[str, ...],
           hint: bool) -> list[tuple[int, int, str]]:
    """``(start, end, language)`` of the quotations of ``QUOTE_WORDS`` words or more inside the readable piece
    ``text[start:end]`` whose own language is not one of ``languages`` (Cyrillic and other scripts by the
    identifier; Latin ones by :func:`_latin`, as a sentence of the text), quotation marks included."""
    found = []
    for m in _QUOTE.finditer(text, start, end):
        if len(m[0].split()) < QUOTE_WORDS:
            continue
        kind = script(m[0])
        lang = (None if kind is None else _latin(m[0], latin, languages, hint) if kind == "latin"
                else str(_identifier(CYRILLIC_LANGUAGES if kind == "cyrillic" else None).classify(m[0])[0]))
        if lang is not None and lang not in languages:
            found.append((m.start(), m.end(), lang))
    return found


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
