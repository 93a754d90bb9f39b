"""narrascope parse --explain: the reader, the thread grammar and what each line range became."""

from __future__ import annotations

from pathlib import Path

from typer.testing import CliRunner

from narrascope.cli import app

FIXTURES = Path(__file__).parent.parent / "fixtures"


def test_explain_text_page_line_by_line() -> None:
    result = CliRunner().invoke(app, ["parse", "--explain", str(FIXTURES / "text" / "wordpress_de.txt")])
    assert result.exit_code == 0, result.output
    assert result.output.splitlines() == [
        f"== {FIXTURES / 'text' / 'wordpress_de.txt'}",
        "reader: text (sniffed)",
        "thread grammar: wordpress, 3 comments from line 11",
        "kind: article; title: 'Zehntausende demonstrieren erneut in Minsk'; author: 'Katrin Berger'; "
        "published: '27. Oktober 2020'; items: 0",
        "  line 1         furniture",
        "  line 2         title",
        "  lines 3-4      byline or date (metadata)",
        "  lines 5-7      article",
        "  line 9         furniture",
        "  lines 11-12    comment 1: Thomas B., 27. Oktober 2020 um 14:46 Uhr, depth 0 - header",
        "  line 13        comment 1 - text",
        "  line 14        furniture in the thread (wordpress)",
        "  lines 16-17    comment 2: Marie, 27. Oktober 2020 um 15:10 Uhr, depth 1, reply to comment 1 - header",
        "  line 18        comment 2 - text",
        "  line 19        furniture in the thread (wordpress)",
        "  lines 21-22    comment 3: Jürgen, 27. Oktober 2020 um 16:00 Uhr, depth 0 - header",
        "  line 23        comment 3 - text",
        "  lines 24-26    furniture in the thread (wordpress)",
    ]


def test_explain_html_names_the_extractor_and_each_comment() -> None:
    result = CliRunner().invoke(app, ["parse", "--explain", str(FIXTURES / "html" / "wordpress_nested.html")])
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[1:3] == ["reader: html (sniffed)", "thread grammar: wordpress (HTML markup), 5 comments"]
    assert "  comment 3: Алесь з Гродна, 2020-08-16T11:40:00+02:00, depth 2, reply to comment 2" in lines


def test_explain_listing_items_and_a_page_without_thread(tmp_path: Path) -> None:
    result = CliRunner().invoke(app, ["parse", "--explain", str(FIXTURES / "text" / "listing.txt")])
    lines = result.output.splitlines()
    assert "thread grammar: none matched (no comments)" in lines
    assert "  line 6         item 1 - headline" in lines
    assert "  line 7         item 1 - teaser" in lines
    empty = tmp_path / "empty.txt"
    empty.write_text("")
    missing = CliRunner().invoke(app, ["parse", "--explain", str(empty), str(FIXTURES / "text" / "article.txt")])
    assert missing.exit_code == 0
    out = missing.output.splitlines()
    assert out[0] == f"== {empty}"
    assert out[1].startswith("not read: ")
    assert f"== {FIXTURES / 'text' / 'article.txt'}" in out
