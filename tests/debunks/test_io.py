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


def test_claimreview_found_wherever_it_sits_and_however_typed(tmp_path: Path) -> None:
    doc = {"@context": "https://schema.org", "@type": "Article", "mainEntity": {"@type": "WebPage"},
           "review": {"@type": "ClaimReview", "url": "https://fc.example/5",  # nested under another node
                      "itemReviewed": {"@type": "Claim", "text": "NATO troops are massing in Poland"}},
           "hasPart": [{"@type": "schema:ClaimReview", "schema:claimReviewed": "The moon landing was faked"},
                       {"@type": ["Thing", "http://schema.org/ClaimReview"], "claimReviewed": "A"},
                       {"@type": "https://schema.org/ClaimReview", "itemReviewed": [{"name": "B"}],
                        "reviewRating": [{"alternateName": "False"}]}]}
    (tmp_path / "n.json").write_text(json.dumps(doc), encoding="utf-8")
    debunks, problems = read_debunks(tmp_path / "n.json")
    assert [d.claim for d in debunks] == ["NATO troops are massing in Poland", "The moon landing was faked", "A", "B"]
    assert debunks[0].url == "https://fc.example/5" and debunks[3].review == "False" and problems == []


def test_deep_jsonld_is_searched_to_a_bound(tmp_path: Path) -> None:
    node = '{"x": [' * 200 + '{"@type": "ClaimReview", "claimReviewed": "Hidden very deep"}' + ']}' * 200
    (tmp_path / "deep.json").write_text('[{"@type": "ClaimReview", "claimReviewed": "Shallow"}, ' + node + "]",
                                        encoding="utf-8")
    debunks, problems = read_debunks(tmp_path / "deep.json")
    assert [d.claim for d in debunks] == ["Shallow"] and "nested deeper than 64 levels" in problems[0]
    (tmp_path / "deep2.json").write_text(node, encoding="utf-8")
    with pytest.raises(DebunkFileError, match="no schema.org ClaimReview.*within 64 levels"):
        read_debunks(tmp_path / "deep2.json")


def test_a_file_without_any_debunk_says_why(tmp_path: Path) -> None:
    (tmp_path / "noclaim.json").write_text('[{"@type": "ClaimReview", "reviewBody": "no claim"}]', encoding="utf-8")
    with pytest.raises(DebunkFileError, match=r"noclaim.json: 1 ClaimReview item\(s\) found but none names the claim"):
        read_debunks(tmp_path / "noclaim.json")
    (tmp_path / "header.csv").write_text("date,id,title,keywords\n", encoding="utf-8")
    with pytest.raises(DebunkFileError, match="header.csv: euvsdisinfo-posts layout but no row has a title"):
        read_debunks(tmp_path / "header.csv")


def test_csv_delimiter_is_sniffed_and_missing_columns_named(tmp_path: Path) -> None:
    (tmp_path / "semi.csv").write_text("date;id;title;keywords\n2020-01-01;u;Semicolon claim;x+y\n", encoding="utf-8")
    (tmp_path / "tab.tsv").write_text("Date\tID\tTitle\tKeywords\n2020-01-01\tu\tTab claim\tx\n", encoding="utf-8")
    [semi], _ = read_debunks(tmp_path / "semi.csv")
    [tab], _ = read_debunks(tmp_path / "tab.tsv")
    assert (semi.claim, semi.keywords, tab.claim) == ("Semicolon claim", ["x", "y"], "Tab claim")
    (tmp_path / "old.txt").write_text("issue;date;keywords;source;title;summary;disproof\n"
                                      "1;01.05.2016;Coup;s;T;T.;D\n", encoding="utf-8")  # the review layout's original
    [old], _ = read_debunks(tmp_path / "old.txt")
    assert (old.claim, old.date, old.format) == ("T", "2016-05-01", "euvsdisinfo-review")
    (tmp_path / "bad.csv").write_text("date;headline;keywords\n2020-01-01;x;y\n", encoding="utf-8")
    with pytest.raises(DebunkFileError) as err:
        read_debunks(tmp_path / "bad.csv")
    message = str(err.value)
    assert "euvsdisinfo-posts: id, title" in message and "found ['date', 'headline', 'keywords']" in message
