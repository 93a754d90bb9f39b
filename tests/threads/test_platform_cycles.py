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


DISQUS_TREE = [("Root post of the thread.", None, 0), ("A reply to the root.", "Root post of the thread.", 1),
               ("Cycle A answers B.", None, 0), ("Cycle B answers A.", "Cycle A answers B.", 1),
               ("A reply hanging below the cycle.", "Cycle B answers A.", 2), ("A post that answers itself.", None, 0)]
REDDIT_TREE = [("Comment a.", None, 0), ("Comment b.", "Comment a.", 1), ("Comment c.", None, 0)]


@pytest.mark.parametrize(("make", "tree", "loops"), [
    (_disqus, DISQUS_TREE, "2 reply cycle(s) (10 answers 11 answers 10; 20 answers 20)"),
    (_reddit, REDDIT_TREE, "1 reply cycle(s) (t1_a answers t1_b answers t1_a)")])
def test_a_reply_cycle_keeps_every_comment_and_is_reported(tmp_path, make, tree, loops):
    with pytest.raises(ReadError, match="reply cycle.*every comment is kept") as caught:
        parse(str(make(tmp_path)))
    [doc] = caught.value.documents  # type: ignore[attr-defined]
    text_of = {c.id: c.text for c in doc.comments}
    # (text, parent's text, depth): each loop's first comment is top-level, nobody is their own ancestor
    assert [(c.text, text_of.get(c.parent), c.depth) for c in doc.comments] == tree
    assert caught.value.reason == loops + ": every comment is kept, the first of each cycle as a top-level comment"


def test_a_thread_without_cycles_reads_without_a_note(tmp_path):
    posts = [{"id": 1, "parent": None, "raw_message": "Root."}, {"id": 2, "parent": 1, "raw_message": "Reply."}]
    path = tmp_path / "ok.json"
    path.write_text(json.dumps({"response": {"posts": posts}}))
    [doc] = parse(str(path))
    assert [c.depth for c in doc.comments] == [0, 1]
