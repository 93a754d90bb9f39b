"""Every layer reads the sentences in a language its model knows and says ``unsupported`` for the others.

The layers' English models read English only (a layer's multilingual head, where it has one, is switched
off here: the ``english_only`` fixture; see the layers' ``test_multilingual``). The language of each
sentence (or comment) decides, not the document's: an English article's Russian quote is not analysed
and its English sentences are; a Russian article's English sentence is analysed. Other scripts, Russian
in Latin letters, Belarusian Łacinka and emoji get a label or ``unsupported``, never an error.
"""

from __future__ import annotations

import pytest

from narrascope.lang import described
from narrascope.model import Comment, Document
from narrascope.readers import finish

EN = ("The government has once again lied to the people about the economy. These corrupt traitors must be "
      "stopped before they destroy our great nation forever. ")
QUOTE = "He said: «Президент Лукашенко заявил, что Запад хочет уничтожить Беларусь и что оппозиция работает на " \
        "иностранные спецслужбы.» "
CRITICS = "Critics called this a shameless lie designed to frighten voters."
RU = "Президент Лукашенко заявил, что Запад хочет уничтожить Беларусь. Оппозиция ответила из Вильнюса. "
CLAIM = "Unemployment doubled in the two years after the election."
COMMENTS = ["You are a disgusting stupid idiot.", "Ты тупой идиот и все твои друзья тоже, убирайся отсюда.",
            "😂😂😂🔥", "Ty tupoi idiot i vse tvoi druzya tozhe, ubiraisya otsyuda.",
            "Žyvie Biełaruś! Łukašenka musić syści, bo jon prajhraŭ vybary.", "هذا كذب واضح من الحكومة ضد الشعب كله",
            "这是政府对人民的明显谎言，完全不可信。"]
#: the comments no layer reads, with the language each is said to be in
NOT_READ = {1: "ru", 3: "ru-Latn", 4: "be-Latn", 5: "ar", 6: "zh"}


def documents() -> list[Document]:
    english = Document(source="https://example.org/en", body=EN + QUOTE + CRITICS,
                       comments=[Comment(text=t) for t in COMMENTS])
    russian = Document(source="https://example.org/ru", body=RU + CLAIM)
    return finish([english, russian], {})


def runs(doc: Document) -> list[tuple[str, int, int, str]]:
    """What every layer says it cannot read in the two documents."""
    comment = {c.id: n for n, c in enumerate(doc.comments)}
    return sorted((f"comment {comment[a.target]}" if a.target_type == "comment" else "body", a.start, a.end,
                   a.data["language"]) for a in doc.annotations if a.label == "unsupported")


QUOTE_START = len(EN)
QUOTE_END = len(EN) + len(QUOTE) - 1
EXPECTED_EN = sorted([("body", QUOTE_START, QUOTE_END, "ru")]
                     + [(f"comment {n}", 0, len(COMMENTS[n]), lang) for n, lang in NOT_READ.items()])
EXPECTED_RU = [("body", 0, len(RU) - 1, "ru")]


@pytest.mark.parametrize("layer", ["techniques", "narratives", "claims", "toxicity"])
def test_each_layer_says_which_sentences_it_cannot_read(layer, english_only):
    config = {"sentences": True} if layer == "toxicity" else {}
    english, russian = english_only(layer, **config).pipe(documents())
    # the whole-text identifier says ru (the quote tips it); most of the letters are in English sentences
    assert [(d.language, d.languages) for d in (english, russian)] == [("en", ["en", "ru"]), ("ru", ["ru", "en"])]
    assert runs(english) == EXPECTED_EN
    # toxicity scores each sentence of a body as a text of its own: each Russian one is a run
    assert runs(russian) == ([("body", 0, 64, "ru"), ("body", 65, len(RU) - 1, "ru")] if layer == "toxicity"
                             else EXPECTED_RU)
    for a in english.annotations + russian.annotations:
        if a.label == "unsupported":
            assert a.score is None and a.layer == layer
            assert a.data["reason"] == f"language {described(a.data['language'])}: the {layer} model reads en only"
        elif a.target == english.id and (a.start, a.end) != (0, len(english.body)):
            assert a.end <= QUOTE_START or a.start >= QUOTE_END, a  # no finding reaches into the quote


def test_the_english_sentences_around_a_quote_and_in_a_russian_text_are_still_read(english_only):
    english, russian = english_only("claims").pipe(documents())
    claims = sorted(a.data["text"] for a in english.annotations + russian.annotations if a.label == "claim")
    assert claims == ["The government has once again lied to the people about the economy.",
                      CLAIM]


def test_toxicity_labels_the_comments_it_reads_and_emoji_get_a_label(english_only):
    [english, _] = english_only("toxicity").pipe(documents())
    labels = {n: a.label for n, c in enumerate(english.comments) for a in english.annotations
              if a.target == c.id and a.label != "toxic_span"}
    # model v2 calls this personal insult hatespeech (a known limit, see the toxicity model card)
    assert labels == {0: "hatespeech", 1: "unsupported", 2: "normal", 3: "unsupported", 4: "unsupported",
                      5: "unsupported", 6: "unsupported"}


