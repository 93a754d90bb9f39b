"""The SQLite file beside the store (``STORE.web.sqlite``): full-text index and analysts' corrections.

DuckDB's full-text extension needs a download, and the app must not write into a store
that ingests use; SQLite (WAL mode) takes the app's writes instead. The FTS5 index is
brought up to date from the store incrementally: documents ingested after the last one
indexed (``ingested_at``, ``id``), with their comments, in short read chunks.
"""

from __future__ import annotations

import re
import sqlite3
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from narrascope.web.reader import StoreReader
from narrascope.web.translit import is_plain, latin, spelled, spelling_key
from narrascope.web.variants import variants

SCHEMA = """
CREATE TABLE IF NOT EXISTS state (key TEXT PRIMARY KEY, value TEXT);
CREATE TABLE IF NOT EXISTS indexed (id TEXT PRIMARY KEY);
CREATE VIRTUAL TABLE IF NOT EXISTS document_text USING fts5(id UNINDEXED, language UNINDEXED, title, author, body,
    spelled, languages UNINDEXED, tokenize = 'unicode61 remove_diacritics 2');
CREATE VIRTUAL TABLE IF NOT EXISTS comment_text USING fts5(id UNINDEXED, document_id UNINDEXED, language UNINDEXED,
    author, text, spelled, tokenize = 'unicode61 remove_diacritics 2');
"""
#: the columns searched as typed, by table (``spelled`` holds the spelling keys of their non-ASCII words)
TYPED = {"document_text": "title author body", "comment_text": "author text"}
#: an analyst's correction of a model annotation (confirm, reject, relabel) or a span the model missed (add:
#: no model label; ``annotation_id`` names the added span, so that later corrections can refer to it)
CORRECTIONS = """
CREATE TABLE IF NOT EXISTS corrections (
    id INTEGER PRIMARY KEY AUTOINCREMENT, annotation_id TEXT NOT NULL, target_id TEXT NOT NULL,
    target_type TEXT NOT NULL, layer TEXT NOT NULL, start_char INTEGER NOT NULL, end_char INTEGER NOT NULL,
    model_label TEXT, model_score REAL,
    action TEXT NOT NULL CHECK (action IN ('confirm', 'reject', 'relabel', 'add')), label TEXT NOT NULL,
    author TEXT NOT NULL, note TEXT, created_at TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS corrections_annotation ON corrections (annotation_id);
CREATE INDEX IF NOT EXISTS corrections_target ON corrections (target_id);
"""
CHUNK = 2000
MARK_START, MARK_END = "\x02", "\x03"
LONG_TOKEN = re.compile(r"[^\s\x02\x03]{81,}")  # a run this long (a 100k-character "word") is cut in snippets


def side_path(store_path: str) -> str:
    return f"{store_path}.web.sqlite"


def connect(store_path: str) -> sqlite3.Connection:
    """A connection to the side file of ``store_path`` (created on first use)."""
    db = sqlite3.connect(side_path(store_path), timeout=30, check_same_thread=False)
    db.execute("PRAGMA journal_mode=WAL")
    db.execute("PRAGMA synchronous=NORMAL")
    upgrade_index(db)
    db.executescript(SCHEMA)
    upgrade_corrections(db)
    return db


@contextmanager
def _upgrading(db: sqlite3.Connection) -> Iterator[None]:
    """One connection upgrades the side file at a time; the others wait, then find it done."""
    db.execute("BEGIN IMMEDIATE")
    try:
        yield
        db.execute("COMMIT")
    except BaseException:
        db.execute("ROLLBACK")
        raise


def upgrade_index(db: sqlite3.Connection) -> None:
    """Drop a full-text index written before languages, spelling keys and the languages of a document's
    passages (it is rebuilt from the store)."""
    with _upgrading(db):
        columns = {r[1] for r in db.execute("PRAGMA table_info(document_text)")}
        if columns and "languages" not in columns:
            db.execute("DROP TABLE document_text")
            db.execute("DROP TABLE IF EXISTS comment_text")
            db.execute("DELETE FROM indexed")
            db.execute("DELETE FROM state WHERE key IN ('last_ingested', 'last_id')")


