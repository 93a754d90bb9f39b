"""A document's language is that of most of its letters over its sentences' languages (Latin-letter Slavic
included), and it records every language with a passage of its own; a comment's language is told the same way."""

from __future__ import annotations

import json

import pytest

from narrascope.lang import identify, text_languages
from narrascope.readers import parse_string

LACINKA = ("Siońnia ŭ Minsku zatrymali jašče dziesiać čałaviek. Milicyja nie tłumačyć, za što. Ciapier usie "
           "bajacca vychodzić na vulicu. Žyvie Biełaruś!")
RUSSIAN_IN_LATIN = ("Ty voobshche chto li ne ponimaesh? Eto vsyo nado bylo sdelat eshche vchera, a oni opyat nichego "
                    "ne sdelali.")
QUOTING = ("Belarusian state television repeated the claim on Sunday evening. The presenter said: «Запад хочет "
           "уничтожить нашу страну и развязать войну.» Independent journalists in Vilnius called the broadcast a "
           "rehearsal of the old script, and the opposition asked viewers to switch off.")
UKRAINIAN = ("Президент України заявив у Києві, що вибори відбудуться вчасно. Центральна виборча комісія вже "
             "затвердила календарний план. Опозиція вимагає допустити до голосування громадян, які виїхали за "
             "кордон через війну.")
RUSSIAN_WITH_ENGLISH = ("Лукашенко снова выступил перед чиновниками в Минске. Он сказал, что Запад готовит переворот. "
                        "The European Union said the claims were baseless and repeated its call for new elections.")


@pytest.mark.parametrize("text, whole, languages", [
    (LACINKA, "pl", ["be-Latn"]),  # the whole-text identifier says Polish
    (RUSSIAN_IN_LATIN, "cs", ["ru-Latn"]),  # ... and Czech
    (QUOTING, "en", ["en", "ru"]),
    (UKRAINIAN, "uk", ["uk"]),
    (RUSSIAN_WITH_ENGLISH, "ru", ["ru", "en"]),  # the English sentence of a Russian text is told too
    ("I agree with every word of this article.", "en", ["en"]),
    # a Cyrillic quote tips the whole-text identifier; the English words around it are most of the letters
    ("He wrote «Смерть всем хохлам» under the post.", "ru", ["en", "ru"]),
    # ... but three English words are too little to tell (en at 0.11 on the Latin letters, under TIPPED): ru stays
    ("Укропофашисты – Ukrainian “dill fascists”", "ru", ["ru"]),
    ("ok 👍", None, []),  # too short to tell
    ("😂😂😂🔥", None, []),
])
def test_the_languages_of_a_text_by_its_sentences_most_letters_first(text, whole, languages):
    assert identify(text) == whole
    assert text_languages(text) == languages


def test_a_restricted_identification_counts_only_the_languages_allowed():
    assert text_languages(QUOTING, ["en", "de"]) == ["en"]  # the Russian quote is not counted as another language
    assert text_languages(UKRAINIAN, ["uk", "ru"]) == ["uk"]


def test_parse_stores_the_language_of_most_of_the_text_and_every_language_with_a_passage():
    rows = [{"source": f"https://example.org/{n}", "kind": "post", "title": f"page {n}", "body": body,
             "comments": [{"author": "reader", "text": comment}]}
            for n, (body, comment) in enumerate([(LACINKA, RUSSIAN_IN_LATIN), (QUOTING, "Слава Україні! Героям слава!"),
                                                  (UKRAINIAN, "Fair? Not at all, and you know it.")])]
    docs = parse_string("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), "pages.jsonl")
    assert [(d.language, d.languages, [c.language for c in d.comments]) for d in docs] == [
        ("be-Latn", ["be-Latn"], ["ru-Latn"]),
        ("en", ["en", "ru"], ["uk"]),
        ("uk", ["uk"], ["en"]),
    ]


def test_a_language_the_reader_gives_stays_first():
    row = {"source": "https://example.org/given", "kind": "article", "language": "en", "body": QUOTING}
    [doc] = parse_string(json.dumps(row, ensure_ascii=False), "given.jsonl")
    assert (doc.language, doc.languages) == ("en", ["en", "ru"])
    row = {"source": "https://example.org/said", "kind": "article", "language": "ru", "body": RUSSIAN_IN_LATIN}
    [doc] = parse_string(json.dumps(row, ensure_ascii=False), "said.jsonl")
    assert (doc.language, doc.languages) == ("ru", ["ru", "ru-Latn"])
