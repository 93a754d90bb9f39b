"""How a writing DuckDB store keeps DuckDB's memory capped while it ingests."""

from __future__ import annotations

import contextlib
from typing import Any


class MemoryCap:
    """Mixed into ``DuckDBStore``: a memory cap while each batch is written, and a retry without it.

    Every batch asks which of its inputs, documents, paragraphs and LSH bands are already stored.
    Those lookups read key columns of the whole corpus, which DuckDB would otherwise keep cached
    until the file is closed, so memory would grow with the pages ingested.
    """

    _db: Any
    db: Any
    memory_limit: int | None
    read_only: bool
    path: str
    _index_bytes: int | None
    _measured: int
    _limit: int | None
    _uncapped: bool
    checkpoints_retried: int

    def _fit_memory(self, payload: int) -> None:
        """Cap DuckDB's memory at the base limit plus the lookup indexes' and this batch's needs.

        DuckDB keeps its indexes (documents' key, the comments, annotations and runs lookups) in
        memory and cannot evict them, so the cap leaves room for twice what they took after the
        last batch (before the first: 50 bytes per indexed row). A batch's text is copied into
        DuckDB's blocks before it is committed: room for eight times ``payload`` (its characters).
        """
        if self.memory_limit is None or self.read_only or self.path == ":memory:" or self._uncapped:
            return
        if self._index_bytes is None:
            rows = self.db.execute("SELECT coalesce(sum(estimated_size), 0) FROM duckdb_tables() WHERE table_name "
                                   "IN ('documents', 'comments', 'annotations', 'runs')").fetchone()[0]
            self._index_bytes = 50 * int(rows)
        self._limit = self.memory_limit + 2 * self._index_bytes + 8 * payload
        self.db.execute(f"SET memory_limit = '{self._limit}B'")
        # no automatic checkpoint under the cap: DuckDB invalidates a database whose checkpoint fails
        self.db.execute("SET checkpoint_threshold = '1TB'")

    def _measure_indexes(self) -> None:
        """Remember the largest memory the indexes took (a batch loads only those it appends to)."""
        if self.memory_limit is not None and not self.read_only and self.path != ":memory:":
            used = int(self.db.execute("SELECT coalesce(sum(memory_usage_bytes), 0) FROM duckdb_memory() "
                                       "WHERE tag = 'ART_INDEX'").fetchone()[0])
            self._index_bytes = max(used, self._measured)
            self._measured = self._index_bytes

    def _capped(self, work: Any, undo: Any = None) -> Any:
        """Run ``work`` under the memory cap; if it outgrows the cap, once more without one."""
        import duckdb

        try:
            return work()
        except duckdb.OutOfMemoryException:
            if self._limit is None:
                raise
            if undo is not None:
                undo()
            self._uncap()
            self._uncapped = True
            try:
                return work()
            finally:
                self._uncapped = False
        finally:
            self._uncap()

    def _uncap(self) -> None:
        """Lift the cap (other work on this connection, analyses, is not capped); checkpoint a large WAL."""
        if self._limit is None and not self._uncapped:
            return
        self.db.execute("RESET memory_limit")
        self.db.execute("RESET checkpoint_threshold")
        self._limit = None
        wal = self.db.execute("SELECT wal_size FROM pragma_database_size() WHERE database_name = current_database()"
                              ).fetchone()
        if wal and _bytes(wal[0]) > 16 * 2**20:  # DuckDB's own threshold
            self._checkpoint()

    def _checkpoint(self) -> None:
        """Checkpoint the file under a tight memory cap; if that fails, reopen it and checkpoint uncapped.

        A checkpoint rewrites the last row group of each table appended to (up to 2,048 page bodies).
        Uncapped, DuckDB kept what it read for that in memory until the file was closed, so the peak
        rose and fell with how full those row groups were, by about 20 MB. The cap is a sixteenth of
        ``memory_limit`` plus twice the indexes (which cannot be evicted). A checkpoint that fails
        invalidates the open database, but the file and its write-ahead log are intact: reopened,
        DuckDB replays the log, and the checkpoint is made without a cap.
        """
        import duckdb

        if self.memory_limit is None or self.read_only or self.path == ":memory:" or self._db is None:
            return
        try:  # setting a cap below what DuckDB holds fails too, before anything is written
            self._db.execute(f"SET memory_limit = '{self.memory_limit // 16 + 2 * (self._index_bytes or 0)}B'")
            self._db.execute("CHECKPOINT")
        except duckdb.Error:
            with contextlib.suppress(duckdb.Error):
                self._db.close()
            self._db = None
            self.checkpoints_retried += 1
            self.db.execute("CHECKPOINT")  # reopened: DuckDB replays the log; uncapped
        self._db.execute("RESET memory_limit")


def _bytes(size: str) -> float:
    """DuckDB's ``'1.5 MiB'`` as bytes."""
    number, _, unit = str(size).partition(" ")
    return float(number) * {"bytes": 1, "KiB": 2**10, "MiB": 2**20, "GiB": 2**30, "TiB": 2**40}.get(unit, 1)
