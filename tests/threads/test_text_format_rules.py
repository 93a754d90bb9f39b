"""The shared walk of the thread grammars, rule by rule: labels, indentation, the signature cache,
html2text's underscored names, where a thread starts, subject lines, story bylines and headlines."""

from __future__ import annotations

import re

import pytest

from narrascope.threads.text import parse_text_page
from narrascope.threads.text_formats import (
    FORMATS,
    Header,
    Lines,
    TextFormat,
    _headline_like,
    choose_format,
    join,
    mostly_outdented,
    plain,
    story_bylines,
)


def shape(page: str) -> list[tuple[str | None, int | None, int, str | None]]:
    return [(c.author, c.number, c.depth, c.parent) for c in parse_text_page(page, "<test>").comments]


def time(hour: int, minute: int) -> str:
    return f"October 20, 2020 at {hour}:{minute:02d} pm"


def authors(page: str) -> list[tuple[str | None, str | None]]:
    return [(c.author, c.posted_raw) for c in parse_text_page(page, "<test>").comments]


def test_plain_drops_browser_labels_but_keeps_a_label_glued_to_a_name() -> None:
    assert plain("[12]Gaye") == "Gaye"
    assert plain("[svg] Anna [3]Kowalska ") == "Anna Kowalska"
    assert plain("Anonymous[412]") == "Anonymous[412]"
    assert plain("  Anna says:  ") == "  Anna says:  "  # no label: the line as given, unstripped


def test_lines_keep_the_raw_lines_beside_the_stripped_ones() -> None:
    lines = Lines.split("\tAnna says:\n  \t x\n\n")
    assert (lines.raw, lines.text, lines.indent) == (["\tAnna says:", "  \t x", ""], ["Anna says:", "x", ""], [4, 7, 0])


def test_found_reuses_the_signatures_count_found_on_the_same_lines_only() -> None:
    wordpress = FORMATS["wordpress"]()
    one = Lines.split("Anna says:\nOctober 20, 2020 at 2:46 pm\nfirst")
    two = Lines.split("Boris says:\nOctober 21, 2020 at 3:00 pm\nsecond")
    assert [h.author for _, h in wordpress.found(one)] == ["Anna"]  # nothing counted yet: a walk of its own
    assert wordpress.count(one) == 1
    cached = wordpress.found(one)
    assert wordpress.found(one) is cached  # the same list: no second walk
    assert [h.author for _, h in wordpress.found(two)] == ["Boris"]  # other lines: not the cached ones


def test_parse_gives_each_comment_its_signature_line_indentation_and_text() -> None:
    page = ("Budget vote delayed\n\nThe council met on Tuesday.\n\n"
            "Anna says:\nOctober 20, 2020 at 2:46 pm\nGood.\n"
            "   Boris says:\n   October 20, 2020 at 3:00 pm\n   Bad.")
    start, comments = FORMATS["wordpress"]().parse(Lines.split(page))
    assert start == 4  # the article is lines 0-3
    assert [(c.header.author, c.line, c.indent, c.signature, c.lines, c.depth, c.parent) for c in comments] == [
        ("Anna", 4, 0, "Anna says:", [6], 0, None), ("Boris", 7, 3, "Boris says:", [9], 1, 0)]
    doc = parse_text_page(page, "<test>")
    assert (doc.title, doc.body) == ("Budget vote delayed", "The council met on Tuesday.")


PHPBB = ["Election aftermath", "", "Re: Election aftermath", "by Marek_W » Mon Aug 10, 2020 10:40 am",
         "That is what everyone said.", "Re: Election aftermath", "by Siarhei » Mon Aug 10, 2020 1:15 pm",
         "Which ones?", "Re: Election aftermath"]


def test_a_subject_line_belongs_to_the_post_under_it_not_to_the_text_above() -> None:
    start, comments = FORMATS["phpbb"]().parse(Lines.split("\n".join(PHPBB)))
    assert start == 2  # the first post's "Re:" line starts the thread
    # the second post's subject is not the first post's text; a "Re:" line with no post under it is text
    assert [(c.header.author, c.line, c.lines) for c in comments] == [("Marek_W", 3, [4]), ("Siarhei", 6, [7, 8])]


@pytest.mark.parametrize(("lines", "start"), [
    (PHPBB[2:], 0),  # the page opens with the subject
    (PHPBB[3:], 0),  # the page opens with the header; its last line is no subject of it
    (["Election aftermath", ""] + PHPBB[3:], 2),  # a title and a blank line before the first header
])
def test_where_a_forum_thread_starts(lines: list[str], start: int) -> None:
    assert FORMATS["phpbb"]().parse(Lines.split("\n".join(lines)))[0] == start


