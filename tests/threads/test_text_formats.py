"""Format detectors, nesting rules, dates and furniture of the plain-text parser."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from narrascope.threads.text import detect_format, parse_text_page
from narrascope.threads.text_blogs import typepad_separator
from narrascope.threads.text_dates import date_line, posted_time
from narrascope.threads.text_formats import FORMATS
from narrascope.threads.text_furniture import is_control, is_page_furniture


def shape(text: str) -> list[tuple]:
    doc = parse_text_page(text, "<test>")
    return [(c.author, c.number, c.depth, c.parent, c.refs) for c in doc.comments]


def test_every_rendering_is_registered() -> None:
    assert {"wordpress", "numbered", "typepad", "disqus", "reddit", "discourse", "phpbb", "vbulletin"} <= set(FORMATS)


def test_numbers_restarting_without_indentation_give_depth() -> None:
    page = "\n".join([
        "1. Anna says", "October 20, 2020 at 2:46 pm", "first",
        "2. Boris says", "October 20, 2020 at 3:00 pm", "second",
        "3. Clara says", "October 20, 2020 at 3:10 pm", "third",
        "1. Dima says", "October 20, 2020 at 3:20 pm", "reply to Clara",
        "2. Eva says", "October 20, 2020 at 3:30 pm", "another reply to Clara",
        "4. Fyodor says", "October 20, 2020 at 3:40 pm", "fourth, top level",
        "2. Boris says", "more text by Fyodor quoting the header of comment 2",
    ])
    assert shape(page) == [
        ("Anna", 1, 0, None, []), ("Boris", 2, 0, None, []), ("Clara", 3, 0, None, []),
        ("Dima", 1, 1, "#3", []), ("Eva", 2, 1, "#3", []), ("Fyodor", 4, 0, None, ["#2"]),
    ]
    assert parse_text_page(page, "x").comments[-1].text.endswith("quoting the header of comment 2")


def test_indented_numbered_reply_must_start_at_one() -> None:
    page = "\n".join([
        "  1. Anna says", "     October 20, 2020 at 2:46 pm", "     first",
        "  2. Boris says", "     October 20, 2020 at 3:00 pm", "     second, quoting:",
        "        1. Anna says", "     and replying to it",
        "        1. Clara says", "           October 20, 2020 at 3:10 pm", "           reply to Boris",
    ])
    # the quoted "1. Anna says" lacks the time every real header shows: a paste, not a reply
    assert shape(page) == [("Anna", 1, 0, None, []), ("Boris", 2, 0, None, ["#1"]), ("Clara", 1, 1, "#2", [])]
    assert parse_text_page(page, "x").comments[1].text == "second, quoting:\n1. Anna says\nand replying to it"


def test_typepad_without_separator_takes_the_paragraph_before_the_footer() -> None:
    page = "\n".join([
        "A title", "", "Article paragraph one.", "", "Article paragraph two.", "",
        "First comment text.", "Posted by: Ivan | Oct 27 2020 14:46 utc | 1", "",
        "Second comment.", "Posted by: a|b | Oct 27 2020 15:46 utc", "", "footer text after the thread",
    ])
    doc = parse_text_page(page, "x")
    assert doc.body == "Article paragraph one.\n\nArticle paragraph two."
    assert [(c.author, c.number, c.text) for c in doc.comments] == [
        ("Ivan", 1, "First comment text."), ("a|b", None, "Second comment.")]
    assert doc.comments[1].posted == datetime(2020, 10, 27, 15, 46, tzinfo=UTC)


def test_typepad_separator() -> None:
    assert typepad_separator("Posted by b on October 27, 2020 at 01:12 PM | Permalink") == (
        "b", "October 27, 2020 at 01:12 PM")
    assert typepad_separator("Posted by: b | Oct 27 2020 14:46 utc | 3") is None


def test_disqus_arrow_gives_the_parent_without_indentation() -> None:
    page = "\n".join(["Anna • 3 years ago", "first", "Reply • Share ›",
                      "Boris → Anna • 2 years ago", "second", "Clara • a year ago", "third"])
    assert shape(page) == [("Anna", None, 0, None, []), ("Boris", None, 1, "#1", []), ("Clara", None, 0, None, [])]


def test_forum_names_with_digits_and_punctuation() -> None:
    page = "\n".join(["Topic", "#7 Agent 007 Oct 27, 2020, 02:46 PM", "x", "#8 Dr. No-1 (Minsk) 10-27-2020, 03:00 PM",
                      "y", "#9 A/B Oct 27, 2020", "z"])
    assert [(a, n) for a, n, *_ in shape(page)] == [("Agent 007", 7), ("Dr. No-1 (Minsk)", 8), ("A/B", 9)]


def test_says_without_a_date_line_is_prose() -> None:
    page = "Title\n\nThe minister says:\nthe protests are over.\n\nAnother paragraph."
    assert detect_format(page) is None
    doc = parse_text_page(page, "x")
    assert (doc.kind, doc.comments) == ("article", [])
    assert doc.body.startswith("The minister says:\nthe protests are over.")


@pytest.mark.parametrize(("line", "raw", "utc"), [
    ("October 27, 2020 at 2:46 pm", "October 27, 2020 at 2:46 pm", datetime(2020, 10, 27, 14, 46)),
    ("Oct 27 2020 14:46 utc", "Oct 27 2020 14:46 utc", datetime(2020, 10, 27, 14, 46)),
    ("Posted on Oct 27, 2020 at 2:46 PM EDT", "Oct 27, 2020 at 2:46 PM EDT", datetime(2020, 10, 27, 18, 46)),
    ("27. Oktober 2020 um 14:46 Uhr", "27. Oktober 2020 um 14:46 Uhr", datetime(2020, 10, 27, 14, 46)),
    ("27 octobre 2020 à 14 h 46", "27 octobre 2020 à 14 h 46", datetime(2020, 10, 27, 14, 46)),
    ("October 20, 2020 at 2:46 pm GMT • 100 Words", "October 20, 2020 at 2:46 pm GMT", datetime(2020, 10, 20, 14, 46)),
    ("2020-10-27 14:46 GMT", "2020-10-27 14:46 GMT", datetime(2020, 10, 27, 14, 46)),
    ("3 years ago", "3 years ago", None),
    ("a year ago", "a year ago", None),
    ("2d", "2d", None),
    ("3y ago", "3y ago", None),  # new Reddit
    ("11:15 05.10.18", "11:15 05.10.18", datetime(2018, 10, 5, 11, 15)),  # the clock first; dots: day first
    ("30.10.2020, 9:00", "30.10.2020, 9:00", datetime(2020, 10, 30, 9, 0)),
    ("05.10.2018", "05.10.2018", datetime(2018, 10, 5)),
])
def test_date_lines(line: str, raw: str, utc: datetime | None) -> None:
    assert date_line(line) == raw
    assert posted_time(raw) == (utc.replace(tzinfo=UTC) if utc else None)


@pytest.mark.parametrize("line", ["Anna says:", "The 27 people", "12 comments", "Reply", "x" * 200])
def test_not_date_lines(line: str) -> None:
    assert date_line(line) is None


@pytest.mark.parametrize("line", [
    "Reply", "Antworten", "Reply • Share ›", "6 • Reply • Share ›", "▲ 12 ▼", "12", "Show comment",
    "Log in to reply", "[Moderator: removed]", "This comment was deleted.",
    "permalink embed save report give award reply",
    "Like Reply", "12 points", "Last edited by X on Mon Aug 10, 2020 11:05 am, edited 1 time in total.",
    "Join Date: Mar 2009", "Gleb, Marie and 12 others",  # vBulletin's user box, XenForo's reactions bar
])
def test_controls(line: str) -> None:
    assert is_control(line)


@pytest.mark.parametrize("line", ["+1", "Reply to the minister is overdue.", "1984 was a warning",
                                  "Share the wealth, said Ivan."])
def test_not_controls(line: str) -> None:
    assert not is_control(line)


@pytest.mark.parametrize("line", [
    "Skip to content", "Share this article", "Sign up for our newsletter", "Home | World | Belarus | Opinion",
    "We use cookies to give you the best experience. Accept all cookies", "12 comments", "Leave a Reply",
    "Comments (3)", "Facebook · Twitter · Email", "7 thoughts on “A title”", "Комментарии", "Kommentare (3)",
])
def test_page_furniture(line: str) -> None:
    assert is_page_furniture(line)


def test_typepad_separator_moved_after_the_comments() -> None:
    page = "\n".join([
        "Belarus: The Strike That Did Not Happen", "", "Most factories worked as usual.", "", "Comments", "",
        "First comment.", "Posted by: Ivan | Oct 27 2020 14:46 utc | 1",
        "Second comment, Ivan @1.", "Posted by: Olga | Oct 27 2020 15:46 utc | 2",
        "Posted by b on October 27, 2020 at 01:12 PM | Permalink",
    ])
    doc = parse_text_page(page, "x")
    assert (doc.author, doc.published) == ("b", datetime(2020, 10, 27, 13, 12, tzinfo=UTC))
    assert doc.body == "Most factories worked as usual."
    assert [(c.text, c.refs) for c in doc.comments] == [("First comment.", []), ("Second comment, Ivan @1.", ["#1"])]


def test_reddit_self_post_is_an_article() -> None:
    page = "\n".join([
        "Lukashenko says he will not step down (self.belarus)", "submitted 5 hours ago by minsk_watcher",
        "He said it again on television tonight. What does this mean for the Sunday march?",
        "12 comments share save hide report", "sorted by: best",
        "[–] kastus_k 10 points 4 hours ago", "It means nothing new.",
        "[–] Anna_M 3 points 3 hours ago", "@kastus_k agreed.",
    ])
    doc = parse_text_page(page, "x")
    assert (doc.kind, doc.title, doc.author) == (
        "article", "Lukashenko says he will not step down (self.belarus)", "minsk_watcher")
    assert doc.body == "He said it again on television tonight. What does this mean for the Sunday march?"
    assert [(c.author, c.refs) for c in doc.comments] == [("kastus_k", []), ("Anna_M", ["#1"])]


def test_flattened_wordpress_thread_keeps_replies_as_refs() -> None:
    page = "\n".join([
        "Title here", "An article paragraph that is long enough to be the body of the page.", "",
        "Anna says:", "October 1, 2020 at 1:00 pm", "first",
        "Boris says:", "October 1, 2020 at 2:00 pm", "@Anna no",
        "Clara says:", "October 1, 2020 at 3:00 pm", "@Boris @Anna both wrong.",
    ])
    assert shape(page) == [("Anna", None, 0, None, []), ("Boris", None, 0, None, ["#1"]),
                           ("Clara", None, 0, None, ["#2", "#1"])]


def test_a_dateline_with_a_bullet_is_not_a_disqus_thread() -> None:
    page = "Title of the story\nMinsk • October 18, 2020\nFirst paragraph of the story.\n\nSecond paragraph."
    doc = parse_text_page(page, "x")
    assert (doc.kind, doc.comments, doc.title) == ("article", [], "Title of the story")
    assert doc.body.endswith("Second paragraph.")


def test_discourse_without_post_numbers_resolves_post_references_by_position() -> None:
    page = "\n".join([
        "Topic title", "", "anna_k", "Oct 2020", "First post.", "", "piotr.w", "Oct 2020", "Second post.", "",
        "Марина", "Nov 2020", '[quote="piotr.w, post:2, topic:9"]', "Second post.", "[/quote]", "Agreed.",
    ])
    doc = parse_text_page(page, "x")
    assert detect_format(page).name == "discourse"
    assert [(c.author, c.number, c.posted, c.refs) for c in doc.comments] == [
        ("anna_k", None, datetime(2020, 10, 1, tzinfo=UTC), []),
        ("piotr.w", None, datetime(2020, 10, 1, tzinfo=UTC), []),
        ("Марина", None, datetime(2020, 11, 1, tzinfo=UTC), ["#2"]),
    ]
    assert (doc.kind, doc.title) == ("thread", "Topic title")


def says(number: int, author: str, minute: int, text: str) -> list[str]:
    """A numbered WordPress comment: ``N. NAME says``, its time, its text."""
    return [f"{number}. {author} says", f"October 20, 2020 at 3:{minute:02d} pm", text]


def test_a_gap_in_the_numbers_is_a_deleted_comment_not_a_paste() -> None:
    page = "\n".join(says(1, "Anna", 1, "first") + says(2, "Boris", 2, "second") + says(4, "Clara", 4, "fourth"))
    doc = parse_text_page(page, "x")
    assert shape(page) == [("Anna", 1, 0, None, []), ("Boris", 2, 0, None, []), ("Clara", 4, 0, None, [])]
    assert [c.text for c in doc.comments] == ["first", "second", "fourth"]


def test_replies_keep_their_depth_through_three_and_a_gap_returns_to_the_level_it_continues() -> None:
    page = "\n".join(says(1, "Anna", 1, "a") + says(2, "Boris", 2, "b") + says(1, "Clara", 3, "to Boris, one")
                     + says(2, "Dima", 4, "two") + says(3, "Eva", 5, "three") + says(1, "Fyodor", 6, "deeper")
                     + says(4, "Gleb", 7, "to Boris, four") + says(6, "Ivan", 8, "to Boris, six: 5 was deleted")
                     + says(3, "Hanna", 9, "top level 3"))
    assert shape(page) == [
        ("Anna", 1, 0, None, []), ("Boris", 2, 0, None, []), ("Clara", 1, 1, "#2", []), ("Dima", 2, 1, "#2", []),
        ("Eva", 3, 1, "#2", []), ("Fyodor", 1, 2, "#5", []), ("Gleb", 4, 1, "#2", []),
        ("Ivan", 6, 1, "#2", []),  # a gap continues the innermost level it can (replies to Boris), not the top
        ("Hanna", 3, 0, None, []),
    ]


def test_a_number_going_backwards_is_a_pasted_header_and_a_reference() -> None:
    page = "\n".join(says(1, "Anna", 1, "first") + says(2, "Boris", 2, "second") + says(3, "Clara", 3, "quoting:")
                     + says(2, "Boris", 9, "as Boris put it") + says(4, "Dima", 10, "fourth"))
    doc = parse_text_page(page, "x")
    # "2. Boris says" after 3 can be neither a reply (replies start at 1) nor a new top-level comment
    assert shape(page) == [("Anna", 1, 0, None, []), ("Boris", 2, 0, None, []), ("Clara", 3, 0, None, ["#2"]),
                           ("Dima", 4, 0, None, [])]
    assert doc.comments[2].text == "quoting:\n2. Boris says\nOctober 20, 2020 at 3:09 pm\nas Boris put it"


def footer(author: str, minute: int, number: int) -> str:
    return f"Posted by: {author} | Oct 27 2020 14:{minute:02d} utc | {number}"


def test_a_repeated_running_number_is_a_pasted_footer_not_a_new_comment() -> None:
    page = "\n".join(["Title", "", "The article.", "", "-----", "",
                      "First.", footer("Ivan", 1, 1), "", "Second.", footer("Olga", 2, 2), "",
                      "Olga said this:", footer("Olga", 2, 2), "and I answer it.", footer("Petr", 3, 3), "",
                      "Fourth.", footer("Anna", 4, 4)])
    doc = parse_text_page(page, "x")
    assert detect_format(page).name == "typepad"
    assert shape(page) == [("Ivan", 1, 0, None, []), ("Olga", 2, 0, None, []), ("Petr", 3, 0, None, ["#2"]),
                           ("Anna", 4, 0, None, [])]
    assert doc.comments[2].text == "Olga said this:\n" + footer("Olga", 2, 2) + "\nand I answer it."


def test_a_forum_post_number_repeated_inside_a_post_is_a_quote_of_that_post() -> None:
    page = "\n".join(["Topic", "#7 Agent 007 Oct 27, 2020, 02:46 PM", "first post",
                      "#8 Olga Oct 27, 2020, 03:00 PM", "second post",
                      "#9 Petr Oct 27, 2020, 03:10 PM", "as Olga wrote in", "#8 Olga Oct 27, 2020, 03:00 PM",
                      "second post", "I disagree",
                      "#11 Anna Oct 27, 2020, 03:20 PM", "post 10 was removed; my header, twice:",
                      "#11 Anna Oct 27, 2020, 03:20 PM"])
    doc = parse_text_page(page, "x")
    assert shape(page) == [("Agent 007", 7, 0, None, []), ("Olga", 8, 0, None, []), ("Petr", 9, 0, None, ["#2"]),
                           ("Anna", 11, 0, None, [])]
    assert doc.comments[2].text == "as Olga wrote in\n#8 Olga Oct 27, 2020, 03:00 PM\nsecond post\nI disagree"
    assert doc.comments[3].text == "post 10 was removed; my header, twice:\n#11 Anna Oct 27, 2020, 03:20 PM"


def test_lines_measure_indentation_with_a_tab_as_four_columns() -> None:
    from narrascope.threads.text_formats import Lines

    lines = Lines.split("top\n  two\n\tone\ttab\n  \tmixed\n\n   \n\t\tdeep")
    assert lines.text == ["top", "two", "one\ttab", "mixed", "", "", "deep"]  # a tab inside the text is no indent
    assert lines.indent == [0, 2, 4, 6, 0, 0, 8]
    assert len(lines) == 7


def test_collect_keeps_content_lines_marks_paragraph_breaks_and_stops() -> None:
    from narrascope.threads.text_formats import collect, join

    text = ["sig", "first", "", "", "second", "Reply", "third", "", "END", "after"]
    kept = collect(text, 1, len(text), stop=lambda s: s == "END")
    assert kept == [1, -1, 4, 6]  # one break for two blank lines, the control "Reply" left out
    assert join(text, kept) == "first\n\nsecond\nthird"
    assert collect(text, 1, 5, skip=lambda s: s == "second") == [1]
    assert collect(text, 2, 4) == [] and join(text, []) == ""
    assert collect(["", "", "x"], 0, 3) == [2]  # no break before the first line


def test_replies_numbered_one_nest_at_most_max_depth_levels() -> None:
    from narrascope.threads.text_formats import MAX_DEPTH

    page = "\n".join(line for k in range(MAX_DEPTH + 2) for line in says(1, f"User{k}", k, f"level {k}"))
    got = shape(page)
    assert MAX_DEPTH == 32 and len(got) == MAX_DEPTH
    assert [d for _, _, d, _, _ in got] == list(range(MAX_DEPTH))
    assert got[-1][3] == f"#{MAX_DEPTH - 1}"


def test_disqus_arrows_chain_replies_and_a_name_without_arrow_is_top_level() -> None:
    page = "\n".join(["Anna • 3 years ago", "first", "Boris • 3 years ago", "second", "Clara → Boris • 2 years ago",
                      "to Boris", "Dima → Clara • 2 years ago", "to Clara", "Eva • a year ago", "fresh"])
    assert shape(page) == [("Anna", None, 0, None, []), ("Boris", None, 0, None, []), ("Clara", None, 1, "#2", []),
                           ("Dima", None, 2, "#3", []), ("Eva", None, 0, None, [])]


def test_undated_headers_are_comments_unless_most_headers_carry_a_time() -> None:
    half = "\n".join(says(1, "Anna", 1, "a") + says(2, "Boris", 2, "b")
                     + ["3. Clara says", "c", "4. Dima says", "d"])  # 2 of 4 dated: not "most"
    assert [(a, n, d) for a, n, d, _, _ in shape(half)] == [("Anna", 1, 0), ("Boris", 2, 0), ("Clara", 3, 0),
                                                           ("Dima", 4, 0)]
    most = "\n".join(says(1, "Anna", 1, "a") + says(2, "Boris", 2, "b") + ["1. Anna says", "quoted"])  # 2 of 3
    assert [a for a, *_ in shape(most)] == ["Anna", "Boris"]  # the undated "1. Anna says" is a quote


def test_a_forum_thread_starting_at_post_one_and_a_quoted_post_with_another_time() -> None:
    page = "\n".join(["Topic", "#1 Olga Oct 27, 2020, 02:46 PM", "first post", "#2 Petr Oct 27, 2020, 03:00 PM",
                      "quoting:", "#1 Olga Oct 27, 2020, 02:47 PM", "first post", "#3 Anna Oct 27, 2020, 03:10 PM",
                      "third"])
    assert shape(page) == [("Olga", 1, 0, None, []), ("Petr", 2, 0, None, ["#1"]), ("Anna", 3, 0, None, [])]


def test_indented_numbers_a_repeated_sibling_number_or_a_reply_not_starting_at_one_is_quoted() -> None:
    page = "\n".join([
        "  1. Anna says", "     October 20, 2020 at 2:46 pm", "     first",
        "  2. Boris says", "     October 20, 2020 at 3:00 pm", "     second",
        "  2. Clara says", "     October 20, 2020 at 3:05 pm", "     a pasted header with its own time",
        "        2. Dima says", "           October 20, 2020 at 3:10 pm", "           no reply starts at 2",
        "        1. Eva says", "           October 20, 2020 at 3:20 pm", "           reply to Boris",
    ])
    assert [(a, n, d, p) for a, n, d, p, _ in shape(page)] == [("Anna", 1, 0, None), ("Boris", 2, 0, None),
                                                              ("Eva", 1, 1, "#2")]
