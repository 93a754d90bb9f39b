"""Comment threads from blog pages (WordPress, Typepad, schema.org) through the public parse path."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import lxml.html
import pytest

import narrascope
from narrascope.errors import ReadError
from narrascope.model import Document
from narrascope.threads.html import EXTRACTORS, extract_comments, platforms_on

NARRASCOPE = Path(sys.executable).with_name("narrascope")


def rows(doc: Document) -> list[tuple]:
    """(author, number, posted UTC, depth, parent position, ref positions) per comment, 1-based."""
    pos = {c.id: i + 1 for i, c in enumerate(doc.comments)}
    assert [c.parent for c in doc.comments if c.parent is not None and c.parent not in pos] == []  # none dangles
    return [(c.author, c.number, c.posted.strftime("%Y-%m-%d %H:%M") if c.posted else None, c.depth,
             pos.get(c.parent), sorted(pos[r] for r in c.refs)) for c in doc.comments]


def one(path: Path) -> Document:
    docs = narrascope.parse(path)
    assert len(docs) == 1
    return docs[0]


def test_wordpress_nested_three_levels(fixtures: Path) -> None:
    doc = one(fixtures / "html" / "wordpress_nested.html")
    assert rows(doc) == [
        ("Anna K.", None, "2020-08-16 07:12", 0, None, []),
        ("Dmitri", None, "2020-08-16 08:05", 1, 1, []),
        ("Алесь з Гродна", None, "2020-08-16 09:40", 2, 2, []),
        ("Jonas", None, "2020-08-16 10:00", 1, 1, []),
        ("Peter 1989", None, "2020-08-17 05:30", 0, None, [1, 2]),  # blockquote of Anna, @Dmitri
    ]
    first, _, third, _, fifth = doc.comments
    assert first.text == ("Unglaubliche Bilder aus Minsk. Hunderttausende auf der Straße, und das völlig friedlich.\n"
                          "Respekt an alle, die trotz der Festnahmen wieder gekommen sind.")
    assert first.posted_raw == "2020-08-16T09:12:00+02:00"
    assert "freigegeben" not in third.text  # moderation notice is furniture
    assert fifth.text.startswith("Genau wie 1989")  # the quoted comment is left out of the text
    assert not any(w in c.text for c in doc.comments for w in ("sagt:", "Antworten", "Pingback"))


def test_wordpress_article_body_leaves_the_comments_out(fixtures: Path) -> None:
    doc = one(fixtures / "html" / "wordpress_nested.html")
    assert doc.kind == "article"
    assert "Stele am Siegesplatz" in doc.body
    assert not any(c.text.split("\n")[0] in doc.body for c in doc.comments)
    assert "Unglaubliche Bilder" not in doc.body and "Anna K." not in doc.body


def test_numbered_wordpress_with_votes_and_restarting_numbers(fixtures: Path) -> None:
    doc = one(fixtures / "html" / "wordpress_numbered.html")
    assert rows(doc) == [
        ("Sviatlana_from_Hrodna", 1, "2020-10-27 14:46", 0, None, []),
        ("Mark / Vilnius", 1, "2020-10-27 15:10", 1, 1, []),
        ("realist2020", 2, "2020-10-27 14:58", 0, None, []),
        ("Ihar", 3, "2020-10-27 16:05", 0, None, [1, 3]),  # #1 and @realist2020
    ]
    texts = [c.text for c in doc.comments]
    assert texts[2] == "Western-funded strikes. Ordinary workers just want to be paid."  # no "Show comment"
    assert not any(t in x for x in texts for t in ("▲", "14", "says", "Reply", "moderated"))


def test_typepad_footers_and_pasted_footer_references(fixtures: Path) -> None:
    doc = one(fixtures / "html" / "typepad_footers.html")
    assert rows(doc) == [
        ("karlof1", 1, "2020-10-27 14:46", 0, None, []),
        ("Ales | Minsk", 2, "2020-10-27 15:02", 0, None, []),
        ("b4real 1917", 3, "2020-10-27 16:20", 0, None, [1, 2]),  # pasted footer of 1, "@Ales | Minsk 2"
        ("Яна", 4, "2020-10-27 17:05", 0, None, [2]),  # blockquote of 2's text
        ("Zhenya", 5, "2020-10-28 00:12", 0, None, [2, 3]),  # "@3", "#2"
    ]
    third = doc.comments[2]
    assert third.text.startswith("Agreed.") and "Posted by" not in third.text and "Show comment" not in third.text
    assert doc.comments[3].text == "Smaller but more stubborn. Whole neighbourhoods organise in courtyard chats now."
    assert "Posted by b on" not in " ".join(c.text for c in doc.comments)
    assert doc.comments[4].text == "b4real 1917 @3 is right about the arrests, and see #2 on the strikes."


def test_schema_org_json_ld(fixtures: Path) -> None:
    doc = one(fixtures / "html" / "schema_jsonld.html")
    assert rows(doc) == [
        ("Vital", None, "2020-09-23 10:05", 0, None, []),
        ("Natallia", None, "2020-09-23 10:40", 1, 1, []),
        ("J. Müller", None, "2020-09-23 11:02", 2, 2, []),
        ("Pavel", None, "2020-09-24 05:15", 0, None, []),
    ]
    assert doc.comments[1].text == "The EU already said it will not recognise him.\nWords are cheap though."


def test_schema_org_microdata(fixtures: Path) -> None:
    doc = one(fixtures / "html" / "schema_microdata.html")
    assert rows(doc) == [
        ("Marta_W", None, "2020-10-30 08:00", 0, None, []),
        ("Олег", None, "2020-10-30 09:30", 1, 1, []),
        ("anon 77", None, "2020-10-31 18:45", 0, None, []),
    ]
    assert doc.comments[0].text == "Skandal. Mój kuzyn z BNTU też dostał pismo."  # no vote counter, no reply


def test_json_ld_parent_item_gives_the_parent() -> None:
    ld = {"@context": "https://schema.org", "@graph": [
        {"@type": "Comment", "@id": "#a", "author": "Ira", "text": "First.", "dateCreated": "2020-08-10T10:00:00Z"},
        {"@type": "Comment", "@id": "#b", "author": "Lev", "text": "Answer.", "parentItem": {"@id": "#a"}},
    ]}
    html = f'<html><head><script type="application/ld+json">{json.dumps(ld)}</script></head><body></body></html>'
    comments = extract_comments(lxml.html.document_fromstring(html), html)
    assert [(c.author, c.depth, c.parent) for c in comments] == [("Ira", 0, None), ("Lev", 1, "#a")]


def test_page_of_only_comments_is_a_thread(fixtures: Path) -> None:
    html = (fixtures / "html" / "wordpress_nested.html").read_text(encoding="utf-8")
    only = "<html><body>" + html[html.index('<ol class="comment-list">'):html.index('<div id="respond"')] + \
        "</body></html>"
    doc = narrascope.parse_string(only, source="only.html", reader="html")[0]
    assert doc.kind == "thread" and len(doc.comments) == 5 and not doc.body


def _partly_read(page: str) -> list[Document]:
    """The documents of a page the parser read only in part (kept, with the loss reported)."""
    with pytest.raises(ReadError, match="only partly read") as err:
        narrascope.parse_string(page, reader="html")
    return err.value.documents  # type: ignore[attr-defined, no-any-return]


def test_deep_nesting_does_not_crash() -> None:
    deep = "<html><body>" + "<div>" * 20000 + "text" + "</div>" * 20000 + "</body></html>"
    assert _partly_read(deep)[0].comments == []
    replies = "".join(f"<li class='comment' id='comment-{i}'><div class='comment-content'><p>reply {i}</p></div>"
                      "<ol class='children'>" for i in range(20000))
    nested = f"<html><body><ol class='commentlist'>{replies}" + "</ol></li>" * 20000 + "</ol></body></html>"
    doc = _partly_read(nested)[0]
    assert doc.comments, "the comments above lxml's depth limit are kept"
    depths = [c.depth for c in doc.comments]
    assert depths == list(range(len(depths)))


def test_page_without_comment_markup_is_recognised_by_the_cheap_probe() -> None:
    paragraphs = "".join(f"<p>Paragraph {i} about the march in Minsk and the strike at the tractor works.</p>"
                         for i in range(400))
    html = f"<html><head><title>Minsk</title></head><body><article>{paragraphs}</article></body></html>"
    tree = lxml.html.document_fromstring(html)
    assert platforms_on(html) == []  # no extractor runs: the speed itself is benchmarked, not tested
    assert extract_comments(tree, html) == []


def test_every_extractor_names_markers() -> None:
    assert [name for name, e in EXTRACTORS.items() if not (e.markers and all(e.markers))] == []
    assert len(EXTRACTORS) >= 8
    assert list(EXTRACTORS)[:2] == ["shreddit", "old-reddit"]


@pytest.mark.skipif(not NARRASCOPE.exists(), reason="the narrascope console script is not installed")
def test_cli_parse_prints_comments_with_existing_parent_ids(fixtures: Path) -> None:
    out = subprocess.run([str(NARRASCOPE), "parse", str(fixtures / "html" / "wordpress_nested.html"),
                          str(fixtures / "html" / "typepad_footers.html")],
                         capture_output=True, text=True, check=True).stdout
    docs = [json.loads(line) for line in out.splitlines()]
    assert [len(d["comments"]) for d in docs] == [5, 5]
    # (id, parent, refs), each an existing comment id: WordPress nests, Typepad only refers by @name
    expected = [[("-c1", None, []), ("-c2", "-c1", []), ("-c3", "-c2", []), ("-c4", "-c1", []),
                 ("-c5", None, ["-c2", "-c1"])],
                [("-c1", None, []), ("-c2", None, []), ("-c3", None, ["-c1", "-c2"]), ("-c4", None, ["-c2"]),
                 ("-c5", None, ["-c3", "-c2"])]]
    for doc, tree in zip(docs, expected, strict=True):
        at = {suffix: doc["id"] + suffix for suffix in ("-c1", "-c2", "-c3", "-c4", "-c5")}
        assert [(c["id"], c["parent"], c["refs"]) for c in doc["comments"]] == [
            (at[i], at.get(p), [at[r] for r in refs]) for i, p, refs in tree]
    assert docs[0]["comments"][2]["author"] == "Алесь з Гродна"
    assert docs[0]["comments"][2]["posted"] == "2020-08-16T09:40:00Z"
    assert docs[1]["comments"][4]["number"] == 5


def test_hostile_json_ld_and_disqus_data_are_ignored() -> None:
    from narrascope.threads.html import disqus_thread

    deep = "[" * 100_000 + "]" * 100_000
    html = (f'<html><head><script type="application/ld+json">{{"@type": "Comment", "x": {deep}}}</script>'
            '<script type="application/ld+json">{"@type": "Comment", "text": </script></head>'
            "<body><p>Nothing here.</p></body></html>")
    assert extract_comments(lxml.html.document_fromstring(html), html) == []
    assert disqus_thread(f'<script type="text/json" id="disqus-threadData">{deep}</script>') is None
    assert disqus_thread('<script type="text/json" id="disqus-threadData">{"response": []}</script>') is None
    assert disqus_thread("<html><body><div id='disqus_thread'></div></body></html>") is None


def test_extraction_leaves_the_tree_unchanged(fixtures: Path) -> None:
    html = (fixtures / "html" / "typepad_footers.html").read_text(encoding="utf-8")
    tree = lxml.html.document_fromstring(html)
    before = lxml.html.tostring(tree)
    assert len(extract_comments(tree, html)) == 5
    assert lxml.html.tostring(tree) == before


def test_older_wordpress_themes_without_comment_content() -> None:
    html = """<html><body><ol class="commentlist">
