"""The real browser (Debian's chromium through Playwright) against a real ``narrascope serve`` process."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.browser


def hostile(server) -> str:
    import httpx

    items = httpx.get(f"{server.url}/api/documents", params={"outlet": "hostile.example"}).json()["items"]
    return items[0]["id"]


def assert_nothing_ran(page) -> None:
    assert page.evaluate("typeof window.htmx") == "object", "the vendored script itself must load"
    assert page.evaluate("window.__pwned") is None, "a payload from the corpus ran"
    assert page.dialogs == []


def test_no_payload_runs_anywhere(server, page):
    doc = hostile(server)
    for path in ["/", f"/documents/{doc}", f"/threads/{doc}", "/search?q=staged", "/search?q=idiots&kind=comments",
                 "/narratives"]:
        page.goto(server.url + path)
        page.wait_for_load_state("networkidle")
        assert_nothing_ran(page)
    page.goto(f"{server.url}/threads/{doc}")
    page.click("details.flagged summary")  # revealing flagged text must not run it either
    assert page.is_visible("text=You are all idiots")
    page.goto(f"{server.url}/documents/{doc}")
    links = page.eval_on_selector_all("a[href]", "els => els.map(e => e.getAttribute('href'))")
    assert not [h for h in links if h.lower().startswith("javascript:")]
    assert page.locator("mark.t8").count() >= 1  # Loaded_Language highlighted in its colour
    assert_nothing_ran(page)


def test_filters_change_the_charts(server, page):
    page.goto(server.url + "/")
    before = page.inner_html("#charts")
    assert "hostile.example" in before
    page.select_option("select[name=outlet]", "reddit.com")  # HTMX swaps the chart fragment, no reload
    page.locator("#charts p.count", has_text="1 documents match").wait_for()
    after = page.inner_html("#charts")
    assert after != before and "hostile.example" not in after.split("Top documents")[0]
    assert page.url == server.url + "/"  # swapped in place
    assert_nothing_ran(page)


def test_a_correction_round_trips(server, page):
    doc = hostile(server)
    page.goto(f"{server.url}/documents/{doc}")
    first = page.locator("ul.spans li").first
    first.locator("details.fix summary").click()
    first.locator("select[name=action]").select_option("relabel")
    first.locator("input[name=label]").fill("Doubt")
    first.locator("input[name=author]").fill("Ana Analyst")
    first.locator("button[type=submit]").click()
    page.wait_for_load_state("networkidle")
    assert page.url.startswith(f"{server.url}/documents/{doc}")
    assert page.locator("p.fixed").first.inner_text().startswith("analyst: relabel → Doubt by Ana Analyst")
    page.reload()
    assert page.locator("p.fixed").count() == 1
    import httpx

    rows = httpx.get(f"{server.url}/api/corrections", params={"target_id": doc}).json()
    assert rows[0]["author"] == "Ana Analyst" and rows[0]["label"] == "Doubt"
    assert_nothing_ran(page)


def test_a_comment_correction_form_loads_when_opened(server, page):
    import httpx

    doc = hostile(server)
    fetched: list[str] = []
    page.on("request", lambda r: fetched.append(r.url) if r.url.endswith("/fix") else None)
    page.goto(f"{server.url}/threads/{doc}")
    first = page.locator("li.comment").first
    assert page.locator("li.comment form").count() == 0  # no form until the analyst asks for one
    first.locator("details.fix[hx-get] > summary").click()  # htmx fetches the form on the first toggle
    first.locator("details.fix form select[name=annotation_id]").wait_for()
    assert first.locator("details.fix a.fix-load").count() == 0  # the fallback link gave way to the form
    assert first.locator("details.fix[hx-get] > summary").inner_text() == "correct a label"  # beside the summary
    first.locator("details.fix[hx-get] > summary").click()  # closed and opened again: the same form, no new request
    first.locator("details.fix[hx-get] > summary").click()
    page.wait_for_load_state("networkidle")
    assert fetched == [f"{server.url}/comments/{doc}-c1/fix"]
    assert page.locator("li.comment form").count() == 2  # only this comment's: correct a label, add a span
    fix = first.locator("details.fix[hx-get] > form")
    options = first.locator("select[name=annotation_id] option").all_inner_texts()
    assert options[0] == "toxicity: offensive" and "narratives: hostile-west" in options
    fix.locator("select[name=action]").select_option("reject")
    fix.locator("input[name=author]").fill("Ana Analyst")
    fix.locator("input[name=note]").fill("irony")
    fix.locator("button[type=submit]").click()
    page.wait_for_load_state("networkidle")
    assert page.url.startswith(f"{server.url}/threads/{doc}#a-tox-")
    fixed = page.locator("li.comment").first.locator("p.fixed")
    assert fixed.first.inner_text().startswith("analyst: reject by Ana Analyst")
    rows = httpx.get(f"{server.url}/api/corrections", params={"target_id": f"{doc}-c1"}).json()
    assert [(r["action"], r["author"], r["note"]) for r in rows] == [("reject", "Ana Analyst", "irony")]
    assert_nothing_ran(page)


def test_without_script_the_link_opens_the_correction_form(server, browser):
    import httpx

    doc = hostile(server)
    context = browser.new_context(java_script_enabled=False)
    try:
        page = context.new_page()
        page.goto(f"{server.url}/threads/{doc}")
        first = page.locator("li.comment").first
        first.locator("details.fix summary").click()
        first.locator("a.fix-load").click()
        page.wait_for_url(f"{server.url}/comments/{doc}-c1/fix")
        fix = page.locator("form:has(select[name=action])")  # the page also holds the add-a-span form
        fix.locator("select[name=action]").select_option("confirm")
        fix.locator("input[name=author]").fill("Ana Analyst")
        fix.locator("button[type=submit]").click()
        page.wait_for_url(f"{server.url}/threads/{doc}#a-tox-*")
        assert page.locator("p.fixed").first.inner_text().startswith("analyst: confirm by Ana Analyst")
    finally:
        context.close()
    rows = httpx.get(f"{server.url}/api/corrections", params={"target_id": f"{doc}-c1"}).json()
    assert [(r["action"], r["author"]) for r in rows] == [("confirm", "Ana Analyst")]
