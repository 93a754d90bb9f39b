"""The DuckDB store's own paths beside the contract: filters, reruns, failures, exports, release and open errors."""

from __future__ import annotations

import csv
import io
import json

import duckdb
import pytest

from narrascope.errors import NarrascopeError
from narrascope.model import Annotation, Comment, Document
from narrascope.store.duckdb import DuckDBStore, _open_error

BODY = "=SUM(A1) is how the budget table was shared on the forum, a formula and not a word of news. "


def _doc(title: str, source: str, outlet: str, kind: str = "article", language: str = "en") -> Document:
    return Document(source=source, body=f"{title}. {BODY}", kind=kind, title=title, language=language,
                    outlet=outlet).assign_ids()


@pytest.fixture()
def store(tmp_path):
    s = DuckDBStore(str(tmp_path / "paths.duckdb"))
    yield s
    s.close()


def test_documents_are_filtered_by_outlet_kind_and_language(store):
    a, b, c = (_doc("Minsk", "a.html", "nn.by"), _doc("Hrodna", "b.html", "nn.by", language="be"),
               _doc("Brest", "c.html", "tut.by", kind="listing"))
    c.comments = [Comment("the square was full", "ann")]
    c.assign_ids()
    store.write([a, b, c])
    assert [d.id for d in store.documents()] == sorted([a.id, b.id, c.id])
    assert {d.title for d in store.documents(outlet="nn.by")} == {"Minsk", "Hrodna"}
    assert [d.title for d in store.documents(outlet="nn.by", language="be")] == ["Hrodna"]
    assert [d.title for d in store.documents(kind="listing")] == ["Brest"]
    assert list(store.documents(outlet="nn.by", kind="listing")) == []
    (full,) = store.documents(outlet="tut.by", full=True)
    assert [(m.author, m.text) for m in full.comments] == [("ann", "the square was full")]
    (light,) = store.documents(outlet="tut.by")  # without its comments, items and annotations
    assert light.body == c.body and light.comments == []


def test_a_component_run_once_more_at_a_new_version_drops_the_old_labels(store):
    doc = _doc("Minsk", "a.html", "nn.by")
    store.write([doc])
    store.add_annotations([Annotation(doc.id, "document", 0, 5, "demo", "old", 1.0, "demo", "1")],
                          ran=[(doc.id, "demo", "1")])
    store.add_annotations([Annotation(doc.id, "document", 0, 5, "demo", "new", 1.0, "demo", "2")],
                          ran=[(doc.id, "demo", "2")])  # one call: the new version replaces the old at once
    assert [(a.label, a.producer_version) for a in store.annotations(layer="demo")] == [("new", "2")]


def test_a_failure_recorded_again_keeps_the_latest_reason(store):
    doc = _doc("Minsk", "a.html", "nn.by")
    store.write([doc])
    store.add_annotations([], failures=[(f"{doc.id}|demo", "a.html", "demo: ValueError: first")])
    store.add_annotations([], failures=[(f"{doc.id}|demo", "a.html", "demo: KeyError: second")])
    assert store.failures() == [{"input": "a.html", "reason": "demo: KeyError: second"}]


def test_annotations_without_data_store_no_data(store):
    doc = _doc("Minsk", "a.html", "nn.by")
    store.write([doc])
    store.add_annotations([Annotation(doc.id, "document", 0, 5, "demo", "x", 1.0, "demo", "1"),
                           Annotation(doc.id, "document", 0, 5, "demo", "y", 1.0, "demo", "1", data={"k": 1})],
                          ran=[(doc.id, "demo", "1")])
    rows = [json.loads(line) for line in store.export("annotations", "jsonl").splitlines()]
    assert sorted((r["label"], r["data"]) for r in rows) == [("x", None), ("y", {"k": 1})]
    header, *lines = csv.reader(io.StringIO(store.export("annotations", "csv")))
    data = sorted((row[header.index("label")], row[header.index("data")]) for row in lines)
    assert data == [("x", ""), ("y", '{"k": 1}')]  # no data is an empty cell, not the JSON text "null"


