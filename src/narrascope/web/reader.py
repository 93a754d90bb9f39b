"""Short read-only access to a DuckDB store that a writer (ingest, analyze) may open at any time.

DuckDB allows one writing process per file, and a read-only open fails while it writes.
Concurrent requests share one read-only connection; it is closed as soon as no request
uses it and a writer asks for the file (``PATH.write-request``, kept fresh by
``narrascope.store.duckdb.connect`` while it waits) or after ``linger`` idle seconds.
Opening retries with a small backoff for up to ``wait`` seconds.
"""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from narrascope.errors import NarrascopeError


class StoreBusy(NarrascopeError):
    """The store stayed locked by a writer for longer than the reader waits."""


class StoreReader:
    """Read-only connections to the store at ``path``, shared by concurrent requests, held briefly."""

    def __init__(self, path: str, wait: float = 5.0, linger: float = 0.5) -> None:
        self.path = path
        self.wait = wait
        self.linger = linger
        self._request = f"{path}.write-request"
        self._cond = threading.Condition()
        self._conn: Any = None
        self._users = 0
        self._last = 0.0
        self._janitor: threading.Thread | None = None

    def _writer_waiting(self) -> bool:
        try:
            return time.time() - os.stat(self._request).st_mtime < 10  # a stale request (crashed writer) is ignored
        except OSError:
            return False

    def _open(self) -> Any:
        import duckdb

        try:
            return duckdb.connect(self.path, read_only=True)
        except duckdb.Error as exc:
            text = str(exc).lower()
            if "lock" in text or "conflicting" in text:
                return None
            raise NarrascopeError(f"{self.path}: cannot read the store ({str(exc).splitlines()[0]})") from None

    def _acquire(self) -> Any:
        deadline, pause = time.monotonic() + self.wait, 0.01
        while True:
            with self._cond:
                if self._writer_waiting():
                    if self._users == 0:
                        self._close()
                else:
                    if self._conn is None:
                        self._conn = self._open()
                    if self._conn is not None:
                        self._users += 1
                        self._start_janitor()
                        return self._conn
            if time.monotonic() > deadline:
                raise StoreBusy(f"{self.path}: a writer has held the store for more than {self.wait:g} s; "
                                "retry when the ingest or analysis batch is stored")
            time.sleep(pause)
            pause = min(pause * 2, 0.1)

    def _close(self) -> None:
        """Close the connection; a call still finishing on it (another thread's cursor) is waited for."""
        import duckdb

        if self._conn is None:
            return
        for attempt in range(200):
            try:
                self._conn.close()
                break
            except duckdb.Error as exc:
                if "busy" not in str(exc).lower() or attempt == 199:
                    raise
                time.sleep(0.01)
        self._conn = None

    def _start_janitor(self) -> None:
        if self._janitor is None or not self._janitor.is_alive():
            self._janitor = threading.Thread(target=self._sweep, name="narrascope-reader", daemon=True)
            self._janitor.start()

    def _sweep(self) -> None:
        while True:
            time.sleep(0.05)
            with self._cond:
                if self._conn is None:
                    self._janitor = None
                    return
                idle = time.monotonic() - self._last > self.linger
                if self._users == 0 and (idle or self._writer_waiting()):
                    self._close()

    @contextmanager
    def cursor(self) -> Iterator[Any]:
        """A cursor on a read-only connection, for one request's queries."""
        conn = self._acquire()
        cur = conn.cursor()
        try:
            yield cur
        finally:
            cur.close()
            with self._cond:
                self._users -= 1
                self._last = time.monotonic()
                if self._users == 0 and self._writer_waiting():
                    self._close()
                self._cond.notify_all()

    def close(self) -> None:
        """Close the connection once the requests using it are done (waiting at most ``wait`` seconds)."""
        with self._cond:
            self._cond.wait_for(lambda: self._users == 0, timeout=self.wait)
            self._close()
