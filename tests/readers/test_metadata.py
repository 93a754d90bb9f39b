"""page_metadata keeps what trafilatura's extract_metadata finds, for the fields narrascope stores."""

from __future__ import annotations

from pathlib import Path

import pytest
from trafilatura.metadata import extract_metadata
from trafilatura.utils import load_html

from narrascope.readers.metadata import page_metadata

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "html"
DEMO = Path(__file__).resolve().parents[2] / "src" / "narrascope" / "demo" / "corpus"
PAGES = sorted(FIXTURES.glob("*.htm*")) + sorted(DEMO.rglob("*.htm*"))


@pytest.mark.parametrize("page", PAGES, ids=[p.name for p in PAGES])
def test_same_title_author_site_and_date_as_trafilatura(page):
    html = page.read_text(encoding="utf-8", errors="replace")
    ours, theirs = page_metadata(load_html(html)), extract_metadata(load_html(html))
    assert (ours.title, ours.author, ours.sitename, ours.hostname, ours.url, ours.date) == (
        theirs.title, theirs.author, theirs.sitename, theirs.hostname, theirs.url, theirs.date)


def test_the_tree_is_not_changed():
    tree = load_html((FIXTURES / "wordpress_nested.html").read_text(encoding="utf-8"))
    before = len(list(tree.iter()))
    page_metadata(tree)
    assert len(list(tree.iter())) == before
