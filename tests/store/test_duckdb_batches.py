"""What one batch of several documents leaves in the DuckDB store, row for row."""

from __future__ import annotations

import pytest

from narrascope.model import Annotation, Comment, Document, Item
from narrascope.store.duckdb import DuckDBStore

P1 = "The square in front of the Palace of Independence was full by seven, and the riot police stood aside."


@pytest.fixture()
def store(tmp_path):
    s = DuckDBStore(str(tmp_path / "batches.duckdb"))
    yield s
    s.close()


def _rows(store: DuckDBStore, sql: str) -> list[tuple]:
    return store.db.execute(sql).fetchall()


def test_every_document_of_a_batch_keeps_its_own_items_labels_runs_and_comment_metadata(store):
    first = Document(source="a.html", body="Minsk votes.\nQueues at every school.", kind="listing",
                     items=[Item("Minsk votes", "Queues at every school.", "https://nn.by/1")])
    first.comments = [Comment("Хто лічыць галасы?", "ann", meta={"рэакцыі": {"👍": 2}})]
    first.assign_ids()
    mirror = Document(source="mirror.html", body=first.body, kind="listing",
                      items=[Item("Minsk votes", "Queues at every school.", "https://nn.by/1")])
    mirror.comments = [Comment("Хто лічыць галасы?", "ann", meta={"рэакцыі": {"👍": 2}})]
    mirror.assign_ids()
    assert mirror.id == first.id  # the same page found again in the same batch
    second = Document(source="b.html", body="Hrodna waits.", kind="listing",
                      items=[Item("Hrodna waits", "", None), Item("Brest counts", "By hand.", "https://nn.by/3")])
    second.assign_ids()
    first.annotations = [Annotation(first.id, "document", 0, 5, "techniques", "Doubt", 0.5, "techniques", "2")]
    second.annotations = [Annotation(second.id, "document", 0, 6, "claims", "claim", 0.75, "claims", "1")]

    assert store.write([first, mirror, second], done=["k"], ran=[("demo", "1")]) == 2
    assert _rows(store, "SELECT document_id, source FROM sources ORDER BY ALL") == sorted(
        [(first.id, "a.html"), (first.id, "mirror.html"), (second.id, "b.html")])
    assert _rows(store, "SELECT * FROM items ORDER BY ALL") == sorted([
        (first.id, 0, "Minsk votes", "Queues at every school.", "https://nn.by/1"),
        (second.id, 0, "Hrodna waits", "", None), (second.id, 1, "Brest counts", "By hand.", "https://nn.by/3")])
    assert _rows(store, "SELECT target_id, layer, label, score, producer, producer_version FROM annotations "
                        "ORDER BY ALL") == sorted([(first.id, "techniques", "Doubt", 0.5, "techniques", "2"),
                                                   (second.id, "claims", "claim", 0.75, "claims", "1")])
    assert _rows(store, "SELECT * FROM runs ORDER BY ALL") == sorted([(first.id, "demo", "1"),
                                                                      (second.id, "demo", "1")])
    # the platform's words and emoji are kept as they are, not as \u escapes
    assert _rows(store, "SELECT target_id, target_type, data FROM metadata") == [
        (f"{first.id}-c1", "comment", '{"рэакцыі": {"👍": 2}}')]
    assert _rows(store, "SELECT id, document_id, position, text FROM comments") == [
        (f"{first.id}-c1", first.id, 1, "Хто лічыць галасы?")]


def test_a_bare_thread_without_a_body_is_stored_and_never_compared(store):
    thread = Document(source="forum.html", body="", kind="thread")
    thread.comments = [Comment(P1, "ann"), Comment(P1, "bob", depth=1, parent="#1")]
    thread.assign_ids()
    story = Document(source="a.html", body=f"{P1}\n{P1}", kind="article").assign_ids()

    assert store.write([thread, story], done=["forum.html", "a.html"]) == 2
    back = store.get(thread.id)
    assert back is not None
    assert (back.body, back.duplicate_of, back.annotations) == ("", None, [])
    assert [(c.author, c.depth, c.parent) for c in back.comments] == [("ann", 0, None),
                                                                      ("bob", 1, f"{thread.id}-c1")]
    # neither a signature nor a paragraph of its own: only the story's paragraph is remembered
    assert _rows(store, "SELECT document_id FROM paragraphs") == [(story.id,)]
    assert _rows(store, "SELECT count(*) FROM signatures") == [(0,)]
    assert _rows(store, "SELECT input_key FROM inputs ORDER BY ALL") == [("a.html",), ("forum.html",)]
