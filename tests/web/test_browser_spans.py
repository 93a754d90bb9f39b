"""The real browser adds a span the model missed, by keyboard, and sees it listed, highlighted and exported."""

from __future__ import annotations

import httpx
import pytest
from tests.web.conftest import Server

pytestmark = pytest.mark.browser


def test_an_analyst_adds_a_span_with_the_keyboard(server, page):
    doc = httpx.get(f"{server.url}/api/documents", params={"outlet": "hostile.example"}).json()["items"][0]["id"]
    body = httpx.get(f"{server.url}/api/documents/{doc}").json()["body"]
    page.goto(f"{server.url}/documents/{doc}")
    summary = page.locator("details.add-span > summary")
    summary.focus()
    page.keyboard.press("Enter")  # opens the form without a mouse
    form = page.locator("details.add-span form")
    form.wait_for()
    form.locator("select[name=layer]").focus()
    page.keyboard.press("Tab")  # to the label list
    assert page.evaluate("document.activeElement.name") == "label"
    form.locator("select[name=label]").select_option("Slogans")
    form.locator("textarea[name=quote]").fill("the")
    form.locator("input[name=occurrence]").fill("2")
    form.locator("input[name=author]").fill("Ana Analyst")
    form.locator("input[name=note]").fill("missed by the model")
    form.locator("input[name=note]").press("Enter")  # submits the form
    page.wait_for_load_state("networkidle")
    assert page.url.startswith(f"{server.url}/documents/{doc}#a-add-")
    added = page.locator("ul.spans li", has=page.locator("span.added"))
    assert added.count() == 1
    assert added.locator(".chip").first.inner_text() == "Slogans"
    fixed = added.locator("p.fixed").inner_text()
    assert fixed.startswith("analyst: add by Ana Analyst") and "(a span the model missed)" in fixed
    at = body.index("the", body.index("the") + 1)
    assert page.locator("#body mark[title*='Slogans']").inner_text() == body[at:at + 3]
    rows = httpx.get(f"{server.url}/api/corrections", params={"target_id": doc}).json()
    assert [(r["action"], r["label"], r["start_char"], r["end_char"], r["author"], r["note"]) for r in rows] == [
        ("add", "Slogans", at, at + 3, "Ana Analyst", "missed by the model")]
    task, = httpx.get(f"{server.url}/api/export/labelstudio").json()
    [ana] = task["annotations"]
    assert [(r["id"], r["value"]["labels"]) for r in ana["result"] if r["type"] == "labels"] == [
        (rows[0]["annotation_id"], ["Slogans"])]
    page.locator("ul.spans li", has=page.locator("span.added")).locator("details.fix summary").click()
    assert page.evaluate("window.__pwned") is None


def submit_span(page, form, layer: str, label: str, quote: str) -> None:
    """Fill a comment's "add a span the model missed" form from the keyboard (the layer by arrow keys) and send it
    by Enter, as Ana Analyst."""
    form.locator("select[name=layer]").focus()
    for _ in range(["techniques", "toxicity"].index(layer)):
        page.keyboard.press("ArrowDown")  # techniques -> toxicity
    assert form.locator("select[name=layer]").input_value() == layer
    page.keyboard.press("Tab")  # to the label list
    assert page.evaluate("document.activeElement.name") == "label"
    form.locator("select[name=label]").select_option(label)
    form.locator("textarea[name=quote]").fill(quote)
    form.locator("input[name=author]").fill("Ana Analyst")
    form.locator("input[name=note]").press("Enter")  # submits the form


