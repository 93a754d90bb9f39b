"""Exports: where they may be written, CSV that spreadsheets do not run, and each format's exact text."""

from __future__ import annotations

import csv
import io
import json
import os

import duckdb
import pytest

from narrascope.errors import NarrascopeError
from narrascope.store.export import SIDE_SUFFIXES, check_export_target, copy_to, csv_safe_query

CELLS = ["=1+1", "+SUM(A1)", "-2", "@cmd", "\tTAB", "\rCR", "plain", "a=b", "NUL\x00here", None]


@pytest.fixture()
def con():
    c = duckdb.connect(":memory:")
    c.execute("CREATE TABLE t (n INTEGER, text VARCHAR, \"odd \"\"name\" VARCHAR)")
    c.executemany("INSERT INTO t VALUES (?, ?, ?)", [(i, cell, "x") for i, cell in enumerate(CELLS)])
    yield c
    c.close()


def test_csv_cells_that_would_run_as_formulas_get_a_quote_and_nul_a_symbol(con):
    rows = con.execute(csv_safe_query(con, "SELECT * FROM t ORDER BY n")).fetchall()
    assert [r[1] for r in rows] == ["'=1+1", "'+SUM(A1)", "'-2", "'@cmd", "'\tTAB", "'\rCR", "plain", "a=b",
                                    "NUL\u2400here", None]
    assert [r[0] for r in rows] == list(range(10))  # numbers untouched
    assert {r[2] for r in rows} == {"x"}  # a column name with a quote in it is quoted right


def test_copy_to_text_leaves_no_file_behind_and_keeps_non_ascii_text(con, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    con.execute("INSERT INTO t VALUES (99, 'Минск — «площадь»', 'x')")
    text = copy_to(con, "SELECT text FROM t WHERE n = 99", "jsonl", None)
    assert json.loads(text) == {"text": "Минск — «площадь»"}
    assert list(tmp_path.iterdir()) == []


def test_copy_to_returns_each_format_as_text_or_writes_the_file(con, tmp_path):
    query = "SELECT n, text FROM t WHERE n IN (0, 6) ORDER BY n"
    assert [json.loads(line) for line in copy_to(con, query, "jsonl", None).splitlines()] == [
        {"n": 0, "text": "=1+1"}, {"n": 6, "text": "plain"}]
    assert list(csv.reader(io.StringIO(copy_to(con, csv_safe_query(con, query), "csv", None)))) == [
        ["n", "text"], ["0", "'=1+1"], ["6", "plain"]]
    out = tmp_path / "t.parquet"
    assert copy_to(con, query, "parquet", str(out)) is None
    assert duckdb.connect().execute(f"SELECT * FROM '{out}'").fetchall() == [(0, "=1+1"), (6, "plain")]
    quoted = tmp_path / "it's.jsonl"  # a quote in the file name
    assert copy_to(con, query, "jsonl", str(quoted)) is None and len(quoted.read_text().splitlines()) == 2


def test_parquet_needs_a_file_and_an_unwritable_path_is_named(con, tmp_path):
    with pytest.raises(NarrascopeError) as caught:
        copy_to(con, "SELECT 1", "parquet", None)
    assert str(caught.value) == "parquet is binary: give a file with --out"
    (tmp_path / "a-file").write_text("not a directory")
    target = str(tmp_path / "a-file" / "x.csv")  # root may write anywhere, but not below a file
    with pytest.raises(NarrascopeError) as caught:
        copy_to(con, "SELECT 1", "csv", target)
    assert str(caught.value) == (f'{target}: cannot write the export (IO Error: Cannot open file "{target}": '
                                 "Not a directory)")


def test_an_export_may_not_overwrite_the_store_or_its_side_files(tmp_path):
    db = tmp_path / "c.duckdb"
    db.write_bytes(b"x")
    message = f"this is the database {db} or a file it keeps beside it; choose another --out"
    refused = [str(db), str(db) + ".wal", str(db) + ".web.sqlite", str(db) + ".anything",
               *(str(db) + s for s in SIDE_SUFFIXES)]
    for out in refused:
        with pytest.raises(NarrascopeError) as caught:
            check_export_target(str(db), out)
        assert str(caught.value) == f"{out}: {message}"
    link = tmp_path / "link.csv"
    link.symlink_to(db)
    with pytest.raises(NarrascopeError) as caught:
        check_export_target(str(db), str(link))
    assert str(caught.value) == f"{link}: {message}"
    hard = tmp_path / "sub"
    hard.mkdir()
    os.link(db, hard / "hard.csv")
    with pytest.raises(NarrascopeError) as caught:
        check_export_target(str(db), str(hard / "hard.csv"))
    assert str(caught.value) == f"{hard / 'hard.csv'}: {message}"
    check_export_target(str(db), str(tmp_path / "c.csv"))  # a neighbour with another name is fine
    check_export_target(str(db), str(tmp_path / "other.duckdb.csv"))
    check_export_target(":memory:", str(tmp_path / "c.duckdb"))  # nothing to protect


def test_an_in_memory_store_protects_no_file_of_that_name(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    check_export_target(":memory:", ":memory:.jsonl")  # not a file kept beside a database called ":memory:"


def test_an_export_needs_a_file_in_an_existing_directory(tmp_path):
    db = str(tmp_path / "c.duckdb")
    with pytest.raises(NarrascopeError) as caught:
        check_export_target(db, str(tmp_path))
    assert str(caught.value) == f"{tmp_path}: is a directory; give a file name with --out"
    missing = tmp_path / "nope" / "x.csv"
    with pytest.raises(NarrascopeError) as caught:
        check_export_target(db, str(missing))
    assert str(caught.value) == (f"{missing}: directory {tmp_path / 'nope'} does not exist; create it or choose "
                                 "another --out")
