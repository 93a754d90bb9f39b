"""``narrascope eval model --translated``: the parallel checks and each layer's decisions on them, per language."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

from narrascope.cli import app
from narrascope.errors import NarrascopeError
from narrascope.evaluation.translated import CHECKS, ITEM_COLUMNS, Decision, decisions, gold_labels, read_checks

#: letters each language's texts never use (a slip into another language's spelling)
FOREIGN = {"ru": "іїєґў", "uk": "ыэёъў", "be": "ищъїєґ"}


@pytest.fixture(scope="module")
def shipped():
    return read_checks()


def test_the_shipped_checks_cover_every_layer_in_four_languages(shipped):
    assert {head: len(items) for head, items in shipped.items()} == {
        "claims": 42, "narratives": 46, "techniques": 45, "toxicity": 48}
    items = [c for head in shipped.values() for c in head]
    assert len({c.id for c in items}) == len(items) == 181
    four = {"en", "ru", "uk", "be"}
    assert {frozenset(c.texts) for c in items} == {frozenset(four), frozenset(four | {"ru-Latn", "be-Latn"})}
    assert [c.id for c in shipped["toxicity"] if "ru-Latn" in c.texts] == [c.id for c in shipped["toxicity"]
                                                                          if "be-Latn" in c.texts]
    assert len([c for c in items if "ru-Latn" in c.texts]) == 16
    for head, checks in shipped.items():
        assert {c.gold for c in checks} <= gold_labels(head)
    assert {c.gold for c in shipped["toxicity"]} == {"hatespeech", "offensive", "normal"}
    assert {c.gold for c in shipped["claims"]} == {"claim", "none"}
    assert len({c.gold for c in shipped["narratives"]}) == 30  # 29 narratives of the taxonomy and none
    assert len({c.gold for c in shipped["techniques"]}) == 15  # the 14 PTC techniques and none
    assert sorted({c.id.split("-")[0] for c in items}) == ["claims", "narr", "tech", "tox"]


def test_each_text_is_written_in_its_own_alphabet(shipped):
    slips = []
    for checks in shipped.values():
        for c in checks:
            for lang, letters in FOREIGN.items():
                text = c.texts[lang]
                mixed = [w for w in re.findall(r"\w+", text) if re.search("[A-Za-z]", w)
                         and re.search("[а-яёіїєґў]", w, re.I)]
                if set(text.lower()) & set(letters) or mixed:
                    slips.append((c.id, lang))
            for lang in ("en", "ru-Latn", "be-Latn"):
                if re.search("[а-яёіїєґў]", c.texts.get(lang, ""), re.I):
                    slips.append((c.id, lang))
            if "ŭ" in c.texts.get("ru-Latn", "") or re.search("[šžčćńśźł]", c.texts.get("ru-Latn", "")):
                slips.append((c.id, "ru-Latn"))  # Russian typed in Latin letters, not Łacinka
    assert slips == []


def write(path: Path, head: str, items: list[dict], languages: tuple[str, ...] = ("en", "ru", "uk"),
          also: tuple[str, ...] = ()) -> Path:
    spec = {"head": head, "languages": list(languages), "also": list(also), "items": items}
    path.write_text(json.dumps(spec), encoding="utf-8")
    return path


@pytest.mark.parametrize(("item", "message"), [
    ({"id": "a", "gold": "offensive", "en": "You idiot.", "ru": "Ты идиот."},
     "item 2 (a): the id is used twice"),
    ({"id": "b", "gold": "offensive", "en": "You idiot.", "ru": "Ты идиот.", "uk": " "}, "item 2 (b): no text in uk"),
    ({"id": "c", "gold": "rude", "en": "You idiot.", "ru": "Ты идиот.", "uk": "Ти ідіот."},
     "item 2 (c): gold 'rude' is not a toxicity decision"),
    ({"gold": "normal", "en": "Hello."}, "item 2 (None): an item needs an `id`"),
    ({"id": "d", "gold": "normal", "en": "Hi.", "ru": "Привет.", "uk": "Привіт.", "ru-Latn": ""},
     "item 2 (d): no text in ru-Latn"),
])
def test_a_broken_item_is_an_error_naming_the_file_and_the_item(tmp_path, item, message):
    first = {"id": "a", "gold": "normal", "en": "Hello there.", "ru": "Привет.", "uk": "Привіт."}
    path = write(tmp_path / "checks.yaml", "toxicity", [first, item], also=("ru-Latn",))
    with pytest.raises(NarrascopeError) as exc:
        read_checks(path)
    assert str(exc.value).startswith(f"{path}: {message}")


def test_a_file_without_english_first_or_of_no_head_is_refused(tmp_path):
    with pytest.raises(NarrascopeError, match=r"`languages` must list .* English \(en\) first"):
        read_checks(write(tmp_path / "a.yaml", "toxicity", [], ("ru", "en")))
    with pytest.raises(NarrascopeError, match="`head` must be one of claims, narratives, techniques, toxicity, "
                                              "not 'sentiment'"):
        read_checks(write(tmp_path / "b.yaml", "sentiment", []))
    (tmp_path / "empty").mkdir()
    with pytest.raises(NarrascopeError, match=r"empty: no check files \(\*\.yaml\) in it"):
        read_checks(tmp_path / "empty")


@pytest.mark.parametrize("head", ["claims", "narratives", "techniques", "toxicity"])
def test_cyrillic_text_is_unsupported_by_the_english_only_layers_with_the_reason(shipped, head, english_only):
    item = shipped[head][0]
    assert decisions(head, [item.texts["ru"], item.texts["uk"], item.texts["be"]], english_only(head)) == [
        Decision("unsupported", f"language '{lang}': the {head} model reads en only") for lang in ("ru", "uk", "be")]


def test_cyrillic_text_gets_a_toxicity_decision_from_the_multilingual_head_when_asked():
    # models/multilingual/toxicity.npz (off by default): Russian and Ukrainian are read, Russian in Latin letters not
    latin = "Ty zhalkii idiot, i vse zdes eto znayut."
    reason = "language 'ru-Latn' (Russian in Latin letters): the toxicity model reads en only"
    from narrascope.pipeline.component import get_component

    opted_in = get_component("toxicity", multilingual=True)
    # the English model calls the English original of SUBSET[2] hatespeech (see SUBSET): since translate-train the
    # multilingual head does too in Russian and Ukrainian (before: offensive)
    assert decisions("toxicity", [SUBSET[2]["ru"], SUBSET[2]["uk"], SUBSET[1]["ru"], latin], opted_in) == [
        Decision("hatespeech"), Decision("hatespeech"), Decision("normal"), Decision("unsupported", reason)]


def test_decisions_of_each_layer_on_english_text():
    assert decisions("toxicity", ["You are a pathetic idiot and everyone here knows it."]) == [Decision("offensive")]
    assert decisions("claims", ["Inflation in Russia reached 12 percent in April.", "Thank you all for coming tonight."]
                     ) == [Decision("claim"), Decision("none")]
    assert decisions("narratives", ["The city council approved the budget for repairing school roofs."]) == [
        Decision("none")]


SUBSET = [
    {"id": "t1", "gold": "offensive", "en": "You are a pathetic idiot and everyone here knows it.",
     "ru": "Ты жалкий идиот, и все здесь это знают.", "uk": "Ти жалюгідний ідіот, і всі тут це знають."},
    {"id": "t2", "gold": "normal", "en": "My Polish neighbours helped us move the furniture yesterday.",
     "ru": "Вчера соседи-поляки помогли нам перенести мебель.",
     "uk": "Учора сусіди-поляки допомогли нам перенести меблі."},
    {"id": "t3", "gold": "offensive", "en": "The mayor is a thieving pig and so is his whole gang.",  # hatespeech
     "ru": "Мэр — вороватая свинья, и вся его шайка такая же.",
     "uk": "Мер — злодійкувата свиня, і вся його зграя така сама."},
]


def test_eval_model_translated_rows_count_each_language(tmp_path):
    path = write(tmp_path / "mine.yaml", "toxicity", SUBSET)
    result = CliRunner().invoke(app, ["eval", "model", "--translated", "--checks", str(path), "--json"])
    assert result.exit_code == 0, result.output
    rows = [json.loads(line) for line in result.output.splitlines()]
    assert [(r["head"], r["data"], r["language"], r["items"], r["decided"], round(r["same_as_english"], 3),
             round(r["accuracy"], 3), round(r["baseline"], 3)) for r in rows] == [
        ("toxicity", "checks of mine.yaml", "en", 3, 3, 1.0, 0.667, 0.667),  # baseline: always offensive
        # toxicity's multilingual head is off by default: Russian and Ukrainian stay unsupported
        ("toxicity", "checks of mine.yaml", "ru", 3, 0, 0.0, 0.0, 0.667),
        ("toxicity", "checks of mine.yaml", "uk", 3, 0, 0.0, 0.0, 0.667)]


def test_eval_model_translated_prints_a_table_of_the_asked_head(tmp_path):
    write(tmp_path / "toxicity.yaml", "toxicity", SUBSET[:2])
    write(tmp_path / "claims.yaml", "claims", [
        {"id": "c1", "gold": "claim", "en": "Inflation in Russia reached 12 percent in April.",
         "ru": "В апреле инфляция в России достигла 12 процентов.",
         "uk": "У квітні інфляція в Росії сягнула 12 відсотків."}])
    result = CliRunner().invoke(app, ["eval", "model", "--translated", "--checks", str(tmp_path), "--head", "claims"],
                                env={"COLUMNS": "200"})
    assert result.exit_code == 0, result.output
    lines = [re.sub(r"\s+", " ", line.strip("│ ")) for line in result.output.splitlines() if line.startswith("│")]
    # claims reads Russian and Ukrainian with its multilingual head
    assert lines == ["claims │ checks of " + tmp_path.name + " │ en │ 1 │ 1 │ 1.000 │ 1.000 │ 1.000",
                     "claims │ checks of " + tmp_path.name + " │ ru │ 1 │ 1 │ 1.000 │ 1.000 │ 1.000",
                     "claims │ checks of " + tmp_path.name + " │ uk │ 1 │ 1 │ 1.000 │ 1.000 │ 1.000"]


@pytest.mark.parametrize("args", [["--checks", str(CHECKS)], ["--items"], ["--translated", "--model", str(CHECKS)]])
def test_checks_need_translated_and_translated_takes_no_other_model(args):
    result = CliRunner().invoke(app, ["eval", "model", *args])
    assert result.exit_code == 2
    assert "--translated scores the shipped models on the parallel checks" in result.output


def test_eval_model_translated_items_gives_each_item_and_language(tmp_path):
    subset = [{**SUBSET[0], "ru-Latn": "Ty zhalkii idiot, i vse zdes eto znayut."}, SUBSET[1],
              {**SUBSET[2], "ru-Latn": "Ty zhalkii neudachnik, kotoryi zhivet u mamy v podvale."}]
    path = write(tmp_path / "mine.yaml", "toxicity", subset, ("en", "ru"), also=("ru-Latn",))
    result = CliRunner().invoke(app, ["eval", "model", "--translated", "--checks", str(path), "--items", "--json"])
    assert result.exit_code == 0, result.output
    ru = "language 'ru': the toxicity model reads en only"
    ru_latn = "language 'ru-Latn' (Russian in Latin letters): the toxicity model reads en only"
    assert [tuple(json.loads(line).values()) for line in result.output.splitlines()] == [
        ("toxicity", "t1", "en", "offensive", "offensive", "offensive", None),
        ("toxicity", "t2", "en", "normal", "normal", "normal", None),
        ("toxicity", "t3", "en", "offensive", "hatespeech", "hatespeech", None),
        ("toxicity", "t1", "ru", "offensive", "unsupported", "offensive", ru),
        ("toxicity", "t2", "ru", "normal", "unsupported", "normal", ru),
        ("toxicity", "t3", "ru", "offensive", "unsupported", "hatespeech", ru),
        ("toxicity", "t1", "ru-Latn", "offensive", "unsupported", "offensive", ru_latn),
        # read as English and labelled normal before the Latin-letter rules of narrascope.latin_slavic
        ("toxicity", "t3", "ru-Latn", "offensive", "unsupported", "hatespeech", ru_latn)]
    assert list(json.loads(result.output.splitlines()[0])) == list(ITEM_COLUMNS)


def test_a_head_without_checks_is_refused(tmp_path):
    path = write(tmp_path / "mine.yaml", "toxicity", SUBSET)
    result = CliRunner().invoke(app, ["eval", "model", "--translated", "--checks", str(path), "--head", "claims"])
    assert result.exit_code == 2
    assert f"{path}: no translated checks for claims; heads with checks: toxicity" in result.output
