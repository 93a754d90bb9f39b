"""The real browser adds a span the model missed, by keyboard, and sees it listed, highlighted and exported."""

from __future__ import annotations

import httpx
import pytest

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
    form = first.locator("details.add-span form")
    form.locator("select[name=layer]").focus()
    page.keyboard.press("Tab")  # to the label list
    assert page.evaluate("document.activeElement.name") == "label"
    form.locator("select[name=label]").select_option("Name_Calling,Labeling")
    form.locator("textarea[name=quote]").fill("idiots")
    form.locator("input[name=author]").fill("Ana Analyst")
    form.locator("input[name=note]").press("Enter")  # submits the form
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
