"""JSON Lines, CSV and Parquet rows: a bad row or line costs only itself, and fields get their documented types."""

from __future__ import annotations

import json

import duckdb
import pytest

from narrascope import registry
from narrascope.errors import ReadError
from narrascope.pipeline import get_executor
from narrascope.readers import iter_inputs, parse


def _lines(path, *lines: str) -> str:
    path.write_text("".join(line + "\n" for line in lines), encoding="utf-8")
    return str(path)


def test_numbers_become_strings_and_an_object_where_a_string_belongs_fails_that_line_only(tmp_path):
    path = _lines(tmp_path / "types.jsonl",
                  '{"title": 5, "body": "A title that is a number.", "published": 20240101}',
                  '{"title": {"text": "nested"}, "body": "An object as title."}',
                  '{"title": "Fine", "body": ["a", "list"]}',
                  '{"title": "Good", "author": true, "body": "A good row."}')
    with pytest.raises(ReadError) as caught:
        parse(path)
    reason = caught.value.reason
    assert "2 of 4 lines skipped" in reason
    assert "line 2: field 'title' is an object, not a string" in reason
    assert "line 3: field 'body' is a list, not a string" in reason
    docs = caught.value.documents  # type: ignore[attr-defined]
    assert [(d.title, d.author, d.published_raw) for d in docs] == [("5", None, "20240101"), ("Good", "true", None)]


def test_a_row_in_narrascopes_own_form_with_wrong_types_fails_alone(tmp_path):
    good = {"source": "https://a.example/1", "title": "Own form", "body": "Body.", "comments": []}
    bad = {"source": "https://a.example/2", "title": ["x"], "body": "Body two.", "comments": []}
    worse = {"source": "https://a.example/3", "body": "Body three.", "comments": [{"text": "c", "depth": "deep"}]}
    path = _lines(tmp_path / "own.jsonl", *(json.dumps(r) for r in (good, bad, worse)))
    with pytest.raises(ReadError, match="line 2: field 'title' is a list.*line 3: field 'comments.depth'") as caught:
        parse(path)
    assert [d.title for d in caught.value.documents] == ["Own form"]  # type: ignore[attr-defined]


def test_every_bad_json_line_is_named_and_the_good_ones_are_kept(tmp_path):
    path = _lines(tmp_path / "bad.jsonl", '{"title": "One", "body": "Row one."}', "{not json",
                  '{"title": "Three", "body": "Row three."}', "[1, 2, 3]", '"str"', '{"title": "Six", "body": "Six."}')
    with pytest.raises(ReadError) as caught:
        parse(path)
    reason = caught.value.reason
    assert reason.startswith("3 of 6 lines skipped, the other 3 were read: line 2 is not JSON")
    assert "line 4 is not a JSON object but a list" in reason and "line 5 is not a JSON object but a string" in reason
    assert [d.title for d in caught.value.documents] == ["One", "Three", "Six"]  # type: ignore[attr-defined]


def test_a_struct_column_mapped_to_body_fails_its_rows_naming_row_and_field(tmp_path):
    path = tmp_path / "nested.parquet"
    con = duckdb.connect()
    con.execute(f"COPY (SELECT * FROM (VALUES ('Flat', {{'a': 1}}, 'plain text'), ('Also', NULL, 'more text')) "
                f"t(title, payload, content)) TO '{path}' (FORMAT parquet)")
    con.close()
    with pytest.raises(ReadError, match=r"1 of 2 rows skipped.*row 1: field 'body' is an object") as caught:
        parse(str(path), fields={"body": "payload"})
    assert [d.title for d in caught.value.documents] == ["Also"]  # type: ignore[attr-defined]
    assert [d.body for d in parse(str(path))] == ["plain text", "more text"]  # unmapped struct columns are left out


def test_a_missing_column_fails_the_whole_table_once(tmp_path):
    path = tmp_path / "t.csv"
    path.write_text("title,text\nA,one\nB,two\n", encoding="utf-8")
    with pytest.raises(ReadError, match="no column 'content'.*--field"):
        parse(str(path), fields={"body": "content"})


def test_ingest_stores_the_good_rows_and_a_rerun_neither_duplicates_nor_loses_them(tmp_path, store):
    bad = _lines(tmp_path / "bad.jsonl", '{"title": "One", "body": "Row one."}', "{not json",
                 '{"title": 5, "body": "Row three."}', '{"title": {"x": 1}, "body": "Row four."}')
    first = get_executor("local", workers=1).run(iter_inputs([bad]), store, [])
    assert store.counts()["documents"] == 2 and first.documents == 2
    [failure] = store.failures()
    assert "line 2 is not JSON" in failure["reason"] and "line 4: field 'title'" in failure["reason"]
    again = get_executor("local", workers=1).run(iter_inputs([bad]), store, [])
    assert store.counts()["documents"] == 2 and again.documents == 0 and again.duplicates == 2
    assert len(store.failures()) == 1


def test_the_reader_help_names_every_registered_reader():
    from narrascope.cli import READER

    names = registry.readers.names()
    assert {"html", "text", "warc", "feed", "jsonl", "csv", "parquet", "platform-json"} <= set(names)
    assert [name for name in names if name not in READER.help] == []
