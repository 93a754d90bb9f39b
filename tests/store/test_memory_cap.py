"""A writing store caps DuckDB's memory, so an ingest's lookups over a large corpus stay bounded."""

from __future__ import annotations

import random
import shutil

import duckdb
import pytest

from narrascope.model import Document
from narrascope.store.duckdb import DuckDBStore

MB = 2**20
WORDS = [f"w{i}" for i in range(3000)]


def _corpus(rng: random.Random, n: int, start: int = 0, paragraphs: int = 12) -> list[Document]:
    return [Document(source=f"p{start + i}.html", kind="article",
                     body="\n\n".join(" ".join(rng.choice(WORDS) for _ in range(8)) for _ in range(paragraphs))
                     ).assign_ids() for i in range(n)]


def _cached(store: DuckDBStore) -> float:
    """What DuckDB's buffer pool holds of the tables' blocks, in MB."""
    return store.db.execute("SELECT coalesce(sum(memory_usage_bytes), 0) / 2^20 FROM duckdb_memory() "
                            "WHERE tag = 'BASE_TABLE'").fetchone()[0]


@pytest.fixture(scope="module")
def corpus_file(tmp_path_factory):
    """A store of 6,000 documents and 96,000 paragraph hashes."""
    path = tmp_path_factory.mktemp("cap") / "corpus.duckdb"
    rng = random.Random(7)
    store = DuckDBStore(str(path), memory_limit=None)
    for start in range(0, 6000, 1000):
        docs = _corpus(rng, 1000, start, paragraphs=16)
        store.write(docs, done=[d.source for d in docs])
    store.close()
    return path


def test_a_batchs_lookups_keep_only_the_capped_memory(corpus_file, tmp_path):
    cached = {}
    for cap in (4 * MB, None):
        path = tmp_path / f"{cap}.duckdb"
        shutil.copy(corpus_file, path)
        store = DuckDBStore(str(path), memory_limit=cap)
        applied, fit = [], store._fit_memory

        def watched(payload: int, store: DuckDBStore = store, fit=fit, applied: list = applied) -> None:
            fit(payload)
            applied.append(store._limit)

        store._fit_memory = watched
        store.write(_corpus(random.Random(1), 1, 9999), done=["last.html"])  # reads every paragraph hash
        cached[cap] = _cached(store), applied[-1]
        setting = "SELECT current_setting('memory_limit')"
        assert store.db.execute(setting).fetchone() == duckdb.connect().execute(setting).fetchone()  # lifted
        assert store.counts()["documents"] == 6001
        store.close()
    capped, limit = cached[4 * MB]
    assert limit is not None and capped <= limit / MB, cached  # within the cap, not retried without it
    assert cached[None][0] > capped, cached  # uncapped, DuckDB keeps all of the key columns it read


def test_a_batch_that_outgrows_the_cap_is_stored_without_it(tmp_path):
    store = DuckDBStore(str(tmp_path / "tight.duckdb"))

    def far_too_small(payload: int) -> None:
        if not store._uncapped:
            store._limit = 300 * 1024
            store.db.execute("SET memory_limit = '300KB'")

    store._fit_memory = far_too_small
    docs = _corpus(random.Random(3), 64)
    docs[0].body = "A long page. " * 400_000  # 5 MB of text in one transaction
    assert store.write(docs, done=[d.source for d in docs]) == 64
    assert store.db.execute("SELECT max(length(body)) FROM documents").fetchone()[0] == len(docs[0].body)
    store.close()
    assert DuckDBStore(str(tmp_path / "tight.duckdb")).counts()["documents"] == 64


def _checkpoint_costs(path, cap: int | None) -> tuple[float, int]:
    """MB of the table blocks DuckDB holds after closing the file's checkpoint, and the retries."""
    store = DuckDBStore(str(path), memory_limit=cap)
    docs = _corpus(random.Random(5), 200, 20_000, paragraphs=16)
    store.write(docs, done=[d.source for d in docs])
    store.db.execute("SELECT count(*) FROM documents WHERE body LIKE '%w1 w2%'").fetchone()  # reads every body
    db = store._db
    store._checkpoint()
    held = db.execute("SELECT coalesce(sum(memory_usage_bytes), 0) / 2^20 FROM duckdb_memory() "
                      "WHERE tag = 'BASE_TABLE'").fetchone()[0] if store._db is db else 0.0
    retried = store.checkpoints_retried
    store.close()
    return held, retried


def test_the_checkpoint_runs_capped_and_retries_uncapped_when_the_cap_is_too_tight(corpus_file, tmp_path):
    for cap in (16 * MB, 16):
        shutil.copy(corpus_file, tmp_path / f"{cap}.duckdb")
    shutil.copy(corpus_file, tmp_path / "uncapped.duckdb")
    capped, retried = _checkpoint_costs(tmp_path / f"{16 * MB}.duckdb", 16 * MB)
    uncapped, _ = _checkpoint_costs(tmp_path / "uncapped.duckdb", None)
    assert retried == 0 and capped < uncapped, (capped, uncapped)  # the capped checkpoint evicted what it read
    _, retried = _checkpoint_costs(tmp_path / "16.duckdb", 16)  # a 1-byte cap: the checkpoint fails
    assert retried == 1
    with duckdb.connect(str(tmp_path / "16.duckdb"), read_only=True) as db:  # nothing lost, nothing left in the log
        assert db.execute("SELECT count(*) FROM documents").fetchone()[0] == 6200
        assert db.execute("SELECT wal_size FROM pragma_database_size()").fetchone()[0] in ("0 bytes", "0.0 bytes")
