"""The run summary counts what the store holds after the run, not what was read."""

from __future__ import annotations

import json

from narrascope.pipeline import get_executor
from narrascope.readers import iter_inputs


def _thread(path, title: str) -> None:
    row = {"source": "https://news.example/x", "title": title, "body": f"{title} body text.",
           "comments": [{"text": "First comment."}, {"text": "Second comment."}]}
    path.write_text(json.dumps(row) + "\n")


def test_exact_copies_are_counted_as_copies_and_their_comments_not_at_all(tmp_path, store):
    pages = tmp_path / "pages"
    pages.mkdir()
    _thread(pages / "a.jsonl", "Same")
    _thread(pages / "b.jsonl", "Same")  # an exact copy of a.jsonl under another name
    _thread(pages / "c.jsonl", "Other")
    summary = get_executor("local", workers=1).run(iter_inputs([str(pages)]), store, [])
    counts = store.counts()
    assert (counts["documents"], counts["comments"]) == (2, 4)
    assert (summary.documents, summary.duplicates, summary.comments) == (2, 1, 4)
    _thread(pages / "d.jsonl", "Other")  # a copy of what an earlier run stored
    again = get_executor("local", workers=1).run(iter_inputs([str(pages)]), store, [])
    assert (again.skipped, again.documents, again.duplicates, again.comments) == (3, 0, 1, 0)
