"""What the DuckDB store writes comes back field for field: documents, items, comments, edges, annotations."""

from __future__ import annotations

import time
from datetime import UTC, datetime, timedelta, timezone

import duckdb
import pytest

from narrascope.model import Annotation, Comment, Document, Item
from narrascope.store.duckdb import DuckDBStore

MINSK = timezone(timedelta(hours=3))


@pytest.fixture()
def minsk_clock(monkeypatch):
    """The machine's own clock three hours ahead of UTC, as in Minsk (a POSIX zone: no tz database needed)."""
    monkeypatch.setenv("TZ", "MSK-3")
    time.tzset()
    yield
    monkeypatch.undo()
    time.tzset()


@pytest.fixture()
def store(tmp_path):
    s = DuckDBStore(str(tmp_path / "round.duckdb"))
    yield s
    s.close()


def _listing() -> Document:
    items = [Item("Minsk votes", "Queues at every school.", "https://nn.by/1"), Item("Hrodna waits", "", None)]
    doc = Document(source="https://nn.by/front.html", body="Minsk votes\nQueues at every school.\n\nHrodna waits",
                   kind="listing", title="Front page", author="Desk", published_raw="10 August 2020, 12:00",
                   published=datetime(2020, 8, 10, 12, 0, tzinfo=MINSK), language="be", outlet="nn.by",
                   languages=["be", "ru-Latn"],
                   items=items, meta={"views": 12, "tags": ["выбары"]})
    doc.comments = [
        Comment("first", "ann", number=1, posted_raw="12:05", posted=datetime(2020, 8, 10, 12, 5, tzinfo=MINSK),
                language="ru", meta={"reactions": {"+1": 3}}),
        Comment("a reply", "bob", number=2, depth=1, parent="#1", refs=["#1", "#1"]),
        Comment("@bob and @ann", None, refs=["#2", "#1"]),
    ]
    return doc.assign_ids()


def test_a_document_comes_back_field_for_field_with_its_times_in_utc(store, minsk_clock):
    assert time.localtime(0).tm_hour == 3  # times are stored in UTC whatever the machine's zone
    doc = _listing()
    c1, c2, c3 = (c.id for c in doc.comments)
    mark = Annotation(c3, "comment", 0, 4, "toxicity", "normal", 0.25, "toxicity", "3", data={"level": "comment"})
    doc.annotations = [Annotation(doc.id, "document", 0, 5, "techniques", "Doubt", 0.5, "techniques", "2"), mark]
    assert store.write([doc]) == 1
    back = store.get(doc.id)
    assert back is not None
    assert back.to_dict() == {
        "id": doc.id, "source": "https://nn.by/front.html", "outlet": "nn.by", "kind": "listing",
        "title": "Front page", "author": "Desk", "published": "2020-08-10T09:00:00Z",
        "published_raw": "10 August 2020, 12:00", "language": "be", "languages": ["be", "ru-Latn"], "body": doc.body,
        "items": [{"title": "Minsk votes", "text": "Queues at every school.", "url": "https://nn.by/1"},
                  {"title": "Hrodna waits", "text": "", "url": None}],
        "comments": [
            {"id": c1, "number": 1, "author": "ann", "posted": "2020-08-10T09:05:00Z", "posted_raw": "12:05",
             "depth": 0, "parent": None, "text": "first", "refs": [], "language": "ru",
             "meta": {"reactions": {"+1": 3}}},
            {"id": c2, "number": 2, "author": "bob", "posted": None, "posted_raw": None, "depth": 1, "parent": c1,
             "text": "a reply", "refs": [c1], "language": None, "meta": {}},
            {"id": c3, "number": None, "author": None, "posted": None, "posted_raw": None, "depth": 0, "parent": None,
             "text": "@bob and @ann", "refs": [c1, c2], "language": None, "meta": {}},  # refs in id order
        ],
        "annotations": [a.to_dict() for a in sorted(doc.annotations, key=lambda a: a.target)],
        "duplicate_of": None, "meta": {"views": 12, "tags": ["выбары"]},
    }
    assert back.published is not None and back.published.tzinfo is UTC
    assert back.comments[0].posted == datetime(2020, 8, 10, 9, 5, tzinfo=UTC)
    assert store.get("d-no-such-document") is None
    # a reference written twice is one edge; a reply is an edge of its own kind
    edges = store.db.execute("SELECT source_id, target_id, kind FROM edges ORDER BY ALL").fetchall()
    assert edges == sorted([(c2, c1, "reference"), (c2, c1, "reply"), (c3, c1, "reference"), (c3, c2, "reference")])
    metadata = store.db.execute("SELECT target_id, target_type, data FROM metadata ORDER BY ALL").fetchall()
    assert metadata == sorted([(doc.id, "document", '{"views": 12, "tags": ["выбары"]}'),
                               (c1, "comment", '{"reactions": {"+1": 3}}')])  # not ASCII-escaped
    positions = store.db.execute("SELECT id, position FROM comments ORDER BY position").fetchall()
    assert positions == [(c1, 1), (c2, 2), (c3, 3)]


