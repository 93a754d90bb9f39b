"""Forum pages are threads: their posts are comments, not an article body."""

from __future__ import annotations

import pytest

from narrascope.readers import parse


@pytest.mark.parametrize("name", ["phpbb_quotes.html", "xenforo.html", "vbulletin.html", "discourse.html"])
def test_forum_pages_are_threads_without_a_duplicated_body(fixtures, name):
    doc = parse(fixtures / "html" / name)[0]
    assert doc.kind == "thread" and doc.body == "" and len(doc.comments) >= 2


def test_an_article_with_comments_keeps_its_body(fixtures):
    doc = parse(fixtures / "html" / "wordpress_nested.html")[0]
    assert doc.kind == "article" and doc.body and doc.comments
    assert not any(c.text[:40] in doc.body for c in doc.comments)
