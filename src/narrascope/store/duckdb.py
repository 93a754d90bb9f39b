"""The default store: one embedded DuckDB file, schema migrated on open."""

from __future__ import annotations

import contextlib
import json
from collections.abc import Iterator, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import numpy as np

from narrascope import registry
from narrascope.dedup import NearDuplicates, paragraph_hashes
from narrascope.errors import NarrascopeError
from narrascope.model import Annotation, Comment, Document, Item
from narrascope.store.base import TABLES, Store
from narrascope.store.export import EXPORT_FORMATS, check_export_target, copy_to, csv_safe_query
from narrascope.store.memory import MemoryCap
from narrascope.store.schema import INTERNAL_TABLES, MIGRATIONS

_DOC_COLS = ("id, source, outlet, kind, title, author, published_raw, published, language, body, duplicate_of, "
             "languages")
# documents with their Document.meta (the metadata table holds a row only where there is something to say)
_DOCS = (f"SELECT {_DOC_COLS}, m.data FROM documents LEFT JOIN metadata m ON m.target_id = documents.id "
         "AND m.target_type = 'document'")


def _naive(value: datetime | None) -> datetime | None:
    return value.astimezone(UTC).replace(tzinfo=None) if value else None


def _aware(value: datetime | None) -> datetime | None:
    return value.replace(tzinfo=UTC) if value else None


