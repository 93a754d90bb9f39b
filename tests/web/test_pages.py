"""Pages and security headers through FastAPI's TestClient, on a store the real pipeline built."""

from __future__ import annotations

import re

import pytest
from tests.web.conftest import IMG, XSS


def hostile_id(client) -> str:
    found = client.get("/api/documents", params={"outlet": "hostile.example"}).json()["items"]
    assert len(found) == 1
    return found[0]["id"]


def test_overview_counts_layers_and_headers(client):
    r = client.get("/")
    assert r.status_code == 200
    csp = r.headers["content-security-policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp and "unsafe-eval" not in csp
    assert r.headers["x-content-type-options"] == "nosniff"
    html = r.text
    assert "eastern-ledger.example" in html and "<svg" in html
    assert "<script>window" not in html and "<img src=x" not in html
    assert not re.search(r"<script(?![^>]*src=\"/static/htmx\.min\.js\")", html), "only the vendored script"
    assert " style=" not in html  # no inline style either (CSP style-src 'self')


def test_a_layer_that_has_not_run_says_so(tmp_path):
    from fastapi.testclient import TestClient

    from narrascope.corpus import Corpus
    from narrascope.demo import CORPUS
    from narrascope.web.app import create_app

    db = str(tmp_path / "bare.duckdb")
    with Corpus(db) as corpus:
        corpus.ingest([str(CORPUS)])
    with TestClient(create_app(db)) as c:
        html = c.get("/").text
        layers = {x["layer"]: x for x in c.get("/api/overview").json()["layers"]}
    assert "has not run on this store" in html
    assert layers["techniques"]["status"] == "not run" and layers["narratives"]["status"] == "not run"


def test_document_view_escapes_and_highlights(client):
    doc_id = hostile_id(client)
    html = client.get(f"/documents/{doc_id}").text
    assert XSS not in html and IMG not in html
    assert "&lt;script&gt;window.__pwned=1&lt;/script&gt;" in html
    assert 'href="javascript:' not in html
    assert re.search(r'<mark class="t\d+" title="[^"]*Loaded_Language 0\.60', html)
    assert "Name_Calling,Labeling" in html  # side list
    assert "matches debunk: <bdi>Debunked &lt;script&gt;" in html  # the claim's matched debunk, escaped


def test_thread_masks_flagged_comments(client):
    doc_id = hostile_id(client)
    html = client.get(f"/threads/{doc_id}").text
    flagged = html.split('<details class="flagged">', 1)
    assert len(flagged) == 2 and "offensive — content warning" in flagged[1]
    before, inside = flagged[0], flagged[1].split("</details>", 1)[0]
    assert "You are all idiots" not in before and "You are all idiots" in inside
    assert XSS not in html and "&lt;b&gt;bold&lt;/b&gt;" in html


def test_thread_shows_reply_edges(client):
    reddit = client.get("/api/documents", params={"outlet": "reddit.com"}).json()["items"][0]["id"]
    assert "replies to #" in client.get(f"/threads/{reddit}").text


def test_api_pagination_and_openapi(client):
    first = client.get("/api/documents", params={"limit": 5}).json()
    second = client.get("/api/documents", params={"limit": 5, "offset": first["next_offset"]}).json()
    assert len(first["items"]) == 5 and first["next_offset"] == 5
    assert not {d["id"] for d in first["items"]} & {d["id"] for d in second["items"]}
    assert "/api/documents" in client.get("/openapi.json").json()["paths"]
    doc_id = hostile_id(client)
    thread = client.get(f"/api/documents/{doc_id}/comments", params={"limit": 1}).json()
    assert len(thread["items"]) == 1 and thread["total"] == 2 and thread["next_offset"] == 1
    anns = client.get("/api/annotations", params={"layer": "techniques", "limit": 2}).json()
    assert len(anns["items"]) == 2


def test_filters_change_the_chart_fragment(client):
    everything = client.get("/fragments/charts").text
    one = client.get("/fragments/charts", params={"outlet": "hostile.example"}).text
    assert everything != one and "1 documents match" in one
    none = client.get("/fragments/charts", params={"start": "2030-01-01"}).text
    assert "0 documents match" in none


@pytest.mark.parametrize("path", ["/narratives", "/narratives/colour-revolution", "/search?q=minsk",
                                  "/search?q=idiots&kind=comments"])
def test_other_pages(client, path):
    r = client.get(path)
    assert r.status_code == 200 and XSS not in r.text and IMG not in r.text


def test_search_finds_documents_and_masks_flagged_comments(client):
    hits = client.get("/api/search", params={"q": "protests staged"}).json()
    assert [h["title"] for h in hits["items"]][0].startswith("Hostile")
    assert "no document or comment embeddings" in hits["semantic"]
    html = client.get("/search", params={"q": "idiots", "kind": "comments"}).text
    assert '<details class="flagged">' in html


def test_export_endpoints(client):
    assert client.get("/api/export/documents.csv").text.startswith("id,source")
    lines = client.get("/api/export/comments.jsonl").text.splitlines()
    assert len(lines) > 10
    assert client.get("/api/export/documents.parquet").content[:4] == b"PAR1"
    assert client.get("/api/export/nope.csv").status_code == 404
    assert client.get("/api/export/signatures.csv").status_code == 404


def test_narrative_explorer_masks_flagged_comment_sentences(client):
    html = client.get("/narratives/hostile-west").text
    assert "Documents" in html and "documents by outlet" in html
    before = html.split('<details class="flagged">', 1)[0]
    assert "You are all idiots" in html and "You are all idiots" not in before
    listing = client.get("/api/narratives").json()
    assert listing["ran"] and any(n["id"] == "hostile-west" and n["documents"] for n in listing["narratives"])


def test_store_has_lookup_indexes(fresh_db):
    import duckdb

    con = duckdb.connect(fresh_db, read_only=True)
    names = {r[0] for r in con.execute("SELECT index_name FROM duckdb_indexes()").fetchall()}
    con.close()
    assert {"annotations_target", "comments_document", "runs_document"} <= names
