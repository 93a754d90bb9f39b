"""The documents and threads tables, their exports and the overview's top lists, on the five seed-like pages."""

from __future__ import annotations

import csv
import io
import json
import re

DENSE = "The truth about the so-called opposition"
SPARSE = "Fuel prices talks in Minsk"
UNTITLED = "Lukashenka told parliament that Belorussia will never bow to the West.…"
UNDATED = "They keep lying"
FORUM = "What happened on the square last night"


def titles(html: str, table: str) -> list[str]:
    body = html.split(f'id="{table}-table"', 1)[1].split("</table>", 1)[0]
    cells = re.findall(r'<td class="col-title"><a href="/[a-z]+/[^"]+"[^>]*>(.*?)</a></td>', body)
    return [re.sub(r"<[^>]+>", "", t) for t in cells]


def rows(client, path: str, **params) -> list[dict]:
    return client.get(path, params={**params, "format": "json"}).json()["items"]


def test_densest_article_ranks_first_although_another_page_has_more_comments(seed_client):
    found = rows(seed_client, "/documents")
    assert [r["title"] for r in found] == [DENSE, UNDATED, UNTITLED, SPARSE, FORUM]
    assert [r["untitled"] for r in found] == [False, False, True, False, False]
    assert [r["kind"] for r in found] == ["article", "article", "article", "article", "thread"]
    dense, sparse = found[0], found[3]
    assert (dense["body_techniques"], dense["comments"], dense["density"]) == (6, 3, 19.05)
    assert (sparse["body_techniques"], sparse["comments"], sparse["comment_techniques"]) == (2, 24, 23)
    # by raw spans (body and comments) the sparse page would lead: 25 against 6
    assert sparse["body_techniques"] + sparse["comment_techniques"] > dense["body_techniques"]
    assert dense["techniques"][:2] == ["Bandwagon,Reductio_ad_hitlerum", "Black-and-White_Fallacy"]
    html = seed_client.get("/documents").text
    assert titles(html, "documents") == [DENSE, UNDATED, UNTITLED, SPARSE, FORUM]
    assert 'aria-sort="descending"' in html and "techniques / 1,000 chars ▼" in html


def test_the_overview_top_lists_use_the_same_measures(seed_client):
    html = seed_client.get("/").text
    assert titles(html, "documents")[0] == DENSE
    assert titles(html, "threads")[0] == SPARSE  # the one thread with a flagged comment
    assert "1 undated document: counted in the “undated” bar" in html
    assert "1 undated document is left out by the date filter." in seed_client.get("/", params={
        "start": "2020-01-01"}).text


def test_sorting_and_filtering(seed_client):
    by_comments = rows(seed_client, "/documents", sort="comments")
    assert [r["comments"] for r in by_comments] == [24, 23, 5, 3, 0]
    ascending = rows(seed_client, "/documents", sort="comments", order="asc")
    assert [r["comments"] for r in ascending] == [0, 3, 5, 23, 24]
    assert [r["title"] for r in rows(seed_client, "/documents", sort="title")] == sorted(
        [DENSE, SPARSE, UNTITLED, UNDATED, FORUM])
    assert [r["title"] for r in rows(seed_client, "/documents", outlet="eastern-courier.example")] == [SPARSE]
    assert [r["title"] for r in rows(seed_client, "/documents", q="lying")] == [UNDATED]
    assert [r["title"] for r in rows(seed_client, "/documents", technique="Doubt")] == [SPARSE]
    dated = rows(seed_client, "/documents", start="2020-08-17", end="2020-08-18")
    assert [r["title"] for r in dated] == [DENSE, SPARSE]
    unknown = rows(seed_client, "/documents", sort="no_such_column; DROP TABLE documents")
    assert [r["title"] for r in unknown][0] == DENSE  # an unknown sort falls back to the default


def test_an_untitled_document_is_named_by_its_first_words(seed_client):
    found = {r["title"]: r for r in rows(seed_client, "/documents")}
    doc_id = found[UNTITLED]["id"]
    html = seed_client.get("/documents").text
    assert f'class="untitled"><bdi>{UNTITLED}</bdi>' in html
    assert f">{doc_id}<" not in html  # never the id as a name