<li class="comment even depth-1" id="li-comment-107"><div id="comment-107">
 <div class="comment-author vcard"><cite class="fn">Olga</cite> <span class="says">says:</span></div>
 <div class="comment-meta commentmetadata"><a href="#comment-107">August 17, 2020 at 2:30 pm</a></div>
 <div class="comment-body"><p>The strike committee at Belshina was arrested overnight.</p></div>
 <div class="reply"><a class="comment-reply-link" href="?replytocom=107#respond">Reply</a></div></div>
 <ul class="children"><li class="comment odd depth-2" id="comment-108"><div class="comment-body">
  <div class="comment-author"><strong>Maks</strong> on
   <a href="/p/#comment-108">August 17, 2020 at 3:05 pm</a> said:</div>
  <p>Confirmed, their Telegram chat went silent.</p><div class="reply"><a href="?replytocom=108">Reply</a></div>
 </div></li></ul>
</li></ol></body></html>"""
    comments = extract_comments(lxml.html.document_fromstring(html), html)
    assert [(c.id, c.author, c.posted.isoformat(), c.depth, c.parent, c.text) for c in comments] == [
        ("comment-107", "Olga", "2020-08-17T14:30:00+00:00", 0, None,
         "The strike committee at Belshina was arrested overnight."),
        ("comment-108", "Maks", "2020-08-17T15:05:00+00:00", 1, "comment-107",
         "Confirmed, their Telegram chat went silent."),
    ]


def test_json_ld_forum_posting_is_the_topic_and_its_comments_are_comments() -> None:
    ld = {"@context": "https://schema.org", "@type": "DiscussionForumPosting", "headline": "Strike at Belaruskali",
          "text": "Opening post of the topic.", "author": {"@type": "Person", "name": "op"},
          "comment": [{"@type": "Comment", "url": "https://forum.example/t/1#post-2", "text": "First answer.",
                       "author": {"@type": "Person", "name": "Lena"}, "datePublished": "2020-10-27T14:46:00+02:00"},
                      {"@type": "DiscussionForumPosting", "url": "https://forum.example/t/1#post-3",
                       "text": "Second answer.", "author": [{"@type": "Person", "name": "Paval"}]}]}
    html = f'<html><head><script type="application/ld+json">{json.dumps(ld)}</script></head><body></body></html>'
    comments = extract_comments(lxml.html.document_fromstring(html), html)
    assert [(c.author, c.text, c.depth) for c in comments] == [("Lena", "First answer.", 0),
                                                                ("Paval", "Second answer.", 0)]
    assert comments[0].posted_raw == "2020-10-27T14:46:00+02:00" and comments[0].posted.hour == 12
    alone = ('<html><body><div itemscope itemtype="https://schema.org/DiscussionForumPosting">'
             '<span itemprop="author">op</span><div itemprop="text">Only the topic.</div></div></body></html>')
    assert extract_comments(lxml.html.document_fromstring(alone), alone) == []


def test_long_sources_are_probed_with_xpath_to_the_same_result(fixtures: Path, monkeypatch) -> None:
    from narrascope.threads import html as threads_html

    pages = [(p.name, p.read_text(encoding="utf-8")) for p in sorted((fixtures / "html").glob("*.html"))]
    by_source = {name: extract_comments(lxml.html.document_fromstring(html), html) for name, html in pages}
    monkeypatch.setattr(threads_html, "SOURCE_SEARCH_LIMIT", 0)
    for name, html in pages:
        tree = lxml.html.document_fromstring(html)
        assert set(platforms_on(html)) <= set(platforms_on(html, tree)) | {"phpbb"}, name
        assert extract_comments(tree, html) == by_source[name], name
    assert sum(len(c) for c in by_source.values()) == 45
