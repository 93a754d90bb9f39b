"""In-text references between comments (narrascope.threads.refs)."""

from __future__ import annotations

from narrascope.model import Comment
from narrascope.threads.refs import find_refs


def thread(*rows: tuple) -> list[Comment]:
    """Comments from (author, number, text[, parent]) rows."""
    out = []
    for row in rows:
        author, number, text = row[:3]
        out.append(Comment(text=text, author=author, number=number, parent=row[3] if len(row) > 3 else None))
    return out


def refs(comments: list[Comment], **kw) -> list[list[str]]:
    find_refs(comments, **kw)
    return [c.refs for c in comments]


def test_at_name_points_at_that_authors_latest_earlier_comment() -> None:
    cs = thread(("Anna K.", None, "first"), ("Boris", None, "second"), ("Anna K.", None, "third"),
                ("Clara", None, "@Anna K. you changed your mind"), ("Anna K.", None, "later"))
    assert refs(cs) == [[], [], [], ["#3"], []]


def test_unknown_names_emails_and_future_comments_give_no_ref() -> None:
    cs = thread(("Anna", None, "mail me at anna@example.org, or ask @Zed"), ("Boris", None, "@Clara hi"),
                ("Clara", None, "The minister said: no.\nBoris wrote: nothing"))
    assert refs(cs) == [[], [], ["#2"]]  # "Boris wrote:" is a quote of a known author; Clara is later


def test_numbers_in_several_spellings() -> None:
    cs = thread(("Ivan", 1, "a"), ("Olga", 2, "b"), ("Ivan", 3, "c"),
                ("P", 4, "@Ivan 1 and Olga @2"), ("Q", 5, "see #3, not #99 or item#2"), ("R", 6, "@Ivan no. 3"))
    assert refs(cs) == [[], [], [], ["#1", "#2"], ["#3"], ["#3"]]


def test_time_after_a_mention_is_not_a_number() -> None:
    cs = thread(("Ivan", 1, "a"), ("Olga", 2, "b"), ("Petr", 3, "@Ivan 2:46 was the time"))
    assert refs(cs) == [[], [], ["#1"]]


def test_parent_and_self_are_not_refs() -> None:
    cs = thread(("Anna", None, "a"), ("Boris", None, "@Anna yes", "#1"), ("Boris", None, "@Boris talking to myself"))
    assert refs(cs) == [[], [], ["#2"]]
    cs = thread(("Anna", None, "a"), ("Anna", None, "@Anna as I said above"))
    assert refs(cs) == [[], ["#1"]]


def test_quotes() -> None:
    cs = thread(
        ("Dzmitry_K", 41, "a"),
        ("Olga", 42, "Quote:\nOriginally Posted by Dzmitry_K\nquoted\nreply"),
        ("J.R.", 43, "Quote: Originally Posted by Olga View Post\nx"),
        ("Anna", 44, '[quote="Olga, post:42, topic:7"]\nx\n[/quote]\nok'),
        ("Ben", 45, "In reply to Anna.\nYes."),
        ("Cy", 46, "Quote from: J.R. on October 27, 2020, 04:20:00 PM\nno"),
    )
    assert refs(cs) == [[], ["#1"], ["#2"], ["#2"], ["#4"], ["#3"]]


def test_post_numbers_are_positions_on_forums_without_numbers() -> None:
    cs = thread(("a", None, "x"), ("b", None, "y"), ("c", None, '[quote="a, post:2"]\nz'), ("d", None, "post #1"))
    assert refs(cs, positional=True) == [[], [], ["#2"], ["#1"]]
    cs = thread(("a", None, "x"), ("b", None, "#1"))
    assert refs(cs) == [[], []]  # not a forum: #1 needs a comment numbered 1


def test_restarting_numbers_prefer_top_level() -> None:
    cs = [Comment(text="a", author="A", number=1), Comment(text="b", author="B", number=1, depth=1, parent="#1"),
          Comment(text="c", author="C", number=2), Comment(text="#1 was right", author="D", number=3)]
    assert refs(cs) == [[], [], [], ["#1"]]


