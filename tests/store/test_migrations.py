"""Schema migrations keep what an older file holds."""

from __future__ import annotations

import pytest

from narrascope.model import Annotation, Comment, Document
from narrascope.store import duckdb as duckdb_store
from narrascope.store.duckdb import DuckDBStore
from narrascope.store.schema import MIGRATIONS

BODY = ("The opposition leader is a puppet of foreign capitals, the presenter said, and the protests "
        "are paid for from abroad.\n\nThe same paragraph ran in every outlet of the group that week.")


def _doc(source: str, text: str = BODY) -> Document:
    doc = Document(source=source, body=text, kind="article", title="Puppets")
    doc.comments = [Comment("first", "ann"), Comment("@ann no", "bob", depth=1, parent="#1", refs=["#1"])]
    return doc.assign_ids()


def _keyed(store: DuckDBStore) -> set[str]:
    return {r[0] for r in store.db.execute(
        "SELECT table_name FROM duckdb_constraints() WHERE constraint_type IN ('PRIMARY KEY', 'UNIQUE')").fetchall()}


def test_version_6_drops_the_ingest_tables_keys_and_keeps_their_rows(tmp_path, monkeypatch):
    path = str(tmp_path / "v5.duckdb")
    monkeypatch.setattr(duckdb_store, "MIGRATIONS", MIGRATIONS[:5])
    old = DuckDBStore(path)
    old.db.execute("ALTER TABLE documents ADD COLUMN languages VARCHAR[]")  # today's writer writes it (migration 9)
    first = _doc("a.html")
    first.annotations.append(Annotation(first.comments[1].id, "comment", 0, 4, "toxicity", "normal", 0.9, "t", "1"))
    old.write([first, _doc("b.html", BODY.replace("puppet", "pawn"))], done=["a.html", "b.html"], ran=[("x", "1")])
    assert {"comments", "paragraphs", "inputs"} <= _keyed(old)
    before = old.counts()
    old.close()
    monkeypatch.setattr(duckdb_store, "MIGRATIONS", MIGRATIONS)

    store = DuckDBStore(path)
    assert store.schema_version == len(MIGRATIONS) == 9
    assert store.counts() == before
    assert _keyed(store) & {"sources", "items", "comments", "edges", "annotations", "inputs", "runs",
                            "signatures", "paragraphs"} == set()
    assert "documents" in _keyed(store)
    indexes = {r[0] for r in store.db.execute("SELECT index_name FROM duckdb_indexes()").fetchall()}
    assert {"annotations_target", "comments_document", "runs_document"} <= indexes
    back = store.get(first.id)
    assert back.comments[1].refs == [first.comments[0].id] and back.comments[1].parent == first.comments[0].id
    assert [a.label for a in back.annotations if a.layer == "toxicity"] == ["normal"]

    # the store's own lookups now keep rows unique: writing everything again adds nothing
    again = _doc("a.html")
    again.annotations.append(Annotation(again.comments[1].id, "comment", 0, 4, "toxicity", "normal", 0.9, "t", "1"))
    assert store.write([again, _doc("a.html")], done=["a.html", "a.html", "b.html"], ran=[("x", "1")]) == 0
    assert store.add_annotations(list(back.annotations), ran=[(first.id, "x", "1")]) == 0
    assert store.counts() == before
    assert store.db.execute("SELECT count(*) FROM inputs").fetchone()[0] == 2
    assert store.db.execute("SELECT count(*) FROM runs").fetchone()[0] == 2
    store.close()


def version_8_store(path: str, monkeypatch: pytest.MonkeyPatch, title: str, language: str, body: str) -> None:
    """A store as schema version 8 left it (no ``documents.languages``), holding one document ``d1``."""
    monkeypatch.setattr(duckdb_store, "MIGRATIONS", MIGRATIONS[:8])
    old = DuckDBStore(path)
    old.db.execute("INSERT INTO documents (id, source, kind, title, language, body) VALUES ('d1', 'a.html', "
                   "'post', ?, ?, ?)", [title, language, body])
    old.close()
    monkeypatch.setattr(duckdb_store, "MIGRATIONS", MIGRATIONS)


def test_version_9_adds_the_languages_of_a_documents_passages_and_keeps_older_rows(tmp_path, monkeypatch):
    path = str(tmp_path / "v8.duckdb")
    version_8_store(path, monkeypatch, "Old page", "en", "An English page.")
    store = DuckDBStore(path)
    assert store.schema_version == 9
    assert (store.get("d1").language, store.get("d1").languages) == ("en", [])
    quoting = _doc("b.html")
    quoting.language, quoting.languages = "en", ["en", "ru"]
    store.write([quoting])
    assert store.get(quoting.id).languages == ["en", "ru"]
    store.close()
