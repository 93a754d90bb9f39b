"""Parquet inputs: one document per row, columns mapped like JSON Lines and CSV."""

from __future__ import annotations

import duckdb
import pytest

from narrascope.errors import ReadError
from narrascope.readers import parse


def _write(path, sql: str) -> None:
    con = duckdb.connect()
    con.execute(f"COPY ({sql}) TO '{path}' (FORMAT parquet)")
    con.close()


def test_rows_become_documents_and_are_sniffed_without_the_extension(tmp_path):
    path = tmp_path / "export.bin"
    _write(path, "SELECT * FROM (VALUES "
                 "('https://www.ledger.example/a', 'First', 'Body one.', TIMESTAMP '2020-11-03 10:00:00'), "
                 "('https://ledger.example/b', 'Second', 'Body two.', NULL)) t(url, title, content, date)")
    docs = parse(str(path))
    assert [d.title for d in docs] == ["First", "Second"]
    assert [d.body for d in docs] == ["Body one.", "Body two."]
    assert docs[0].source == "https://www.ledger.example/a" and docs[0].outlet == "ledger.example"
    assert docs[0].published is not None and docs[0].published.isoformat().startswith("2020-11-03T10:00")
    assert docs[1].published is None


def test_fields_map_columns(tmp_path):
    path = tmp_path / "posts.parquet"
    _write(path, "SELECT 'Posted text' AS message, 'forum.example' AS site")
    [doc] = parse(str(path), fields={"body": "message", "outlet": "site"})
    assert doc.body == "Posted text" and doc.outlet == "forum.example"
    with pytest.raises(ReadError, match="no column 'missing'"):
        parse(str(path), fields={"body": "missing"})


def test_a_truncated_file_is_a_clear_error(tmp_path):
    good = tmp_path / "good.parquet"
    _write(good, "SELECT range AS id, 'text ' || range AS body FROM range(1000)")
    bad = tmp_path / "bad.parquet"
    bad.write_bytes(good.read_bytes()[: good.stat().st_size // 2])
    with pytest.raises(ReadError, match="bad.parquet.*Parquet"):
        parse(str(bad))
