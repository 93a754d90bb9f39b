"""The functional suite: its shape, its generator, and the shipped model on the test templates."""

from __future__ import annotations

from pathlib import Path

import pytest

from narrascope.toxicity.data import TARGETS
from narrascope.toxicity.functional import cases, parse, score, table, training_examples

TEMPLATES = Path(__file__).parent / "templates.txt"
ISSUE_GROUPS = ("Poles", "Belarusians", "Russians", "Ukrainians", "Lithuanians", "Jews", "Muslims", "Roma",
                "migrants", "LGBT people", "women", "Black people")
#: what the shipped model reaches on the test templates (measured, `narrascope eval model --head toxicity`)
OVERALL_FLOOR = 0.83
FUNCTIONALITY_FLOOR = 0.6
#: the functionalities the shipped model (version 2) leaves below the floor: issue 22 is open on them
KNOWN_BELOW = {"negated_praise", "negated_hate", "counter_speech_quote", "abuse_of_individual"}


def test_the_suite_has_the_size_and_the_groups_the_issue_asks_for():
    suite = parse(TEMPLATES)
    everything = cases(suite)
    assert len(everything) >= 2000
    assert len(suite.functionalities) >= 25
    assert len({c.functionality for c in everything}) == len(suite.functionalities)
    groups = {row[0] for row in suite.fills["group"]}
    assert set(ISSUE_GROUPS) <= groups
    assert {row[3] for row in suite.fills["group"]} >= set(TARGETS)


def test_every_functionality_has_train_validation_and_test_templates_and_no_template_is_in_two():
    suite = parse(TEMPLATES)
    for func in suite.functionalities:
        assert func.templates["train"] and func.templates["validation"] and func.templates["test"], func.name
        train, validation, test = (set(func.templates[part]) for part in ("train", "validation", "test"))
        assert not train & test and not train & validation and not validation & test, func.name
    train, validation, test = ({c.text for c in cases(suite, part)} for part in ("train", "validation", "test"))
    assert not train & test and not train & validation and not validation & test
    assert len(test) == 1118  # the test templates are fixed: version 1 and 2 were scored on these cases
    assert len(validation) >= 600


def test_training_examples_leave_out_validation_and_test_templates(tmp_path):
    path = tmp_path / "t.txt"
    path.write_text("@thing printer\n## objects | normal | o\ntrain: This {thing} is junk.\n"
                    "validation: Stupid {thing}.\ntest: Fine.\n")
    assert [e.text for e in training_examples(path)] == ["This printer is junk."]
    assert [(c.text, c.split) for c in cases(parse(path))] == [
        ("This printer is junk.", "train"), ("Stupid printer.", "validation"), ("Fine.", "test")]
    assert [c.text for c in cases(parse(path), "validation")] == ["Stupid printer."]


def test_templates_expand_over_their_placeholder(tmp_path):
    path = tmp_path / "t.txt"
    path.write_text("@group Poles | a Pole | Polish | Other\n@group women | a woman | female | Women\n"
                    "@thing printer\n## derogation | hatespeech | d\ntrain: {Group} are {group}, {member}.\n"
                    "test: I hate {adj} food.\n## objects | normal | o\ntrain: This {thing} is junk.\ntest: Fine.\n")
    got = [(c.text, c.functionality, c.gold, c.split, c.target) for c in cases(parse(path))]
    assert got == [("Poles are Poles, a Pole.", "derogation", "hatespeech", "train", "Other"),
                   ("Women are women, a woman.", "derogation", "hatespeech", "train", "Women"),
                   ("I hate Polish food.", "derogation", "hatespeech", "test", "Other"),
                   ("I hate female food.", "derogation", "hatespeech", "test", "Women"),
                   ("This printer is junk.", "objects", "normal", "train", None),
                   ("Fine.", "objects", "normal", "test", None)]
    examples = training_examples(path)
    assert [e.text for e in examples] == ["Poles are Poles, a Pole.", "Women are women, a woman.",
                                          "This printer is junk."]
    assert [e.label for e in examples] == [[1.0, 0.0, 0.0], [1.0, 0.0, 0.0], [0.0, 0.0, 1.0]]
    assert [e.targets for e in examples] == [[], ["Women"], []]


def test_a_bad_line_names_the_file_and_line(tmp_path):
    path = tmp_path / "t.txt"
    path.write_text("## derogation | hateful | d\n")
    with pytest.raises(ValueError, match=r"t.txt:1: gold label 'hateful'"):
        parse(path)
    path.write_text("## derogation | hatespeech | d\nmaybe: I hate them.\n")
    with pytest.raises(ValueError, match=r"t.txt:2: expected 'train: TEMPLATE'"):
        parse(path)


@pytest.mark.slow
def test_shipped_model_on_the_test_templates(shipped_model):
    scores = score(shipped_model, cases(parse(TEMPLATES), "test"))
    print("\n" + table(scores))
    assert scores["overall"]["accuracy"] >= OVERALL_FLOOR, table(scores)
    below = {name for name, s in scores.items() if s["accuracy"] < FUNCTIONALITY_FLOOR}
    assert below <= KNOWN_BELOW, table(scores)
