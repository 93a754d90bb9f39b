"""A page whose first line is its headline gets that line as its title when no metadata names one."""

from __future__ import annotations

from narrascope.readers import parse_string
from narrascope.threads.text_article import headline_first

PARAS = ("The crowds in Minsk are the picture everyone sees. But the regime can outlast crowds, as it did "
         "in 2010 and 2006, and it knows it.",
         "What it cannot outlast is a country whose factories stop working. That is why the strike at "
         "Belaruskali matters so much more than any march.")


def test_html_without_title_metadata_takes_its_opening_headline() -> None:
    html = (f"<html><body><p>Why the strikes matter more than the marches</p><p>{PARAS[0]}</p>"
            f"<p>{PARAS[1]}</p></body></html>")
    doc = parse_string(html, "essay.html")[0]
    assert doc.title == "Why the strikes matter more than the marches"
    assert doc.body.startswith("The crowds in Minsk")
    assert "Why the strikes" not in doc.body


def test_text_essays_markdown_heading_and_capitals() -> None:
    for first, title in (("# Why the strikes matter", "Why the strikes matter"),
                         ("WHY THE STRIKES MATTER", "WHY THE STRIKES MATTER"),
                         ("Why the strikes matter?", "Why the strikes matter?")):
        doc = parse_string(f"{first}\n\n{PARAS[0]}\n\n{PARAS[1]}\n", "essay.txt")[0]
        assert (doc.kind, doc.title) == ("article", title)
        assert doc.body == f"{PARAS[0]}\n\n{PARAS[1]}"


def test_a_sentence_or_a_lone_line_is_no_headline() -> None:
    assert headline_first(f"{PARAS[0]}\n{PARAS[1]}") is None  # the first line is a sentence
    assert headline_first("Why the strikes matter") is None  # nothing follows
    assert headline_first("Why the strikes matter\nToo short to be a paragraph.") is None
    assert headline_first(f"Why the strikes matter\n{PARAS[0]}") == ("Why the strikes matter", PARAS[0])