def test_comments_and_annotations_are_read_by_document_and_layer_in_a_fixed_order(store):
    first, second = _listing(), Document(source="b.html", body="A second story.", kind="article").assign_ids()
    second.comments = [Comment("only one", "cy")]
    second.assign_ids()
    store.write([second, first])
    everything = [(c.id, c.author) for c in store.comments()]  # by document, then by place in the thread
    in_order = sorted([(first.id, 1, "ann"), (first.id, 2, "bob"), (first.id, 3, None), (second.id, 1, "cy")])
    assert everything == [(f"{d}-c{n}", author) for d, n, author in in_order]
    assert [c.text for c in store.comments(second.id)] == ["only one"]
    assert list(store.comments("d-no-such-document")) == []

    def mark(target: str, start: int, layer: str, label: str) -> Annotation:
        return Annotation(target, "comment" if "-c" in target else "document", start, start + 3, layer, label,
                          0.5, layer, "1")

    c1, c2 = first.comments[0].id, first.comments[1].id
    marks = [mark(c2, 0, "toxicity", "offensive"), mark(first.id, 4, "claims", "claim"),
             mark(first.id, 0, "techniques", "Doubt"), mark(first.id, 0, "claims", "claim"),
             mark(c1, 2, "toxicity", "normal"), mark(second.id, 0, "techniques", "Doubt")]
    marks[-1].id = "a-kept-from-an-older-export"  # an id read back from JSON stays what it was, not recomputed
    store.add_annotations(marks)
    found = [(a.target, a.start, a.layer) for a in store.annotations(target=first.id)]  # its comments' too
    assert found == [(first.id, 0, "claims"), (first.id, 0, "techniques"), (first.id, 4, "claims"),
                     (c1, 2, "toxicity"), (c2, 0, "toxicity")]
    assert [(a.target, a.label) for a in store.annotations(target=first.id, layer="toxicity")] == [
        (c1, "normal"), (c2, "offensive")]
    assert [a.target for a in store.annotations(layer="techniques")] == sorted([first.id, second.id])
    assert [a.target for a in store.annotations(target=c1)] == [c1]
    assert sorted(a.id for a in store.annotations()) == sorted(a.id for a in marks)
    back = store.get(second.id)  # a document read back holds its own comments and annotations only
    assert back is not None and [c.text for c in back.comments] == ["only one"]
    assert [(a.target, a.label) for a in back.annotations] == [(second.id, "Doubt")]


def test_a_batch_records_each_source_run_input_and_failure_once(store):
    a = Document(source="a.html", body="Minsk votes today.", kind="article").assign_ids()
    mirror = Document(source="mirror.html", body=a.body, kind="article").assign_ids()  # the same page elsewhere
    assert mirror.id == a.id
    before = datetime.now(UTC).replace(tzinfo=None)
    written = store.write([a, mirror, a], done=["k1", "k2", "k1", "bad"], failures=[("bad", "bad.html", "empty input")],
                          ran=[("demo", "1"), ("demo", "1"), ("other", "2")])
    assert written == 1

    def rows(sql: str) -> list[tuple]:
        return store.db.execute(sql).fetchall()

    assert rows("SELECT * FROM sources ORDER BY ALL") == [(a.id, "a.html"), (a.id, "mirror.html")]
    assert rows("SELECT * FROM runs ORDER BY ALL") == [(a.id, "demo", "1"), (a.id, "other", "2")]
    assert rows("SELECT input_key FROM inputs ORDER BY ALL") == [("k1",), ("k2",)]  # not the key that failed
    assert store.failures() == [{"input": "bad.html", "reason": "empty input"}]
    (ingested,) = rows("SELECT ingested_at FROM documents")[0]
    assert before <= ingested <= datetime.now(UTC).replace(tzinfo=None)
    # the same batch once more adds nothing but the failure's new reason
    assert store.write([mirror], done=["k1"], failures=[("bad", "bad.html", "still empty")], ran=[("demo", "3")]) == 0
    assert rows("SELECT count(*) FROM sources") == [(2,)] and rows("SELECT count(*) FROM inputs") == [(2,)]
    assert rows("SELECT count(*) FROM runs") == [(2,)]  # runs are recorded for new documents only
    assert store.failures() == [{"input": "bad.html", "reason": "still empty"}]