def test_only_the_csv_export_quotes_formula_cells(store):
    store.write([_doc("=HYPERLINK(x)", "a.html", "nn.by")])
    (row,) = [json.loads(line) for line in store.export("documents", "jsonl").splitlines()]
    assert (row["title"], row["body"][:9]) == ("=HYPERLINK(x)", "=HYPERLIN")
    header, line = csv.reader(io.StringIO(store.export("documents", "csv")))
    cells = dict(zip(header, line, strict=True))
    assert (cells["title"], cells["body"][:10]) == ("'=HYPERLINK(x)", "'=HYPERLIN")


def test_corrections_are_exported_from_the_side_file_even_when_there_is_none(store, tmp_path):
    assert store.export("corrections", "jsonl") == ""
    assert store.export("corrections", "csv").startswith("id,annotation_id,target_id,target_type,layer,")
    out = tmp_path / "corrections.jsonl"
    assert store.export("corrections", "jsonl", str(out)) is None and out.read_text() == ""


def test_export_errors_name_the_table_or_format_and_the_choices(store):
    with pytest.raises(NarrascopeError) as caught:
        store.export("nosuch", "jsonl")
    message, choices = str(caught.value).split("; choose one of ")
    assert message == "no table 'nosuch' to export"
    tables = choices.split(", ")
    assert {"documents", "comments", "annotations", "failures", "sources"} <= set(tables)
    assert tables[-1] == "corrections" and "schema_version" not in tables  # internal tables are not offered
    with pytest.raises(NarrascopeError) as caught:
        store.export("documents", "labelstudio")
    assert str(caught.value) == ("labelstudio is only for --table corrections; export 'documents' as jsonl, csv "
                                 "or parquet")
    with pytest.raises(NarrascopeError) as caught:
        store.export("documents", "xml")
    assert str(caught.value) == "no export format 'xml'; choose jsonl, csv or parquet"


def test_release_closes_the_file_for_other_connections_but_keeps_an_in_memory_store(tmp_path):
    path = tmp_path / "released.duckdb"
    store = DuckDBStore(str(path))
    store.write([_doc("Minsk", "a.html", "nn.by")])
    store.release()
    reader = duckdb.connect(str(path), read_only=True)  # only possible once this process let go of the file
    assert reader.execute("SELECT count(*) FROM documents").fetchone() == (1,)
    reader.close()
    assert store.counts()["documents"] == 1  # and the store reopens it on the next access
    store.close()
    memory = DuckDBStore(":memory:")
    memory.write([_doc("Minsk", "a.html", "nn.by")])
    memory.release()  # closing would lose everything
    assert memory.counts()["documents"] == 1
    memory.close()


def test_a_file_that_is_no_database_is_named_with_what_to_do(tmp_path):
    text = tmp_path / "notes.duckdb"
    text.write_text("not a database\n" * 100)
    with pytest.raises(NarrascopeError) as caught:
        DuckDBStore(str(text))
    assert str(caught.value) == (f"{text}: not a narrascope store (not a DuckDB database file); give the --db "
                                 "that narrascope ingest or analyze wrote")
    folder = tmp_path / "folder.duckdb"
    folder.mkdir()
    with pytest.raises(NarrascopeError) as caught:
        DuckDBStore(str(folder))
    assert str(caught.value) == (f'{folder}: cannot open the database (IO Error: Could not read from file '
                                 f'"{folder}": Is a directory)')


def test_an_open_error_gives_its_first_line_or_its_type() -> None:
    assert _open_error("x.duckdb", ValueError("IO Error: first line\nsecond line")) == (
        "x.duckdb: cannot open the database (IO Error: first line)")
    assert _open_error("x.duckdb", ValueError()) == "x.duckdb: cannot open the database (ValueError)"
    assert _open_error("x.duckdb", ValueError("file is Not A Database")).startswith("x.duckdb: not a narrascope store")
    assert _open_error("x.duckdb", ValueError("not a valid DuckDB database file")).startswith(
        "x.duckdb: not a narrascope store")


def test_pending_gives_256_documents_at_a_time_by_default(store):
    store.write([Document(source=f"{n}.html", body=f"Story {n}.", kind="article").assign_ids() for n in range(257)])
    assert len(store.pending("demo", "1")) == 256
