"""How a writing DuckDB store opens its file: one DuckDB thread, small row groups; readers as DuckDB likes."""

from __future__ import annotations

import duckdb

from narrascope.store.duckdb import DuckDBStore


def threads(store: DuckDBStore) -> int:
    return int(store.db.execute("SELECT current_setting('threads')").fetchone()[0])


def test_a_writing_store_reopens_with_one_thread_and_a_reader_keeps_duckdbs_default(tmp_path):
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
    default = int(duckdb.connect().execute("SELECT current_setting('threads')").fetchone()[0])
    assert threads(reader) == default  # DuckDB's own choice (cores, or the container's CPU quota)
    reader.close()


def test_a_writing_store_keeps_row_groups_small_so_checkpoints_stay_small(tmp_path):
    path = str(tmp_path / "rows.duckdb")
    store = DuckDBStore(path)
    store.write([], done=[f"page{n}.html" for n in range(5000)])
    store.release()  # closing checkpoints the batch to disk
    groups = store.db.execute("SELECT count(DISTINCT row_group_id), max(count) FROM pragma_storage_info('inputs')"
                              ).fetchone()
    assert groups[0] >= 3 and groups[1] <= 2048, groups  # DuckDB's default would be one group of 5,000
    store.close()
    reader = DuckDBStore(path, read_only=True)  # readers open the file as it is
    assert reader.stored_inputs(["page4999.html", "other.html"]) == {"page4999.html"}
    reader.close()