def test_an_analyst_adds_a_span_to_a_comment_with_the_keyboard(server, page):
    doc = httpx.get(f"{server.url}/api/documents", params={"outlet": "hostile.example"}).json()["items"][0]["id"]
    cid = f"{doc}-c1"  # "You are all idiots <img ...> and scum.", labelled offensive
    page.goto(f"{server.url}/threads/{doc}")
    first = page.locator("li.comment").first
    first.locator("details.fix > summary").focus()  # the only one until the forms load
    page.keyboard.press("Enter")  # htmx fetches the comment's forms on the first toggle
    summary = first.locator("details.add-span > summary")
    summary.wait_for()
    summary.focus()
    page.keyboard.press("Enter")
    submit_span(page, first.locator("details.add-span form"), "techniques", "Name_Calling,Labeling", "idiots")
    page.wait_for_url(f"{server.url}/threads/{doc}#a-add-*")
    fixed = page.locator("li.comment").first.locator("p.fixed", has_text="analyst: add")
    assert fixed.inner_text().startswith("analyst: add by Ana Analyst") and "(a span the model missed)" in (
        fixed.inner_text())
    rows = httpx.get(f"{server.url}/api/corrections", params={"target_id": cid}).json()
    assert [(r["action"], r["layer"], r["label"], r["start_char"], r["end_char"], r["author"]) for r in rows] == [
        ("add", "techniques", "Name_Calling,Labeling", 12, 18, "Ana Analyst")]
    page.locator("li.comment").first.locator("details.fix > summary").click()
    page.locator("li.comment").first.locator("select[name=annotation_id]").wait_for()
    options = page.locator("li.comment").first.locator("select[name=annotation_id] option").all_inner_texts()
    assert options[-1] == "techniques: Name_Calling,Labeling"  # listed among the labels it may correct
    assert page.evaluate("window.__pwned") is None


@pytest.fixture()
def unlabelled_server(fresh_db: str):
    """The served store with the hostile thread's reply left without any label (no layer read it)."""
    import duckdb

    con = duckdb.connect(fresh_db)
    doc = con.execute("SELECT id FROM documents WHERE outlet = 'hostile.example'").fetchone()[0]
    con.execute("DELETE FROM annotations WHERE target_id = ?", [f"{doc}-c2"])
    con.close()
    srv = Server(fresh_db)
    yield srv, doc
    srv.stop()


def test_an_analyst_marks_a_toxic_span_on_an_unlabelled_comment_with_the_keyboard(unlabelled_server, page):
    server, doc = unlabelled_server
    cid = f"{doc}-c2"  # "Reply with a link javascript:... <script>...</script>", no label at all
    page.goto(f"{server.url}/threads/{doc}")
    comment = page.locator(f"li[id='{cid}']")
    assert comment.locator("div.labels").count() == 0
    summary = comment.locator("details.fix > summary")
    assert summary.inner_text() == "add a label"
    summary.focus()
    page.keyboard.press("Enter")  # htmx fetches the form on the first toggle
    form = comment.locator("details.add-span[open] form")  # open at once: there is no label to correct
    form.wait_for()
    assert comment.locator("select[name=annotation_id]").count() == 0
    submit_span(page, form, "toxicity", "toxic_span", "a link")
    page.wait_for_url(f"{server.url}/threads/{doc}#a-add-*")
    comment = page.locator(f"li[id='{cid}']")
    fixed = comment.locator("p.fixed").inner_text()
    assert fixed.startswith("analyst: add by Ana Analyst") and fixed.endswith(
        "(a span the model missed): toxicity toxic_span")
    mark = comment.locator(".ctext mark.toxic")
    assert mark.inner_text() == "a link" and mark.get_attribute("title") == "toxic words marked by an analyst"
    rows = httpx.get(f"{server.url}/api/corrections", params={"target_id": cid}).json()
    assert [(r["action"], r["layer"], r["label"], r["start_char"], r["end_char"], r["author"]) for r in rows] == [
        ("add", "toxicity", "toxic_span", 11, 17, "Ana Analyst")]
    task, = httpx.get(f"{server.url}/api/export/labelstudio").json()
    assert [(r["from_name"], r["value"]["start"], r["value"]["labels"]) for r in task["annotations"][0]["result"]
            if r["type"] == "labels"] == [("toxicity", 11, ["toxic_span"])]
    assert comment.locator("details.fix[hx-get] > summary").inner_text() == "correct a label"
    assert page.evaluate("window.__pwned") is None