@registry.stores.register("duckdb")
class DuckDBStore(Store, MemoryCap):
    """A DuckDB database file (``":memory:"`` for a throwaway one).

    ``near_duplicate_threshold`` is the Jaccard similarity above which a new body is
    marked as a copy of a stored one (``duplicate_of``); repeated paragraphs become
    ``duplicates``/``repeated_paragraph`` annotations pointing at their first document.

    ``threads`` is DuckDB's worker threads per connection; ``None`` means one for a writing store
    and one per core for a read-only one. A writing store reopens the file for every batch and a
    batch's statements are small; every new DuckDB thread pool left a malloc arena behind in this
    process, so memory grew with the pages ingested (about 10 MB per 1,000 pages with two
    threads, flat with one: benchmarks/README.md). ``row_group_size`` is the rows per DuckDB row
    group when writing (``None``: DuckDB's 122,880); small groups keep each checkpoint small.

    ``memory_limit`` (bytes) caps a writing store's DuckDB memory, raised for each batch by what its
    lookup indexes and the batch's own text need (``None``: DuckDB's default, 80 % of RAM). Every
    batch asks which of its inputs, documents, paragraphs and LSH bands are already stored; those
    lookups read key columns of the whole corpus, which DuckDB would otherwise keep cached, so
    memory would grow with the pages ingested.
    """

    def __init__(self, path: str = "narrascope.duckdb", near_duplicate_threshold: float = 0.8,
                 read_only: bool = False, lock_timeout: float = 60.0, threads: int | None = None,
                 row_group_size: int | None = 2048, memory_limit: int | None = 16 * 2**20) -> None:
        self.path = path
        self.read_only = read_only
        self.lock_timeout = lock_timeout
        self.threads = threads
        self.row_group_size = row_group_size
        self.memory_limit = memory_limit
        self._index_bytes: int | None = None  # what DuckDB's indexes take: estimated, then measured
        self._measured = 0
        self._limit: int | None = None  # the cap while a batch is written
        self._uncapped = False  # retrying a batch that outgrew its cap
        self.checkpoints_retried = 0  # capped checkpoints that failed and were made again uncapped
        self.near = NearDuplicates(threshold=near_duplicate_threshold)
        self._db: Any = None
        if path != ":memory:" and not read_only:
            Path(path).parent.mkdir(parents=True, exist_ok=True)
        if not read_only:
            self._migrate()

    @property
    def db(self) -> Any:
        """The open connection; reopened (waiting for other processes' locks) after ``release``."""
        if self._db is None:
            threads = self.threads if self.threads or self.read_only else 1
            self._db = connect(self.path, self.read_only, self.lock_timeout, threads, self.row_group_size)
        return self._db

    def release(self) -> None:
        """Close the file until the next access so other processes (``narrascope serve``) can read it."""
        if self._db is not None and self.path != ":memory:":
            self._checkpoint()
            self._db.close()
            self._db = None

    # -- schema ---------------------------------------------------------------
    def _migrate(self) -> None:
        self.db.execute("CREATE TABLE IF NOT EXISTS schema_version (version INTEGER)")
        row = self.db.execute("SELECT max(version) FROM schema_version").fetchone()
        current = row[0] or 0
        for number, sql in enumerate(MIGRATIONS[current:], current + 1):
            self.db.execute("BEGIN")
            self.db.execute(sql)
            if number == 5:
                self._index_signatures()
            self.db.execute("INSERT INTO schema_version VALUES (?)", [number])
            self.db.execute("COMMIT")

    @property
    def schema_version(self) -> int:
        return int(self.db.execute("SELECT max(version) FROM schema_version").fetchone()[0])

    # -- writing --------------------------------------------------------------
    def _insert(self, table: str, rows: Sequence[Sequence[Any]], conflict: str | None = "DO NOTHING") -> None:
        """Insert ``rows`` (tuples in the table's column order) in one statement.

        The rows go in as NumPy object columns, which DuckDB scans directly: six times faster than
        a parameterised ``VALUES`` list on a batch of pages.
        """
        if not rows:
            return
        columns = {}
        for i, values in enumerate(zip(*rows, strict=True)):
            column = np.empty(len(rows), dtype=object)
            for j, value in enumerate(values):  # element by element: list values must not become 2-D
                column[j] = value
            columns[f"c{i}"] = column
        on_conflict = f" ON CONFLICT {conflict}" if conflict else ""  # tables without a key (minhash_bands)
        self.db.register("_narrascope_rows", columns)
        try:
            self.db.execute(f"INSERT INTO {table} SELECT * FROM _narrascope_rows{on_conflict}")
        except Exception:
            with contextlib.suppress(Exception):  # an aborted transaction refuses this until rolled back
                self.db.unregister("_narrascope_rows")
            raise
        self.db.unregister("_narrascope_rows")

    def _index_signatures(self) -> None:
        """Band keys for originals' signatures stored before the LSH index moved into the store (migration 5)."""
        done, page = 0, 10_000  # a page at a time: a large store's signatures need not fit in memory
        while rows := self.db.execute("SELECT s.document_id, s.minhash FROM signatures s JOIN documents d "
                                      "ON d.id = s.document_id WHERE d.duplicate_of IS NULL "
                                      "ORDER BY s.document_id LIMIT ? OFFSET ?", [page, done]).fetchall():
            self._insert("minhash_bands", [(k, doc_id) for doc_id, blob in rows
                                           for k in self.near.band_keys(self.near.from_bytes(blob))], None)
            done += len(rows)

    def _near_candidates(self, keys: set[int]) -> tuple[dict[int, set[str]], dict[str, Any]]:
        """Stored documents sharing an LSH band with ``keys``: band key -> ids, and id -> signature."""
        by_key: dict[int, set[str]] = {}
        sigs: dict[str, Any] = {}
        if keys:
            for key, doc_id, blob in self.db.execute(
                    "SELECT b.band_key, b.document_id, s.minhash FROM minhash_bands b "
                    "JOIN signatures s USING (document_id) WHERE b.band_key IN (SELECT unnest(?))",
                    [list(keys)]).fetchall():
                by_key.setdefault(key, set()).add(doc_id)
                if doc_id not in sigs:
                    sigs[doc_id] = self.near.from_bytes(blob)
        return by_key, sigs

    def _closest(self, sig: Any, keys: list[int], by_key: dict[int, set[str]],
                 sigs: dict[str, Any]) -> tuple[str, float] | None:
        """The most similar candidate at or above the threshold (ties: the greatest id, as ``NearDuplicates.query``)."""
        found = {doc_id for k in keys for doc_id in by_key.get(k, ())}
        hits = [(doc_id, self.near.similarity(sig, sigs[doc_id])) for doc_id in found]
        hits = [h for h in hits if h[1] >= self.near.threshold]
        return max(hits, key=lambda h: (h[1], h[0])) if hits else None

    def has_input(self, key: str) -> bool:
        return self.db.execute("SELECT 1 FROM inputs WHERE input_key = ?", [key]).fetchone() is not None

    def stored_inputs(self, keys: Sequence[str]) -> set[str]:
        rows = self.db.execute("SELECT input_key FROM inputs WHERE input_key IN (SELECT unnest(?))", [list(keys)])
        return {r[0] for r in rows.fetchall()}

    def write(self, docs: list[Document], done: Sequence[str] = (), failures: Sequence[tuple[str, str, str]] = (),
              ran: Sequence[tuple[str, str]] = ()) -> int:
        state = [(d.duplicate_of, len(d.annotations)) for d in docs]

        def undo() -> None:  # what a failed attempt marked on the documents
            for d, (duplicate_of, marked) in zip(docs, state, strict=True):
                d.duplicate_of = duplicate_of
                del d.annotations[marked:]

        return self._capped(lambda: self._write(docs, done, failures, ran), undo)

    def _write(self, docs: list[Document], done: Sequence[str], failures: Sequence[tuple[str, str, str]],
               ran: Sequence[tuple[str, str]]) -> int:
        self._fit_memory(sum(len(d.body) + len(d.title or "") + sum(len(c.text) for c in d.comments)
                             + sum(len(i.text or "") for i in d.items) for d in docs))
        ids = list(dict.fromkeys(d.id for d in docs))
        known = {r[0] for r in self.db.execute(
            "SELECT id FROM documents WHERE id IN (SELECT unnest(?))", [ids]).fetchall()} if ids else set()
        paragraphs: dict[str, str] = {}
        found = {d.id: paragraph_hashes(d.body) for d in docs if d.id not in known and d.body}
        hashes = list({h for spans in found.values() for _, _, h in spans})
        stored = dict(self.db.execute("SELECT hash, document_id FROM paragraphs WHERE hash IN (SELECT unnest(?))",
                                      [hashes]).fetchall()) if hashes else {}
        sigs = {d.id: self.near.signature(d.body) for d in docs if d.id not in known and d.body}
        keys = {doc_id: self.near.band_keys(sig) for doc_id, sig in sigs.items() if sig is not None}
        by_key, candidates = self._near_candidates({k for ks in keys.values() for k in ks})
        seen = set(known)
        rows: dict[str, list[Any]] = {t: [] for t in ("documents", "sources", "items", "comments", "edges",
                                                       "annotations", "signatures", "minhash_bands", "runs",
                                                       "metadata")}
        sources = self._stored_pairs("sources", "source", list(known))
        for doc in docs:
            if (doc.id, doc.source) not in sources:
                sources.add((doc.id, doc.source))
                rows["sources"].append((doc.id, doc.source))
            if doc.id in seen:
                continue
            seen.add(doc.id)
            sig = sigs.get(doc.id)
            similarity = None
            if sig is not None and doc.duplicate_of is None:
                hit = self._closest(sig, keys[doc.id], by_key, candidates)
                if hit:
                    doc.duplicate_of, similarity = hit
            if sig is not None:
                rows["signatures"].append((doc.id, self.near.to_bytes(sig)))
            if sig is not None and doc.duplicate_of is None:  # only originals are candidates: a copy
                for k in keys[doc.id]:  # of a copy finds the original, and a much-syndicated text
                    by_key.setdefault(k, set()).add(doc.id)  # costs one candidate, not one per copy
                candidates[doc.id] = sig
                rows["minhash_bands"] += [(k, doc.id) for k in keys[doc.id]]
            rows["documents"].append((doc.id, doc.source, doc.outlet, doc.kind, doc.title, doc.author,
                                      doc.published_raw, _naive(doc.published), doc.language, doc.body,
                                      doc.duplicate_of, similarity, datetime.utcnow(), doc.languages or None))
            rows["items"] += [(doc.id, i, it.title, it.text, it.url) for i, it in enumerate(doc.items)]
            if doc.meta:
                rows["metadata"].append((doc.id, "document", json.dumps(doc.meta, ensure_ascii=False)))
            rows["metadata"] += [(c.id, "comment", json.dumps(c.meta, ensure_ascii=False))
                                 for c in doc.comments if c.meta]
            for pos, c in enumerate(doc.comments):
                rows["comments"].append((c.id, doc.id, pos + 1, c.number, c.author, c.posted_raw,
                                         _naive(c.posted), c.depth, c.parent, c.text, c.language))
                if c.parent:
                    rows["edges"].append((c.id, c.parent, "reply"))
                rows["edges"] += [(c.id, r, "reference") for r in dict.fromkeys(c.refs)]
            doc.annotations += self._repeated_paragraphs(doc, found.get(doc.id, []), stored, paragraphs)
            rows["annotations"] += list({a.id: self._annotation_row(a) for a in doc.annotations}.values())
            rows["runs"] += [(doc.id, name, version) for name, version in dict.fromkeys(ran)]
        ok = list(dict.fromkeys(k for k in done if k not in {f[0] for f in failures}))
        stored_ok = self.stored_inputs(ok) if ok else set()

        def insert() -> None:
            for table, table_rows in rows.items():  # rows of new documents only: nothing to conflict
                self._insert(table, table_rows, "DO NOTHING" if table == "documents" else None)
            self._insert("paragraphs", [(h, d) for h, d in paragraphs.items()], None)
            self._insert("failures", [(k, s, r, datetime.utcnow()) for k, s, r in failures],
                         "(input_key) DO UPDATE SET reason = excluded.reason, failed_at = excluded.failed_at")
            self._insert("inputs", [(k, datetime.utcnow()) for k in ok if k not in stored_ok], None)
            if ok:
                self.db.execute("DELETE FROM failures WHERE input_key IN (SELECT unnest(?))", [ok])

        self._transaction(insert)
        return len(rows["documents"])

    def _transaction(self, insert: Any) -> None:
        """Run ``insert`` in one transaction."""
        self.db.execute("BEGIN")
        try:
            insert()
            self.db.execute("COMMIT")
        except Exception:
            self.db.execute("ROLLBACK")
            raise
        self._measure_indexes()

    @staticmethod
    def _repeated_paragraphs(doc: Document, found: list[tuple[int, int, str]], stored: dict[str, str],
                             batch: dict[str, str]) -> list[Annotation]:
        """Mark paragraphs first seen in another document; remember new ones in ``batch``."""
        out = []
        for start, end, h in found:
            first = stored.get(h) or batch.get(h)
            if first and first != doc.id:
                out.append(Annotation(doc.id, "document", start, end, "duplicates", "repeated_paragraph",
                                      1.0, "narrascope.dedup", "1", {"first_document": first}))
            elif not first:
                batch[h] = doc.id
        return out

    @staticmethod
    def _annotation_row(a: Annotation) -> tuple[Any, ...]:
        return (a.id, a.target, a.target_type, a.start, a.end, a.layer, a.label, a.score, a.producer,
                a.producer_version, json.dumps(a.data) if a.data is not None else None)

    def _stored_pairs(self, table: str, column: str, document_ids: list[str]) -> set[tuple[str, str]]:
        """``(document_id, column)`` pairs stored in ``table`` for these documents."""
        if not document_ids:
            return set()
        return set(self.db.execute(f"SELECT document_id, {column} FROM {table} WHERE document_id IN "
                                   "(SELECT unnest(?))", [document_ids]).fetchall())

    def add_annotations(self, annotations: list[Annotation], ran: Sequence[tuple[str, str, str]] = (),
                        failures: Sequence[tuple[str, str, str]] = ()) -> int:
        return self._capped(lambda: self._add_annotations(annotations, ran, failures))

    def _add_annotations(self, annotations: list[Annotation], ran: Sequence[tuple[str, str, str]],
                         failures: Sequence[tuple[str, str, str]]) -> int:
        new = {a.id: self._annotation_row(a) for a in annotations}  # row[-1]: the data, as JSON text
        self._fit_memory(sum(len(row[-1] or "") + 200 for row in new.values()))
        targets = list({row[1] for row in new.values()})
        stored = {r[0] for r in self.db.execute(
            "SELECT id FROM annotations WHERE target_id IN (SELECT unnest(?)) AND id IN (SELECT unnest(?))",
            [targets, list(new)]).fetchall()} if new else set()
        rows = [row for i, row in new.items() if i not in stored]
        ran = list(dict.fromkeys((doc, component, version) for doc, component, version in ran))
        done = set(self.db.execute(
            "SELECT document_id, component, version FROM runs WHERE document_id IN (SELECT unnest(?))",
            [list({r[0] for r in ran})]).fetchall()) if ran else set()

        failed = {key for key, _, _ in failures}
        earlier = {(doc, component) for doc, component, _ in done}
        rerun = [(doc, component) for doc, component, version in ran if (doc, component, version) not in done
                 and (doc, component) in earlier and f"{doc}|{component}" not in failed]

        def insert() -> None:
            self._replace_earlier_runs(rerun, list(new))
            self._insert("annotations", rows, None)
            self._insert("runs", [r for r in ran if r not in done], None)
            self._insert("failures", [(k, s, r, datetime.utcnow()) for k, s, r in failures],
                         "(input_key) DO UPDATE SET reason = excluded.reason, failed_at = excluded.failed_at")
            if worked := [f"{doc}|{component}" for doc, component, _ in ran if f"{doc}|{component}" not in failed]:
                # a component that broke on a document earlier has now analysed it: no longer a failure
                self.db.execute("DELETE FROM failures WHERE input_key IN (SELECT unnest(?))", [worked])

        self._transaction(insert)
        return len(rows)

    def _replace_earlier_runs(self, rerun: list[tuple[str, str]], keep: list[str]) -> None:
        """A component run again on a document (a new model or taxonomy version) replaces its annotations there.

        Without this, the document and its comments would carry both versions' labels and every count
        would double; claim matches of the claims that went are dropped with them.
        """
        by_component: dict[str, list[str]] = {}
        for doc, component in rerun:
            by_component.setdefault(component, []).append(doc)
        for component, docs in by_component.items():
            self.db.execute(
                "DELETE FROM annotations WHERE producer = ? AND id NOT IN (SELECT unnest(?)) AND "
                "regexp_replace(target_id, '-c[0-9]+$', '') IN (SELECT unnest(?))", [component, keep, docs])
        if rerun:
            self.db.execute("DELETE FROM claim_matches WHERE claim_id NOT IN (SELECT id FROM annotations)")

    # -- reading --------------------------------------------------------------
    def pending(self, component: str, version: str, limit: int = 256, after: str | None = None) -> list[Document]:
        ids = [r[0] for r in self.db.execute(
            "SELECT id FROM documents d WHERE NOT EXISTS (SELECT 1 FROM runs r WHERE r.document_id = d.id "
            "AND r.component = ? AND r.version = ?) AND (? IS NULL OR id > ?) ORDER BY id LIMIT ?",
            [component, version, after, after, limit]).fetchall()]
        return [doc for doc in (self.get(i) for i in ids) if doc is not None]

    def _doc(self, row: tuple[Any, ...], full: bool = True) -> Document:
        doc = Document(id=row[0], source=row[1], outlet=row[2], kind=row[3], title=row[4], author=row[5],
                       published_raw=row[6], published=_aware(row[7]), language=row[8], body=row[9],
                       duplicate_of=row[10], languages=list(row[11] or []), meta=json.loads(row[12]) if row[12] else {})
        if full:
            doc.items = [Item(*r) for r in self.db.execute(
                "SELECT title, text, url FROM items WHERE document_id = ? ORDER BY position", [doc.id]).fetchall()]
            doc.comments = list(self.comments(doc.id))
            doc.annotations = list(self.annotations(target=doc.id))
        return doc

    def get(self, document_id: str) -> Document | None:
        row = self.db.execute(f"{_DOCS} WHERE id = ?", [document_id]).fetchone()
        return self._doc(row) if row else None

    def documents(self, outlet: str | None = None, kind: str | None = None, language: str | None = None,
                  full: bool = False) -> Iterator[Document]:
        """Stored documents in id order, optionally filtered; ``full`` loads comments and items too."""
        where, params = [], []
        for column, value in (("outlet", outlet), ("kind", kind), ("language", language)):
            if value is not None:
                where.append(f"{column} = ?")
                params.append(value)
        sql = f"{_DOCS} {'WHERE ' + ' AND '.join(where) if where else ''} ORDER BY id"
        for row in self.db.execute(sql, params).fetchall():
            yield self._doc(row, full)

    def comments(self, document_id: str | None = None) -> Iterator[Comment]:
        sql = ("SELECT id, number, author, posted_raw, posted, depth, parent_id, text, language, m.data FROM comments "
               "LEFT JOIN metadata m ON m.target_id = comments.id AND m.target_type = 'comment' "
               + ("WHERE document_id = ? " if document_id else "") + "ORDER BY document_id, position")
        rows = self.db.execute(sql, [document_id] if document_id else []).fetchall()
        refs: dict[str, list[str]] = {}
        ids = [r[0] for r in rows]
        if ids:
            for src, dst in self.db.execute(
                    "SELECT source_id, target_id FROM edges WHERE kind = 'reference' AND source_id IN "
                    "(SELECT unnest(?)) ORDER BY target_id", [ids]).fetchall():
                refs.setdefault(src, []).append(dst)
        for r in rows:
            yield Comment(id=r[0], number=r[1], author=r[2], posted_raw=r[3], posted=_aware(r[4]), depth=r[5],
                          parent=r[6], text=r[7], language=r[8], refs=refs.get(r[0], []),
                          meta=json.loads(r[9]) if r[9] else {})

    def annotations(self, target: str | None = None, layer: str | None = None) -> Iterator[Annotation]:
        where, params = [], []
        if target:
            where.append("(target_id = ? OR target_id LIKE ?)")
            params += [target, target + "-c%"]
        if layer:
            where.append("layer = ?")
            params.append(layer)
        sql = ("SELECT target_id, target_type, start_char, end_char, layer, label, score, producer, "
               "producer_version, data, id FROM annotations " + ("WHERE " + " AND ".join(where) if where else "")
               + " ORDER BY target_id, start_char, end_char, layer, label")
        for r in self.db.execute(sql, params).fetchall():
            yield Annotation(r[0], r[1], r[2], r[3], r[4], r[5], r[6], r[7], r[8],
                             data=json.loads(r[9]) if r[9] else None, id=r[10])

    def failures(self) -> list[dict[str, Any]]:
        rows = self.db.execute("SELECT input, reason FROM failures ORDER BY input").fetchall()
        return [{"input": i, "reason": r} for i, r in rows]

    def counts(self) -> dict[str, int]:
        return {t: int(self.db.execute(f"SELECT count(*) FROM {t}").fetchone()[0]) for t in TABLES}

    def export(self, table: str, format: str, out: str | None = None) -> str | None:
        """One table as jsonl, csv or parquet (``corrections`` also as labelstudio), to ``out`` or returned.

        CSV cells are made safe for spreadsheets (:func:`csv_safe_query`); jsonl and parquet keep the text as stored.
        """
        if out is not None:
            check_export_target(self.path, out)
        if table == "corrections":  # analysts' corrections live beside the store (narrascope serve)
            from narrascope.web import corrections

            return corrections.export(self.db, f"{self.path}.web.sqlite", format, out)
        tables = [r[0] for r in self.db.execute(
            "SELECT table_name FROM information_schema.tables WHERE table_schema = 'main' "
            "AND table_name NOT IN (SELECT unnest(?)) ORDER BY 1", [list(INTERNAL_TABLES)]).fetchall()]
        if table not in tables:  # names come from the database itself, so the SQL below is safe
            raise NarrascopeError(f"no table {table!r} to export; choose one of {', '.join([*tables, 'corrections'])}")
        if format == "labelstudio":
            raise NarrascopeError(f"labelstudio is only for --table corrections; export {table!r} as jsonl, csv "
                                  "or parquet")
        if format not in EXPORT_FORMATS:
            raise NarrascopeError(f"no export format {format!r}; choose jsonl, csv or parquet")
        query = f"SELECT * FROM {table} ORDER BY ALL"
        return copy_to(self.db, csv_safe_query(self.db, query) if format == "csv" else query, format, out)

    def close(self) -> None:
        if self._db is not None:
            self._checkpoint()
            self._db.close()
            self._db = None


