"""Front and category pages in HTML: their headline + teaser cards become a listing's items."""

from __future__ import annotations

import gzip
from pathlib import Path

import pytest
from trafilatura.utils import load_html

from narrascope.model import item_spans, listing_body
from narrascope.readers import parse, parse_string
from narrascope.readers.html import parse_html
from narrascope.threads.html_listing import html_listing_items

RELATED = """<!DOCTYPE html><html><head><title>Night of protests in Minsk</title>
<meta property="og:type" content="article"></head><body><article><h1>Night of protests in Minsk</h1>
{paragraphs}</article>
<aside class="related"><h2>Related</h2>{cards}</aside></body></html>"""
CARD = ('<div class="related-post"><h3><a href="/{n}">Story number {n} about the strikes</a></h3>'
        '<p>A short teaser of the related story, number {n}, with enough words to count.</p></div>')


def test_wordpress_category_page_is_a_listing(fixtures: Path) -> None:
    (doc,) = parse(fixtures / "html" / "wordpress_category.html")
    assert (doc.kind, doc.title, len(doc.items), doc.comments) == ("listing", "Category: Belarus", 5, [])
    assert doc.items[1].title == "Lukashenko visits jailed opponents in KGB detention centre"
    assert doc.items[1].text == ("The four-hour meeting was reported by state media on Saturday evening, with "
                                 "pictures of the president at the table.")  # no date, byline or "Read more"
    assert doc.items[1].url == "https://minsk-observer.example/2020/10/10/kgb/"  # resolved on the canonical URL
    assert doc.body == listing_body(doc.items) and len(item_spans(doc.body, doc.items)) == 5


def test_front_page_cards_keep_their_links_and_the_page_title(fixtures: Path) -> None:
    (doc,) = parse(fixtures / "html" / "front_page.html")
    assert (doc.kind, doc.title) == ("listing", "Eastern Ledger — news from Belarus and the region")
    assert [(i.title, i.url) for i in doc.items] == [
        ("Potash exports fall for a third month", "https://ledger.example/economy/potash"),
        ("Teachers dismissed after signing open letter", "https://ledger.example/society/teachers"),
        ("Railway strike ends after two days", "https://ledger.example/society/railway"),
        ("Moscow promises fresh loan tranche", "https://ledger.example/economy/loan")]
    assert "Yesterday" not in doc.body and "newsletter" not in doc.body


def test_article_with_a_related_posts_box_stays_an_article() -> None:
    paragraphs = "".join(f"<p>Paragraph {n} of the report: the crowds gathered again near the stele, and the police "
                         f"blocked the avenue for hours while people sang and waved flags.</p>" for n in range(8))
    page = RELATED.format(paragraphs=paragraphs, cards="".join(CARD.format(n=n) for n in range(4)))
    assert len(html_listing_items(load_html(page))) == 4  # the cards are found; the article's own text decides
    (doc,) = parse_string(page, "article.html")
    assert (doc.kind, doc.items) == ("article", [])


def test_two_cards_are_no_listing(fixtures: Path) -> None:
    page = RELATED.format(paragraphs="", cards="".join(CARD.format(n=n) for n in range(2)))
    (doc,) = parse_string(page, "two.html")
    assert doc.kind != "listing" and doc.items == []


@pytest.mark.shared
@pytest.mark.slow
def test_news_articles_are_no_listings(shared_data: Path) -> None:
    """Precision on real pages: none of the extraction benchmark's articles is read as a listing."""
    pages = sorted((shared_data / "extraction" / "html").glob("*.html.gz"))
    assert len(pages) >= 100
    kinds = [parse_html(gzip.decompress(p.read_bytes()).decode("utf-8", "replace"), str(p)).kind for p in pages]
    assert kinds.count("listing") == 0
