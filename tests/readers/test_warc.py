"""WARC archives: pages with their Disqus threads joined, truncated archives keep what came before the cut."""

from __future__ import annotations

import io
import json
import subprocess
import sys
from pathlib import Path

import pytest

import narrascope
from narrascope.errors import ReadError

NARRASCOPE = Path(sys.executable).with_name("narrascope")
ARTICLE = "https://balticwire.example.com/2020/08/12/akrestsina/"
EMBED = "https://disqus.com/embed/comments/?base=default&f=balticwire&t_u=" + ARTICLE
SECOND = "https://balticwire.example.com/2020/08/13/women-in-white/"
SECOND_HTML = """<!DOCTYPE html><html><head><title>Women in white form chains across Minsk</title></head><body>
<article><h1>Women in white form chains across Minsk</h1>
<p>Hundreds of women dressed in white and carrying flowers formed human chains along Independence Avenue on Thursday,
protesting against the violent dispersal of demonstrators after the election.</p>
<p>Drivers honked in support as the chains stretched for kilometres. Police did not intervene.</p>
</article></body></html>"""


def build_warc(fixtures: Path) -> tuple[bytes, int]:
    """A gzipped WARC: article page, its Disqus embed, a second page; and the offset where the last record starts."""
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    out = io.BytesIO()
    writer = WARCWriter(out, gzip=True)
    pages = [(ARTICLE, (fixtures / "html" / "disqus_article.html").read_bytes()),
             (EMBED, (fixtures / "html" / "disqus_embed.html").read_bytes()),
             (SECOND, SECOND_HTML.encode("utf-8"))]
    starts = []
    for url, body in pages:
        starts.append(out.tell())
        headers = StatusAndHeaders("200 OK", [("Content-Type", "text/html; charset=utf-8")], protocol="HTTP/1.1")
        writer.write_record(writer.create_warc_record(url, "response", payload=io.BytesIO(body),
                                                      http_headers=headers))
    return out.getvalue(), starts[-1]


@pytest.fixture()
def warcs(fixtures: Path, tmp_path: Path) -> tuple[Path, Path]:
    data, last = build_warc(fixtures)
    whole, cut = tmp_path / "crawl.warc.gz", tmp_path / "crawl-cut.warc.gz"
    whole.write_bytes(data)
    cut.write_bytes(data[:last + (len(data) - last) // 2])  # halfway through the last record
    return whole, cut


def check_article(doc: narrascope.Document) -> None:
    assert doc.source == ARTICLE and doc.kind == "article" and doc.outlet == "balticwire.example.com"
    assert "Akrestsina Street" in doc.body and "Siarhei" not in doc.body
    pos = {c.id: i + 1 for i, c in enumerate(doc.comments)}
    assert [(c.author, c.depth, pos.get(c.parent), c.posted.isoformat()) for c in doc.comments] == [
        ("Siarhei T.", 0, None, "2020-08-12T18:20:00+00:00"),
        ("Observer_UK", 1, 1, "2020-08-12T19:02:00+00:00"),
        ("Vox Populi | Moscow", 0, None, "2020-08-12T18:45:00+00:00"),
        ("Ніна", 1, 3, "2020-08-12T20:30:00+00:00"),
    ]
    assert doc.comments[1].text == "The released detainees describe beatings.\nAmnesty is collecting testimony."


def test_disqus_thread_joins_its_page(warcs: tuple[Path, Path]) -> None:
    docs = narrascope.parse(warcs[0])
    assert [d.source for d in docs] == [ARTICLE, SECOND]
    check_article(docs[0])
    assert docs[1].comments == [] and "human chains" in docs[1].body


def test_truncated_warc_keeps_the_records_before_the_cut(warcs: tuple[Path, Path]) -> None:
    with pytest.raises(ReadError, match="truncated") as caught:
        narrascope.parse(warcs[1])
    kept = caught.value.documents  # type: ignore[attr-defined]
    assert [d.source for d in kept] == [ARTICLE]
    check_article(kept[0])


@pytest.mark.skipif(not NARRASCOPE.exists(), reason="the narrascope console script is not installed")
def test_ingest_stores_good_records_and_records_the_failure(warcs: tuple[Path, Path], tmp_path: Path) -> None:
    db = tmp_path / "crawl.duckdb"
    run = subprocess.run([str(NARRASCOPE), "ingest", "--db", str(db), str(warcs[1])], capture_output=True, text=True)
    assert run.returncode == 1, run.stderr
    docs = [json.loads(line) for line in subprocess.run(
        [str(NARRASCOPE), "export", "--db", str(db), "--table", "documents"],
        capture_output=True, text=True, check=True).stdout.splitlines()]
    assert [d["source"] for d in docs] == [ARTICLE]
    comments = subprocess.run([str(NARRASCOPE), "export", "--db", str(db), "--table", "comments"],
                              capture_output=True, text=True, check=True).stdout.splitlines()
    assert len(comments) == 4
    failures = subprocess.run([str(NARRASCOPE), "export", "--db", str(db), "--table", "failures"],
                              capture_output=True, text=True, check=True).stdout
    assert "crawl-cut.warc.gz" in failures and "truncated" in failures


@pytest.mark.parametrize("fraction", [0.01, 0.2, 0.5, 0.9])
def test_any_cut_inside_the_last_record_is_reported(fixtures: Path, fraction: float) -> None:
    data, last = build_warc(fixtures)
    cut = data[:last + max(1, int((len(data) - last) * fraction))]
    with pytest.raises(ReadError) as caught:
        narrascope.parse_string(cut, source="cut.warc.gz")
    assert [d.source for d in caught.value.documents] == [ARTICLE]  # type: ignore[attr-defined]
    assert len(caught.value.documents[0].comments) == 4  # type: ignore[attr-defined]


@pytest.mark.skipif(not NARRASCOPE.exists(), reason="the narrascope console script is not installed")
def test_cli_parse_prints_the_pages_before_the_cut(warcs: tuple[Path, Path]) -> None:
    run = subprocess.run([str(NARRASCOPE), "parse", str(warcs[1])], capture_output=True, text=True)
    assert run.returncode == 1 and "truncated" in run.stderr
    [doc] = [json.loads(line) for line in run.stdout.splitlines()]
    assert doc["source"] == ARTICLE and doc["id"]
    ids = [c["id"] for c in doc["comments"]]
    assert [c["parent"] for c in doc["comments"]] == [None, ids[0], None, ids[2]]
    assert ids == [f"{doc['id']}-c{n}" for n in range(1, 5)]
