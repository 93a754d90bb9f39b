"""The text reader against real renderings: each HTML thread rendered by text browsers and converters.

Renderings are made at test time (``lynx``, ``w3m`` and ``html2text`` are Debian packages that
``.ci/run`` installs; ``inscriptis`` and trafilatura are in the ``test`` extra); the shared
extraction pages are never copied into the repository, nor are their renderings.
"""

from __future__ import annotations

import gzip
from pathlib import Path

import pytest
from tests.conftest import SHARED as SHARED_ROOT

from narrascope.evaluation.renderings import RENDERERS, available
from narrascope.evaluation.threads import Page, evaluate, format_table, read_pages
from narrascope.threads.text import detect_format, parse_text_page

FIXTURES = Path(__file__).parent.parent / "fixtures" / "html"
SHARED = SHARED_ROOT / "data" / "extraction" / "html"
# the two real WordPress pages of the extraction benchmark with a thread: a nested one (a numbered
# list, replies as bullets) and a flat one of 34 "NAME says:" comments
NESTED = "c582d3b77257"
BROWSERS = ["lynx", "w3m", "html2text", "inscriptis"]


def _page(path: Path) -> Page:
    pages = list(read_pages([path]))
    assert len(pages) == 1
    return pages[0]


def _shared(prefix: str) -> Path:
    if not SHARED.is_dir():
        pytest.skip(f"{SHARED} is absent (the shared extraction pages)")
    found = sorted(SHARED.glob(prefix + "*.html.gz"))
    assert found, f"no page {prefix}* in {SHARED}"
    return found[0]


def _render(name: str, html: str) -> str:
    if name not in available():
        pytest.skip(f"{name} is not installed (apt-get install {name}, or the test extra)")
    return RENDERERS[name](html)


def test_bulleted_header_with_time_and_said_body_indented() -> None:
    page = (
        "An article about the vote.\n\nIt has two paragraphs, the second one longer than the first.\n\n"
        "2 thoughts on this post\n\n"
        "  * Anna Kowalska on September 12, 2018 at 4:47 pm said:\n"
        "    The count in our district was done behind closed doors.\n"
        "    Reply\n"
        "      + Piotr on September 12, 2018 at 5:02 pm said:\n"
        "        Same here, the observers were sent home.\n"
        "  * Jonas on September 13, 2018 at 8:10 am said:\n"
        "    Thanks for writing this up.\n"
    )
    doc = parse_text_page(page, "t.txt")
    assert detect_format(page).name == "listed"
    assert [(c.author, c.posted_raw, c.depth, c.parent) for c in doc.comments] == [
        ("Anna Kowalska", "September 12, 2018 at 4:47 pm", 0, None),
        ("Piotr", "September 12, 2018 at 5:02 pm", 1, "#1"),
        ("Jonas", "September 13, 2018 at 8:10 am", 0, None),
    ]
    assert doc.comments[1].text == "Same here, the observers were sent home."
    assert doc.body.startswith("An article about the vote.")


def test_number_name_and_time_on_three_lines_replies_as_bullets() -> None:
    page = (
        "Title of the post\n\nThe post itself, one paragraph of text that ends here.\n\n"
        "    1.\n"
        "   [12]Gaye\n"
        "       [13]August 22, 2018 at 5:57 am\n"
        "       What a great read.\n"
        "          +\n"
        "        [14]Pamela Wilson\n"
        "            [15]August 22, 2018 at 7:07 am\n"
        "            Thank you, Gaye!\n"
        "    2.\n"
        "   Jan Smith\n"
        "       [16]August 23, 2018 at 9:00 am\n"
        "       I have a question about the second step.\n"
    )
    doc = parse_text_page(page, "t.txt")
    assert [(c.author, c.number, c.posted_raw, c.depth, c.parent) for c in doc.comments] == [
        ("Gaye", 1, "August 22, 2018 at 5:57 am", 0, None),
        ("Pamela Wilson", None, "August 22, 2018 at 7:07 am", 1, "#1"),
        ("Jan Smith", 2, "August 23, 2018 at 9:00 am", 0, None),
    ]
    assert [c.text for c in doc.comments] == ["What a great read.", "Thank you, Gaye!",
                                             "I have a question about the second step."]


