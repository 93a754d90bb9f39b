"""The language of each sentence: scripts, Russian in Latin letters, Łacinka, and runs a layer cannot read."""

from __future__ import annotations

import pytest

from narrascope.lang import blanked, script, sentence_language, unreadable

QUOTE = ("The government has once again lied about the economy. He said: «Президент заявил, что Запад хочет "
         "уничтожить Беларусь.» Critics called this a shameless lie designed to frighten voters.")


@pytest.mark.parametrize("text, language", [
    ("The government has once again lied to the people about the economy.", "en"),
    ("Президент заявил, что Запад хочет уничтожить Беларусь.", "ru"),
    ("Президент України заявив у Києві, що вибори відбудуться вчасно.", "uk"),
    ("Лукашэнка сказаў, што Мінск не здасца і ўсё застанецца як было.", "be"),
    ("Ty tupoi idiot i vse tvoi druzya tozhe, ubiraisya otsyuda.", "ru-Latn"),  # Russian in Latin letters
    ("Lukashenko zayavil, chto Zapad khochet unichtozhit Belarus.", "ru-Latn"),
    ("Žyvie Biełaruś! Łukašenka musić syści, bo jon prajhraŭ vybary.", "be-Latn"),  # Łacinka
    ("Das ist ein ganz normaler deutscher Kommentar über die Politik.", "de"),
    ("هذا كذب واضح من الحكومة ضد الشعب كله", "ar"),
    ("这是政府对人民的明显谎言，完全不可信。", "zh"),
    ("😂😂😂🔥", None),  # no letters: nothing to tell
    ("lol ok", None),  # too few letters to tell: read as it is
])
def test_the_language_of_one_sentence(text, language):
    assert sentence_language(text) == language


def test_scripts():
    assert [script(t) for t in ("Minsk", "Мінск", "منسك", "明斯克", "🔥 42")] == [
        "latin", "cyrillic", "other", "other", None]


def test_the_russian_quote_of_an_english_article_is_the_only_run_it_cannot_read():
    runs = unreadable(QUOTE, ("en",))
    assert runs == ((54, 119, "ru"),)
    assert QUOTE[54:119] == "He said: «Президент заявил, что Запад хочет уничтожить Беларусь.»"
    assert blanked(QUOTE, runs) == QUOTE[:54] + " " * 65 + QUOTE[119:]


def test_an_english_sentence_in_a_russian_text_is_read_and_the_russian_ones_are_not():
    text = ("Президент заявил, что Запад хочет уничтожить Беларусь. The opposition called this a lie. "
            "Оппозиция ответила из Вильнюса. Слава!")
    assert unreadable(text, ("en",)) == ((0, 54, "ru"), (89, 127, "ru"))
    assert unreadable(text, ("en", "ru")) == ()


def test_a_short_cyrillic_sentence_is_in_the_language_of_the_text():
    assert unreadable("Слава Україні! Героям слава!", ("en",)) == ((0, 28, "uk"),)


def test_an_english_text_is_read_whole_and_nothing_is_an_error():
    assert unreadable("I agree. It is what it is.", ("en",)) == ()
    for text in ("", "   ", "!!!", "😂😂😂🔥", "\u200b", "a" * 100_000):
        assert unreadable(text, ("en",)) == ()


def test_latin_sentences_too_short_to_tell_are_in_the_language_of_the_latin_part():
    text = ("Le offerte del giorno per chi ama il cinema. 3) Cofanetto Nolan: Interstellar e altri film. Ogni anno "
            "i negozi abbassano i prezzi di tutti i prodotti. I agree.")
    assert sentence_language("3) Cofanetto Nolan: Interstellar e altri film.") is None  # alone: cannot tell
    assert unreadable(text, ("en",), "it") == ((0, len(text), "it"),)  # in its Italian page, it is Italian