def test_pasted_signatures() -> None:
    cs = [Comment(text="a", author="Ivan", number=1, posted_raw="Oct 27 2020 14:46 utc"),
          Comment(text="b", author="Ivan", number=2, posted_raw="Oct 27 2020 15:00 utc"),
          Comment(text="pasted", author="Olga", number=3)]
    find_refs(cs, pasted=[[], [], [("Ivan", None, "Oct 27 2020 14:46 utc"), ("Ivan", 2, "whenever")]])
    assert cs[2].refs == ["#1", "#2"]


def test_mentions_match_across_underscores_and_case() -> None:
    cs = thread(("Anna_K", None, "x"), ("b", None, "@anna_k sure"), ("c", None, "u/Anna_K too"))
    assert refs(cs) == [[], ["#1"], ["#1"]]


def test_a_number_after_a_name_that_is_no_comments_number_still_refers_to_the_name() -> None:
    cs = thread(("Ivan", 1, "a"), ("Olga", 2, "b"), ("Ivan", 3, "c"), ("Petr", 4, "@Ivan 5 times I asked you"),
                ("Anna", 5, "@Olga 2 is right"))
    # 5 is no comment's number yet: the mention stands, for Ivan's latest comment; "@Olga 2" is post 2
    assert refs(cs) == [[], [], [], ["#3"], ["#2"]]


def test_a_quote_with_a_post_number_finds_that_authors_post_when_numbers_restart() -> None:
    cs = [Comment(text="a", author="Anna", number=1, depth=0), Comment(text="b", author="Olga", number=2, depth=0),
          Comment(text="c", author="Olga", number=1, depth=1, parent="#1"),
          Comment(text='[quote="Olga, post:1"]\nc\n[/quote]\nno', author="Boris", number=3, depth=0),
          Comment(text="see #1", author="Clara", number=4, depth=0),
          Comment(text='[quote="Ivan, post:1"]\nx\n[/quote]', author="Dima", number=5, depth=0)]
    # Olga's post 1 is the reply (#3), not Anna's top-level 1; a bare "#1" is the top-level one; an
    # unknown author's post 1 falls back to the top-level one too
    assert refs(cs) == [[], [], [], ["#3"], ["#1"], ["#1"]]


def test_a_number_only_replies_carry_points_at_the_reply() -> None:
    cs = [Comment(text="a", author="Anna", number=1, depth=0),
          *(Comment(text=t, author=a, number=n, depth=1, parent="#1") for a, n, t in
            (("Boris", 1, "b"), ("Clara", 2, "c"), ("Boris", 3, "d"))),
          Comment(text="as #3 says", author="Dima", number=2, depth=0)]
    assert refs(cs) == [[], [], [], [], ["#4"]]


def test_a_name_spelt_without_its_punctuation_is_still_that_author() -> None:
    cs = thread(("J.R.", 1, "a"), ("Olga", 2, "b"), ("Petr", 3, "@JR you are right"), ("Anna", 4, "@JR. 2 things:"),
                ("T.X.", 5, "c"), ("Ivan", 6, "@TX. no"))
    # "@JR. 2": the full stop ends the name, so 2 is no post number; "T.X." is found as "TX"
    assert refs(cs) == [[], [], ["#1"], ["#1"], [], ["#5"]]


def test_the_longest_earlier_name_wins_and_a_longer_name_must_match_whole() -> None:
    cs = thread(("Anna", None, "a"), ("Anna K.", None, "b"), ("Boris", None, "@Anna K. said it"),
                ("Clara", None, "@Anna Smith, i agree"), ("Anna Karenina", None, "c"),
                ("Dima", None, "@Anna Smith, i agree"))
    # "@Anna Smith" is Anna, not "Anna Karenina", whose name only shares a first word and a length
    assert refs(cs) == [[], [], ["#2"], ["#1"], [], ["#1"]]


def test_every_mention_of_a_comment_counts_not_only_the_first() -> None:
    cs = thread(("Anna", 1, "a"), ("Boris", 2, "b"), ("Clara", 3, "@2 and @Anna"), ("Dima", 4, "@nobody and @Anna"))
    assert refs(cs) == [[], [], ["#2", "#1"], ["#1"]]


