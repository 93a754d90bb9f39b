"""Sniffing, decoding and bad input: every input is read or fails alone with a reason."""

from __future__ import annotations

import gzip
import io
import json

import pytest

from narrascope.errors import ReadError
from narrascope.readers import Input, iter_inputs, parse, parse_string, read_input

HTML = ("<!DOCTYPE html><html><head><title>Minsk</title></head><body><article><h1>Minsk</h1>"
        "<p>Thousands of people marched through the centre of Minsk on Sunday demanding a new vote, "
        "and the police detained dozens of them near the station.</p></article></body></html>")


def _read(data: bytes, source: str = "x", **kw):
    return read_input(Input.from_bytes(data, source), **kw)


@pytest.mark.parametrize(("data", "source", "reader_kind"), [
    (HTML.encode(), "page.txt", "article"),  # content beats the extension
    (b'{"title": "a", "body": "Plain body text of the story."}\n', "rows.jsonl", "article"),
    (b"<?xml version='1.0'?><rss version='2.0'><channel><title>F</title><item><title>Story</title>"
     b"<description>Story text here.</description></item></channel></rss>", "feed", "article"),
])
def test_sniffing_picks_the_reader_by_content(data, source, reader_kind):
    docs = _read(data, source)
    assert docs and docs[0].kind == reader_kind


def test_reader_flag_overrides_sniffing():
    docs = _read(HTML.encode(), "page.html", reader="text")
    assert "<p>" in docs[0].body  # read as plain text, markup kept


def test_gzip_html_and_latin1_text_are_read():
    docs = _read(gzip.compress(HTML.encode()), "page.html.gz")
    assert "Thousands of people" in docs[0].body
    latin = "Caf\xe9 owners in Minsk said the na\xefve promises were over.".encode("latin-1")
    assert "Café" in _read(latin, "note.txt")[0].body


@pytest.mark.parametrize(("data", "reason"), [
    (b"", "empty"),
    (b"   \n\n", "empty"),
    (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 8, "binary"),
    (gzip.compress(HTML.encode() * 50)[:200], "truncated gzip"),
])
def test_bad_input_raises_a_read_error_naming_the_input(data, reason):
    with pytest.raises(ReadError) as err:
        _read(data, "bad-input.bin")
    assert err.value.source == "bad-input.bin"
    assert reason in str(err.value)


