"""The plain-text page parser on one fixture per comment rendering (tests/fixtures/text)."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from narrascope.model import listing_body
from narrascope.readers import parse
from narrascope.threads.text import detect_format, parse_text_page


def t(*args: int) -> datetime:
    return datetime(*args, tzinfo=UTC)


def load(fixtures: Path, name: str):
    path = fixtures / "text" / name
    return path.read_text(encoding="utf-8"), parse_text_page(path.read_text(encoding="utf-8"), str(path))


# (author, number, posted, depth, parent, refs) per comment, in page order
EXPECTED = {
    "wordpress.txt": ("wordpress", "article", [
        ("Jan Novák", None, t(2020, 10, 18, 14, 46), 0, None, []),
        ("Tatsiana_1984", None, t(2020, 10, 18, 15, 10), 1, "#1", []),  # @Jan Novák is the parent
        ("Jan Novák", None, t(2020, 10, 18, 15, 32), 2, "#2", []),
        ("Д. Карпенко", None, t(2020, 10, 18, 16, 5), 0, None, []),
        ("Mark O'Neil / Dublin", None, t(2020, 10, 18, 16, 20), 1, "#4", ["#1"]),  # pasted header
        (None, None, t(2020, 10, 18, 17, 0), 0, None, []),  # name lost
        ("Tatsiana_1984", None, t(2020, 10, 18, 17, 12), 1, "#6", ["#4"]),  # @Д. Карпенко
    ]),
    "wordpress_de.txt": ("wordpress", "article", [
        ("Thomas B.", None, t(2020, 10, 27, 14, 46), 0, None, []),
        ("Marie", None, t(2020, 10, 27, 15, 10), 1, "#1", []),
        ("Jürgen", None, t(2020, 10, 27, 16, 0), 0, None, []),
    ]),
    "typepad.txt": ("typepad", "article", [
        ("Ivan", 1, t(2020, 10, 27, 14, 46), 0, None, []),
        ("Olga | Minsk", 2, t(2020, 10, 27, 15, 2), 0, None, ["#1"]),  # @Ivan 1
        ("b", 3, t(2020, 10, 27, 15, 30), 0, None, ["#1"]),  # pasted footer with number 1
        ("3rd_way / pl", 4, t(2020, 10, 27, 16, 5), 0, None, ["#2"]),  # Olga @2
        ("孙明", 5, t(2020, 10, 27, 16, 40), 0, None, ["#3"]),  # #3
        ("Ivan", 6, t(2020, 10, 27, 17, 5), 0, None, ["#3"]),  # pasted footer, no blank line
    ]),
    "numbered.txt": ("numbered", "article", [
        ("Viktor P.", 1, t(2020, 10, 20, 14, 46), 0, None, []),
        ("Greta L.", 1, t(2020, 10, 20, 15, 5), 1, "#1", []),
        (None, 2, t(2020, 10, 20, 15, 30), 1, "#1", ["#2"]),  # name lost; @Greta L.
        ("Viktor P.", 1, t(2020, 10, 20, 15, 41), 2, "#3", []),
        ("Ольга", 2, t(2020, 10, 20, 16, 0), 0, None, []),
        ("Sam 1776", 3, t(2020, 10, 20, 17, 10), 0, None, ["#1", "#5"]),  # pasted header; #2
        ("Ольга", 1, t(2020, 10, 20, 17, 25), 1, "#6", []),
        ("Nikolai", 5, t(2020, 10, 20, 18, 30), 0, None, ["#1"]),  # Viktor P. @1; removed no. 4 dropped
        ("Anonymous[412]", 6, t(2020, 10, 21, 1, 15), 0, None, ["#8"]),
    ]),
    "disqus.txt": ("disqus", "article", [
        ("Alex_K", None, None, 0, None, []),
        ("Marta", None, None, 1, "#1", []),
        ("Alex_K", None, None, 2, "#2", []),
        ("Ян Мельник", None, None, 0, None, []),  # its parent was deleted
        ("Pavel", None, None, 0, None, []),  # "Mod" badge dropped
    ]),
    "reddit.txt": ("reddit", "thread", [
        ("kastus_k", None, None, 0, None, []),
        ("throwaway_2020", None, None, 1, "#1", []),
        ("kastus_k", None, None, 2, "#2", []),
        ("Lukas_Vilnius", None, None, 0, None, []),  # under a [removed] comment
        ("10k_Minsk", None, None, 0, None, ["#2"]),
    ]),
    "discourse.txt": ("discourse", "thread", [
        ("anna_k", 1, t(2020, 10, 27, 14, 46), 0, None, []),
        ("piotr.w", 2, t(2020, 10, 27, 15, 10), 0, None, []),
        ("user1984", 3, t(2020, 10, 27, 16, 5), 0, None, ["#1"]),  # [quote="anna_k, post:1"]
        ("anna_k", 4, t(2020, 10, 27, 17, 30), 0, None, ["#2", "#3"]),
        ("Марина", 5, t(2020, 10, 28, 9, 0), 0, None, ["#2"]),
    ]),
    "xenforo.txt": ("discourse", "thread", [
        ("Anna K.", 1, t(2020, 10, 27), 0, None, []),
        ("Piotr_83", 2, t(2020, 10, 27), 0, None, ["#1"]),  # Anna K. said:
        ("Viktoria", 3, t(2020, 10, 28), 0, None, ["#2"]),
    ]),
    "phpbb.txt": ("phpbb", "thread", [
        ("Siarhei", None, t(2020, 8, 10, 9, 12), 0, None, []),
        ("Marek_W", None, t(2020, 8, 10, 10, 40), 0, None, ["#1"]),  # Siarhei wrote:
        ("Ірина", None, t(2020, 8, 10, 11, 2), 0, None, []),
        ("Siarhei", None, t(2020, 8, 10, 13, 15), 0, None, ["#3"]),  # mid-line "Marek_W wrote:" is prose
        ("guest_77", None, t(2020, 8, 11, 8, 0), 0, None, []),
    ]),
    "vbulletin.txt": ("vbulletin", "thread", [
        ("Dzmitry_K", 41, t(2020, 10, 27, 14, 46), 0, None, []),
        ("Ольга-Минск", 42, t(2020, 10, 27, 15, 10), 0, None, ["#1"]),
        ("J.R. (Texas)", 43, t(2020, 10, 27, 16, 20), 0, None, ["#2"]),
        ("Dzmitry_K", 44, t(2020, 10, 27, 17, 0), 0, None, ["#1", "#2"]),  # pasted #41 header; #42
    ]),  # #45 held only a moderator note and controls
}


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_comments_match_the_fixture(fixtures: Path, name: str) -> None:
    page, doc = load(fixtures, name)
    fmt, kind, expected = EXPECTED[name]
    assert detect_format(page).name == fmt
    assert doc.kind == kind
    got = [(c.author, c.number, c.posted, c.depth, c.parent, c.refs) for c in doc.comments]
    assert got == expected


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_texts_and_body_lines_occur_in_the_page(fixtures: Path, name: str) -> None:
    page, doc = load(fixtures, name)
    lines = set(line.strip() for line in page.splitlines())
    for c in doc.comments:
        assert c.text and c.text == c.text.strip()
        assert [line for line in c.text.split("\n") if line and line not in lines] == []
        assert c.posted_raw and c.posted_raw in page
    assert [line for line in doc.body.split("\n") if line and line not in lines] == []
    assert len(doc.body) + len(doc.comments) > 0  # something was read from every fixture


FURNITURE = ("Skip to", "Share", "Sign up", "Advertisement", "newsletter", "cookies", "Reply", "Antworten",
             "Show comment", "Log in",
             "Moderator", "▲", "Leave a", "Comments", "comments", "Kommentar", "Permalink", "Posted by",
             "Top", "Click to expand", "Reactions", "Last edited", "permalink embed", "Like")


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_furniture_stays_out_of_body_and_comments(fixtures: Path, name: str) -> None:
    _, doc = load(fixtures, name)
    lines = [line for text in [doc.body] + [c.text for c in doc.comments] for line in text.split("\n")]
    assert len(lines) > 1
    assert [line for line in lines if line.startswith(FURNITURE) and not line.startswith("Posted by:")] == []
    assert [line for line in lines if line in ("Quote", "Quote:", "Reply With Quote", "6 • Reply • Share ›")] == []


def test_wordpress_article_part(fixtures: Path) -> None:
    _, doc = load(fixtures, "wordpress.txt")
    assert doc.title == "Tens of thousands march in Minsk for the eleventh Sunday"
    assert doc.author == "Alena Kavaleva"
    assert doc.published_raw == "October 18, 2020" and doc.published == t(2020, 10, 18)
    assert doc.body.startswith("Tens of thousands of people marched")
    assert doc.body.endswith("gave her name only as Halina.")
    assert doc.body.count("\n\n") == 2  # three paragraphs
    assert doc.comments[3].text == "Western media exaggerate the crowd numbers every week."
    assert doc.comments[4].text.startswith("Jan Novák says:\nOctober 18, 2020 at 2:46 pm\n")


def test_typepad_separator_gives_author_and_date(fixtures: Path) -> None:
    _, doc = load(fixtures, "typepad.txt")
    assert (doc.title, doc.author) == ("Belarus: The Strike That Did Not Happen", "b")
    assert doc.published == t(2020, 10, 27, 13, 12)
    assert doc.body.startswith("The opposition had called") and doc.body.endswith("normal shifts.")
    assert doc.comments[0].text == "The strike was never going to work while the plants pay wages on time."
    assert doc.comments[-1].text.endswith("kept people at home.")  # "comments are closed" is not a comment


def test_numbered_and_localised_dates(fixtures: Path) -> None:
    _, doc = load(fixtures, "numbered.txt")
    assert (doc.author, doc.published) == ("Peter Hale", t(2020, 10, 20))
    assert doc.comments[4].text == "The article forgets the factory workers entirely."  # vote counter dropped
    _, de = load(fixtures, "wordpress_de.txt")
    assert de.comments[0].posted_raw == "27. Oktober 2020 um 14:46 Uhr"
    assert (de.title, de.author) == ("Zehntausende demonstrieren erneut in Minsk", "Katrin Berger")
    assert de.body.endswith("mehr als hundert Menschen fest.")


def test_relative_times_are_kept_raw(fixtures: Path) -> None:
    _, doc = load(fixtures, "disqus.txt")
    assert [c.posted_raw for c in doc.comments] == ["3 years ago"] * 5
    _, reddit = load(fixtures, "reddit.txt")
    assert reddit.comments[2].posted_raw == "2 hours ago"  # the edit star is dropped
    assert (reddit.title, reddit.author, reddit.published_raw, reddit.published) == (
        "Belarus: tens of thousands march in Minsk again (reuters.com)", "minsk_watcher", "3 hours ago", None)


def test_forum_pages_are_threads_with_a_title(fixtures: Path) -> None:
    for name, title in [("phpbb.txt", "Election aftermath"),
                        ("discourse.txt", "Belarus protests: a timeline of the first 100 days")]:
        _, doc = load(fixtures, name)
        assert (doc.kind, doc.title, doc.body) == ("thread", title, "")


def test_article_without_comments(fixtures: Path) -> None:
    _, doc = load(fixtures, "article.txt")
    assert (doc.kind, doc.comments) == ("article", [])
    assert doc.title == "Lithuania offers shelter to Belarusian opposition leader"
    assert doc.author == "Rūta Petrauskienė"
    assert doc.published == t(2020, 8, 11, 6, 30)
    assert doc.body.startswith("Svetlana Tikhanovskaya, who ran against")
    assert doc.body.endswith("the opposition rejects the result.")
    for gone in ("Advertisement", "Read more", "Related", "Minsk protesters form", "©", "Facebook"):
        assert gone not in doc.body


def test_listing_page(fixtures: Path) -> None:
    _, doc = load(fixtures, "listing.txt")
    assert (doc.kind, doc.comments) == ("listing", [])
    assert doc.body == listing_body(doc.items)  # the stories' blocks: what the layers analyse
    assert [i.title for i in doc.items] == [
        "Tens of thousands march in Minsk for the eleventh Sunday",
        "Lukashenko visits jailed opponents in KGB detention centre",
        "Lithuania offers shelter to Belarusian opposition leader",
        "Strike call meets a muted response at state factories",
    ]
    assert doc.items[1].text == "The four-hour meeting was reported by state media on Saturday evening."


def test_end_to_end_ids(fixtures: Path) -> None:
    """Through the text reader: parents and refs become final comment ids."""
    (doc,) = parse(fixtures / "text" / "numbered.txt")
    ids = [c.id for c in doc.comments]
    assert ids == [f"{doc.id}-c{i}" for i in range(1, 10)]
    assert doc.comments[3].parent == ids[2]
    assert doc.comments[5].refs == [ids[0], ids[4]]
    (again,) = parse(fixtures / "text" / "numbered.txt")
    assert again.id == doc.id