def test_analyze_says_how_many_passages_each_language_left_unread(tmp_path):
    import json

    from typer.testing import CliRunner

    from narrascope.cli import app

    page = {"source": "https://example.org/en", "kind": "article", "body": EN + QUOTE + CRITICS,
            "comments": [{"author": "a", "text": COMMENTS[n]} for n in (0, 1, 5)]}
    (tmp_path / "page.jsonl").write_text(json.dumps(page, ensure_ascii=False) + "\n", encoding="utf-8")
    result = CliRunner().invoke(app, ["analyze", str(tmp_path / "page.jsonl"), "--db", str(tmp_path / "c.duckdb"),
                                      "-c", "claims"], env={"COLUMNS": "200"})
    assert result.exit_code == 0, result.output
    rows = [" ".join(line.strip("│ ").split()) for line in result.output.splitlines() if "not analysed" in line]
    # the claims layer reads the Russian quote and comment with its multilingual head; the Arabic one it cannot
    assert rows == ["not analysed (unsupported): ar │ 1"]


MIXED_BODY = ("Unemployment doubled in the two years after the election. He wrote «Смерть всем хохлам» under the post. "
              "Critics called this a shameless lie designed to frighten voters.")
MIXED_COMMENTS = ["He wrote «Смерть всем хохлам» under the post.",
                  'You idiot, he wrote "Ty tupoi idiot, eto vsyo nado ubrat" under my post.',
                  "«Смерть всем хохлам»",  # all quote
                  "He wrote «Он сказал „нет, никогда“ всем нам» under the post.",  # nested quotes
                  "He wrote Пyтин cмерть всем under the post.",  # Latin letters inside Cyrillic words
                  "They wrote Смерть 🔥 всем 😂 хохлам 🔥 under the post again.",  # emoji between the words
                  "You are a disgusting idiot and «Смерть всем хохлам» is what you wrote."]
#: (start, end, language) of the one passage of each comment no layer reads
MIXED_RUNS = {0: (9, 29, "ru"), 1: (20, 57, "ru-Latn"), 2: (0, 20, "ru"), 3: (0, 44, "ru"), 4: (9, 26, "ru"),
              5: (11, 33, "ru"), 6: (31, 51, "ru")}
#: what each layer finds outside those passages: (where, start, end, label)
MIXED_FOUND = {
    "claims": [("body", 0, 57, "claim")],
    "narratives": [],
    # a span drawn across the Latin-letter quote is cut into the English pieces around it
    "techniques": [("body", 104, 167, "Loaded_Language"), ("comment 1", 0, 19, "Doubt"), ("comment 1", 58, 71, "Doubt"),
                   ("comment 6", 0, 30, "Loaded_Language"), ("comment 6", 52, 69, "Loaded_Language")],
    # a comment's label is that of its English words; the all-quote comment gets none
    "toxicity": [("comment 0", 0, 45, "normal"), ("comment 1", 0, 72, "normal"), ("comment 1", 4, 9, "toxic_span"),
                 ("comment 3", 0, 60, "normal"), ("comment 4", 0, 42, "normal"), ("comment 5", 0, 57, "normal"),
                 ("comment 6", 0, 70, "hatespeech"), ("comment 6", 10, 26, "toxic_span")],
}


@pytest.mark.parametrize("layer", ["techniques", "narratives", "claims", "toxicity"])
def test_a_foreign_quote_inside_an_english_sentence_is_judged_on_its_own(layer, english_only):
    doc = finish([Document(source="https://example.org/quote", body=MIXED_BODY,
                           comments=[Comment(text=t) for t in MIXED_COMMENTS])], {})[0]
    assert ([c.language for c in doc.comments], doc.language, doc.languages) == (
        ["en", "ru-Latn", None, "ru", "en", "en", "en"], "en", ["en", "ru"])
    [doc] = english_only(layer).pipe([doc])
    body = [] if layer == "toxicity" else [("body", 67, 87, "ru")]  # toxicity reads the comments only
    assert runs(doc) == sorted(body + [(f"comment {n}", *r) for n, r in MIXED_RUNS.items()])
    assert MIXED_BODY[67:87] == "«Смерть всем хохлам»"
    comment = {c.id: n for n, c in enumerate(doc.comments)}
    found = sorted((f"comment {comment[a.target]}" if a.target_type == "comment" else "body", a.start, a.end, a.label)
                   for a in doc.annotations if a.label != "unsupported")
    assert found == MIXED_FOUND[layer]
    for a in doc.annotations:
        if a.label == "unsupported":
            assert a.data["reason"] == f"language {described(a.data['language'])}: the {layer} model reads en only"
