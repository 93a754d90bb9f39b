from __future__ import annotations

import pytest

from narrascope.errors import ReadError
from narrascope.techniques.data import article_id, by_article, find_corpus, read_articles, read_labels


def test_article_id_takes_digits_of_article_files():
    assert article_id("x/article123.txt") == "123"
    assert article_id("notes.txt") == "notes"
    assert article_id("article12b.txt") == "article12b"


def test_read_labels_three_and_four_columns(tmp_path):
    path = tmp_path / "l.labels"
    path.write_text("1\tDoubt\t0\t5\n\n2\t3\t9\n", encoding="utf-8")
    spans = read_labels(path)
    assert [(s.article, s.technique, s.start, s.end) for s in spans] == [("1", "Doubt", 0, 5), ("2", "", 3, 9)]
    assert set(by_article(spans)) == {"1", "2"}
    path.write_text("1\tDoubt\tzero\t5\n", encoding="utf-8")
    with pytest.raises(ReadError, match="line 1"):
        read_labels(path)


def test_find_corpus_and_read_articles(tmp_path):
    (tmp_path / "articles").mkdir()
    (tmp_path / "articles" / "article7.txt").write_text("Title\n\nBody ÿ", encoding="utf-8")
    (tmp_path / "train-task-flc-tc.labels").write_text("7\tDoubt\t0\t5\n", encoding="utf-8")
    articles, labels = find_corpus(tmp_path)
    assert read_articles(articles) == {"7": "Title\n\nBody ÿ"}
    assert labels.name == "train-task-flc-tc.labels"
    with pytest.raises(ReadError):
        find_corpus(tmp_path / "articles" / "nothing")
