from __future__ import annotations

import json
from pathlib import Path

import pytest

from narrascope.debunks.io import DebunkFileError, read_debunks

POSTS = """date,id,title,countries,keywords,languages,outlets
2019-03-01,https://example.org/report/a/,Protests paid by NGOs,Belarus,Colour revolutions+Protest,Russian,X
2019-03-02,https://example.org/report/b/,NATO plans to attack Kaliningrad,Russia,NATO+Encircling Russia,Russian,Y
"""
REVIEW = """issue,date,outlet,language,origin,reported by,keywords,source,title,summary,disproof
7,2016-05-01,Z,Russian,Ukraine,vol,"Coup, Euromaidan",https://example.org/src,Maidan was a coup,\
"The Maidan was a coup paid by the US.","No evidence supports <b>this</b>."
"""


def test_both_euvsdisinfo_layouts(tmp_path: Path) -> None:
    (tmp_path / "posts.csv").write_text(POSTS, encoding="utf-8")
    (tmp_path / "review.csv").write_text(REVIEW, encoding="utf-8")
    posts, problems = read_debunks(tmp_path / "posts.csv")
    assert not problems and [d.format for d in posts] == ["euvsdisinfo-posts"] * 2
    assert posts[1].keywords == ["NATO", "Encircling Russia"] and posts[1].url.endswith("/b/")
    [review], _ = read_debunks(tmp_path / "review.csv")
    assert review.claim == "Maidan was a coup. The Maidan was a coup paid by the US."
    assert review.review == "No evidence supports this ." and review.keywords == ["Coup", "Euromaidan"]
    assert review.date == "2016-05-01"


def test_missing_columns_are_named(tmp_path: Path) -> None:
    (tmp_path / "bad.csv").write_text("date,headline,keywords\n2020-01-01,x,y\n", encoding="utf-8")
    with pytest.raises(DebunkFileError) as err:
        read_debunks(tmp_path / "bad.csv")
    message = str(err.value)
    assert "bad.csv" in message and "euvsdisinfo-posts: id, title" in message
    assert "euvsdisinfo-review: title, summary, disproof" in message


def test_claimreview_jsonld_graph_and_feed(tmp_path: Path) -> None:
    doc = {"@context": "https://schema.org", "@graph": [
        {"@type": "ClaimReview", "claimReviewed": "Vaccines contain microchips", "url": "https://fc.example/1",
         "datePublished": "2021-02-03T10:00:00Z", "reviewRating": {"@type": "Rating", "alternateName": "False"}},
        {"@type": "DataFeed", "dataFeedElement": [{"@type": "DataFeedItem", "item": [
            {"@type": ["ClaimReview"], "claimReviewed": "The election was rigged by Soros", "keywords": "Soros, X"}]}]},
        {"@type": "ClaimReview", "url": "https://fc.example/3"}]}
    (tmp_path / "f.jsonld").write_text(json.dumps(doc), encoding="utf-8")
    debunks, problems = read_debunks(tmp_path / "f.jsonld")
    assert [d.claim for d in debunks] == ["Vaccines contain microchips", "The election was rigged by Soros"]
    assert debunks[0].review == "False" and debunks[0].date == "2021-02-03"
    assert debunks[1].keywords == ["Soros", "X"]
    assert len(problems) == 1 and "item 3 has no claimReviewed" in problems[0]


def test_not_claimreview_and_broken_json(tmp_path: Path) -> None:
    (tmp_path / "a.json").write_text('{"@type": "NewsArticle"}', encoding="utf-8")
    with pytest.raises(DebunkFileError, match="no schema.org ClaimReview"):
        read_debunks(tmp_path / "a.json")
    (tmp_path / "b.json").write_text('{"@type": ', encoding="utf-8")
    with pytest.raises(DebunkFileError, match="not JSON"):
        read_debunks(tmp_path / "b.json")
    with pytest.raises(DebunkFileError, match="unknown debunk format"):
        (tmp_path / "c.txt").write_text("x", encoding="utf-8")
        read_debunks(tmp_path / "c.txt")


def test_hostile_debunk_files_are_read_or_refused_by_name(tmp_path: Path) -> None:
    legacy = tmp_path / "legacy.csv"  # Windows-1252, not UTF-8
    legacy.write_bytes("date,id,title,keywords\n2019-01-01,https://e/1,Caf\xe9 owners are paid by Soros,Soros\n"
                       .encode("cp1252"))
    [debunk], _ = read_debunks(legacy)
    assert debunk.claim == "Café owners are paid by Soros"
    odd = tmp_path / "odd.json"  # a lone surrogate, a numeric date, a dict as url, keywords not strings
    odd.write_text('{"@type": "ClaimReview", "claimReviewed": "NATO \\ud800 encircles Russia", '
                   '"datePublished": 20200101, "url": {"@id": "x"}, "keywords": [1, "NATO", null]}', encoding="utf-8")
    [debunk], problems = read_debunks(odd)
    assert (debunk.claim, debunk.date, debunk.url, debunk.keywords) == ("NATO ? encircles Russia", "20200101", None,
                                                                        ["1", "NATO"])
    assert problems == []
    deep = tmp_path / "deep.json"
    deep.write_text("[" * 100_000 + "]" * 100_000, encoding="utf-8")
    with pytest.raises(DebunkFileError, match="deep.json: JSON nested too deeply"):
        read_debunks(deep)
