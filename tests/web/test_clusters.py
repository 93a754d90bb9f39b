"""The coordination clusters' pages: the list, a cluster's network picture and evidence, hostile names escaped."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from tests.web.conftest import IMG, XSS, Server

T0 = datetime(2024, 5, 1, 12, tzinfo=UTC)
SLOGAN = "Vote no on the harbour deal, the council sold our port to foreign investors behind our backs"
MEMBERS = [f"sock{k}" for k in range(3)] + [f"mallory{XSS}"]


@pytest.fixture(scope="module")
def clusters_db(tmp_path_factory: pytest.TempPathFactory) -> str:
    """Four threads; in each, four accounts (one named with a script) post the slogan within a minute."""
    from narrascope.coordination import detect
    from narrascope.model import Annotation, Comment, Document
    from narrascope.store import open_store

    db = str(tmp_path_factory.mktemp("clusters") / "clusters.duckdb")
    docs = []
    for t in range(4):
        comments = [Comment(text=f"Ferry times for day {t}, an ordinary question of mine", author="host",
                            posted=T0 + timedelta(days=t))]
        comments += [Comment(text=f"{SLOGAN} {IMG}", author=m,
                             posted=T0 + timedelta(days=t, minutes=30, seconds=10 * k)) for k, m in enumerate(MEMBERS)]
        docs.append(Document(source=f"p{t}", kind="thread", title=f"Harbour {t} {XSS}", comments=comments).assign_ids())
    flagged = docs[0].comments[4]  # mallory's first copy, flagged offensive
    with open_store(db) as store:
        store.write(docs)
        store.add_annotations([Annotation(flagged.id, "comment", 0, 10, "toxicity", "offensive", 0.9, "toxicity", "1")])
        found = detect(store)
    assert [sorted(s.authors) for s in found if s.kind == "network_cluster"] == [sorted(MEMBERS)]  # co-text
    return db


@pytest.fixture()
def client(clusters_db: str, tmp_path: Path):
    import shutil

    from fastapi.testclient import TestClient

    from narrascope.web.app import create_app

    db = tmp_path / "c.duckdb"
    shutil.copy(clusters_db, db)
    with TestClient(create_app(str(db), index_every=0)) as c:
        yield c


def test_the_cluster_page_draws_the_members_and_lists_the_evidence(client):
    listing = client.get("/clusters").text
    link = re.search(r'href="/clusters/(s[0-9a-f]+)"', listing)
    assert link and "co-text" in listing and XSS not in listing
    html = client.get(f"/clusters/{link.group(1)}").text
    svg = html.split("<svg", 1)[1].split("</svg>", 1)[0]
    # posts 10 s apart, the window auto is 20 s: every pair but the first and the last is joined
    assert svg.count("<circle") == 4 and svg.count("<line") == 5
    assert "mallory&lt;script&gt;" in svg and "<script" not in svg and "onerror" not in svg.replace("&#34;", "")
    assert XSS not in html and IMG not in html
    # the flagged copy stays behind its label: its two co-actions, and the summary of what was shared
    assert html.count("[offensive — hidden, open the thread to show]") == 3
    assert html.count('href="/threads/') == 4 + 20  # the four threads, and each co-action's thread
    assert "Harbour 0 &lt;script&gt;" in html and "20 co-actions, weight 20.0" in html  # 5 edges x 4 threads
    assert client.get("/clusters/s0000").status_code == 404
    thread = re.search(r'href="(/threads/[^"]+)"', html).group(1)  # the cluster's thread says it, and links back
    page = client.get(thread).text
    assert ("4 authors posted near-identical texts within 20 s of each other 20 times, here and in other threads "
            "(4 shown on the cluster&#39;s page)") in page
    assert f'<a href="/clusters/{link.group(1)}">The cluster</a>' in page


def test_an_empty_store_says_how_to_find_clusters(tmp_path):
    from fastapi.testclient import TestClient

    from narrascope.store import open_store
    from narrascope.web.app import create_app

    db = tmp_path / "e.duckdb"
    with open_store(str(db)):
        pass
    with TestClient(create_app(str(db), index_every=0)) as c:
        assert "No clusters stored (narrascope networks" in c.get("/clusters").text


@pytest.mark.browser
def test_the_cluster_page_in_a_browser_runs_nothing_from_the_corpus(clusters_db, page, tmp_path):
    import shutil

    db = tmp_path / "b.duckdb"
    shutil.copy(clusters_db, db)
    server = Server(str(db))
    try:
        page.goto(server.url + "/clusters")
        page.click("table.docs a")
        page.wait_for_load_state("networkidle")
        assert page.locator("svg circle").count() == 4 and page.locator("svg line").count() == 5
        assert page.locator("svg text", has_text="mallory<script>").count() == 1  # shown as text
        assert page.locator("table.evidence tbody tr").count() == 20
        assert page.evaluate("window.__pwned") is None and page.dialogs == []
    finally:
        server.stop()