def test_html2text_underscored_name_beside_an_underscored_time_is_read_with_spaces() -> None:
    page = ("Anna_Kowalska says:\nOctober_20,_2020_at_2:46_pm\nThe count was done behind closed doors.\n"
            "Boris_Petrov says:\nOctober_20,_2020_at_3:00_pm\nSame here.")
    assert authors(page) == [("Anna Kowalska", "October 20, 2020 at 2:46 pm"),
                             ("Boris Petrov", "October 20, 2020 at 3:00 pm")]


def test_an_underscored_user_name_stays_as_written_unless_its_time_is_underscored_too() -> None:
    page = ("anna_k says:\n2020-10-20\nA time without underscores.\n"
            "boris_p says:\n2020-10-21 • edited_by_mod\nA time line with spaces.\n"
            "Anna Maria_K says:\nOctober_22,_2020_at_2:46_pm\nA name with a space was not drawn by html2text.")
    assert authors(page) == [("anna_k", "2020-10-20"), ("boris_p", "2020-10-21"),
                             ("Anna Maria_K", "October 22, 2020 at 2:46 pm")]


def test_a_signature_line_is_at_most_300_characters() -> None:
    def footer(name: str) -> str:
        return f"Posted by: {name} | Oct 27 2020 14:46 utc | 1"

    name = "A" * (300 - len(footer("")))
    assert len(footer(name)) == 300
    assert [h.author for _, h in FORMATS["typepad"]().signatures(Lines.split(f"text\n{footer(name)}"))] == [name]
    assert FORMATS["typepad"]().signatures(Lines.split(f"text\n{footer(name + 'A')}")) == []


def test_a_single_comment_is_a_thread() -> None:
    page = "An article of one paragraph.\n\nAnna says:\nOctober 20, 2020 at 2:46 pm\nThe only comment."
    chosen = choose_format(Lines.split(page))
    assert chosen is not None and chosen.name == "wordpress"
    assert authors(page) == [("Anna", "October 20, 2020 at 2:46 pm")]


def test_headline_like_lines() -> None:
    assert _headline_like("Police detain dozens")  # three words at least
    assert not _headline_like("Police detain")
    assert _headline_like(" ".join(["Word"] * 25)) and not _headline_like(" ".join(["Word"] * 26))
    assert _headline_like("“Nobody voted for him” says Siarhei")  # an opening quote
    assert _headline_like("'Nobody voted for him' says Siarhei")
    assert not _headline_like("police detain dozens at a rally")  # a lower-case start
    assert not _headline_like("Police detain dozens at a rally.")  # a sentence
    assert not _headline_like("Police detain dozens at a rally:")
    assert _headline_like("Police detain dozens at a rally of Generation X")
    assert not _headline_like("Log in to Reply")  # a control
    assert not _headline_like("Leave a Reply")  # the end of a thread


def bylines(text: list[str], at: list[int], grammar: str = "wordpress") -> bool:
    return story_bylines(FORMATS[grammar](), text, [(i, Header("x")) for i in at])


STORIES = ["Police detain dozens at a rally in Minsk", "", "SIG", "A teaser of the story.", "",
           "Council puts off the budget vote", "", "SIG", "Another teaser."]


def test_signatures_under_headlines_are_story_bylines() -> None:
    assert bylines(STORIES, [2, 7])
    assert not bylines(STORIES, [2])  # one signature decides nothing


def test_signatures_right_after_text_are_comments_unless_under_html2text_headlines() -> None:
    thread = ["Police detain dozens at a rally", "Thank you", "SIG", "", "Council puts off the vote", "Agreed", "SIG"]
    assert not bylines(thread, [2, 6])  # the line two above is not the headline of the byline
    starred = ["** Police detain dozens at a rally **", "SIG", "teaser.", "** Council puts off the vote **", "SIG"]
    assert bylines(starred, [1, 4])
    bold_start = ["**Update:** the vote is off", "SIG", "teaser.", "**Update:** the rally is over", "SIG"]
    assert not bylines(bold_start, [1, 4])  # html2text's headline is starred at both ends
    bold_end = ["the vote is off, **again**", "SIG", "teaser.", "the rally is over **now**", "SIG"]
    assert not bylines(bold_end, [1, 4])
    mixed = ["** Police detain dozens at a rally **", "SIG", "teaser.", "", "Council puts off the vote", "", "SIG"]
    assert bylines(mixed, [1, 6])  # a starred headline and a plain one


