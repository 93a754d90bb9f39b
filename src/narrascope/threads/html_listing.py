"""Listing pages in HTML: front and category pages made of headline + teaser cards.

A card is the largest element around a linked headline (``h1``-``h4`` holding a link, or a link
holding one) that holds no other headline; its teaser is the text of its paragraphs (or summary,
excerpt, teaser, description blocks) outside the headline, dates, bylines and "Read more" links.
Cards of one kind (same headline tag, same card tag and first class without digits: WordPress's
``post-123`` is no kind) that have a teaser make the
listing when there are at least three of them and the page's own text (trafilatura's body) is
mostly theirs: an article with a "related posts" box keeps a body of its own beyond the cards.
"""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import urljoin

from narrascope.model import Item
from narrascope.threads.listing import MAX_TEASER_CHARS, MIN_ITEMS

_HEADINGS = "h1", "h2", "h3", "h4"
_TEASER_CLASS = re.compile(r"summary|excerpt|teaser|dek|lead|description|intro|snippet|standfirst", re.I)
_META_CLASS = re.compile(r"date|time|byline|author|meta|categor|tags?\b|share|comments?-link|read-?more|more-link",
                         re.I)
_WORD = re.compile(r"\w+")
MAX_CARD_LEVELS = 4
MAX_OWN_WORDS = 60  # words of the body outside the cards that an index page may still have (an intro)


def _headline_link(h: Any) -> Any | None:
    links = h.xpath(".//a[@href]") or ([h.getparent()] if h.getparent() is not None and h.getparent().tag == "a"
                                       and h.getparent().get("href") else [])
    return links[0] if links else None


def _text(el: Any) -> str:
    return " ".join(el.text_content().split())


def _card(h: Any, holding: dict[Any, int]) -> Any:
    """The largest ancestor of ``h`` (a few levels up) that holds no other headline."""
    card = h
    for _ in range(MAX_CARD_LEVELS):
        parent = card.getparent()
        if parent is None or parent.tag in ("body", "html") or holding.get(parent, 0) > 1:
            break
        card = parent
    return card


def _holding(headings: list[Any]) -> dict[Any, int]:
    """How many headlines each of their near ancestors holds (counted once per headline: linear time)."""
    count: dict[Any, int] = {}
    for h in headings:
        parent = h.getparent()
        for _ in range(MAX_CARD_LEVELS):
            if parent is None:
                break
            count[parent] = count.get(parent, 0) + 1
            parent = parent.getparent()
    return count


def _under_meta(el: Any, card: Any) -> bool:
    a = el
    while a is not None and a is not card:
        if _META_CLASS.search(a.get("class") or ""):
            return True
        a = a.getparent()
    return False


def _teaser(card: Any, h: Any) -> str:
    """The card's prose outside its headline and meta lines."""
    parts: list[str] = []
    skip = set(h.iter()) | set(h.iterancestors())
    for el in card.iter("p", "div", "span", "section"):
        if el in skip or _under_meta(el, card):
            continue
        if el.tag == "p" or _TEASER_CLASS.search(el.get("class") or ""):
            if el.tag != "p" and el.find(".//p") is not None:
                continue  # its paragraphs are read one by one
            text = _text(el)
            if text and text not in parts:
                parts.append(text)
        if len(parts) > 8:
            break  # far longer than a teaser already
    return "\n\n".join(parts)


def html_listing_items(tree: Any, url: str | None = None) -> list[Item]:
    """The stories of a front or category page, in page order; ``[]`` when the page has no run of cards."""
    headings = [h for h in tree.iter(*_HEADINGS) if _headline_link(h) is not None and 3 <= len(_text(h)) <= 200]
    holding = _holding(headings)
    canonical = tree.xpath("//link[@rel='canonical']/@href")
    base = url or (str(canonical[0]) if canonical else "")
    groups: dict[tuple[str, str, str], list[Item]] = {}
    for h in headings:
        card = _card(h, holding)
        teaser = _teaser(card, h)
        if len(teaser.split()) < 6 or len(teaser) > MAX_TEASER_CHARS:
            continue
        link = _headline_link(h)
        href = link.get("href") if link is not None else None
        kind = next((c for c in (card.get("class") or "").split() if not any(ch.isdigit() for ch in c)), "")
        groups.setdefault((h.tag, card.tag, kind), []).append(Item(_text(h), teaser, urljoin(base, href) if href
                                                                   else None))
    best = max(groups.values(), key=len, default=[])
    return best if len(best) >= MIN_ITEMS else []


def mostly_items(body: str, items: list[Item]) -> bool:
    """True when the page's extracted text says little beyond its cards (an index page, not an article)."""
    known = {w.lower() for item in items for w in _WORD.findall(f"{item.title} {item.text}")}
    own = [w for w in _WORD.findall(body) if w.lower() not in known]
    return len(own) <= max(MAX_OWN_WORDS, 0.2 * len(_WORD.findall(body)))


def page_title(tree: Any) -> str | None:
    """The ``<title>`` of an index page (its headlines are the stories', not the page's)."""
    found = tree.xpath("//title")
    title = " ".join(found[0].text_content().split()) if found else ""
    return title or None
