"""Hostile corpus text: 100,000-character words stay inside the page, bidi controls reorder nothing around them."""

from __future__ import annotations

import json
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest

from narrascope.web.render import HERE

RLO, FSI, PDI = "\u202e", "\u2068", "\u2069"
WORD = "A" * 100_000
#: elements isolated by app.css (``unicode-bidi: isolate``) or by being their own text run
ISOLATED_TAGS = {"bdi", "a", "q", "mark", "option"}
ISOLATED_CLASSES = {"author", "chip", "tox", "body", "ctext", "snippet", "note"}


@pytest.fixture(scope="module")
def hostile_db(tmp_path_factory: pytest.TempPathFactory) -> str:
    from narrascope.corpus import Corpus

    base = tmp_path_factory.mktemp("hostile-text")
    page = {"source": "https://rlo.example/post", "outlet": f"rlo{RLO}.example", "kind": "article",
            "title": f"Tainted {RLO}exe.txt report", "author": f"Eve {RLO}reversed",
            "published": "2020-11-03T10:00:00Z",
            "body": f"Before the long word. {WORD} After the long word, the harbour {RLO}strike went on.",
            "comments": [{"author": f"troll {RLO}x", "text": f"harbour {RLO}strike {WORD} indeed", "depth": 0}]}
    inputs = base / "rlo.jsonl"
    inputs.write_text(json.dumps(page) + "\n", encoding="utf-8")
    db = str(base / "rlo.duckdb")
    with Corpus(db) as corpus:
        corpus.ingest([str(inputs)], reader="jsonl")
    return db


@pytest.fixture(scope="module")
def rlo_client(hostile_db: str):
    from fastapi.testclient import TestClient

    from narrascope.web.app import create_app

    app = create_app(hostile_db, index_every=0)
    with TestClient(app) as c:
        app.state.narrascope.side.sync()
        c.doc_id = c.get("/api/documents").json()["items"][0]["id"]
        yield c


class Isolation(HTMLParser):
    """Every bidi override in the text must sit in an isolated element (or between FSI and PDI)."""

    def __init__(self) -> None:
        super().__init__()
        self.stack: list[tuple[str, set[str]]] = []
        self.leaks: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag not in ("br", "input", "meta", "link", "rect", "circle", "line", "polyline"):
            self.stack.append((tag, set((dict(attrs).get("class") or "").split())))

    def handle_endtag(self, tag: str) -> None:
        while self.stack and self.stack.pop()[0] != tag:
            pass

    def handle_data(self, data: str) -> None:
        for m in re.finditer(RLO, data):
            tag, classes = self.stack[-1] if self.stack else ("", set())
            wrapped = data.rfind(FSI, 0, m.start()) > data.rfind(PDI, 0, m.start()) and PDI in data[m.start():]
            if not (tag in ISOLATED_TAGS or classes & ISOLATED_CLASSES or wrapped):
                self.leaks.append(f"<{tag} class={sorted(classes)}>: {data[max(0, m.start() - 30):m.start() + 30]!r}")


def leaks(html: str) -> list[str]:
    parser = Isolation()
    parser.feed(html)
    return parser.leaks


def test_css_isolates_and_wraps():
    css = (HERE / "static" / "app.css").read_text(encoding="utf-8")
    rule = re.search(r"^([^{}\n]*)\{\s*unicode-bidi:\s*isolate", css, re.M)
    wanted = (ISOLATED_TAGS - {"option"}) | {f".{c}" for c in ISOLATED_CLASSES}
    assert rule and {s.strip() for s in rule[1].split(",")} >= wanted
    for selector in ("main", ".body", ".ctext", ".snippet"):
        assert re.search(re.escape(selector) + r" \{[^}]*overflow-wrap: anywhere", css), selector


def test_bidi_controls_are_isolated_on_every_page(rlo_client):
    doc = rlo_client.doc_id
    for path in ["/", f"/documents/{doc}", f"/threads/{doc}", "/search?q=harbour", "/search?q=harbour&kind=comments"]:
        html = rlo_client.get(path).text
        assert RLO in html, path
        assert leaks(html) == [], path


def test_a_correction_form_escapes_and_isolates_labels(hostile_db, tmp_path):
    import shutil

    import duckdb
    from fastapi.testclient import TestClient
    from tests.web.conftest import XSS

    from narrascope.web.app import create_app

    db = str(tmp_path / "labelled.duckdb")
    shutil.copy(hostile_db, db)
    con = duckdb.connect(db)
    cid = con.execute("SELECT id FROM comments").fetchone()[0]
    con.execute("INSERT INTO annotations VALUES ('n1', ?, 'comment', 0, 7, 'narratives', ?, 0.9, 'narratives', "
                "'test', NULL)", [cid, f"west {XSS} {RLO}x"])
    con.close()
    with TestClient(create_app(db, index_every=0)) as c:
        assert 'class="fix"' in c.get(f"/threads/{cid.split('-c')[0]}").text
        for headers in ({"HX-Request": "true"}, {}):  # the form for htmx, and on its own page
            html = c.get(f"/comments/{cid}/fix", headers=headers).text
            assert XSS not in html and "west &lt;script&gt;window.__pwned=1&lt;/script&gt;" in html
            assert RLO in html and leaks(html) == [], headers


def test_bidi_controls_are_isolated_in_the_report(hostile_db, tmp_path):
    from narrascope.web.report import write_report

    out = tmp_path / "report.html"
    write_report(hostile_db, out)
    html = out.read_text(encoding="utf-8")
    assert RLO in html and leaks(html) == []
    assert "overflow-wrap: anywhere" in html


def test_search_snippets_cut_long_words(rlo_client):
    for kind in ("documents", "comments"):
        hits = rlo_client.get("/api/search", params={"q": "harbour", "kind": kind}).json()["items"]
        assert hits, kind
        assert max(len(w) for w in hits[0]["snippet"].split()) <= 81, kind
    assert len(rlo_client.get("/search", params={"q": "harbour"}).text) < 20_000


@pytest.mark.browser
def test_long_words_wrap_in_the_browser(hostile_db, page):
    from tests.web.conftest import Server

    srv = Server(hostile_db)
    try:
        import httpx

        doc = httpx.get(f"{srv.url}/api/documents").json()["items"][0]["id"]
        page.set_viewport_size({"width": 1200, "height": 800})
        for path in [f"/documents/{doc}", f"/threads/{doc}", "/search?q=harbour"]:
            page.goto(srv.url + path)
            width = page.evaluate("document.documentElement.scrollWidth")
            assert width <= 1400, (path, width)
    finally:
        srv.stop()


def test_the_hostile_store_is_real(hostile_db):
    assert Path(hostile_db).exists()
