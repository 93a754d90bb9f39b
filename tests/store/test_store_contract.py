"""The Store contract, run against every registered store."""

from __future__ import annotations

import json

import pytest

from narrascope import registry
from narrascope.model import Annotation, Comment, Document
from narrascope.store import open_store

LONG = ("The protests in Minsk continued for a third week as tens of thousands of people marched "
        "through the city centre, demanding the release of detained activists and a new election "
        "under international observation, while the authorities blamed foreign agents. ") * 3


def _doc(body: str = LONG, source: str = "a.html", title: str = "Minsk") -> Document:
    doc = Document(source=source, body=body, kind="article", title=title, language="en")
    doc.comments = [Comment("first comment", "ann"), Comment("a reply", "bob", depth=1, parent="#1"),
                    Comment("@ann yes", "cy", refs=["#1"])]
    return doc.assign_ids()


@pytest.fixture(params=[n for n in registry.stores.names()] or ["duckdb"])
def any_store(request, tmp_path):
    s = open_store(str(tmp_path / "contract.db"), kind=request.param)
    yield s
    s.close()


def test_writing_the_same_document_twice_adds_only_a_source(any_store):
    assert any_store.write([_doc()], done=["k1"]) == 1
    assert any_store.write([_doc(source="https://copy.example/a")], done=["k2"]) == 0
    counts = any_store.counts()
    assert (counts["documents"], counts["comments"], counts["sources"]) == (1, 3, 2)
    assert any_store.has_input("k1") and any_store.has_input("k2") and not any_store.has_input("k3")
    assert any_store.stored_inputs(["k3", "k2", "k1", "k2"]) == {"k1", "k2"}
    assert any_store.stored_inputs([]) == set()


def test_documents_come_back_with_comments_edges_and_annotations(any_store):
    doc = _doc()
    doc.annotations.append(Annotation(doc.comments[2].id, "comment", 0, 4, "toxicity", "normal", 0.9, "t", "1"))
    any_store.write([doc])
    back = any_store.get(doc.id)
    assert back.body == doc.body and back.title == "Minsk"
    assert [c.id for c in back.comments] == [c.id for c in doc.comments]
    assert back.comments[1].parent == doc.comments[0].id
    assert back.comments[2].refs == [doc.comments[0].id]
    assert [(a.label, a.start, a.end) for a in back.annotations] == [("normal", 0, 4)]


def test_near_duplicates_and_repeated_paragraphs_are_marked(any_store):
    first = _doc(LONG + "\n" + "A paragraph that appears in both stories, word for word, about the vote count. " * 2)
    copy = _doc(LONG.replace("third week", "fourth week") + "\n" +
                "A paragraph that appears in both stories, word for word, about the vote count. " * 2,
                source="b.html", title="Minsk again")
    any_store.write([first])
    any_store.write([copy])
    stored = any_store.get(copy.id)
    assert stored.duplicate_of == first.id
    repeated = [a for a in stored.annotations if a.layer == "duplicates"]
    assert repeated and repeated[0].data == {"first_document": first.id}
    assert "word for word" in stored.body[repeated[0].start:repeated[0].end]


def test_failures_are_recorded_and_cleared_when_the_input_reads_later(any_store):
    any_store.write([], done=["k"], failures=[("k", "bad.html", "empty input")])
    assert any_store.failures() == [{"input": "bad.html", "reason": "empty input"}]
    assert not any_store.has_input("k")
    any_store.write([_doc()], done=["k"])
    assert any_store.failures() == [] and any_store.has_input("k")


def test_pending_lists_documents_a_component_has_not_seen(any_store):
    doc = _doc()
    any_store.write([doc])
    assert [d.id for d in any_store.pending("demo", "1")] == [doc.id]
    any_store.add_annotations([Annotation(doc.id, "document", 0, 3, "demo", "x", 1.0, "demo", "1")],
                              ran=[(doc.id, "demo", "1")])
    assert any_store.pending("demo", "1") == [] and [d.id for d in any_store.pending("demo", "2")] == [doc.id]


def test_pending_pages_in_id_order_and_a_failure_ends_when_the_document_is_analysed(any_store):
    docs = [_doc(f"{LONG} Story {n}.", source=f"{n}.html") for n in range(5)]
    any_store.write(docs)
    ids = sorted(d.id for d in docs)
    assert [d.id for d in any_store.pending("demo", "1", limit=2)] == ids[:2]
    assert [d.id for d in any_store.pending("demo", "1", limit=2, after=ids[1])] == ids[2:4]
    assert any_store.pending("demo", "1", after=ids[-1]) == []
    broke = (f"{ids[0]}|demo", "0.html", "demo: ValueError: broken")
    any_store.add_annotations([], ran=[], failures=[broke])
    assert [f["reason"] for f in any_store.failures()] == ["demo: ValueError: broken"]
    any_store.add_annotations([], ran=[(ids[0], "demo", "1")])  # it works now
    assert any_store.failures() == [] and ids[0] not in {d.id for d in any_store.pending("demo", "1")}



def test_a_component_run_again_at_a_new_version_replaces_its_annotations(any_store):
    doc, other = _doc(), _doc(LONG.upper(), source="b.html")
    any_store.write([doc, other])
    c = doc.comments[0].id

    def demo(target: str, label: str, version: str) -> Annotation:
        return Annotation(target, "comment" if "-c" in target else "document", 0, 3, "demo", label, 1.0, "demo",
                          version)

    kept = Annotation(doc.id, "document", 0, 3, "toxicity", "normal", 0.9, "toxicity", "1")
    any_store.add_annotations([demo(doc.id, "old", "1"), demo(c, "old", "1"), demo(other.id, "old", "1"), kept],
                              ran=[(doc.id, "demo", "1"), (other.id, "demo", "1")])
    again = [demo(doc.id, "new", "2")]
    for _ in range(2):  # a run killed after writing and started again adds nothing twice
        any_store.add_annotations(again, ran=[(doc.id, "demo", "2"), (other.id, "demo", "2")],
                                  failures=[(f"{other.id}|demo", "b.html", "demo: broke")])
    labels = sorted((a.target, a.label) for a in any_store.annotations() if a.layer != "duplicates")
    assert labels == sorted([(doc.id, "new"), (doc.id, "normal"), (other.id, "old")])


@pytest.mark.parametrize("fmt", ["jsonl", "csv", "parquet"])
def test_export_every_table(any_store, tmp_path, fmt):
    any_store.write([_doc()], failures=[("k", "bad.html", "binary file")])
    for table in ("documents", "comments", "annotations", "failures"):
        out = tmp_path / f"{table}.{fmt}"
        any_store.export(table, fmt, str(out))
        assert out.exists() and (table == "annotations" or out.stat().st_size > 0)
    text = any_store.export("comments", "jsonl")
    rows = [json.loads(line) for line in text.splitlines()]
    assert [r["author"] for r in rows] == ["ann", "bob", "cy"]


def test_reopening_keeps_data_and_schema_version(tmp_path):
    path = str(tmp_path / "again.duckdb")
    with open_store(path) as s:
        s.write([_doc()])
        version = s.schema_version
    with open_store(path) as s:
        assert s.counts()["documents"] == 1 and s.schema_version == version >= 1
        near = _doc(LONG.replace("third week", "fifth week"), source="c.html")
        s.write([near])  # signatures stored by the first session find the copy
        assert s.get(near.id).duplicate_of == _doc().id
