from __future__ import annotations

import pytest

from narrascope.errors import ReadError
from narrascope.techniques.data import (
    NotText,
    article_id,
    by_article,
    decode_text,
    find_corpus,
    impossible_spans,
    read_articles,
    read_labels,
    read_text,
)


def test_article_id_takes_digits_of_article_files():
    assert article_id("x/article123.txt") == "123"
    assert article_id("notes.txt") == "notes"
    assert article_id("my.notes.txt") == "my.notes"
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


def test_text_with_a_few_control_characters_is_text_binary_data_is_not():
    text = "These traitors\x00 are destroying our \x1b[31mgreat\x1b[0m country!\r\n"
    assert decode_text(text.encode("utf-8"), "ctrl.txt") == text  # NUL kept, \r\n kept
    with pytest.raises(NotText, match="png.txt: binary data"):
        decode_text(b"\x89PNG\r\n\x1a\n\x00\x00" + bytes(range(256)) * 4, "png.txt")
    with pytest.raises(NotText):
        decode_text(bytes((i * 7919 + 13) % 256 for i in range(4096)), "random.bin")
    with pytest.raises(NotText):
        decode_text(b"\x00\x01\x02\x03" * 100, "nuls.bin")


def test_a_few_invalid_bytes_in_utf8_are_replaced_not_mojibake():
    notes: list[str] = []
    data = "The café owner said – a total disaster!\n".encode() + b"\xff\xfe stray bytes.\n"
    text = decode_text(data, "invalid.txt", notes.append)
    assert text.startswith("The café owner said – a total disaster!\n\ufffd")
    assert notes == ["invalid.txt: 2 byte(s) are not valid UTF-8 and were replaced by U+FFFD"]
    legacy = "Café owners say the evil regime lies – again.".encode("cp1252")  # no multi-byte UTF-8
    assert decode_text(legacy, "legacy.txt", notes.append) == "Café owners say the evil regime lies – again."
    assert len(notes) == 1


def test_read_articles_keeps_crlf_and_reports_unreadable_files(tmp_path):
    (tmp_path / "article1.txt").write_bytes(b"Title\r\n\r\nBody caf\xc3\xa9 \xff.")
    (tmp_path / "article2.txt").write_bytes(bytes(range(256)) * 4)
    notes: list[str] = []
    assert read_articles(tmp_path, notes.append) == {"1": "Title\r\n\r\nBody café \ufffd."}
    assert any("article2.txt: binary data" in n for n in notes)
    with pytest.raises(ReadError, match="article2.txt"):
        read_articles(tmp_path)


def test_read_labels_names_a_missing_file(tmp_path):
    with pytest.raises(ReadError, match="nothing.labels: No such file"):
        read_labels(tmp_path / "nothing.labels")


def test_control_characters_are_kept_with_a_note_naming_the_file(tmp_path):
    data = b"These traitors\x00 lie.\x1b\x00\r\n\tTabs and breaks are no note." + b" Filler." * 10
    (tmp_path / "nul.txt").write_bytes(data)
    (tmp_path / "plain.txt").write_bytes(b"Title\r\n\tbody\x0c\n")
    notes: list[str] = []
    text = read_text(tmp_path / "nul.txt", notes.append)
    assert text.index("lie") == 16  # the NUL counts in the offsets
    assert notes == [f"{tmp_path / 'nul.txt'}: 3 control character(s) (U+0000, U+001B) kept in the text; "
                     "offsets count them"]
    assert read_text(tmp_path / "plain.txt", notes.append) == "Title\r\n\tbody\x0c\n" and len(notes) == 1


def test_impossible_spans_names_file_line_and_why(tmp_path):
    labels = tmp_path / "si.labels"
    labels.write_text("1\t0\t5\n\n1\t10\t10\n1\t30\t20\n1\t-3\t2\n1\t90\t500\n2\t90\t500\n", encoding="utf-8")
    assert impossible_spans(labels, {"1": "x" * 100}) == [
        f"{labels}: line 3: end 10 is not after start 10 (an empty span)",
        f"{labels}: line 4: end 20 is not after start 30 (a reversed span)",
        f"{labels}: line 5: start -3 is negative",
        f"{labels}: line 6: end 500 is past the end of article 1 (100 characters)"]  # article 2: text unknown
