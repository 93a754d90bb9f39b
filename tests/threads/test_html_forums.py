"""Forum threads (phpBB, vBulletin, XenForo, Discourse) and Reddit pages through ``narrascope.parse``."""

from __future__ import annotations

from pathlib import Path

import lxml.html

import narrascope
from narrascope.model import Document
from narrascope.threads.html import extract_comments


def rows(doc: Document) -> list[tuple]:
    """(author, number, posted UTC, depth, parent position, ref positions) per comment, 1-based."""
    pos = {c.id: i + 1 for i, c in enumerate(doc.comments)}
    assert [c.parent for c in doc.comments if c.parent is not None and c.parent not in pos] == []  # none dangles
    return [(c.author, c.number, c.posted.strftime("%Y-%m-%d %H:%M") if c.posted else None, c.depth,
             pos.get(c.parent), sorted(pos[r] for r in c.refs)) for c in doc.comments]


def one(fixtures: Path, name: str) -> Document:
    docs = narrascope.parse(fixtures / "html" / name)
    assert len(docs) == 1
    return docs[0]


def test_phpbb_posts_and_quotes(fixtures: Path) -> None:
    doc = one(fixtures, "phpbb_quotes.html")
    assert rows(doc) == [
        ("Kastus", None, "2020-08-10 06:31", 0, None, []),
        ("Mod_Ivo", None, "2020-08-10 07:02", 0, None, []),
        ("truth_seeker|BY", None, "2020-08-10 08:15", 0, None, [1]),  # quote linked to #p120
        ("Hanna", None, "2020-08-10 12:40", 0, None, [2]),  # "Mod_Ivo wrote:" only
    ]
    assert doc.comments[3].posted_raw == "Mon Aug 10, 2020 12:40 pm"
    assert doc.comments[0].text == ("Internet has been down across the country since Sunday evening. Reports coming "
                                    "out via VPN say the OMON used stun grenades at the Stela.\n"
                                    "Keep this thread for verified information only, please.")
    assert doc.comments[2].text == "Which reports? Half of these Telegram channels are run from Warsaw."
    assert "Жыве" not in " ".join(c.text for c in doc.comments)  # signature


def test_vbulletin_post_counter_and_originally_posted_by(fixtures: Path) -> None:
    doc = one(fixtures, "vbulletin.html")
    assert rows(doc) == [
        ("Grodno_Guy", 1, "2020-08-23 14:46", 0, None, []),
        ("Sceptic_42", 2, "2020-08-23 15:20", 0, None, []),
        ("Ірына", 3, "2020-08-23 16:05", 0, None, [2]),
    ]
    assert doc.comments[2].text == "My grandmother stood in that chain. Nobody paid her to be there."
    assert "Slava" not in doc.comments[0].text


def test_vbulletin3_tables(fixtures: Path) -> None:
    doc = one(fixtures, "vbulletin3.html")
    assert rows(doc) == [
        ("Baltic_Bear", 21, "2020-09-14 18:10", 0, None, []),
        ("Минчанин", 22, "2020-09-14 19:25", 0, None, [1]),
    ]
    assert doc.comments[1].text == "And the price is the independence of the country, paid in instalments."


def test_xenforo_messages_and_bbcode_quotes(fixtures: Path) -> None:
    doc = one(fixtures, "xenforo.html")
    assert rows(doc) == [
        ("Olena_K", 1, "2020-09-12 13:10", 0, None, []),
        ("Gleb", 2, "2020-09-12 14:45", 0, None, []),
        ("Marie D.", 3, "2020-09-13 06:00", 0, None, [1]),
    ]
    assert doc.comments[2].text == "That was Nina Baginskaya. She has been at every march since August."
    assert not any(w in c.text for c in doc.comments for w in ("Like", "Reply", "Share", "said:"))


def test_discourse_crawler_view(fixtures: Path) -> None:
    doc = one(fixtures, "discourse.html")
    assert rows(doc) == [
        ("lina_p", 1, "2020-11-02 09:00", 0, None, []),
        ("tomas_lt", 2, "2020-11-02 10:12", 0, None, []),
        ("андрэй", 3, "2020-11-02 11:30", 0, None, [1]),
    ]
    assert doc.comments[2].text == "The strikers themselves asked for sanctions. Ask them, not the ministry."
    assert "Likes" not in doc.comments[0].text


def test_old_reddit_nesting(fixtures: Path) -> None:
    doc = one(fixtures, "reddit_old.html")
    assert rows(doc) == [
        ("vasil_by", None, "2020-10-26 09:14", 0, None, []),
        ("throwaway_0815", None, "2020-10-26 09:40", 1, 1, [1]),  # blockquote of its parent
        ("vasil_by", None, "2020-10-26 10:02", 2, 2, []),
        (None, None, "2020-10-26 11:00", 0, None, []),  # deleted author
        ("Кацярына", None, "2020-10-26 12:30", 0, None, []),
    ]
    assert doc.comments[1].text == "Source: trust me bro. State TV showed full shifts."
    assert doc.comments[0].posted_raw == "2020-10-26T09:14:00+00:00"
    assert not any("points" in c.text or "permalink" in c.text for c in doc.comments)


def test_new_reddit_shreddit_comments(fixtures: Path) -> None:
    doc = one(fixtures, "reddit_shreddit.html")
    assert rows(doc) == [
        ("oak_and_amber", None, "2020-10-13 16:25", 0, None, []),
        ("hrodna_nights", None, "2020-10-13 17:05", 1, 1, []),
        (None, None, "2020-10-13 18:00", 2, 2, []),
        ("Miša-Минск", None, "2020-10-14 06:30", 0, None, []),
    ]
    assert doc.comments[0].text == "An ultimatum without leverage is just a press release."


def test_native_ids_before_assign_ids(fixtures: Path) -> None:
    html = (fixtures / "html" / "xenforo.html").read_text(encoding="utf-8")
    comments = extract_comments(lxml.html.document_fromstring(html), html)
    assert [c.id for c in comments] == ["post-5501", "post-5507", "post-5512"]
    assert comments[2].refs == ["post-5501"]
    html = (fixtures / "html" / "reddit_old.html").read_text(encoding="utf-8")
    comments = extract_comments(lxml.html.document_fromstring(html), html)
    assert [(c.id, c.parent) for c in comments[:3]] == [("t1_g9a1", None), ("t1_g9b2", "t1_g9a1"),
                                                         ("t1_g9c3", "t1_g9b2")]