@pytest.mark.parametrize("renderer", BROWSERS)
def test_nested_wordpress_fixture_survives_every_browser(renderer: str) -> None:
    page = _page(FIXTURES / "wordpress_nested.html")
    doc = parse_text_page(_render(renderer, page.html), "r.txt")
    assert [(c.author, c.depth) for c in doc.comments] == [(c.author, c.depth) for c in page.comments]


@pytest.mark.shared
@pytest.mark.parametrize("renderer", BROWSERS)
def test_real_nested_wordpress_page_survives_every_browser(renderer: str) -> None:
    page = _page(_shared(NESTED[:12]))
    assert len(page.comments) == 10
    doc = parse_text_page(_render(renderer, page.html), "r.txt")
    got = [(c.author, c.depth, c.parent) for c in doc.comments]
    # five comments, each answered once by the author: a reply's parent is the comment before it
    assert got == [(c.author, c.depth, f"#{k}" if c.depth else None) for k, c in enumerate(page.comments)]
    assert [c.author for c in doc.comments[:4]] == ["Gaye", "Pamela Wilson", "Jan Smith", "Pamela Wilson"]
    assert doc.comments[0].posted_raw == "August 8, 2018 at 3:17 pm"


@pytest.mark.shared
@pytest.mark.parametrize("renderer", BROWSERS)
def test_real_flat_wordpress_page_survives_every_browser(renderer: str) -> None:
    page = _page(_shared("8e3efab59f48"))
    assert len(page.comments) == 34
    doc = parse_text_page(_render(renderer, page.html), "r.txt")
    assert [c.author for c in doc.comments] == [c.author for c in page.comments]
    assert doc.comments[0].posted_raw == "November 19, 2019 at 6:34 am"


def test_gzip_pages_are_read_for_the_comparison(tmp_path: Path) -> None:
    path = tmp_path / "p.html.gz"
    path.write_bytes(gzip.compress((FIXTURES / "wordpress_nested.html").read_bytes()))
    page = _page(path)
    assert page.platform == "wordpress"
    assert len(page.comments) == 5


def test_eval_threads_prints_the_table_per_renderer_and_platform(usage_error) -> None:
    from typer.testing import CliRunner

    from narrascope.cli import app

    if "inscriptis" not in available():
        pytest.skip("inscriptis is not installed (the test extra)")
    result = CliRunner().invoke(app, ["eval", "threads", str(FIXTURES / "wordpress_nested.html"),
                                      str(FIXTURES / "disqus_article.html"), "--renderer", "inscriptis"])
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert "| inscriptis | wordpress | 1 | 5 | 5 | 5 (100.0%) | 5 | 100.0% | 5/5 | 5/5 | 0 | 0 |" in lines
    assert "| inscriptis | (no thread) | 1 | 0 | 0 | - | - | - | - | - | 0 | 0 |" in lines
    misses = CliRunner().invoke(app, ["eval", "threads", str(FIXTURES / "wordpress_nested.html"),
                                      str(FIXTURES / "disqus_article.html"), "--renderer", "inscriptis", "--misses"])
    assert misses.exit_code == 0 and misses.output.splitlines() == lines  # every comment found: no miss to list
    blind = CliRunner().invoke(app, ["eval", "threads", str(FIXTURES / "wordpress_nested.html"),
                                     str(FIXTURES / "schema_jsonld.html"), "--renderer", "inscriptis"])
    assert blind.exit_code == 0, blind.output
    # the JSON-LD thread is not rendered at all: counted apart, and the figure without it beside
    assert blind.output.splitlines()[-1] == ("renderings that show none of their thread's author names: 1 of 2 "
                                             "(4 comments); right author in the others: 5 of 5 (100.0%)")
    bad = CliRunner().invoke(app, ["eval", "threads", str(FIXTURES), "--renderer", "links"], env={"COLUMNS": "400"})
    assert usage_error(bad) == ("Invalid value for --renderer: 'links' is not one of lynx, w3m, html2text, "
                                "inscriptis, trafilatura")