def test_a_page_above_the_size_limit_fails_with_the_limit_named():
    with pytest.raises(ReadError, match="limit"):
        _read(b"<html><body><p>" + b"word " * 300_000 + b"</p></body></html>", "big.html", max_bytes=2**20)
    fifty = b"<html><body>" + b"<p>" + b"word " * (50 * 2**20 // 5) + b"</p></body></html>"
    with pytest.raises(ReadError, match=r"50\.0 MB is above the 20 MB limit"):
        _read(fifty, "fifty.html")
    with pytest.raises(ReadError, match="limit"):  # a gzip bomb is stopped while decompressing
        _read(gzip.compress(fifty), "fifty.html.gz")


def test_deeply_nested_html_does_not_crash():
    page = "<html><body><p>Shallow text at the top of the page, read as usual.</p>" + "<div>" * 20_000 + \
        "<p>deep text here in the middle of it all</p>" + "</div>" * 20_000 + "</body></html>"
    with pytest.raises(ReadError, match="only partly read: elements are nested deeper") as err:
        parse_string(page, source="deep.html")  # the page is kept, and the loss is reported
    docs = err.value.documents
    assert len(docs) == 1
    assert "Shallow text" in docs[0].body and "deep text" not in docs[0].body
    shallow = page.replace("<div>" * 20_000, "<div>" * 100).replace("</div>" * 20_000, "</div>" * 100)
    assert "deep text" in parse_string(shallow, source="shallow.html")[0].body  # below the limit: no loss


def test_jsonl_and_csv_columns_map_to_fields():
    rows = b'{"headline": "Story", "content": "The text of the story.", "when": "2020-10-27"}\n'
    doc = _read(rows, "rows.jsonl", fields={"title": "headline", "body": "content", "published": "when"})[0]
    assert (doc.title, doc.body, doc.published.isoformat()) == ("Story", "The text of the story.",
                                                                "2020-10-27T00:00:00+00:00")
    csv = b"headline,content\nStory one,First text.\nStory two,Second text.\n"
    docs = _read(csv, "rows.csv", fields={"title": "headline", "body": "content"})
    assert [d.title for d in docs] == ["Story one", "Story two"]
    with pytest.raises(ReadError, match="no column 'missing'"):
        _read(csv, "rows.csv", fields={"body": "missing"})


@pytest.mark.parametrize(("line", "reason"), [
    (b'{"body": "ok"}\n{"body": "cut', "line 2 is not JSON"),
    (b'{"body": "x", "n": ' + b"9" * 5000 + b"}", "line 1 is not JSON (Exceeds the limit"),
    (b"[1, 2]", "line 1 is not a JSON object"),
])
def test_a_bad_jsonl_line_is_a_read_error_naming_the_line(line, reason):
    with pytest.raises(ReadError, match=reason.replace("(", r"\(")) as err:
        _read(line, "rows.jsonl", reader="jsonl")
    assert err.value.source == "rows.jsonl"


def test_lone_surrogates_become_question_marks_and_the_documents_can_be_written(tmp_path):
    from narrascope.corpus import Corpus

    row = b'{"title": "t\\udfff", "body": "The evil \\ud800 regime lies, said the corrupt officials."}\n'
    page = (b"<html><body><article><p>The regime &#xD800; lies &#55296; again, said the officials in Minsk on "
            b"Sunday, and nobody believed a word of it.</p></article></body></html>")
    doc = _read(row, "rows.jsonl")[0]
    assert (doc.title, doc.body[:12]) == ("t?", "The evil ? r")
    for d in (doc, _read(page, "page.html")[0]):
        json.dumps(d.to_dict(), ensure_ascii=False).encode("utf-8")  # raised UnicodeEncodeError before
    (tmp_path / "rows.jsonl").write_bytes(row)
    (tmp_path / "page.html").write_bytes(page)
    with Corpus(str(tmp_path / "c.duckdb")) as corpus:
        summary = corpus.ingest([str(tmp_path / "rows.jsonl"), str(tmp_path / "page.html")])
    assert (summary.documents, summary.failures) == (2, [])


def test_parse_output_reads_back_through_jsonl():
    doc = parse_string(HTML, source="page.html")[0]
    line = json.dumps(doc.to_dict()).encode() + b"\n"
    again = _read(line, "parsed.jsonl")[0]
    assert (again.id, again.body, again.title) == (doc.id, doc.body, doc.title)


def test_wordpress_comment_feed_is_one_thread():
    feed = b"""<?xml version="1.0"?><rss version="2.0" xmlns:dc="http://purl.org/dc/elements/1.1/">
    <channel><title>Comments on: Minsk protests</title><link>https://blog.example/minsk</link>
    <item><title>By: Olga</title><dc:creator>Olga</dc:creator><pubDate>Tue, 27 Oct 2020 14:46:00 +0000</pubDate>
    <link>https://blog.example/minsk#comment-1</link><description>They will not stop.</description></item>
    <item><title>By: Ivan</title><dc:creator>Ivan</dc:creator><pubDate>Tue, 27 Oct 2020 15:00:00 +0000</pubDate>
    <link>https://blog.example/minsk#comment-2</link><description>Paid by the West.</description></item>
    </channel></rss>"""
    doc = _read(feed, "comments.rss")[0]
    assert doc.kind == "thread" and doc.outlet == "blog.example"
    assert [(c.author, c.text, c.posted.hour) for c in doc.comments] == [
        ("Olga", "They will not stop.", 14), ("Ivan", "Paid by the West.", 15)]


def test_inputs_expand_directories_globs_and_stdin(tmp_path):
    (tmp_path / "a").mkdir()
    (tmp_path / "a" / "one.html").write_text(HTML)
    (tmp_path / "a" / ".hidden").write_text("x")
    (tmp_path / "two.txt").write_text("Some text.")
    sources = [i.source for i in iter_inputs([str(tmp_path)])]
    assert sources == [str(tmp_path / "a" / "one.html"), str(tmp_path / "two.txt")]
    assert [i.source for i in iter_inputs([str(tmp_path / "**" / "*.html")])] == [str(tmp_path / "a" / "one.html")]
    stdin = list(iter_inputs(["-"], stdin=io.BytesIO(b"from stdin")))
    assert stdin[0].source == "<stdin>" and stdin[0].read() == b"from stdin"
    missing = list(iter_inputs([str(tmp_path / "nope.html")]))
    with pytest.raises(ReadError, match="no such file"):
        missing[0].read()


def test_parse_a_file(tmp_path):
    path = tmp_path / "page.html"
    path.write_text(HTML)
    doc = parse(path)[0]
    assert doc.source == str(path) and doc.language == "en" and doc.id
