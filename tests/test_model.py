from __future__ import annotations

from datetime import UTC, datetime

from narrascope.model import Annotation, Comment, Document, Item


def _thread() -> Document:
    doc = Document(source="page.html", kind="article", title="T", body="Body text.")
    doc.comments = [
        Comment(text="first", author="ann", id="comment-11"),
        Comment(text="reply", author="bob", depth=1, parent="comment-11", id="comment-12"),
        Comment(text="@ann again", author="cy", refs=["comment-11", "comment-999"], id="comment-13"),
        Comment(text="by position", author="dee", parent="#2"),
    ]
    return doc


def test_ids_are_stable_and_content_derived():
    a, b = _thread().assign_ids(), _thread().assign_ids()
    assert a.id == b.id and a.id.startswith("d")
    changed = _thread()
    changed.comments[0].text = "first!"
    assert changed.assign_ids().id != a.id


def test_source_does_not_change_the_id_so_syndicated_copies_collide():
    a = _thread()
    b = _thread()
    b.source = "https://elsewhere.example/copy"
    assert a.assign_ids().id == b.assign_ids().id


def test_parents_and_refs_are_rewritten_to_comment_ids():
    doc = _thread().assign_ids()
    ids = [c.id for c in doc.comments]
    assert ids == [f"{doc.id}-c{i}" for i in range(1, 5)]
    assert doc.comments[1].parent == ids[0]
    assert doc.comments[2].refs == [ids[0]]  # the unknown native id is dropped
    assert doc.comments[3].parent == ids[1]


def test_json_round_trip_keeps_everything():
    doc = _thread()
    doc.published = datetime(2020, 10, 27, 14, 46, tzinfo=UTC)
    doc.items = [Item("Headline", "Teaser")]
    doc.assign_ids()
    doc.annotations = [Annotation(doc.id, "document", 0, 4, "techniques", "Loaded_Language", 0.9, "t", "1")]
    data = doc.to_dict()
    assert data["published"] == "2020-10-27T14:46:00Z"
    again = Document.from_dict(data)
    assert again.to_dict() == data


def test_annotation_id_depends_on_span_label_and_producer():
    a = Annotation("d1", "document", 0, 4, "techniques", "Doubt", 0.5, "t", "1")
    b = Annotation("d1", "document", 0, 4, "techniques", "Doubt", 0.7, "t", "1")
    c = Annotation("d1", "document", 0, 5, "techniques", "Doubt", 0.5, "t", "1")
    assert a.id == b.id != c.id