@pytest.mark.slow
@pytest.mark.shared
def test_renderings_of_pages_without_comments_yield_none() -> None:
    """Every extraction page without an HTML thread, in every renderer: at most 2% of the renderings
    may yield a comment (precision 0.98; measured 0 of 595 renderings on 2026-12-06)."""
    if not SHARED.is_dir():
        pytest.skip(f"{SHARED} is absent (the shared extraction pages)")
    names = available()
    assert {"inscriptis", "trafilatura"} <= set(names)
    table = evaluate((p for p in read_pages([SHARED]) if not p.comments), names)
    renderings = sum(s.pages for s in table.values())
    phantom = sum(s.phantom_pages for s in table.values())
    assert renderings >= 100 * len(names)
    assert phantom <= 0.02 * renderings, format_table(table)


@pytest.mark.parametrize("renderer", BROWSERS)
@pytest.mark.parametrize("fixture", ["discourse.html", "vbulletin.html", "reddit_old.html", "typepad_footers.html",
                                     "wordpress_numbered.html", "phpbb_quotes.html", "vbulletin3.html"])
def test_forum_and_blog_fixtures_survive_the_browsers(fixture: str, renderer: str) -> None:
    """Discourse's "NAME DATE N" lines, phpBB's "by NAME » DATE" (lynx: "Postby"), vBulletin's
    "1. DATE #1" / NAME and vBulletin 3's "Old DATE #21" with the name below it or, in a table layout,
    in the left cell beside the post, old Reddit's "NAME N points AGO"
    (the removed comment, whose only text is "[removed]", has nothing to read back), Typepad footers
    with lynx's link numbers or html2text's underscores, html2text's "1. 1." / "NAMEsays:"."""
    page = _page(FIXTURES / fixture)
    doc = parse_text_page(_render(renderer, page.html), "r.txt")
    want = [c.author for c in page.comments if c.text.strip() != "[removed]"]
    got = [c.author for c in doc.comments]
    if renderer == "html2text":  # it draws a linked name with "_" for spaces: "Sviatlana_from_Hrodna" is ambiguous
        want, got = [a.replace("_", " ") for a in want], [a.replace("_", " ") for a in got]
    assert got == want
    if fixture == "discourse.html":
        assert [c.number for c in doc.comments] == [1, 2, 3]
        assert doc.comments[1].posted_raw == "November 2, 2020, 10:12am"


@pytest.mark.shared
@pytest.mark.parametrize("renderer", BROWSERS)
@pytest.mark.parametrize(("prefix", "authors"), [
    ("ad9e9e596f21", ["Jamie Cassidy"]),  # "• Jamie Cassidy on November 15, 2018 at 10:12 am said:", one comment
    ("4219d096902d", ["Cherie McCluney", "Regan"]),  # "Cherie McCluney August 17, 2019 - 2:19 pm" under "2 comments"
    ("0e014df693f1", ["Stephanie"]),
])
def test_real_small_wordpress_threads_survive_every_browser(prefix: str, authors: list[str], renderer: str) -> None:
    page = _page(_shared(prefix))
    assert [c.author for c in page.comments] == authors
    doc = parse_text_page(_render(renderer, page.html), "r.txt")
    got = [c.author or "" for c in doc.comments]
    if renderer == "html2text":  # a linked name drawn with "_" for its spaces
        got = [a.replace("_", " ") for a in got]
    assert got == authors
    assert doc.comments[0].text.split()[:6] == page.comments[0].text.split()[:6]


def test_vbulletin3_survives_trafilatura_which_breaks_the_post_line() -> None:
    """trafilatura prints vBulletin 3's post line as "DATE" / "#" / "21", the name next."""
    page = _page(FIXTURES / "vbulletin3.html")
    doc = parse_text_page(_render("trafilatura", page.html), "r.txt")
    assert [(c.author, c.number, c.posted_raw) for c in doc.comments] == [
        ("Baltic_Bear", 21, "09-14-2020, 06:10 PM"), ("Минчанин", 22, "09-14-2020, 07:25 PM")]
    assert [(c.author, c.number) for c in page.comments] == [("Baltic_Bear", 21), ("Минчанин", 22)]


