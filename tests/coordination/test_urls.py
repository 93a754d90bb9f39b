from __future__ import annotations

import pytest

from narrascope.coordination.urls import find_urls, normalise_url


@pytest.mark.parametrize(("url", "expected"), [
    ("https://www.Example.com/story/?utm_source=tg&utm_medium=x&id=3#top", "example.com/story?id=3"),
    ("http://example.com/story?id=3", "example.com/story?id=3"),
    ("www.example.com/", "example.com"),
    ("https://example.com", "example.com"),
    ("https://m.example.com/a//b/?fbclid=IwAR123&gclid=9", "m.example.com/a/b"),
    ("https://example.com:443/a?b=2&a=1", "example.com/a?a=1&b=2"),
    ("https://example.com:8080/a", "example.com:8080/a"),
    ("https://localhost/a", None),
    ("http://[broken/", None),
])
def test_one_link_however_it_was_written(url, expected):
    assert normalise_url(url) == expected


def test_links_are_found_in_running_text_without_their_punctuation():
    text = "See https://a.org/x?y=1, and (www.b.com/z). Also \"http://c.net/q\"!"
    assert find_urls(text) == ["https://a.org/x?y=1", "www.b.com/z", "http://c.net/q"]
    assert find_urls("") == [] and find_urls("no link here, www. alone") == []


def test_an_international_host_is_one_link_in_unicode_or_punycode():
    assert normalise_url("https://www.Bücher.example/Buch/") == "xn--bcher-kva.example/Buch"
    assert normalise_url("http://xn--bcher-kva.example/Buch") == "xn--bcher-kva.example/Buch"
