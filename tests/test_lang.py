"""The language of each sentence: scripts, Russian in Latin letters, Łacinka, and runs a layer cannot read."""

from __future__ import annotations

import pytest

from narrascope.lang import blanked, pieces, script, sentence_language, unreadable

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


@pytest.mark.parametrize("text, runs", [
    # a Cyrillic stretch of three words or more inside an English sentence is a run of its own, quotation marks
    # typed against its words included; the English words around it are read
    ("He wrote «Смерть всем хохлам» under the post.", [(9, 29, "ru", "«Смерть всем хохлам»")]),
    # a quotation of two words or more is told on its own: Cyrillic, or Russian in Latin letters
    ("He said «Слава Україні» today, and left.", [(8, 23, "uk", "«Слава Україні»")]),
    ('He wrote "Ty tupoi idiot, eto vsyo nado ubrat" under the post.',
     [(9, 46, "ru-Latn", '"Ty tupoi idiot, eto vsyo nado ubrat"')]),
    ("«Смерть всем хохлам»", [(0, 20, "ru", "«Смерть всем хохлам»")]),  # a sentence that is all quote
    # nested quotes: one run; the sentence is mostly Cyrillic, so its two English words before it go with it
    ("He wrote «Он сказал „нет, никогда“ всем нам» under the post.",
     [(0, 44, "ru", "He wrote «Он сказал „нет, никогда“ всем нам»")]),
    ("He wrote Пyтин cмерть всем under the post.", [(9, 26, "ru", "Пyтин cмерть всем")]),  # Latin y, c in words
    # emoji between the words never cut a run, and the one after it belongs to no run
    ("He wrote Смерть 🔥 всем 😂 хохлам 🔥 under the post.", [(9, 31, "ru", "Смерть 🔥 всем 😂 хохлам")]),
    # fewer than three words of the other script go with the sentence's own
    ("Lukashenka (Лукашенко) said the vote was fair and the result final.", []),
    ("Компания Apple заявила, что продажи выросли.", [(0, 44, "ru", "Компания Apple заявила, что продажи выросли.")]),
    ('He said "we will never give up" and left the room.', []),  # an English quotation is English
    ("He wrote «🔥🔥 😂» under the post.", []),  # a quotation without letters
])
def test_a_foreign_passage_inside_an_english_sentence_is_a_run_of_its_own(text, runs):
    assert [(s, e, lang, text[s:e]) for s, e, lang in unreadable(text, ("en",))] == runs
    assert unreadable(text, ("en",), "en") == unreadable(text, ("en",))  # the text's language given or not


def test_pieces_of_a_sentence_by_script():
    text = "Intro. He wrote «Смерть всем хохлам» under the post. Done."
    assert [text[s:e] for s, e in pieces(text, 7, 52)] == ["He wrote", "«Смерть всем хохлам»", "under the post."]
    assert pieces(text, 0, 6) == [(0, 6)]  # one script: the whole sentence
    assert pieces("😂 🔥", 0, 3) == [(0, 3)]  # no letters
