"""Replies that loop back in platform JSON: every comment kept, the first of each loop made top-level, and said."""

from __future__ import annotations

import json

import pytest

from narrascope.errors import ReadError
from narrascope.readers import parse


def _disqus(tmp_path):
    posts = [{"id": 1, "parent": None, "raw_message": "Root post of the thread."},
             {"id": 2, "parent": 1, "raw_message": "A reply to the root."},
             {"id": 10, "parent": 11, "raw_message": "Cycle A answers B."},
             {"id": 11, "parent": 10, "raw_message": "Cycle B answers A."},
             {"id": 12, "parent": 11, "raw_message": "A reply hanging below the cycle."},
             {"id": 20, "parent": 20, "raw_message": "A post that answers itself."}]
    path = tmp_path / "disqus.json"
    path.write_text(json.dumps({"code": 0, "response": {"thread": {"title": "T"}, "posts": posts}}))
    return path


def _reddit(tmp_path):
    def t1(name: str, parent: str) -> dict:
        return {"kind": "t1", "data": {"name": f"t1_{name}", "author": "u", "body": f"Comment {name}.",
                                       "parent_id": parent, "depth": 0, "replies": ""}}

    listing = [{"kind": "Listing", "data": {"children": [{"kind": "t3", "data": {"title": "Post", "selftext": ""}}]}},
               {"kind": "Listing", "data": {"children": [t1("a", "t1_b"), t1("b", "t1_a"), t1("c", "t3_post")]}}]
    path = tmp_path / "reddit.json"
    path.write_text(json.dumps(listing))
    return path


@pytest.mark.parametrize("make", [_disqus, _reddit])
def test_a_reply_cycle_keeps_every_comment_and_is_reported(tmp_path, make):
    with pytest.raises(ReadError, match="reply cycle.*every comment is kept") as caught:
        parse(str(make(tmp_path)))
    [doc] = caught.value.documents  # type: ignore[attr-defined]
    ids = {c.id for c in doc.comments}
    by_text = {c.text: c for c in doc.comments}
    for c in doc.comments:  # no comment is its own ancestor
        seen, up = set(), c.parent
        while up is not None:
            assert up in ids and up not in seen
            seen.add(up)
            up = next(p.parent for p in doc.comments if p.id == up)
    if make is _disqus:
        assert len(doc.comments) == 6
        a, b = by_text["Cycle A answers B."], by_text["Cycle B answers A."]
        assert (a.parent, a.depth, b.parent, b.depth) == (None, 0, a.id, 1)
        assert by_text["A reply hanging below the cycle."].parent == b.id
        assert by_text["A post that answers itself."].parent is None
        assert "10 answers 11 answers 10; 20 answers 20" in caught.value.reason
    else:
        a, b = by_text["Comment a."], by_text["Comment b."]
        assert (a.parent, a.depth, b.parent, b.depth) == (None, 0, a.id, 1)
        assert len(doc.comments) == 3


def test_a_thread_without_cycles_reads_without_a_note(tmp_path):
    posts = [{"id": 1, "parent": None, "raw_message": "Root."}, {"id": 2, "parent": 1, "raw_message": "Reply."}]
    path = tmp_path / "ok.json"
    path.write_text(json.dumps({"response": {"posts": posts}}))
    [doc] = parse(str(path))
    assert [c.depth for c in doc.comments] == [0, 1]