def test_a_number_after_a_name_is_that_authors_post_when_numbers_restart() -> None:
    cs = [Comment(text="a", author="Anna", number=1, depth=0), Comment(text="b", author="Olga", number=2, depth=0),
          Comment(text="c", author="Olga", number=1, depth=1, parent="#2"),
          Comment(text="@Olga 1 yes", author="Boris", number=3, depth=0)]
    assert refs(cs) == [[], [], [], ["#3"]]


def test_forum_post_positions_count_only_where_no_numbers_are_shown() -> None:
    numbered = thread(*((f"u{i}", 10 + i, "x") for i in range(5)), ("v", 15, "see #5 and #0"))
    assert refs(numbered, positional=True) == [[], [], [], [], [], []]  # no post is numbered 5
    plain = thread(*((f"u{i}", None, "x") for i in range(5)), ("v", None, "see #5 and #0"))
    assert refs(plain, positional=True) == [[], [], [], [], [], ["#5"]]  # the 5th post; there is no post 0


def test_pasted_headers_resolve_by_number_and_a_short_pasted_list_is_fine() -> None:
    cs = thread(("Anna", 1, "a"), ("Boris", 2, "b"), ("Clara", 3, "c"))
    assert refs(cs, pasted=[[], [], [(None, 2, None)]]) == [[], [], ["#2"]]
    cs = thread(("Anna", 1, "a"), ("Boris", 2, "@Anna"), ("Clara", 3, "c"))
    assert refs(cs, pasted=[[]]) == [[], ["#1"], []]


def test_a_quote_tag_without_a_post_number_names_the_author() -> None:
    cs = thread(("Olga", None, "a"), ("Boris", None, "b"), ("Olga", None, "c"),
                ("Anna", None, '[quote="Olga"]\nc\n[/quote]\nno'))
    assert refs(cs) == [[], [], [], ["#3"]]


def test_a_long_line_does_not_stop_the_quote_lines_after_it() -> None:
    cs = thread(("Xena", None, "a"), ("Boris", None, "x" * 250 + "\nXena wrote:\nquoted\nmy answer"))
    assert refs(cs) == [[], ["#1"]]


def test_a_pasted_header_finds_the_comment_by_time_then_number_then_author() -> None:
    def comments() -> list[Comment]:
        return [Comment(text="a", author="Olga", number=1, depth=0, posted_raw="May 1, 10:00"),
                Comment(text="b", author="Anna", number=2, depth=0, posted_raw="May 1, 10:05"),
                Comment(text="c", author="Olga", number=1, depth=1, parent="#2", posted_raw="May 1, 10:10"),
                Comment(text="d", author="Olga", number=3, depth=0, posted_raw="May 1, 10:15"),
                Comment(text="e", author="Boris", number=4, depth=0)]

    cases = {("Olga", None, "May 1, 10:00"): ["#1"],  # her comment at that time, not her latest
             ("Olga", 1, None): ["#3"],  # her own number 1 (a reply), not Anna's thread's top-level 1
             ("Olga", 99, None): ["#4"],  # no such number: her latest comment
             ("Olga", None, None): ["#4"],
             ("Zed", None, "May 1, 10:00"): [],  # nobody of that name
             (None, None, "May 1, 10:00"): []}
    for header, expected in cases.items():
        assert refs(comments(), pasted=[[], [], [], [], [header]])[-1] == expected, header


def test_an_exact_name_beats_a_name_that_only_normalises_alike() -> None:
    cs = thread(("Anna K.", None, "a"), ("AnnaK", None, "b"), ("Clara", None, "@Anna K. yes"))
    assert refs(cs) == [[], [], ["#1"]]


def test_the_number_after_a_mention_is_read_within_90_characters() -> None:
    name = "A" * 40 + " " + "B" * 48  # 89 characters: the number after it is the 91st character after "@"
    cs = thread(*((f"u{i}", i, "x") for i in (1, 3, 4, 5)), (name, 6, "y"),
                ("Petr", 7, f"@{name} 5 is wrong"))
    assert refs(cs)[-1] == ["#5"]  # out of reach: the name's latest comment (#5), not post number 5 (#4)
