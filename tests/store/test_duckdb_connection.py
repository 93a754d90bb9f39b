"""How a writing DuckDB store opens its file: one DuckDB thread, small row groups; readers as DuckDB likes."""

from __future__ import annotations

import subprocess
import sys
import threading
import time
from pathlib import Path

import duckdb
import pytest

from narrascope.errors import NarrascopeError
from narrascope.store.duckdb import DuckDBStore, connect
from narrascope.store.schema import MIGRATIONS


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
    three = DuckDBStore(path, read_only=True, threads=3)  # unless the reader is told
    assert threads(three) == 3
    three.close()


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


def _hold(path: str) -> subprocess.Popen:
    """Another process writing to ``path`` until it is stopped; returns once it has the file."""
    code = f"import duckdb, sys; c = duckdb.connect({path!r}); print('held', flush=True); sys.stdin.read()"
    proc = subprocess.Popen([sys.executable, "-c", code], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    assert proc.stdout is not None and proc.stdout.readline().strip() == "held"
    return proc


def _let_go(proc: subprocess.Popen) -> None:
    proc.communicate("")  # closing its stdin ends it


def test_a_writer_waits_for_another_writing_process_and_says_so_when_the_wait_runs_out(tmp_path):
    path = str(tmp_path / "busy.duckdb")
    DuckDBStore(path).close()
    request = Path(f"{path}.write-request")
    holder = _hold(path)
    try:
        with pytest.raises(NarrascopeError) as caught:
            DuckDBStore(path, lock_timeout=0.3)
        message = str(caught.value)
        assert message.startswith(f'{path}: cannot open the database (IO Error: Could not set lock on file "{path}"')
        assert message.endswith("); is another narrascope process writing to it?") and "\n" not in message
        assert not request.exists()  # the request to share the file ends with the wait
        opened: list[DuckDBStore] = []
        waiting = threading.Thread(target=lambda: opened.append(DuckDBStore(path, lock_timeout=30)))
        waiting.start()
        deadline = time.monotonic() + 20
        while not request.exists() and time.monotonic() < deadline:  # readers see that a writer waits
            time.sleep(0.01)
        assert request.exists()
    finally:
        _let_go(holder)
    waiting.join(30)
    (store,) = opened
    assert store.counts()["documents"] == 0 and not request.exists()
    store.close()


def test_a_reader_waits_for_a_writing_process_as_long_as_told_and_never_asks_for_the_file(tmp_path):
    path = str(tmp_path / "shared.duckdb")
    DuckDBStore(path).close()
    request = Path(f"{path}.write-request")
    seen: list[bool] = []
    stop = threading.Event()

    def watch() -> None:  # the web app's readers close the file when a writer asks for it: a reader must not ask
        while not stop.is_set():
            seen.append(request.exists())
            time.sleep(0.005)

    holder = _hold(path)
    watcher = threading.Thread(target=watch)
    watcher.start()
    try:
        started = time.monotonic()
        with pytest.raises(NarrascopeError) as caught:
            DuckDBStore(path, read_only=True, lock_timeout=0.2).counts()
        waited = time.monotonic() - started
    finally:
        stop.set()
        watcher.join()
        _let_go(holder)
    message = str(caught.value)
    assert message.startswith(f'{path}: cannot open the database (IO Error: Could not set lock on file "{path}"')
    assert message.endswith("); is another narrascope process writing to it?")
    assert 0.2 <= waited < 1.0  # tried again until the time ran out, pausing 0.01 s, then twice as long each time
    assert len(seen) >= 10 and seen.count(True) == 0


def test_a_writer_waits_for_this_process_own_reader_to_close_the_file(tmp_path):
    path = str(tmp_path / "own.duckdb")
    DuckDBStore(path).close()
    reader = DuckDBStore(path, read_only=True)
    assert reader.counts()["documents"] == 0  # the reader now holds the file
    with pytest.raises(NarrascopeError) as caught:
        DuckDBStore(path, lock_timeout=0.2)
    assert str(caught.value) == (
        f"{path}: cannot open the database (Resource In Use Error: Unique file handle conflict: Cannot attach "
        f'"corpus" - the database file "{path}" is already attached by database "own"); '
        "is another narrascope process writing to it?")
    closing = threading.Timer(0.3, reader.close)
    closing.start()
    writer = DuckDBStore(path, lock_timeout=20)  # opens once the reader has let go
    closing.join()
    writer.write([], done=["k"])
    assert writer.has_input("k")
    writer.close()


def test_connect_alone_opens_a_file_for_writing(tmp_path):
    path = str(tmp_path / "plain.duckdb")
    db = connect(path)
    db.execute("CREATE TABLE t AS SELECT 42 AS answer")
    db.close()
    reader = connect(path, read_only=True)
    assert reader.execute("SELECT answer FROM t").fetchall() == [(42,)]
    reader.close()
    assert [p.name for p in tmp_path.iterdir()] == ["plain.duckdb"]  # no write request left behind


def test_a_path_with_a_quote_and_a_store_without_row_groups_open_as_well(tmp_path):
    quoted = DuckDBStore(str(tmp_path / "o'brien.duckdb"))
    quoted.write([], done=["k"])
    quoted.close()
    plain = DuckDBStore(str(tmp_path / "o'brien.duckdb"), row_group_size=None)  # DuckDB's own row groups
    assert plain.has_input("k") and plain.db.execute("SELECT current_database()").fetchone() == ("o'brien",)
    plain.close()


def test_a_new_store_makes_its_folders_and_a_reader_makes_none(tmp_path, monkeypatch):
    deep = tmp_path / "desk" / "2020" / "votes.duckdb"
    DuckDBStore(str(deep)).close()
    assert deep.is_file()
    missing = tmp_path / "nowhere" / "votes.duckdb"
    with pytest.raises(NarrascopeError) as caught:
        DuckDBStore(str(missing), read_only=True).counts()
    assert str(caught.value) == (f'{missing}: cannot open the database (IO Error: Cannot open database "{missing}" '
                                 "in read-only mode: database does not exist)")
    assert not missing.parent.exists()
    monkeypatch.chdir(tmp_path)
    DuckDBStore().close()  # the default file, in the working directory
    assert (tmp_path / "narrascope.duckdb").is_file()


def test_closing_twice_is_harmless_and_a_closed_store_opens_again_when_used(tmp_path):
    store = DuckDBStore(str(tmp_path / "closed.duckdb"))
    store.write([], done=["k"])
    store.close()
    store.close()
    assert store.has_input("k")  # reopened for the question
    store.close()


def test_a_new_store_records_each_migration_once_and_reopening_adds_none(tmp_path):
    path = str(tmp_path / "migrated.duckdb")
    store = DuckDBStore(path)
    assert store.schema_version == len(MIGRATIONS)
    store.close()
    again = DuckDBStore(path)
    versions = again.db.execute("SELECT version FROM schema_version ORDER BY version").fetchall()
    assert versions == [(n,) for n in range(1, len(MIGRATIONS) + 1)]
    again.close()
