"""The analyst's workbench in the real browser: tables sorted from the keyboard, label popovers, scannable threads."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

pytestmark = pytest.mark.browser
#: where the screenshots for a reviewer go (NARRASCOPE_SCREENSHOTS), else the git-ignored artifacts folder
SHOTS = Path(os.environ.get("NARRASCOPE_SCREENSHOTS", Path(__file__).resolve().parents[2] / "artifacts" / "web"))
DENSE = "The truth about the so-called opposition"
SPARSE = "Fuel prices talks in Minsk"


def shot(page, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


def first_titles(page, table: str) -> list[str]:
    return page.locator(f"#{table}-table tbody tr td:first-child").all_inner_texts()


def doc_id(server, title: str) -> str:
    import httpx

    rows = httpx.get(f"{server.url}/documents", params={"format": "json"}).json()["items"]
    return next(r["id"] for r in rows if r["title"] == title)


def test_tables_sort_from_the_keyboard(seed_server, page):
    page.goto(f"{seed_server.url}/documents")
    assert first_titles(page, "documents")[0] == DENSE
    shot(page, "documents-table")
    link = page.locator("#documents-table thead th a", has_text="comments").first
    link.focus()
    page.keyboard.press("Enter")  # the heading is a link: Enter sorts
    page.wait_for_url("**/documents?sort=comments**")
    assert first_titles(page, "documents")[0] == SPARSE
    header = page.locator('#documents-table thead th[aria-sort]')
    assert header.inner_text().startswith("comments") and header.get_attribute("aria-sort") == "descending"
    page.locator("#documents-table thead th a", has_text="comments").first.focus()
    page.keyboard.press("Enter")  # again: ascending
    page.wait_for_url("**order=asc**")
    assert page.locator('#documents-table thead th[aria-sort]').get_attribute("aria-sort") == "ascending"
    assert first_titles(page, "documents")[-1] == SPARSE
    page.goto(f"{seed_server.url}/threads")
    assert first_titles(page, "threads")[0] == SPARSE
    shot(page, "threads-table")
    assert page.evaluate("window.__pwned") is None


def test_a_label_popover_opens_and_closes_from_the_keyboard(seed_server, page):
    page.goto(f"{seed_server.url}/documents/{doc_id(seed_server, DENSE)}")
    button = page.locator("ul.spans button.chip", has_text="Loaded_Language").first
    target = button.get_attribute("popovertarget")
    pop = page.locator(f"[id='{target}']")
    assert not pop.is_visible()
    button.focus()
    page.keyboard.press("Enter")
    pop.wait_for(state="visible")
    text = pop.inner_text()
    assert "Words or phrases with strong emotional weight" in text  # the declared definition
    assert "technique confidence\n0.97" in text and "span score\n0.41" in text
    assert "minilm-ptc-20261204" in text and "all-MiniLM-L6-v2 token tagger" in text
    shot(page, "popover")
    page.keyboard.press("Tab")  # the popover's link is next in the tab order
    assert page.evaluate("document.activeElement.textContent") == "Loaded_Language in the glossary"
    page.keyboard.press("Escape")
    pop.wait_for(state="hidden")
    button.focus()
    page.keyboard.press("Enter")
    pop.wait_for(state="visible")
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")  # follows the link to the glossary entry
    page.wait_for_url("**/glossary#g-techniques-Loaded-Language")
    assert page.locator("#g-techniques-Loaded-Language").is_visible()
    assert page.evaluate("window.__pwned") is None


def test_claims_are_highlighted_with_score_and_threshold(seed_server, page):
    page.goto(f"{seed_server.url}/documents/{doc_id(seed_server, DENSE)}")
    claim = page.locator("#body mark.claim", has_text="Unemployment doubled")
    assert claim.count() == 1 and "check-worthy claim 1.00" in claim.get_attribute("title")
    box = page.locator("li.claimbox", has_text="Unemployment doubled")
    assert "score 1.00 · threshold 0.34" in box.inner_text() and "no matched debunk" in box.inner_text()


def test_a_thread_reads_as_one_line_of_labels_per_comment(seed_server, page):
    page.goto(f"{seed_server.url}/threads/{doc_id(seed_server, SPARSE)}")
    summary = page.locator("section.summary").inner_text()
    assert summary.startswith("24 comments · 4% flagged (1 hate speech)")
    assert "Loaded_Language 23" in summary
    hateful = page.locator("li.comment", has_text="angryman")
    assert hateful.locator(".ctext .masked").first.inner_text() == "v•••••"  # masked in place, not offsets
    assert "vermin" not in hateful.locator(".ctext").first.inner_text()
    assert "toxic span" not in hateful.inner_text()
    first = page.locator("li.comment").first
    assert first.locator("div.labels").inner_text() == "techniques: Loaded_Language claims: claim"
    button = hateful.locator("button.chip", has_text="hatespeech")
    button.focus()
    page.keyboard.press("Enter")  # the popover's content comes when it opens
    pop = page.locator(f"[id='{button.get_attribute('popovertarget')}']")
    pop.locator(".pop-def").wait_for()
    assert "Attacks or demeans people for who they are" in pop.inner_text()
    assert "hatespeech 0.93" in pop.inner_text()
    shot(page, "thread")
    page.keyboard.press("Escape")
    hateful.locator("details.flagged summary").click()
    assert hateful.locator("details.flagged mark.toxic").inner_text() == "vermin"
    assert page.evaluate("window.__pwned") is None


def test_a_burst_is_said_against_the_threads_own_pace(seed_server, page):
    page.goto(f"{seed_server.url}/threads/{doc_id(seed_server, 'What happened on the square last night')}")
    signal = page.locator("li.signal").first.inner_text()
    assert signal.startswith("burst: 17 comments in 16 min (2020-08-17 20:00–20:16 UTC). At this age of the thread, "
                             "the normal pace of a thread's comments (learnt from the corpus) and this thread's "
                             "neighbouring hours predict 2.7 comments per 1 h 15 min: this window holds 6.4 times "
                             "that.")
    assert "score" not in signal


def test_search_finds_the_other_spelling_and_masks_slurs(seed_server, page):
    page.goto(f"{seed_server.url}/search")
    page.fill("input[name=q]", "color revolution")
    page.keyboard.press("Enter")
    page.wait_for_url("**/search?q=color+revolution**")
    assert sorted(page.locator("ol.hits > li > a").all_inner_texts()) == [SPARSE, "They keep lying"]
    assert page.locator("ol.hits mark", has_text="colour").count() == 1
    page.goto(f"{seed_server.url}/search?q=country&kind=comments")
    hit = page.locator("ol.hits > li").first
    assert hit.locator("a").inner_text() == f"comment #24 by angryman on “{SPARSE}”"
    assert hit.locator(".snippet").inner_text() == "These v••••• should be thrown out of the country, all of them."
    assert hit.locator(".snippet mark").inner_text() == "country"
    shot(page, "search")
    assert page.evaluate("window.__pwned") is None


def test_undated_documents_have_their_bar_and_a_date_filter_says_what_it_leaves_out(seed_server, page):
    page.goto(f"{seed_server.url}/")
    assert page.locator("svg rect.undated title").text_content() == "\u2068undated\u2069: 1"
    assert "1 undated document: counted in the “undated” bar" in page.locator("#charts p.count").inner_text()
    page.fill("input[name=start]", "2020-08-01")
    page.locator("#filters button[type=submit]").click()  # htmx swaps the charts in place
    page.locator("#charts .undated-note", has_text="left out").wait_for()
    assert page.locator("#charts .undated-note").inner_text() == "1 undated document is left out by the date filter."
    assert page.locator("svg rect.undated").count() == 0
    assert first_titles(page, "documents")[0] == DENSE  # the overview's top list: density
    shot(page, "overview")


def test_an_export_link_downloads_what_the_table_shows(seed_server, page):
    page.goto(f"{seed_server.url}/documents?sort=comments")
    with page.expect_download() as info:
        page.locator(".exports a", has_text="CSV").click()
    lines = open(info.value.path(), encoding="utf-8").read().splitlines()
    assert lines[0].startswith("id,title,outlet,published") and SPARSE in lines[1]
