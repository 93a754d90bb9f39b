"""What one batch of several documents leaves in the DuckDB store, row for row."""

from __future__ import annotations

import random

import pytest

from narrascope.model import Annotation, Comment, Document, Item
from narrascope.store.duckdb import DuckDBStore

P1 = "The square in front of the Palace of Independence was full by seven, and the riot police stood aside."

WORDS = ("protest minsk square march police election observer opposition leader foreign agent state media "
         "channel broadcast claim western sponsor crowd detain activist release").split()


def _words(seed: int) -> list[str]:
    """200 words of a text of its own for each ``seed``."""
    rng = random.Random(seed)
    return [f"{rng.choice(WORDS)}{rng.randrange(50)}" for _ in range(200)]


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


def test_a_batch_retried_without_the_memory_cap_marks_each_document_once(tmp_path):
    store = DuckDBStore(str(tmp_path / "retried.duckdb"))
    words = _words(11)
    original = Document(source="o.html", body=" ".join(words) + f"\n{P1}", kind="article").assign_ids()
    store.write([original])
    attempts: list[str] = []

    def far_too_small(payload: int) -> None:  # room for the lookups, not for the batch's 5 MB of text
        attempts.append("uncapped" if store._uncapped else "capped")
        if not store._uncapped:
            store._limit = 6 * 2**20
            store.db.execute("SET memory_limit = '6MiB'")

    store._fit_memory = far_too_small  # type: ignore[method-assign]
    big = Document(source="big.html", body="x" * 5_000_000, kind="article").assign_ids()  # one word: no signature
    edited = " ".join("edited" if i % 50 == 0 else w for i, w in enumerate(words))  # 4 words of 200 changed
    copy = Document(source="c.html", body=f"{edited}\n{P1}", kind="article").assign_ids()
    forwarded = Document(source="f.html", body=f"{' '.join(words)} forwarded", kind="post",
                         duplicate_of="d-channel-post").assign_ids()
    assert store.write([big, copy, forwarded]) == 3
    assert attempts == ["capped", "uncapped"]  # the first attempt failed; the batch was written without the cap
    # what the failed attempt marked on the documents was taken back before the second one
    assert (copy.duplicate_of, forwarded.duplicate_of, big.duplicate_of) == (original.id, "d-channel-post", None)
    start = copy.body.index(P1)
    assert [(a.start, a.end, a.label, a.data) for a in copy.annotations] == [
        (start, start + len(P1), "repeated_paragraph", {"first_document": original.id})]
    assert forwarded.annotations == [] and big.annotations == []
    stored = dict(_rows(store, "SELECT id, (duplicate_of, similarity) FROM documents"))
    assert stored == {original.id: (None, None), big.id: (None, None), copy.id: (original.id, 0.96875),
                      forwarded.id: ("d-channel-post", None)}
    store.close()