@pytest.mark.parametrize(("blank", "byline"), [(1, True), (2, True), (3, False)])
def test_a_byline_stands_at_most_two_blank_lines_under_its_headline(blank: int, byline: bool) -> None:
    text = []
    for headline in ("Police detain dozens at a rally", "Council puts off the budget vote"):
        text += ["Earlier teaser."] + [""] + [headline] + [""] * blank + ["SIG"]
    assert bylines(text, [i for i, s in enumerate(text) if s == "SIG"]) is byline


@pytest.mark.parametrize(("wrapped", "byline"), [(1, True), (3, True), (4, False)])
def test_a_headline_wraps_over_at_most_three_lines(wrapped: int, byline: bool) -> None:
    words = "Police detain dozens of people at a rally in the centre of Minsk on Sunday".split()
    lines = [" ".join(words[k::wrapped]) for k in range(wrapped)]  # the same words on 1 to 4 lines
    lines = [lines[0].capitalize()] + lines[1:] if wrapped > 1 else lines
    text = ["Earlier teaser.", ""] + lines + ["", "SIG", "teaser.", ""] + lines + ["", "SIG"]
    assert bylines(text, [i for i, s in enumerate(text) if s == "SIG"]) is byline


def test_a_headline_wrapped_over_three_lines_is_read_as_one() -> None:
    lines = ["Police detain dozens of people at", "a rally in the centre of Minsk on",
             "Sunday as the protests enter their third week of marches"]  # 24 words in all: a headline has at most 25
    text = lines + ["", "SIG", "teaser.", ""] + lines + ["", "SIG"]
    assert bylines(text, [4, 11])


def test_the_headline_at_the_top_of_the_page_counts() -> None:
    text = ["Police detain dozens at a rally", "", "SIG", "teaser.", "", "Council puts off the vote", "", "SIG"]
    assert bylines(text, [2, 7])


def test_a_bulleted_headline_counts_without_its_bullet_and_a_numbered_comment_line_does_not() -> None:
    bullets = ["* Police detain dozens at a rally", "", "SIG", "", "12. Council puts off the vote", "", "SIG"]
    assert bylines(bullets, [2, 6])
    numbered = ["1. thanks for the story", "", "SIG", "", "2. police were there too", "", "SIG"]
    assert not bylines(numbered, [2, 6])


def test_a_forum_subject_above_a_post_is_no_headline() -> None:
    text = ["Re: Election aftermath in Minsk", "", "SIG", "text.", "", "Re: Election aftermath in Minsk", "", "SIG"]
    assert not bylines(text, [2, 7], grammar="phpbb")
    assert bylines(text, [2, 7], grammar="wordpress")


@pytest.mark.parametrize(("under_headlines", "byline"), [(3, False), (4, True)])
def test_most_signatures_means_more_than_three_in_five(under_headlines: int, byline: bool) -> None:
    text: list[str] = []
    for k in range(5):
        text += ([f"Headline number {k} about the vote"] if k < under_headlines else ["a comment."]) + ["", "SIG", ""]
    assert bylines(text, [i for i, s in enumerate(text) if s == "SIG"]) is byline


class Signed(TextFormat):
    """A grammar of its own, as a plugin would write it: ``SIG NAME`` lines, no ``quick`` test."""

    def header(self, text: list[str], i: int) -> Header | None:
        return Header(text[i][4:]) if text[i].startswith("SIG ") else None


def test_a_grammar_without_a_quick_test_reads_every_line() -> None:
    assert [(i, h.author) for i, h in Signed().signatures(Lines.split("text\nSIG Anna\nmore\nSIG Boris"))] == [
        (1, "Anna"), (3, "Boris")]


def test_join_puts_a_blank_line_where_a_break_is_marked() -> None:
    assert join(["first", "second", "third"], [0, -1, 1, 2]) == "first\n\nsecond\nthird"


def test_replies_at_the_same_indentation_are_siblings_at_every_depth() -> None:
    page = "\n".join([
        "Anna says:", time(1, 0), "first",
        "    Boris says:", "    " + time(1, 10), "    reply to Anna",
        "    Clara says:", "    " + time(1, 20), "    another reply to Anna",
        "        Dima says:", "        " + time(1, 30), "        reply to Clara",
        "        Eva says:", "        " + time(1, 40), "        another reply to Clara",
        "Fyodor says:", time(2, 0), "top level"])
    assert shape(page) == [("Anna", None, 0, None), ("Boris", None, 1, "#1"), ("Clara", None, 1, "#1"),
                           ("Dima", None, 2, "#3"), ("Eva", None, 2, "#3"), ("Fyodor", None, 0, None)]


