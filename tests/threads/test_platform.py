"""Reddit, Discourse and Disqus JSON exports through the ``platform-json`` reader."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

import narrascope
from narrascope.errors import ReadError
from narrascope.model import Document
from narrascope.threads.platform import parse_platform_json

NARRASCOPE = Path(sys.executable).with_name("narrascope")


def rows(doc: Document) -> list[tuple]:
    """(author, number, posted UTC, depth, parent position, ref positions) per comment, 1-based."""
    pos = {c.id: i + 1 for i, c in enumerate(doc.comments)}
    assert [c.parent for c in doc.comments if c.parent is not None and c.parent not in pos] == []  # none dangles
    return [(c.author, c.number, c.posted.strftime("%Y-%m-%d %H:%M:%S") if c.posted else None, c.depth,
             pos.get(c.parent), sorted(pos[r] for r in c.refs)) for c in doc.comments]


def test_reddit_listing_pair(fixtures: Path) -> None:
    [doc] = narrascope.parse(fixtures / "json" / "reddit_thread.json")
    assert (doc.kind, doc.outlet, doc.title, doc.author) == (
        "article", "reddit.com", "Day 7: march to the Stela, photo thread", "minsk_photo")
    assert doc.body == "Post your photos from today here.\nPlease blur faces & remove metadata."
    assert doc.source.startswith("https://www.reddit.com/r/belarus/comments/ia2k9q/")
    assert doc.published.isoformat() == "2020-08-16T10:00:00+00:00"
    assert rows(doc) == [
        ("bel_chyrvony", None, "2020-08-16 11:00:00", 0, None, []),
        ("Uladzimir", None, "2020-08-16 11:15:00", 1, 1, [1]),  # "> full from the circus..." quotes comment 1
        (None, None, "2020-08-16 11:23:20", 2, 2, []),  # [deleted] author, "more" stub skipped
        ("Ганна", None, "2020-08-16 15:00:00", 0, None, []),
    ]
    assert doc.comments[1].text == "State TV said 5,000 people. Absurd."


def test_reddit_without_selftext_is_a_thread() -> None:
    listing = [{"kind": "Listing", "data": {"children": [{"kind": "t3", "data": {"title": "Link", "selftext": ""}}]}},
               {"kind": "Listing", "data": {"children": [
                   {"kind": "t1", "data": {"name": "t1_x", "author": "a", "body": "hi", "created_utc": 0}}]}}]
    doc = parse_platform_json(listing, "r.json")
    assert doc is not None and doc.kind == "thread" and [c.text for c in doc.comments] == ["hi"]


def test_discourse_topic(fixtures: Path) -> None:
    [doc] = narrascope.parse(fixtures / "json" / "discourse_topic.json")
    assert (doc.kind, doc.title, doc.author) == ("article", "Should the EU sanction Belarusian potash?", "lina_p")
    assert doc.body.startswith("Belaruskali is one of the largest potash producers")
    assert rows(doc) == [
        ("tomas_lt", 2, "2020-11-02 10:12:00", 0, None, []),
        ("andrei", 3, "2020-11-02 11:30:00", 0, None, []),  # quotes post 1, the body: no comment to point at
        ("mira", 4, "2020-11-02 12:05:00", 1, 1, [1]),  # reply_to_post_number 2 and [quote="tomas_lt, post:2"]
    ]
    assert doc.comments[1].text == "The strikers themselves asked for sanctions."
    assert doc.comments[2].text == "A price worth paying, and the port can reroute."


def test_disqus_posts_in_thread_order(fixtures: Path) -> None:
    [doc] = narrascope.parse(fixtures / "json" / "disqus_posts.json")
    assert doc.kind == "thread"
    assert rows(doc) == [
        ("Siarhei T.", None, "2020-08-12 18:20:00", 0, None, []),
        ("Observer_UK", None, "2020-08-12 19:02:00", 1, 1, []),
        ("Ніна", None, "2020-08-12 20:30:00", 2, 2, []),
        ("Vox Populi | Moscow", None, "2020-08-12 18:45:00", 0, None, []),  # deleted reply dropped
    ]


def test_unknown_json_is_not_a_platform_thread(tmp_path: Path) -> None:
    assert parse_platform_json({"hello": "world"}, "x.json") is None
    assert parse_platform_json([1, 2], "x.json") is None
    path = tmp_path / "other.json"
    path.write_text('{"parent_id": 3, "rows": []}')
    with pytest.raises(ReadError, match="neither a Reddit"):
        narrascope.parse(path, reader="platform-json")


@pytest.mark.skipif(not NARRASCOPE.exists(), reason="the narrascope console script is not installed")
def test_cli_parse_reddit_json(fixtures: Path) -> None:
    out = subprocess.run([str(NARRASCOPE), "parse", str(fixtures / "json" / "reddit_thread.json")],
                         capture_output=True, text=True, check=True).stdout
    [doc] = [json.loads(line) for line in out.splitlines()]
    ids = [c["id"] for c in doc["comments"]]
    assert [c["parent"] for c in doc["comments"]] == [None, ids[0], ids[1], None]
    assert doc["comments"][1]["refs"] == [ids[0]]
    assert doc["comments"][0]["posted"] == "2020-08-16T11:00:00Z"


def test_disqus_thread_data_saved_as_json(fixtures: Path, tmp_path: Path) -> None:
    html = (fixtures / "html" / "disqus_embed.html").read_text(encoding="utf-8")
    data = html.split('id="disqus-threadData">', 1)[1].split("</script>", 1)[0]
    path = tmp_path / "thread.json"
    path.write_text(data, encoding="utf-8")
    [doc] = narrascope.parse(path)
    assert (doc.kind, doc.source, doc.outlet, doc.title) == (
        "thread", "https://balticwire.example.com/2020/08/12/akrestsina/", "balticwire.example.com",
        "Night three: Minsk police storm Akrestsina")
    assert [(c.author, c.depth) for c in doc.comments] == [("Siarhei T.", 0), ("Observer_UK", 1),
                                                            ("Vox Populi | Moscow", 0), ("Ніна", 1)]
