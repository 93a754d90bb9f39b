"""Numbered threads whose name lines are partly lost (an Unz-style page): each number is a comment."""

from __future__ import annotations

from pathlib import Path

from narrascope.threads.text import detect_format, parse_text_page

PAGE = Path(__file__).parent.parent / "fixtures" / "text" / "unz_numbered.txt"
NAMED = {2: "Felix Keverich", 4: "Anatoly Karlin", 7: "Felix Keverich", 9: "AP", 12: "Mr. Hack", 15: "Anonymous[412]",
         18: "Thulean Friend", 21: "Daniel Chieh", 24: "Felix Keverich", 27: "Beckow", 30: "AltanBakshi",
         33: "Anatoly Karlin", 36: "reiner Tor", 38: "Dmitry", 40: "Mr. Hack", 43: "German_reader", 45: "Beckow"}


def test_every_number_starts_a_comment_and_a_nameless_one_has_no_author() -> None:
    text = PAGE.read_text(encoding="utf-8")
    doc = parse_text_page(text, str(PAGE))
    assert detect_format(text).name == "numbered"
    assert [(c.number, c.author) for c in doc.comments] == [(n, NAMED.get(n)) for n in range(1, 46)]
    assert sum(c.author is None for c in doc.comments) == 28
    first, second, fifth = doc.comments[0], doc.comments[1], doc.comments[4]
    assert first.text == ("Lukashenko has outlived every prediction of his fall.\n"
                          "Nobody in Moscow likes him, but they like the alternative less.")
    assert second.posted_raw == "August 13, 2020 at 5:31 pm GMT"
    assert second.text == "The video from Pushkinskaya was hard to watch."
    assert fifth.text.startswith("The protests look bigger than anything since 1991.\n")
    assert [c.depth for c in doc.comments] == [0] * 45


def test_bio_box_share_widgets_and_comment_headers_are_not_body() -> None:
    doc = parse_text_page(PAGE.read_text(encoding="utf-8"), str(PAGE))
    assert doc.kind == "article"
    assert doc.title == "Belarus: The Revolution That Wasn't (Yet)"
    assert doc.body.endswith("Moscow has so far kept its distance, and that may be the most important fact "
                             "of the week.")
    assert doc.body.startswith("Four days after the presidential election")
    for furniture in ("About Anatoly Karlin", "transhumanist", "Email This Page", "45 Comments", "Lukashenko has"):
        assert furniture not in doc.body


def test_a_numbered_list_inside_a_comment_is_not_a_run_of_comments() -> None:
    page = (
        "Post title\n\nThe post, a paragraph long enough to be a body of text.\n\n"
        "  1. Anna says\n     October 27, 2020 at 2:46 pm\n     Three things:\n"
        "     1. the count\n     2. the observers\n     3. the protocols\n\n"
        "  2. Lost name, but this is the second comment.\n\n"
        "  3. Piotr says\n     October 27, 2020 at 3:10 pm\n     Agreed.\n\n"
        "  5. Not the fourth: a quoted number out of sequence.\n"
    )
    doc = parse_text_page(page, "t.txt")
    assert [(c.number, c.author) for c in doc.comments] == [(1, "Anna"), (2, None), (3, "Piotr")]
    assert doc.comments[0].text.endswith("3. the protocols")
    assert doc.comments[2].text == "Agreed.\n\n5. Not the fourth: a quoted number out of sequence."