def test_an_indented_reply_numbered_below_its_parent_is_no_paste() -> None:
    page = "\n".join([
        "  3. Anna says", "     " + time(1, 0), "     third",
        "      1. Boris says", "         " + time(1, 10), "         reply to Anna",
        "      2. Clara says", "         " + time(1, 20), "         second reply to Anna",
        "  4. Dima says", "     " + time(1, 30), "     fourth"])
    assert shape(page) == [("Anna", 3, 0, None), ("Boris", 1, 1, "#1"), ("Clara", 2, 1, "#1"), ("Dima", 4, 0, None)]


def test_three_dated_headers_in_five_are_not_most_so_undated_ones_are_comments() -> None:
    dated = [line for n, name in enumerate(["Anna", "Boris", "Clara"], start=1)
             for line in (f"{n}. {name} says", time(n, 0), "text")]
    page = "\n".join(dated + ["4. Dima says", "d", "5. Eva says", "e"])
    assert [author for author, *_ in shape(page)] == ["Anna", "Boris", "Clara", "Dima", "Eva"]


def test_a_post_numbered_zero_is_no_post() -> None:
    assert FORMATS["vbulletin"]().parse(Lines.split("Topic\n#0 Olga Oct 27, 2020, 02:46 PM\nfirst post")) == (3, [])


def test_only_the_last_comment_stops_at_a_thread_end_line() -> None:
    page = "\n".join(["Anna says:", time(1, 0), "Post a Comment", "was greyed out for me.",
                      "Boris says:", time(2, 0), "same.", "Post a Comment", "the page footer"])
    assert [(c.author, c.text) for c in parse_text_page(page, "<test>").comments] == [
        ("Anna", "Post a Comment\nwas greyed out for me."), ("Boris", "same.")]


def test_indented_numbered_replies_close_one_level_at_a_time() -> None:
    def comment(indent: int, header: str, hour: int, text: str) -> list[str]:
        return [" " * indent + header, " " * (indent + 3) + time(hour, 0), " " * (indent + 3) + text]

    page = "\n".join(comment(2, "1. Anna says", 1, "first") + comment(6, "1. Boris says", 2, "reply to Anna")
                     + comment(10, "1. Dima says", 3, "reply to Boris")
                     + comment(6, "2. Clara says", 4, "second reply to Anna")  # back one level: Boris's sibling
                     + comment(2, "2. Eva says", 5, "second") + comment(6, "1. Fyodor says", 6, "reply to Eva")
                     + comment(2, "2. Galina says", 7, "a pasted header: 2 again at the top"))
    doc = parse_text_page(page, "<test>")
    assert [(c.author, c.number, c.depth, c.parent) for c in doc.comments] == [
        ("Anna", 1, 0, None), ("Boris", 1, 1, "#1"), ("Dima", 1, 2, "#2"), ("Clara", 2, 1, "#1"),
        ("Eva", 2, 0, None), ("Fyodor", 1, 1, "#5")]
    assert doc.comments[-1].text.endswith("2. Galina says\n" + time(7, 0) + "\na pasted header: 2 again at the top")


def test_discourse_post_numbers_out_of_order_are_all_posts() -> None:
    """Discourse is not a ``numbered`` grammar: its post numbers never make a header a paste."""
    page = "\n".join(["Topic title", "", "lina_p (Lina P.) November 2, 2020, 9:00am 1", "First post.", "",
                      "tomas_lt November 2, 2020, 10:12am 3", "Third post.", "",
                      "anna_k November 2, 2020, 9:30am 2", "Second post, shown last."])
    assert [(c.author, c.number, c.depth) for c in parse_text_page(page, "<test>").comments] == [
        ("lina_p", 1, 0), ("tomas_lt", 3, 0), ("anna_k", 2, 0)]


def test_a_list_is_of_stories_when_more_than_half_its_headers_have_text_left_of_them() -> None:
    item = re.compile(r"\d+\. .*")
    half = Lines.split("  1. Anna\ncaption at the margin\n  2. Boris\n     text under the marker")
    assert not mostly_outdented(half, [(0, Header("Anna")), (2, Header("Boris"))], item)  # 1 of 2: not most
    most = Lines.split("  1. Anna\ncaption\n  2. Boris\ncaption\n  3. Clara\n     text under the marker")
    assert mostly_outdented(most, [(0, Header("Anna")), (2, Header("Boris")), (4, Header("Clara"))], item)
