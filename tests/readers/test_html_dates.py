"""Publication dates: from the markup when it states one, else from htmldate's search of the text."""

from __future__ import annotations

from narrascope.readers import parse_string

STORY = "The bridge over the river reopened to traffic after two years of repairs, the city said. " * 8


def page(head: str = "", byline: str = "", tail: str = "") -> str:
    return (f"<html><head><title>Bridge reopens</title>{head}</head><body><article><h1>Bridge reopens</h1>"
            f"<p class='byline'>{byline}</p><p>{STORY}</p>{tail}</article></body></html>")


def test_a_date_stated_only_in_the_text_is_found_by_the_extensive_search():
    # htmldate's quick search (meta tags, time elements, bylines, the URL) misses a bare date in a div
    doc = parse_string(page(tail="<div>25 September 2018</div>"), "bridge.html", reader="html")[0]
    assert doc.published_raw == "2018-09-25"
    assert doc.published.isoformat() == "2018-09-25T00:00:00+00:00"


def test_a_byline_date_is_found_by_the_quick_search():
    doc = parse_string(page(byline="Published 3 March 2021 by the desk"), "bridge.html", reader="html")[0]
    assert doc.published_raw == "2021-03-03"


def test_the_markup_date_wins_and_keeps_its_time():
    head = "<meta property='article:published_time' content='2020-08-10T14:05:00+03:00'>"
    doc = parse_string(page(head, byline="Updated 3 March 2021"), "bridge.html", reader="html")[0]
    assert doc.published_raw == "2020-08-10T14:05:00+03:00"
    assert doc.published.isoformat() == "2020-08-10T11:05:00+00:00"


def test_a_page_without_any_date_has_none():
    doc = parse_string(page(), "bridge.html", reader="html")[0]
    assert doc.published is None and doc.published_raw is None
