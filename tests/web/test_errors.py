"""Bad input is refused with 4xx (never 500); pages answer errors as HTML, the API as JSON."""

from __future__ import annotations

import csv
import glob
import io
import os
import re
import tempfile

import pytest

HUGE = "99999999999999999999"  # above 2**63 - 1


def a_thread(client) -> str:
    return client.get("/api/documents", params={"outlet": "hostile.example"}).json()["items"][0]["id"]


@pytest.mark.parametrize("path", ["/?start=notadate", "/?start=2020-13-45", "/?end=99999-01-01",
                                  "/fragments/charts?start=abc"])
def test_a_bad_date_on_a_page_says_invalid_date(client, path):
    r = client.get(path)
    assert r.status_code == 200 and "invalid date" in r.text and "this filter is ignored" in r.text


@pytest.mark.parametrize("path", ["/api/overview?start=notadate", "/api/overview?end=';DROP TABLE documents; --",
                                  "/api/documents?start=2020-13-45"])
def test_a_bad_date_in_the_api_is_422(client, path):
    r = client.get(path)
    assert r.status_code == 422 and "YYYY-MM-DD" in r.json()["detail"][0]["msg"]
    ok = client.get("/api/documents", params={"start": "2020-01-01", "end": "2030-12-31"})
    assert ok.status_code == 200 and len(ok.json()["items"]) == 11  # all 12 documents but the undated one


def test_offsets_out_of_range_are_422_in_the_api_and_on_pages(client):
    doc = a_thread(client)
    for path in ["/api/documents", "/api/annotations", f"/api/documents/{doc}/comments", "/api/search?q=staged"]:
        sep = "&" if "?" in path else "?"
        r = client.get(f"{path}{sep}offset={HUGE}")
        assert r.status_code == 422 and r.headers["content-type"].startswith("application/json"), path
    for path in [f"/threads/{doc}", "/search?q=staged"]:
        sep = "&" if "?" in path else "?"
        for offset in (HUGE, "-1"):
            r = client.get(f"{path}{sep}offset={offset}")
            assert r.status_code == 422 and r.headers["content-type"].startswith("text/html"), (path, offset)
            assert "offset" in r.text
    first = client.get(f"/threads/{doc}?offset=0")
    assert first.status_code == 200
    assert re.findall(r'<li id="([^"]+)" class="comment', first.text) == [f"{doc}-c1", f"{doc}-c2"]


def test_missing_narratives_and_threads_are_404(client):
    for path in ["/narratives/nonexistent", "/api/narratives/nonexistent", "/api/documents/nonexistent/comments"]:
        assert client.get(path).status_code == 404, path
    page = client.get("/narratives/hostile-west")
    assert page.status_code == 200 and "<h1>Narrative: <bdi>The West is hostile to Russia</bdi></h1>" in page.text
    api = client.get("/api/narratives/economic-collapse")
    assert api.status_code == 200 and api.json()["id"] == "economic-collapse"


def test_an_unknown_comment_has_no_correction_form(client):
    for headers in ({}, {"HX-Request": "true"}):  # the page of its own and the bare form for htmx alike
        r = client.get("/comments/%3Cimg%20src=x%20onerror=alert(1)%3E/fix", headers=headers)
        assert r.status_code == 404 and r.headers["content-type"].startswith("text/html")
        assert "<h1>404" in r.text and "no comment &#39;&lt;img src=x onerror=alert(1)&gt;&#39;" in r.text
        assert "<img src=x" not in r.text and r.headers["content-security-policy"]
    doc = a_thread(client)
    form = client.get(f"/comments/{doc}-c1/fix")
    assert form.status_code == 200 and form.text.count("<form") == 3  # search box, correction, add a span
    assert 'name="annotation_id"' in form.text and 'name="action"' in form.text
    assert client.get(f"/comments/{doc}-c99/fix").status_code == 404


def test_html_routes_answer_errors_as_escaped_html(client, monkeypatch):
    r = client.get("/documents/%3Cimg%20src=x%20onerror=alert(1)%3E")
    assert r.status_code == 404 and r.headers["content-type"].startswith("text/html")
    assert "<img src=x" not in r.text and "&lt;img src=x onerror=alert(1)&gt;" in r.text
    assert r.headers["content-security-policy"]
    assert client.get("/no-such-page").headers["content-type"].startswith("text/html")
    assert client.get("/api/no-such-thing").json() == {"detail": "Not Found"}
    from narrascope.web import views

    def broken(*args, **kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr(views, "narratives", broken)
    from fastapi.testclient import TestClient

    with TestClient(client.app, raise_server_exceptions=False) as c:
        page = c.get("/narratives")
        assert page.status_code == 500 and page.headers["content-type"].startswith("text/html")
        assert "internal error" in page.text and "boom" not in page.text
        api = c.get("/api/narratives")
        assert api.status_code == 500 and api.json()["detail"].startswith("internal error")


def test_an_export_404_leaves_no_folder(client):
    pattern = os.path.join(tempfile.gettempdir(), "narrascope-export-*")
    before = set(glob.glob(pattern))
    for _ in range(3):
        assert client.get("/api/export/nope.csv").status_code == 404
    export = client.get("/api/export/documents.csv")
    assert export.status_code == 200 and export.headers["content-type"] == "text/csv; charset=utf-8"
    rows = list(csv.DictReader(io.StringIO(export.text)))
    assert len(rows) == 12 and list(rows[0])[:3] == ["id", "source", "outlet"]
    assert set(glob.glob(pattern)) == before


def test_a_huge_unknown_id_is_cut_in_the_error_page(client):
    huge = "x" * 9_000
    for path in (f"/comments/{huge}/fix", f"/api/narratives/{huge}"):
        r = client.get(path)
        assert r.status_code == 404 and len(r.text) < 4_000, path  # the whole id made a 10 KB page
        assert re.search(r"… \(9,0\d\d characters\)", r.text), path