def upgrade_corrections(db: sqlite3.Connection) -> None:
    """Create the corrections table, or rebuild one written before 'add' existed (rows and ids kept)."""
    with _upgrading(db):
        found = db.execute("SELECT sql FROM sqlite_master WHERE type = 'table' AND name = 'corrections'").fetchone()
        if found is not None and "'add'" not in found[0]:
            db.execute("ALTER TABLE corrections RENAME TO corrections_before_add")
            db.execute("DROP INDEX IF EXISTS corrections_annotation")
            db.execute("DROP INDEX IF EXISTS corrections_target")
        for statement in CORRECTIONS.split(";"):
            if statement.strip():
                db.execute(statement)
        if found is not None and "'add'" not in found[0]:
            db.execute("INSERT INTO corrections SELECT * FROM corrections_before_add")
            db.execute("DROP TABLE corrections_before_add")


def trim_tokens(snippet: str | None) -> str:
    """The snippet with every run of more than 80 characters without a space cut to its ends (marks kept)."""
    return LONG_TOKEN.sub(lambda m: f"{m[0][:40]}…{m[0][-20:]}", snippet or "")


def spellings(word: str) -> set[str]:
    """``word`` lower-cased and its other spellings; a Cyrillic word also in its Latin ones (``Лукашенко``:
    ``лукашенко``, ``lukashenko``, ``lukashenka``, ...)."""
    out = variants(word)
    return out if is_plain(word) else out | variants(latin(word))


def _any(words: list[str]) -> str:
    return " OR ".join(f'"{w}"' for w in words)


def fts_query(text: str, typed: str = TYPED["document_text"]) -> str | None:
    """The words of ``text`` as an FTS5 query matching all of them, each in any of its spellings
    (``colour`` or ``color``, ``Lukashenka`` or ``Lukashenko``) in the ``typed`` columns, or by its
    spelling key in ``spelled`` (``Минск``, ``Мінск`` and ``Minsk`` alike); no FTS syntax from the user."""
    groups = []
    for w in re.findall(r"\w+", text)[:20]:
        found = sorted(spellings(w))  # lower case: the index folds case
        keys = sorted({k for k in map(spelling_key, found) if k})
        either = f"{{{typed}}} : ({_any(found)})"
        if keys:
            either = f"({either} OR spelled : ({_any(keys)}))"
        groups.append(either)
    return " AND ".join(groups) or None


def search_terms(text: str) -> set[str]:
    """Every spelling a search for ``text`` looks for, lower-cased (to mark them in a snippet)."""
    return {v for w in re.findall(r"\w+", text)[:20] for v in spellings(w)}


def search_keys(text: str) -> set[str]:
    """The spelling keys a search for ``text`` looks for (to mark the non-ASCII words found by them)."""
    return {k for k in map(spelling_key, search_terms(text)) if k}


