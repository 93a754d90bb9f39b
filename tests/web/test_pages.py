"""Pages and security headers through FastAPI's TestClient, on a store the real pipeline built."""

from __future__ import annotations

import json
import re
from html.parser import HTMLParser

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
    assert re.search(r'<mark class="t\d+( claim)?" title="[^"]*Loaded_Language 0\.60', html)  # claims underlined
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


def test_offensive_below_the_analysts_threshold_is_shown_not_masked(fresh_db):
    """The troll's comment is offensive at 0.97: masked at the default threshold, shown above 0.97."""
    from fastapi.testclient import TestClient

    from narrascope.web.app import create_app

    for threshold, hidden in ((0.97, True), (0.98, False)):
        app = create_app(fresh_db, index_every=0, offensive_threshold=threshold)
        with TestClient(app) as c:
            doc_id = hostile_id(c)
            html = c.get(f"/threads/{doc_id}").text
            comments = c.get(f"/api/documents/{doc_id}/comments").json()["items"]
        troll = next(x for x in comments if x["author"].startswith("troll"))
        assert troll["masked"] is hidden and troll["toxicity"]["label"] == "offensive"
        assert ("offensive — content warning" in html) is hidden
        assert ("You are all idiots" in html.split('<details class="flagged">', 1)[0]) is not hidden


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


@pytest.mark.parametrize(("path", "shown"), [
    ("/narratives", "<h1>Narratives</h1>"),
    ("/narratives/colour-revolution", "<h1>Narrative: <bdi>Protests are a Western-run colour revolution</bdi></h1>"),
    ("/search?q=minsk", ">Who is really behind the Minsk marches?</a>"),
    ("/search?q=idiots&kind=comments", '<details class="flagged">')])
def test_other_pages(client, path, shown):
    r = client.get(path)
    assert r.status_code == 200 and shown in r.text
    assert XSS not in r.text and IMG not in r.text


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


LONG = 300  # comments added to the hostile thread, each with a toxicity label and a narrative


@pytest.fixture()
def long_thread(fresh_db: str):
    """The hostile thread grown to 302 comments (all labelled, one hostile label each) and one unlabelled comment."""
    import duckdb
    from fastapi.testclient import TestClient

    from narrascope.web.app import create_app

    con = duckdb.connect(fresh_db)
    doc_id = con.execute("SELECT id FROM documents WHERE outlet = 'hostile.example'").fetchone()[0]
    con.execute("INSERT INTO comments SELECT printf('%s-c%d', ?, i), ?, i, i, printf('user %d', i), NULL, NULL, 0, "
                "NULL, printf('comment %d on the staged protests', i), 'en' FROM range(3, ?) t(i)",
                [doc_id, doc_id, LONG + 4])
    con.execute("INSERT INTO annotations SELECT 'tx-' || id, id, 'comment', 0, 10, 'toxicity', 'normal', 0.9, "
                "'toxicity', 'test', NULL FROM comments WHERE document_id = ? AND position BETWEEN 3 AND ?",
                [doc_id, LONG + 2])
    con.execute("INSERT INTO annotations SELECT 'nx-' || id, id, 'comment', 0, 10, 'narratives', ?, 0.8, "
                "'narratives', 'test', NULL FROM comments WHERE document_id = ? AND position BETWEEN 3 AND ?",
                [f"west {XSS}", doc_id, LONG + 2])
    con.close()
    app = create_app(fresh_db, index_every=0)
    with TestClient(app) as c:
        app.state.narrascope.side.sync()
        yield c, doc_id


class FormFields(HTMLParser):
    """The action of the first form and what submitting it unchanged sends (a select sends its first option)."""

    def __init__(self) -> None:
        super().__init__()
        self.action, self.fields, self.options = "", {}, {}
        self._select: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag == "form" and not self.action:
            self.action = a["action"]
        elif tag == "input":
            self.fields[a["name"]] = a.get("value", "")
        elif tag == "select":
            self._select = a["name"]
            self.options[self._select] = []
        elif tag == "option" and self._select:
            self.options[self._select].append(a["value"])
            self.fields.setdefault(self._select, a["value"])

    def handle_endtag(self, tag: str) -> None:
        if tag == "select":
            self._select = None


def form_of(html: str) -> FormFields:
    parser = FormFields()
    parser.feed(html)
    return parser