def test_threads_table(seed_client):
    found = rows(seed_client, "/threads")
    assert [r["title"] for r in found][:1] == [SPARSE]
    sparse = found[0]
    assert (sparse["comments"], sparse["authors"], sparse["flagged"], sparse["hatespeech"]) == (24, 10, 1, 1)
    assert sparse["flagged_share"] == round(1 / 24, 4)
    assert sparse["signals"] >= 1
    assert UNDATED not in [r["title"] for r in found]  # no comments, no thread
    forum = next(r for r in found if r["title"] == FORUM)
    assert forum["comments"] == 23 and forum["flagged"] == 0
    html = seed_client.get("/threads").text
    assert "4%" in html and titles(html, "threads")[0] == SPARSE


def test_exports_hold_exactly_the_rows_shown_in_order(seed_client):
    shown = rows(seed_client, "/documents", sort="comments")
    r = seed_client.get("/documents", params={"sort": "comments", "format": "csv"})
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/csv")
    table = list(csv.DictReader(io.StringIO(r.text)))
    assert [x["id"] for x in table] == [x["id"] for x in shown]
    assert list(table[0]) == ["id", "title", "outlet", "published", "language", "density", "body_techniques",
                              "techniques", "narratives", "claims", "comments", "comment_techniques", "flagged"]
    assert table[0]["techniques"] == "Causal_Oversimplification; Doubt"
    lines = seed_client.get("/threads", params={"format": "jsonl"}).text.splitlines()
    assert [json.loads(x)["title"] for x in lines] == [x["title"] for x in rows(seed_client, "/threads")]
    parquet = seed_client.get("/documents", params={"outlet": "truth-front.example", "format": "parquet"})
    assert parquet.content[:4] == b"PAR1"
    html = seed_client.get("/documents", params={"sort": "comments"}).text
    assert 'href="/documents?sort=comments&amp;order=desc&amp;format=csv" download' in html


def test_glossary_reads_every_label_from_the_registry(seed_client):
    from narrascope import registry
    from narrascope.techniques import TECHNIQUES

    html = seed_client.get("/glossary").text
    for technique in TECHNIQUES:
        assert f'id="g-techniques-{re.sub(r"[^0-9A-Za-z]", "-", technique)}"' in html
    assert html.count("Source: Da San Martino et al. (2020)") == 14
    assert "The West is hostile to Russia" in html  # a narrative of the taxonomy, by name
    for label in ("hatespeech", "offensive", "normal", "toxic_span"):
        assert f'id="g-toxicity-{label.replace("_", "-")}"' in html
    from narrascope.models import crosslingual

    # the techniques layer's version names its English tagger and its multilingual head
    assert f"version <bdi>minilm-ptc-20261204+multilingual:{crosslingual.version('techniques')}</bdi>" in html
    assert "17 comments" not in html and "burst" in html  # signal kinds are explained too
    for name in registry.components.names():  # every registered component's layer has its section
        assert f'id="layer-{registry.components.get(name).layer}"' in html


def test_api_docs_are_a_page_and_the_menu_links_them(seed_client):
    html = seed_client.get("/").text
    assert '<a href="/docs">API docs</a>' in html and 'href="/openapi.json"' not in html
    docs = seed_client.get("/docs").text
    assert "<code>GET /api/documents</code>" in docs and "Rows to skip" in docs
    assert "<script" not in docs.split("</head>", 1)[1]


def test_narrative_pages_name_documents_by_title(seed_client):
    html = seed_client.get("/narratives/hostile-west").text
    assert "<h1>Narrative: <bdi>The West is hostile to Russia</bdi></h1>" in html
    documents = html.split("<h2>Documents</h2>", 1)[1].split("<h2>", 1)[0]
    assert f"{UNTITLED}</a>" in documents
    found = {r["title"]: r["id"] for r in rows(seed_client, "/documents")}
    assert f">{found[UNTITLED]}<" not in html and f">{found[UNDATED]}<" not in html