def connect(path: str, read_only: bool = False, timeout: float = 60.0, threads: int | None = None,
            row_group_size: int | None = None) -> Any:
    """Open ``path``, retrying while another process holds its lock (DuckDB allows one writer per file).

    While a writer waits it keeps ``PATH.write-request`` fresh, so that readers which share the file
    (the web app) close their connections and wait instead of starving it.
    """
    import gc
    import os
    import time

    import duckdb

    request = Path(f"{path}.write-request") if path != ":memory:" and not read_only else None
    deadline, pause = time.monotonic() + timeout, 0.01
    try:
        while True:
            try:
                return _open(duckdb, path, read_only, threads, row_group_size)
            except duckdb.Error as exc:
                lock = "lock" in str(exc).lower()
                if "file handle conflict" in str(exc).lower():  # this process's own reader, closed but not freed
                    gc.collect()
                    lock = True
                if not lock:
                    raise NarrascopeError(_open_error(path, exc)) from None
                if time.monotonic() > deadline:
                    raise NarrascopeError(f"{path}: cannot open the database ({str(exc).splitlines()[0]}); "
                                          "is another narrascope process writing to it?") from None
            if request is not None:
                request.touch()
            time.sleep(pause)
            pause = min(pause * 2, 0.2)
    finally:
        if request is not None and request.exists():
            with contextlib.suppress(OSError):
                os.unlink(request)


