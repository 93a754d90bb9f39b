"""Russian, Ukrainian and Belarusian written in Latin letters are not English; English naming Slavic people is.

The sentences are written for these tests (the Latin-letter ones as they are typed online); each rule
is checked on whole sentences through :func:`sentence_language`, the function every layer's
sentence split uses, and through one real layer.
"""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from narrascope.cli import app
from narrascope.lang import described, sentence_language, unreadable
from narrascope.latin_slavic import hinted, latin_slavic
from narrascope.model import Comment, Document
from narrascope.pipeline.component import get_component


@pytest.mark.parametrize("text, language", [
    # Russian typed in Latin letters: function words (eto, ochen, nado, zhe, vsyo, kak, pochemu) and spellings
    ("Eto ochen plokho, nado chto-to delat.", "ru-Latn"),
    ("Pochemu vse molchat? Eto zhe pozor!", "ru-Latn"),
    ("Blyad, kak zhe ty dostal so svoimi kommentariyami.", "ru-Latn"),
    ("Oni vsyo vrut, kak vsegda.", "ru-Latn"),
    ("nu i chto teper delat", "ru-Latn"),  # no capital, no full stop
    ("Ty zhalkii neudachnik, kotoryi zhivet u mamy v podvale.", "ru-Latn"),
    ("Novyy zakon pozvolyaet politsii blokirovat' lyuboy sayt bez resheniya suda.", "ru-Latn"),  # soft sign as '
    ("Y'all don't know what rock'n'roll is, ma'am, it's o'clock.", "en"),  # English apostrophes are not one
    # Ukrainian typed in Latin letters
    ("Shcho tse take? Ya ne rozumiyu.", "uk-Latn"),
    ("Vony kazhut, shcho vse bude dobre.", "uk-Latn"),
    ("Chomu vin tak skazav?", "uk-Latn"),
    # the words do not tell Russian from Ukrainian: Slavic, which one not said
    ("Ya ne soglasen s tsiframi ministra po inflyatsii.", "sla-Latn"),
    # Belarusian Łacinka: ŭ, háček letters beside ł / ś / ź / ń, and its words (heta, što, ciapier, jany)
    ("Što heta za ŭlada, jakaja bje svaich ludziej?", "be-Latn"),
    ("Ciapier usio budzie inakš.", "be-Latn"),
    ("Heta nie naša vajna.", "be-Latn"),
    ("Žyvie Biełaruś!", "be-Latn"),  # the slogan: two words, only Łacinka spells them so
    ("Biełarusy — bydła, jakoje budzie lizać boty lubomu haspadaru.", "be-Latn"),  # the identifier says pl
    # Polish (ł, ś, ź, ć, ń too) stays Polish, never Belarusian
    ("Nie wiem, jak to zrobić, ty głupi idioto.", "pl"),
    ("Tak, oni też tak mówią.", "pl"),
    ("Łukaszenka musi odejść, bo przegrał wybory.", "pl"),
    ("Nie, ty jesteś głupi.", "pl"),  # no ą, ę, ó, ż, w, rz, sz, cz: the identifier is sure (0.999) of Polish
    ("Ty chuju jebany", "sla-Latn"),  # Polish typed without its letters, the identifier unsure: not Belarusian
    # Czech: its own letters (é, ě, ř ...) leave it to the identifier
    ("Nevím, proč to dělá, je to hloupost.", "cs"),
    # English naming Slavic people, places and slogans stays English
    ("Lukashenka said that the West wants to destroy Belarus.", "en"),
    ("Marshal Zhukov led the Soviet assault on Berlin.", "en"),
    ("Tsikhanouskaya met the Lithuanian president in Vilnius.", None),  # read as it is (main: "ru")
    ("Navalny was poisoned with Novichok in August 2020.", "en"),
    ('Crowds chanted "Slava Ukraini" outside the embassy.', "en"),
    ("Supporters still call him Bat'ka, the father of the nation.", "en"),
    ("Protesters chanted Žyvie Biełaruś in the streets of Minsk.", "en"),
    ("The Zhytomyr and Kharkiv regions were shelled overnight.", "en"),
    ("Da, nyet, spasibo: three words every tourist learns.", "en"),
    ("Oh my god, ya know what I mean?", "en"),  # English slang: "ya", "my", "god"
    ("Call da po po, smash ya hoe.", None),  # too short to tell; "po po" is one word of evidence, not two
])
def test_the_language_of_a_latin_script_sentence(text, language):
    assert sentence_language(text) == language


