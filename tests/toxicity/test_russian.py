"""The Russian toxic-comment loader (RUSSE-2022 detoxification rows): groups, labels, the test part carved first."""

from __future__ import annotations

from pathlib import Path

import pytest

from narrascope.errors import NarrascopeError
from narrascope.toxicity.data import held_out
from narrascope.toxicity.russian import ENV, SALT, load_russe, russian_parts

HEADER = "toxic_comment\tneutral_comment1\tneutral_comment2\tneutral_comment3\n"
ROWS = [  # written here: a toxic comment, its rewrites (one repeated, one equal to the comment)
    "ты тупой урод, заткнись\tпожалуйста, помолчи\tпожалуйста, помолчи\t\n",
    "эти твари опять всё украли\tони опять всё украли\t\t\n",
    "мало ли, что он курит\tмало ли, что он курит\t\t\n",
]


def write(path: Path, rows: list[str]) -> Path:
    path.write_text(HEADER + "".join(rows), encoding="utf-8")
    return path


def test_a_toxic_comment_is_offensive_and_its_distinct_rewrites_normal(tmp_path):
    groups = load_russe(write(tmp_path / "dev.tsv", ROWS))
    assert [[(e.text, e.hard_label) for e in examples] for _, examples in groups] == [
        [("ты тупой урод, заткнись", 1), ("пожалуйста, помолчи", 2)],
        [("эти твари опять всё украли", 1), ("они опять всё украли", 2)],
        [("мало ли, что он курит", 1)]]
    assert {e.source for _, examples in groups for e in examples} == {"russian"}


def test_a_group_goes_whole_to_the_test_part_by_a_salted_hash_of_its_toxic_comment(tmp_path):
    rows = [f"комментарий номер {i}, дурак\tкомментарий номер {i}\t\t\n" for i in range(40)]
    parts = russian_parts(write(tmp_path / "dev.tsv", rows))
    tested = {e.text for e in parts["test"] if e.hard_label == 1}
    assert tested == {f"комментарий номер {i}, дурак" for i in range(40)
                      if held_out(f"комментарий номер {i}, дурак", 0.2, salt=SALT)}
    assert 0 < len(tested) < 40
    assert {e.text for e in parts["test"] if e.hard_label == 2} == {t.rsplit(",", 1)[0] for t in tested}
    assert not {e.text for e in parts["train"]} & {e.text for e in parts["test"]}
    assert len(parts["train"]) + len(parts["test"]) == 80


def test_without_the_variable_there_is_no_russian_data(monkeypatch):
    monkeypatch.delenv(ENV, raising=False)
    assert russian_parts() == {}


def test_a_file_of_another_kind_is_refused_by_name(tmp_path):
    path = tmp_path / "other.tsv"
    path.write_text("text\tlabel\nпривет\t0\n", encoding="utf-8")
    with pytest.raises(NarrascopeError, match="other.tsv: not a RUSSE-2022 detoxification file"):
        load_russe(path)
