"""A writing DuckDB store runs one DuckDB thread per connection; readers keep one per core."""

from __future__ import annotations

import os

from narrascope.store.duckdb import DuckDBStore


def threads(store: DuckDBStore) -> int:
    return int(store.db.execute("SELECT current_setting('threads')").fetchone()[0])


def test_a_writing_store_reopens_with_one_thread_and_a_reader_uses_every_core(tmp_path):
    path = str(tmp_path / "t.duckdb")
    writer = DuckDBStore(path)
    assert threads(writer) == 1
    writer.release()  # the next batch reopens the file: still one thread
    assert threads(writer) == 1
    writer.close()
    two = DuckDBStore(path, threads=2)
    assert threads(two) == 2
    two.close()
    reader = DuckDBStore(path, read_only=True)
    assert threads(reader) == (os.cpu_count() or 1)
    reader.close()
