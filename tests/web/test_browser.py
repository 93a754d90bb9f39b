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