@pytest.mark.parametrize("renderer", BROWSERS)
def test_new_reddit_keeps_the_one_name_it_prints_and_the_nameless_comments(renderer: str) -> None:
    """shreddit prints "oak_and_amber 3y ago" for the first comment and only "3y ago" for the others
    (their names are attributes, not text): four comments, three without a name."""
    page = _page(FIXTURES / "reddit_shreddit.html")
    assert [c.author for c in page.comments] == ["oak_and_amber", "hrodna_nights", None, "Miša-Минск"]
    doc = parse_text_page(_render(renderer, page.html), "r.txt")
    assert [(c.author, c.posted_raw) for c in doc.comments] == [("oak_and_amber", "3y ago"), (None, "3y ago"),
                                                                (None, "3y ago"), (None, "3y ago")]
    assert [c.text.split()[:3] for c in doc.comments] == [c.text.split()[:3] for c in page.comments]


@pytest.mark.parametrize("renderer", BROWSERS)
def test_microdata_comments_headed_by_name_and_dotted_date(renderer: str) -> None:
    """"Marta_W 30.10.2020, 9:00 +12 / -1" and "anon 77 31.10.2020" without list markers; the reply of
    Олег, whose name stands alone without a time, stays in the text of the comment before."""
    page = _page(FIXTURES / "schema_microdata.html")
    assert [c.author for c in page.comments] == ["Marta_W", "Олег", "anon 77"]
    doc = parse_text_page(_render(renderer, page.html), "r.txt")
    assert [(c.author, c.posted_raw) for c in doc.comments] == [("Marta_W", "30.10.2020, 9:00"),
                                                                ("anon 77", "31.10.2020")]
    assert doc.comments[0].text.split("\n")[0] == page.comments[0].text
    assert doc.comments[1].text == page.comments[2].text


@pytest.mark.shared
@pytest.mark.parametrize("renderer", BROWSERS)
def test_real_russian_page_with_a_name_glued_to_its_time(renderer: str) -> None:
    """A real microdata page: "* Гость11:15 05.10.18" (no space between name and time in the HTML)
    under "Комментарии"; the comment ends with its list item, before the newsletter box."""
    page = _page(_shared("3c6d3381ef52"))
    assert [c.author for c in page.comments] == ["Гость"]
    doc = parse_text_page(_render(renderer, page.html), "r.txt")
    assert [(c.author, c.posted_raw) for c in doc.comments] == [("Гость", "11:15 05.10.18")]
    assert doc.comments[0].text.split("\n")[0] == "Венера!"
    assert "рассылку" not in doc.comments[0].text


@pytest.mark.parametrize("renderer", BROWSERS)
def test_xenforo_attribution_items_with_the_name_above_or_none(renderer: str) -> None:
    """XenForo's "• Sep 12, 2020" / "• Share" / "• #1" list items head each post; the first post's
    name stands above them (its user title between), the other two posts print none (their names
    are attributes only), and the reactions bar "Gleb, Marie and 12 others" or "Like Reply" above
    the second post's time are no names."""
    page = _page(FIXTURES / "xenforo.html")
    assert [c.author for c in page.comments] == ["Olena_K", "Gleb", "Marie D."]
    doc = parse_text_page(_render(renderer, page.html), "r.txt")
    assert [(c.author, c.number, c.posted_raw) for c in doc.comments] == [
        ("Olena_K", 1, "Sep 12, 2020"), (None, 2, "Sep 12, 2020"), (None, 3, "Sep 13, 2020")]
    assert doc.comments[1].text == "Detaining pensioners. That is the regime's strength now?"


@pytest.mark.shared
def test_real_numbered_list_of_stories_with_captions_and_times_is_no_thread() -> None:
    """lynx prints a sports page's "Tennis latest" list as "6. [147] Novak Djokovic trains with his
    coach" / "18 Nov 2019, 11:09am" with each headline back at the margin: a caption and a time read
    like a numbered comment's name and time, but a comment's text stands under its number."""
    page = _page(_shared("88c328b68b03"))
    assert page.comments == []
    text = _render("lynx", page.html)
    assert "    6. [147] Novak Djokovic trains with his coach\n       18 Nov 2019, 11:09am\n" in text
    assert detect_format(text) is None
    assert parse_text_page(text, "r.txt").comments == []