def _open_error(path: str, exc: Exception) -> str:
    """Why ``path`` could not be opened, for an error that is not another process's lock."""
    first = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
    if "not a valid duckdb database" in first.lower() or "not a database" in first.lower():
        return (f"{path}: not a narrascope store (not a DuckDB database file); give the --db that "
                "narrascope ingest or analyze wrote")
    return f"{path}: cannot open the database ({first})"


def _open(duckdb: Any, path: str, read_only: bool, threads: int | None, row_group_size: int | None) -> Any:
    """A connection to ``path``; a writer attaches the file with row groups of ``row_group_size`` rows.

    Closing the file after a batch checkpoints it, and DuckDB's checkpoint takes memory in
    proportion to the data in a table's last row group. With its default of 122,880 rows, a row
    group holds up to 122,880 page bodies, so the peak memory of a long ingest kept rising with the
    documents stored (``benchmarks/store_memory.py``).
    """
    config = {"threads": threads} if threads else {}
    if read_only or path == ":memory:" or not row_group_size:
        return duckdb.connect(path, read_only=read_only, config=config)
    db = duckdb.connect(":memory:", config=config)
    try:
        quoted = path.replace("'", "''")
        db.execute(f"ATTACH '{quoted}' AS corpus (ROW_GROUP_SIZE {int(row_group_size)})")
        db.execute("USE corpus")
    except BaseException:
        db.close()
        raise
    return db