def test_a_copy_named_by_its_reader_is_kept_as_such_and_never_found_as_an_original(store):
    words = ("protest minsk square march police election observer opposition leader foreign agent state media "
             "channel broadcast claim western sponsor crowd detain activist release").split()
    text = " ".join(f"{words[i % len(words)]}{i}" for i in range(120))
    original = Document(source="o.html", body=text, kind="article").assign_ids()
    store.write([original])
    forwarded = Document(source="f.html", body=text + " forwarded", kind="post", duplicate_of="d-channel-post")
    later = Document(source="l.html", body=text + " later", kind="article")
    store.write([forwarded.assign_ids(), later.assign_ids()])
    assert store.get(forwarded.id).duplicate_of == "d-channel-post"  # as the reader said, not the stored original
    assert store.get(later.id).duplicate_of == original.id
    assert store.db.execute("SELECT document_id FROM signatures ORDER BY ALL").fetchall() == sorted(
        [(original.id,), (forwarded.id,), (later.id,)])
    assert store.db.execute("SELECT DISTINCT document_id FROM minhash_bands").fetchall() == [(original.id,)]


P1 = "The square in front of the Palace of Independence was full by seven, and the riot police stood aside."
P2 = "Observers from three neighbouring countries were turned back at the border the night before the vote."
P3 = "State television showed an empty avenue and a weather forecast while the crowd sang on the bridge."


def test_a_paragraph_seen_before_points_at_the_first_document_that_had_it(store):
    first = Document(source="a.html", body=f"{P1}\n{P2}\n{P1}", kind="article").assign_ids()  # its own repeat
    second = Document(source="b.html", body=f"Short intro.\n   {P1}  \n{P3}", kind="article").assign_ids()
    store.write([first, second])
    later = Document(source="c.html", body=f"{P2}\n{P3}", kind="article").assign_ids()
    store.write([later])

    def repeated(doc: Document) -> list[tuple]:
        back = store.get(doc.id)
        assert back is not None
        return [(a.target, a.target_type, a.start, a.end, a.layer, a.label, a.score, a.producer, a.producer_version,
                 a.data) for a in back.annotations]

    def mark(doc: Document, text: str, first_document: Document) -> tuple:
        start = doc.body.index(text)
        return (doc.id, "document", start, start + len(text), "duplicates", "repeated_paragraph", 1.0,
                "narrascope.dedup", "1", {"first_document": first_document.id})

    assert repeated(first) == []
    assert repeated(second) == [mark(second, P1, first)]  # the paragraph without its indentation and spaces
    assert repeated(later) == [mark(later, P2, first), mark(later, P3, second)]
    owners = store.db.execute("SELECT document_id, count(*) FROM paragraphs GROUP BY ALL ORDER BY ALL").fetchall()
    assert owners == sorted([(first.id, 2), (second.id, 1)])


def test_a_batch_that_fails_leaves_nothing_behind_and_the_next_one_is_written(store):
    good = Document(source="a.html", body="Minsk votes.", kind="article").assign_ids()
    broken = Document(source="b.html", body="Hrodna waits.", kind=None).assign_ids()  # type: ignore[arg-type]
    with pytest.raises(duckdb.ConstraintException, match="NOT NULL constraint failed: documents.kind"):
        store.write([good, broken], done=["k"])
    assert set(store.counts().values()) == {0} and not store.has_input("k")  # the whole batch rolled back
    with pytest.raises(duckdb.CatalogException):  # nor are the batch's rows still held by the connection
        store.db.execute("SELECT count(*) FROM _narrascope_rows")
    assert store.write([good], done=["k"]) == 1 and store.has_input("k")
    with pytest.raises(duckdb.CatalogException):
        store.db.execute("SELECT count(*) FROM _narrascope_rows")