class SideFile:
    """Full-text index and corrections of one store; ``sync`` catches up with new documents."""

    def __init__(self, store_path: str, reader: StoreReader, every: float = 2.0) -> None:
        self.store_path = store_path
        self.reader = reader
        self.every = every
        self._local = threading.local()
        self._syncing = threading.Lock()
        self._checked = 0.0

    @property
    def db(self) -> sqlite3.Connection:
        if getattr(self._local, "db", None) is None:
            self._local.db = connect(self.store_path)
        return self._local.db

    # -- the full-text index ---------------------------------------------------
    def _mark(self) -> tuple[str, str]:
        rows = dict(self.db.execute("SELECT key, value FROM state").fetchall())
        return rows.get("last_ingested", "1970-01-01 00:00:00"), rows.get("last_id", "")

    def maybe_sync(self, background: bool = True) -> None:
        """Start a catch-up if the last check is older than ``every`` seconds and none is running."""
        if time.monotonic() - self._checked < self.every:
            return
        self._checked = time.monotonic()
        if background:
            threading.Thread(target=self.sync, name="narrascope-index", daemon=True).start()
        else:
            self.sync()

    def sync(self) -> int:
        """Index documents (and their comments) stored after the last indexed one; return how many."""
        if not self._syncing.acquire(blocking=False):
            return 0
        try:
            done = 0
            while True:
                last_at, last_id = self._mark()
                with self.reader.cursor() as cur:
                    docs = cur.execute(
                        "SELECT id, title, author, body, CAST(ingested_at AS VARCHAR), language, "
                        "array_to_string(coalesce(languages, []), ' ') FROM documents "
                        "WHERE ingested_at > CAST(? AS TIMESTAMP) OR (ingested_at = CAST(? AS TIMESTAMP) "
                        "AND id > ?) ORDER BY ingested_at, id LIMIT ?",
                        [last_at, last_at, last_id, CHUNK]).fetchall()
                    ids = [d[0] for d in docs]
                    comments = cur.execute(
                        "SELECT id, document_id, author, text, language FROM comments WHERE document_id IN "
                        "(SELECT unnest(?))", [ids]).fetchall() if ids else []
                if not docs:
                    return done
                self._add(docs, comments)
                done += len(docs)
        finally:
            self._syncing.release()

    def _add(self, docs: list[tuple[Any, ...]], comments: list[tuple[Any, ...]]) -> None:
        db = self.db
        with db:
            known = set()
            for i in range(0, len(docs), 500):
                part = [d[0] for d in docs[i:i + 500]]
                known |= {r[0] for r in db.execute(
                    f"SELECT id FROM indexed WHERE id IN ({','.join('?' * len(part))})", part)}
            new = [d for d in docs if d[0] not in known]
            db.executemany("INSERT INTO indexed VALUES (?)", [(d[0],) for d in new])
            db.executemany("INSERT INTO document_text VALUES (?, ?, ?, ?, ?, ?, ?)",
                           [(d[0], d[5], d[1] or "", d[2] or "", d[3] or "",
                             spelled(f"{d[1] or ''} {d[2] or ''} {d[3] or ''}"), d[6]) for d in new])
            language = {d[0]: d[5] for d in new}  # a comment too short to tell is in its page's language
            db.executemany("INSERT INTO comment_text VALUES (?, ?, ?, ?, ?, ?)",
                           [(c[0], c[1], c[4] or language[c[1]], c[2] or "", c[3] or "",
                             spelled(f"{c[2] or ''} {c[3] or ''}")) for c in comments if c[1] in language])
            db.executemany("INSERT OR REPLACE INTO state VALUES (?, ?)",
                           [("last_ingested", docs[-1][4]), ("last_id", docs[-1][0])])

    def indexed(self) -> int:
        return int(self.db.execute("SELECT count(*) FROM indexed").fetchone()[0])

    def search(self, text: str, kind: str = "documents", limit: int = 20, offset: int = 0,
               language: str | None = None) -> list[dict[str, Any]]:
        """Ranked hits (BM25) with a snippet whose matches are wrapped in MARK_START/MARK_END; ``language``:
        only texts in that language (a comment too short to tell counts in its page's language; a document with
        a passage in it counts too)."""
        table, column, extra = (("document_text", 4, "title") if kind == "documents"
                                else ("comment_text", 4, "document_id"))
        query = fts_query(text, TYPED[table])
        if query is None:
            return []
        where, params = (" AND language = ?", [language]) if language else ("", [])
        if language and kind == "documents":
            where, params = " AND (language = ? OR instr(' ' || languages || ' ', ?) > 0)", [language, f" {language} "]
        rows = self.db.execute(
            f"SELECT id, {extra}, author, snippet({table}, {column}, ?, ?, '…', 16), language FROM {table} "
            f"WHERE {table} MATCH ?{where} ORDER BY rank LIMIT ? OFFSET ?",
            [MARK_START, MARK_END, query, *params, limit, offset]).fetchall()
        key = "title" if kind == "documents" else "document_id"
        return [{"id": r[0], key: r[1], "author": r[2], "snippet": trim_tokens(r[3]), "language": r[4]}
                for r in rows]
