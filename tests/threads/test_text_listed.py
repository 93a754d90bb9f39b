"""Comment headers as text browsers print them: names and times without a list marker, names the
page lost, names glued to their time, vBulletin's post line with the name below it."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from narrascope.threads.text import parse_text_page

ARTICLE = "Students expelled\n\nRectors struck detained students off the lists this week, the ministry says.\n\n"


def heads(text: str) -> list[tuple[str | None, str | None]]:
    return [(c.author, c.posted_raw) for c in parse_text_page(text, "<test>").comments]


def test_name_and_time_lines_without_a_marker_head_comments_when_two_share_a_template() -> None:
    page = ARTICLE + ("Marta_W 30.10.2020, 9:00 +12 / -1\n\nSkandal. Mój kuzyn z BNTU też dostał pismo.\n"
                      "anon 77 31.10.2020\nPolskie uczelnie przyjmują ich bez egzaminów.\n")
    doc = parse_text_page(page, "<test>")
    assert [(c.author, c.posted_raw, c.posted) for c in doc.comments] == [
        ("Marta_W", "30.10.2020, 9:00", datetime(2020, 10, 30, 9, 0, tzinfo=UTC)),  # the vote counter is no name
        ("anon 77", "31.10.2020", datetime(2020, 10, 31, tzinfo=UTC)),
    ]
    assert [c.text for c in doc.comments] == ["Skandal. Mój kuzyn z BNTU też dostał pismo.",
                                              "Polskie uczelnie przyjmują ich bez egzaminów."]
    assert (doc.kind, doc.title) == ("article", "Students expelled")
    assert doc.body == "Rectors struck detained students off the lists this week, the ministry says."


@pytest.mark.parametrize("tail", [
    "Anna Petrova 30.10.2020, 9:00\nOne byline under the article is no thread.\n",
    # two templates: the bylines of a list of stories on a car site
    "Brent Co November 20, 2019 12:32\nFIND YOUR NEXT CAR\n\nThe hot hatch has 306 HP and a wing\n"
    "Marcus De Guzman 2019-11-20 17:27:46\nPrevious Auto News and more of the same\n",
    # embedded tweets' attributions
    "— Arvind Kejriwal (@ArvindKejriwal) November 1, 2019\nDelhi has turned into a gas chamber today.\n"
    "— Josh Apte (@joshapte) November 3, 2019\nThe readings are off the scale again tonight.\n",
    # a list of sources
    '"Retaliatory Actions," May 31, 2019\nA report of the trade office on tariffs.\n'
    'Federal Reserve Board, "Beige Book," Oct. 16, 2019\nThe board on the regions, in summary.\n',
    # a product list: a month and a year is no comment's time
    "* Mac Pro December 2019\n* Apple Pro Display XDR December 2019\n* Apple TV 4K in some stores\n",
])
def test_bylines_attributions_citations_and_product_lists_are_no_thread(tail: str) -> None:
    assert heads(ARTICLE + tail) == []


def test_a_line_holding_only_a_relative_time_is_a_comment_whose_name_the_page_lost() -> None:
    page = ARTICLE + ("oak_and_amber 3y ago\n\nAn ultimatum without leverage is just a press release.\n\nReply231\n"
                      "3y ago\n\nThe leverage is the strike. Watch the potash plants.\n\n"
                      "3y ago\n\nMost people I know will go out on the 25th regardless.\n")
    doc = parse_text_page(page, "<test>")
    assert [(c.author, c.posted_raw) for c in doc.comments] == [("oak_and_amber", "3y ago"), (None, "3y ago"),
                                                                (None, "3y ago")]
    assert doc.comments[1].text == "The leverage is the strike. Watch the potash plants."


def test_relative_times_alone_without_a_named_comment_are_no_thread() -> None:
    page = ARTICLE + "3y ago\n\nThe leverage is the strike. Watch the potash plants.\n\n3y ago\n\nMost people agree.\n"
    assert heads(page) == []


def test_a_name_glued_to_its_time_under_a_comments_heading_and_the_list_item_ends_the_comment() -> None:
    page = ARTICLE + ("Комментарии\n\n   224\n     * Гость11:15 05.10.18\n       Венера!\n"
                      "       (BUTTON) Ответить (BUTTON) Пожаловаться\n\nПодписка на рассылку\n\n"
                      "Подписываясь на рассылку вы принимаете условия пользовательского соглашения\n")
    doc = parse_text_page(page, "<test>")
    assert [(c.author, c.posted_raw, c.posted) for c in doc.comments] == [
        ("Гость", "11:15 05.10.18", datetime(2018, 10, 5, 11, 15, tzinfo=UTC))]
    assert doc.comments[0].text == "Венера!\n(BUTTON) Ответить (BUTTON) Пожаловаться"


def test_vbulletin_post_line_with_the_name_below_or_in_the_left_cell() -> None:
    below = ("Old 09-14-2020, 06:10 PM  #21\n\nBaltic_Bear\n\nJoin Date: Mar 2009\nPosts: 4,311\n\n"
             "A 1.5 billion dollar loan.\n\n   09-14-2020, 07:25 PM  #22\n\nМинчанин\n\nAnd the price is high.\n")
    table = ("Old 09-14-2020, 06:10 PM                     #21\n\n"
             "Baltic_Bear                A 1.5 billion dollar loan. That is what loyalty\n"
             "Join Date: Mar 2009        costs these days.\n\n"
             "09-14-2020, 07:25 PM                         #22\n\n"
             "                           Quote:\n"
             "Минчанин                   And the price is the independence of the country.\n")
    for page in (below, table):
        doc = parse_text_page(page, "<test>")
        assert [(c.author, c.number, c.posted_raw) for c in doc.comments] == [
            ("Baltic_Bear", 21, "09-14-2020, 06:10 PM"), ("Минчанин", 22, "09-14-2020, 07:25 PM")]
    assert parse_text_page(below, "<test>").comments[0].text == "A 1.5 billion dollar loan."  # the user box dropped
    # the date and the number with text below them and no name: no header
    assert heads("09-14-2020, 06:10 PM  #21\n\nA 1.5 billion dollar loan. That is what loyalty costs.\n") == []


def test_xenforo_attribution_hand_written_and_a_line_holding_only_a_link_label() -> None:
    page = ("Topic title\n\n[1]Anna K.\n\nWell-known member\n\n  * [2]Oct 27, 2020\n  * [3]Share\n  * [4]#1\n\n"
            "Every Saturday the women of Minsk march in white.\n[5]\nLike Reply\n  * Oct 28, 2020\n  * #2\n\n"
            "And the police stopped arresting them for a while.\n")
    doc = parse_text_page(page, "<test>")
    assert [(c.author, c.number, c.posted_raw) for c in doc.comments] == [("Anna K.", 1, "Oct 27, 2020"),
                                                                         (None, 2, "Oct 28, 2020")]
    assert [c.text for c in doc.comments] == ["Every Saturday the women of Minsk march in white.\n[5]",
                                              "And the police stopped arresting them for a while."]


def test_numbered_captions_whose_headlines_stand_left_of_the_number_are_no_thread() -> None:
    stories = ("Tennis latest\n\n"
               "    1. [12]Boris Becker smiling portrait\n       15 Nov 2019, 5:51pm\n\n"
               "[13]Boris Becker's charisma continues to burnish his status\n"
               "    2. [14]Tim Henman poses with racket\n       14 Nov 2019, 7:54pm\n\n"
               "[15]ATP Cup rolls out the big guns\n")
    assert heads(stories) == []
    comments = stories.replace("\n[13]", "\n       [13]").replace("\n[15]", "\n       [15]")
    assert heads(comments) == [("Boris Becker smiling portrait", "15 Nov 2019, 5:51pm"),
                               ("Tim Henman poses with racket", "14 Nov 2019, 7:54pm")]
