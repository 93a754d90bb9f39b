"""Spellings analysts type for the same word: British and American, and transliterations of names.

``variants("colour")`` is ``{"colour", "color"}``; a search for any of them looks for all. Rules
only add spellings, never take the typed one away, and an added spelling that is no word matches
nothing, so the rules stay simple: a few suffix swaps that rarely make another real word, and
explicit lists where a swap would (``our``/``or``: *four*, *your*).
"""

from __future__ import annotations

#: names (and their adjectives) spelled from Russian, Belarusian and Ukrainian in several ways
NAMES: tuple[tuple[str, ...], ...] = (
    ("belarus", "belorussia", "byelorussia", "bielorussia", "belorus", "belarussia"),
    ("belarusian", "belorussian", "byelorussian", "belarusan", "belarussian"),
    ("lukashenko", "lukashenka", "lukaschenko", "loukachenko"),
    ("tsikhanouskaya", "tikhanovskaya", "tsikhanovskaya", "tichanovskaja", "tikhanovskaja", "tsichanouskaja",
     "tihanovskaya"),
    ("tsikhanouski", "tikhanovsky", "tsikhanovsky", "tikhanovskiy"),
    ("navalny", "navalnyy", "navalni", "nawalny", "navalnyi"),
    ("zelensky", "zelenskyy", "zelenskiy", "zelenskyi", "selenskyj", "zelenskij"),
    ("kyiv", "kiev"), ("kharkiv", "kharkov"), ("odesa", "odessa"), ("luhansk", "lugansk"), ("mykolaiv", "nikolaev"),
    ("lviv", "lvov"), ("dnipro", "dnepr"), ("chornobyl", "chernobyl"), ("donbas", "donbass"),
    ("maidan", "maydan"), ("gorbachev", "gorbachov"), ("yeltsin", "eltsin"), ("prigozhin", "prigojine"),
    ("shoigu", "shoygu"), ("peskov", "peskow"), ("zakharova", "sakharova"),
    ("yevgeny", "evgeny", "yevgeniy", "evgeniy"), ("sergei", "sergey", "serhiy"), ("alexei", "aleksei", "alexey"),
    ("alexander", "aleksandr", "alyaksandr", "oleksandr"), ("dmitry", "dmitri", "dmytro"),
    ("hrodna", "grodno"), ("homel", "gomel"), ("mahiliou", "mogilev"), ("viciebsk", "vitebsk"),
    ("tsar", "czar"), ("tsarist", "czarist"), ("russophobia", "rusophobia"),
)
#: British -our words whose American spelling drops the u (an explicit list: "four" is no "for")
OUR = ("colour", "favour", "honour", "labour", "rumour", "neighbour", "behaviour", "harbour", "armour", "vapour",
       "endeavour", "humour", "flavour", "saviour", "valour", "vigour", "fervour", "clamour", "rigour", "splendour",
       "tumour", "odour", "parlour", "candour", "glamour", "demeanour", "misdemeanour", "savour")
#: British -ence nouns spelled -ense in American English
ENCE = ("defence", "offence", "licence", "pretence")
#: British doubled l before a suffix (travelled, labelled)
LL = ("travel", "cancel", "label", "model", "signal", "fuel", "level", "channel", "total", "counsel", "marshal",
      "equal", "rival", "dial", "quarrel", "shovel", "tunnel")
OTHER = (("grey", "gray"), ("programme", "program"), ("sceptic", "skeptic"), ("sceptical", "skeptical"),
         ("ageing", "aging"), ("judgement", "judgment"), ("manoeuvre", "maneuver"), ("aluminium", "aluminum"),
         ("cheque", "check"), ("jewellery", "jewelry"), ("plough", "plow"), ("whilst", "while"))
SUFFIXES = ("", "s", "ed", "ing", "ful", "less", "ite", "ites", "able", "ist", "ists", "er", "ers", "ation")


def _table() -> dict[str, frozenset[str]]:
    table: dict[str, set[str]] = {}

    def join(words: list[str]) -> None:
        group = set(words)
        for w in words:
            group |= table.get(w, set())
        for w in group:
            table[w] = group

    for names in NAMES:
        join(list(names))
    for word in OUR:
        us = word[:-2] + "r"
        for suffix in SUFFIXES:
            join([word + suffix, us + suffix])
    for word in ENCE:
        join([word, word[:-2] + "se", word + "s", word[:-2] + "ses"])
    for stem in LL:
        for suffix in ("ed", "ing", "er", "ers"):
            join([stem + "l" + suffix, stem + suffix])
    for pair in OTHER:
        join(list(pair) + [w + "s" for w in pair])
    return {w: frozenset(g) for w, g in table.items()}


TABLE = _table()
_SWAPS = (("isation", "ization"), ("isations", "izations"), ("ise", "ize"), ("ised", "ized"), ("ises", "izes"),
          ("ising", "izing"), ("yse", "yze"), ("ysed", "yzed"), ("ysing", "yzing"), ("tre", "ter"), ("tres", "ters"))


def variants(word: str) -> set[str]:
    """``word`` (lower-cased) and the other spellings of it that analysts meet."""
    w = word.lower()
    out = {w} | set(TABLE.get(w, ()))
    if len(w) >= 6:  # ise/ize, yse/yze, tre/ter: both ways, on words long enough to be more than a suffix
        for british, american in _SWAPS:
            for a, b in ((british, american), (american, british)):
                if w.endswith(a):
                    out.add(w[: -len(a)] + b)
    return out