def test_one_name_is_never_enough_and_the_spelling_alone_no_longer_calls_english_russian():
    assert latin_slavic("Nadiya Savchenko tortured Russian prisoners") is None
    # main at 3c4da2d spelled these back in Cyrillic and called them Russian: no Slavic word, now read
    for text in ("Nadiya Savchenko tortured Russian prisoners", "Excellent column, Professor Haycox.",
                 "Goodbye USA, Hello North Korea!", "Former Navy Sailor Pardoned By Trump To Sue Obama & Comey"):
        assert sentence_language(text) in ("en", None), text


def test_a_latin_russian_quote_in_an_english_text_is_the_only_run_not_read():
    text = ("The minister spoke to reporters in Minsk on Monday. Eto vsyo vran'yo, vy nas ne obmanete! "
            "The police did not answer the question.")
    quote = text.index("Eto")
    end = text.index(" The police")
    assert (quote, end) == (52, 89)
    assert unreadable(text, ("en",)) == ((quote, end, "ru-Latn"),)
    assert unreadable(text, ("en",), "en") == ((quote, end, "ru-Latn"),)  # known English: still per sentence
    assert unreadable("The minister spoke to reporters in Minsk on Monday.", ("en",), "en") == ()


def test_the_fast_screen_lets_english_without_slavic_words_pass():
    assert not hinted("Marshal Zhukov led the Soviet assault on Berlin and Kharkiv.")
    assert hinted("Eto vsyo vran'yo.")
    assert hinted("Žyvie Biełaruś")


def test_reasons_name_the_language():
    assert described("ru") == "'ru'"
    assert described("ru-Latn") == "'ru-Latn' (Russian in Latin letters)"
    assert described("be-Latn") == "'be-Latn' (Belarusian in Łacinka, its Latin alphabet)"


def test_toxicity_says_unsupported_for_a_russian_comment_in_latin_letters(tmp_path):
    comments = ["Ty zhalkii neudachnik, kotoryi zhivet u mamy v podvale.",
                "Heta nie naša vajna.", "You are a pathetic loser who lives in his mother's basement."]
    page = Document(source="https://example.org/t", comments=[Comment(t, id=f"c{n}") for n, t in enumerate(comments)])
    [doc] = get_component("toxicity").pipe([page])
    found = {a.target: (a.label, (a.data or {}).get("reason")) for a in doc.annotations if a.label != "toxic_span"}
    assert found == {
        "c0": ("unsupported", "language 'ru-Latn' (Russian in Latin letters): the toxicity model reads en only"),
        "c1": ("unsupported", "language 'be-Latn' (Belarusian in Łacinka, its Latin alphabet): the toxicity model "
                              "reads en only"),
        "c2": ("offensive", None)}
    lines = "".join(json.dumps({"id": str(n), "text": t}) + "\n" for n, t in enumerate(comments))
    (tmp_path / "in.jsonl").write_text(lines, encoding="utf-8")
    result = CliRunner().invoke(app, ["predict", "toxicity", "--input", str(tmp_path / "in.jsonl")])
    assert result.exit_code == 0, result.output
    rows = [json.loads(line) for line in result.output.splitlines()]
    assert [r.get("unsupported") for r in rows] == [found["c0"][1], found["c1"][1], None]
    assert rows[2]["label"] == "offensive"


def test_eval_model_translated_decides_no_latin_letter_item():
    result = CliRunner().invoke(app, ["eval", "model", "--translated", "--head", "toxicity", "--json"])
    assert result.exit_code == 0, result.output
    rows = {r["language"]: r for r in map(json.loads, result.output.splitlines())}
    assert [(rows[k]["items"], rows[k]["decided"]) for k in ("ru-Latn", "be-Latn")] == [(16, 0), (16, 0)]