def test_a_long_thread_loads_each_correction_form_on_demand(long_thread):
    c, doc_id = long_thread
    html = c.get(f"/threads/{doc_id}").text
    ids = re.findall(r'<li id="([^"]+)" class="comment', html)
    assert len(ids) == LONG + 2 + 1 and html.count("<form") == 1  # the header's search box only
    assert html.count('<details class="fix"') == LONG + 3  # every comment's, the unlabelled one's too
    assert XSS not in html
    fix = {cid: c.get(f"/comments/{cid}/fix", headers={"HX-Request": "true"}) for cid in ids}
    # each: the form to correct a label and the one to add a span the model missed; the unlabelled: the latter
    assert [(r.status_code, r.text.count("<form")) for r in fix.values()] == [(200, 2)] * (LONG + 2) + [(200, 1)]
    lazy = re.findall(r'<details class="fix".*?</details>', html, re.S)
    inline = len(html) - sum(map(len, lazy)) + sum(len(f'<details class="fix"><summary>correct a label</summary>\n'
                                                    f'{r.text.strip()}</details>') for r in fix.values())
    assert len(html) < 0.7 * inline  # at least 30% smaller than with every form inline (two labels a comment)
    last = ids[LONG + 1]
    assert f'<a class="fix-load" href="/comments/{last}/fix">' in html
    form = form_of(fix[last].text)
    assert form.options["annotation_id"] == [f"tx-{last}", f"nx-{last}"]  # toxicity first, as on the page before
    assert "narratives: west &lt;script&gt;" in fix[last].text and XSS not in fix[last].text
    r = c.post(form.action, data={**form.fields, "action": "reject", "author": "Ana", "note": "not about that"},
               follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"] == f"/threads/{doc_id}#a-tx-{last}"
    page = c.get(r.headers["location"]).text
    assert "analyst: <b>reject</b> by <bdi>Ana</bdi>" in page and "not about that" in page
    assert 'name="author" value="Ana"' in c.get(f"/comments/{last}/fix", headers={"HX-Request": "true"}).text


def test_an_analyst_adds_a_span_to_a_comment_through_its_form(long_thread):
    c, doc_id = long_thread
    cid = f"{doc_id}-c5"  # "comment 5 on the staged protests"
    html = c.get(f"/comments/{cid}/fix", headers={"HX-Request": "true"}).text
    form = form_of(html[html.index('<details class="fix add-span"'):])
    assert form.action == "/spans" and form.fields["target_id"] == cid
    assert form.options["layer"] == ["techniques", "toxicity", "claims", "narratives"]
    assert "Slogans" in form.options["label"]
    r = c.post(form.action, data={**form.fields, "layer": "techniques", "label": "Slogans", "quote": "staged protests",
                                  "author": "Ana", "note": "missed"}, follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"].startswith(f"/threads/{doc_id}#a-add-")
    rows = c.get("/api/corrections", params={"target_id": cid}).json()
    assert [(r["target_id"], r["target_type"], r["start_char"], r["end_char"], r["layer"], r["label"], r["author"],
             r["action"], r["model_label"]) for r in rows] == [
        (cid, "comment", 17, 32, "techniques", "Slogans", "Ana", "add", None)]
    page = c.get(r.headers["location"]).text
    assert page.count("analyst: <b>add</b> by <bdi>Ana</bdi>") == 1 and "(a span the model missed)" in page
    again = form_of(c.get(f"/comments/{cid}/fix", headers={"HX-Request": "true"}).text)
    assert again.options["annotation_id"] == [f"tx-{cid}", f"nx-{cid}", rows[0]["annotation_id"]]


def comment_item(html: str, cid: str) -> str:
    """The thread page's list item of one comment."""
    item = html[html.index(f'<li id="{cid}"'):]
    return item[:item.index("</li>")]


def test_an_analyst_marks_a_toxic_span_the_model_missed_on_a_comment(long_thread):
    c, doc_id = long_thread
    cid = f"{doc_id}-c1"  # "You are all idiots <img ...> and scum.", flagged offensive, no toxic span from the model
    assert '<summary>offensive — content warning, click to show</summary>' in comment_item(
        c.get(f"/threads/{doc_id}").text, cid)  # the whole text behind the warning
    html = c.get(f"/comments/{cid}/fix", headers={"HX-Request": "true"}).text
    form = form_of(html[html.index('<details class="fix add-span"'):])
    assert form.options["layer"] == ["techniques", "toxicity", "claims", "narratives"]
    labels = form.options["label"]  # the toxicity layer's span labels: never "normal"
    assert labels[labels.index("hatespeech"):labels.index("claim")] == ["hatespeech", "offensive", "toxic_span"]
    r = c.post(form.action, data={**form.fields, "layer": "toxicity", "label": "toxic_span", "quote": "scum",
                                  "author": "Ana", "note": "a slur"}, follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"].startswith(f"/threads/{doc_id}#a-add-")
    rows = c.get("/api/corrections", params={"target_id": cid}).json()
    assert [(r["target_id"], r["target_type"], r["start_char"], r["end_char"], r["layer"], r["label"], r["author"],
             r["action"], r["model_label"], r["note"]) for r in rows] == [
        (cid, "comment", 62, 66, "toxicity", "toxic_span", "Ana", "add", None, "a slur")]
    text = c.get(f"/api/documents/{doc_id}/comments").json()["items"][0]["text"]
    assert text[62:66] == "scum"
    item = comment_item(c.get(r.headers["location"]).text, cid)
    assert ('(a span the model missed): <span class="layer">toxicity</span> <bdi class="added-label">toxic_span</bdi>'
            in item)
    # masked in place like the model's toxic spans, shown behind the content warning
    assert '<span class="masked" title="masked toxic words">s•••</span>.</div>' in item
    assert '<mark class="toxic" title="toxic span">scum</mark>' in item and item.count("scum") == 1
    again = form_of(c.get(f"/comments/{cid}/fix", headers={"HX-Request": "true"}).text)
    assert again.options["annotation_id"][-1] == rows[0]["annotation_id"]  # it can be corrected in turn


def test_a_comment_without_labels_gets_a_form_to_add_one(long_thread):
    c, doc_id = long_thread
    html = c.get(f"/threads/{doc_id}").text
    cid = f"{doc_id}-c{LONG + 3}"  # "comment 303 on the staged protests": no layer labelled it
    item = comment_item(html, cid)
    assert '<div class="labels">' not in item and "<form" not in item  # the form loads on demand
    assert f'<details class="fix" hx-get="/comments/{cid}/fix" hx-trigger="toggle once"><summary>add a label' \
           f'</summary>\n<a class="fix-load" href="/comments/{cid}/fix">open the correction form</a></details>' in item
    page = c.get(f"/comments/{cid}/fix")  # without script: a page of its own
    assert page.status_code == 200 and f"<h1>Add a label to comment #{LONG + 3}</h1>" in page.text
    r = c.get(f"/comments/{cid}/fix", headers={"HX-Request": "true"})
    assert r.status_code == 200 and r.text.count("<form") == 1 and 'name="annotation_id"' not in r.text
    assert f'<details class="fix add-span" id="add-span-{cid}" open>' in r.text  # nothing else to open
    form = form_of(r.text)
    assert form.action == "/spans" and form.fields["target_id"] == cid
    r = c.post(form.action, data={**form.fields, "layer": "narratives", "label": "staged-attacks",
                                  "quote": "the staged protests", "author": "Ana"}, follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"].startswith(f"/threads/{doc_id}#a-add-")
    rows = c.get("/api/corrections", params={"target_id": cid}).json()
    assert [(r["target_id"], r["target_type"], r["start_char"], r["end_char"], r["layer"], r["label"], r["author"],
             r["action"]) for r in rows] == [(cid, "comment", 15, 34, "narratives", "staged-attacks", "Ana", "add")]
    item = comment_item(c.get(r.headers["location"]).text, cid)
    assert 'analyst: <b>add</b> by <bdi>Ana</bdi>' in item and (
        '(a span the model missed): <span class="layer">narratives</span> <bdi class="added-label">staged-attacks'
        in item)
    assert "<summary>correct a label</summary>" in item  # the added span is a label it can correct now
    again = form_of(c.get(f"/comments/{cid}/fix", headers={"HX-Request": "true"}).text)
    assert again.options["annotation_id"] == [rows[0]["annotation_id"]]


def test_a_correction_form_opens_on_its_own_page_without_script(long_thread):
    c, doc_id = long_thread
    cid = f"{doc_id}-c1"  # the flagged comment, by "troll <script>..."
    r = c.get(f"/comments/{cid}/fix")  # no HX-Request: the fallback link of a browser without script
    assert r.status_code == 200 and r.headers["vary"] == "HX-Request"
    assert "<!doctype html>" in r.text and f'href="/threads/{doc_id}#{cid}"' in r.text
    assert XSS not in r.text and "troll &lt;script&gt;" in r.text
    bare = c.get(f"/comments/{cid}/fix", headers={"HX-Request": "true"}).text
    assert bare.strip() in r.text and "<!doctype" not in bare  # the same form, bare for htmx
    assert form_of(r.text).options["annotation_id"][:2] == [f"tox-{cid}", f"narr-{cid}"]


def test_a_comments_form_tells_its_sentence_and_comment_labels_apart(fresh_db):
    import duckdb
    from fastapi.testclient import TestClient

    from narrascope.web.app import create_app

    con = duckdb.connect(fresh_db)
    comment, text = con.execute("SELECT id, text FROM comments ORDER BY id LIMIT 1").fetchone()
    for level, end in (("sentence", 9), ("comment", len(text))):
        con.execute("INSERT INTO annotations VALUES (?, ?, 'comment', 0, ?, 'narratives', 'colour-revolution', 0.8, "
                    "'narratives', 'test', ?)", [f"lv-{level}", comment, end, json.dumps({"level": level})])
    con.close()
    with TestClient(create_app(fresh_db, index_every=0)) as c:
        html = c.get(f"/comments/{comment}/fix", headers={"HX-Request": "true"}).text
    options = re.findall(r"<option[^>]*>([^<]*)</option>", html)
    assert "narratives: colour-revolution (sentence 0–9)" in options
    assert "narratives: colour-revolution (comment)" in options


class Links(HTMLParser):
    """Every ``<a href>`` of a page with its attributes."""

    def __init__(self) -> None:
        super().__init__()
        self.links: list[dict[str, str | None]] = []

    def handle_starttag(self, tag, attrs):
        if tag == "a" and dict(attrs).get("href"):
            self.links.append(dict(attrs))


def test_links_from_documents_are_inert(tmp_path):
    """A document's own links open in a new tab with rel="noopener noreferrer" and send no referrer;
    a link that is not plain http(s) is shown as text, never as a link."""
    from fastapi.testclient import TestClient

    from narrascope.corpus import Corpus
    from narrascope.web.app import create_app

    listing = {"source": "https://news.example/front", "kind": "listing", "title": "Front page", "body": "A\nB\nC",
               "comments": [],  # narrascope's own JSON form (as parse writes it), items included
               "items": [{"title": "A", "text": "first story", "url": "https://news.example/a"},
                         {"title": "B", "text": "second story", "url": "javascript:alert(1)"},
                         {"title": "C", "text": "third story", "url": "http://news.example/c"}]}
    rows = tmp_path / "front.jsonl"
    rows.write_text(json.dumps(listing) + "\n", encoding="utf-8")
    db = str(tmp_path / "links.duckdb")
    with Corpus(db) as corpus:
        corpus.ingest([str(rows)])
    with TestClient(create_app(db)) as c:
        [doc] = c.get("/api/documents").json()["items"]
        html = c.get(f"/documents/{doc['id']}").text
    parser = Links()
    parser.feed(html)
    external = [a for a in parser.links if not a["href"].startswith(("/", "#", "?"))]
    assert [a["href"] for a in external] == ["https://news.example/front", "https://news.example/a",
                                             "http://news.example/c"]
    assert {(a.get("rel"), a.get("target"), a.get("referrerpolicy")) for a in external} == {
        ("noopener noreferrer nofollow", "_blank", "no-referrer")}
    assert '<bdi class="url">javascript:alert(1)</bdi>' in html


def test_a_slur_quoted_in_counter_speech_is_marked_in_view_not_masked(tmp_path):
    """A real post of HateXplain (Mathew et al. 2021, CC BY 4.0; its three annotators said normal) that
    rejects a slur, analysed by the shipped toxicity model: the thread shows it labelled normal, the slur
    marked in place as a toxic span, and nothing behind a content warning (masking follows the label)."""
    pytest.importorskip("onnxruntime")
    from fastapi.testclient import TestClient

    from narrascope.corpus import Corpus
    from narrascope.web.app import create_app

    page = {"source": "https://forum.example/t/1", "outlet": "forum.example", "kind": "article", "title": "Words",
            "body": "Which words should moderators remove?",
            "comments": [{"author": "ana", "text": "just do not say nigger", "depth": 0}]}
    path = tmp_path / "page.jsonl"
    path.write_text(json.dumps(page) + "\n", encoding="utf-8")
    db = str(tmp_path / "corpus.duckdb")
    with Corpus(db) as corpus:
        corpus.analyze([str(path)], components=["toxicity"])
    with TestClient(create_app(db, index_every=0)) as c:
        doc_id = c.get("/api/documents").json()["items"][0]["id"]
        html = c.get(f"/threads/{doc_id}").text
        comments = c.get(f"/api/documents/{doc_id}/comments").json()["items"]
    assert [(x["masked"], x["toxicity"]["label"]) for x in comments] == [(False, "normal")]
    assert [(s["label"], s["start_char"], s["end_char"]) for s in comments[0]["spans"]] == [("toxic_span", 16, 22)]
    assert '<details class="flagged">' not in html
    assert ('<div class="ctext">just do not say <mark class="toxic in-normal" title="toxic span in a comment '
            'labelled normal (shown, not masked: e.g. a slur quoted to reject it)">nigger</mark></div>') in html
