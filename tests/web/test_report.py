"""``narrascope report``: one self-contained file that opens offline and runs nothing."""

from __future__ import annotations

import re

import pytest
from tests.web.conftest import IMG, XSS
from typer.testing import CliRunner


@pytest.fixture()
def report(fresh_db, tmp_path):
    from narrascope.cli import app

    out = tmp_path / "report.html"
    result = CliRunner().invoke(app, ["report", "--db", fresh_db, "--out", str(out), "--top", "20"])
    assert result.exit_code == 0, result.output
    return out


def test_report_is_self_contained(report):
    html = report.read_text(encoding="utf-8")
    assert "<script" not in html and "<link" not in html and not re.search(r"<[a-z][^>]*\ssrc=", html)
    assert XSS not in html and IMG not in html and "&lt;script&gt;" in html
    assert "Corpus overview" in html and "<svg" in html and '<mark class="t8"' in html
    assert "Protests are a Western-run colour revolution" in html  # narrative table
    assert "Loaded_Language" in html  # technique table


@pytest.mark.browser
def test_report_opens_offline(report, page):
    leaving: list[str] = []

    def guard(route):
        if route.request.url.startswith(("file:", "data:")):
            route.continue_()
        else:
            leaving.append(route.request.url)
            route.abort()

    page.route("**/*", guard)
    page.goto(report.as_uri())
    page.wait_for_load_state("load")
    assert leaving == []
    assert page.locator("h1").first.inner_text() == "Corpus overview"
    assert page.locator("svg").count() >= 4
    assert page.evaluate("window.__pwned") is None and page.dialogs == []


@pytest.fixture()
def seed_report(seed_db, tmp_path):
    from narrascope.web.report import write_report

    out = tmp_path / "seed.html"
    found: dict = {}
    write_report(seed_db, out, found=found)
    return out.read_text(encoding="utf-8"), found


def test_report_carries_the_tables_the_masked_threads_and_the_glossary(seed_report):
    html, found = seed_report
    documents = html.split('id="documents-table"', 1)[1].split("</table>", 1)[0]
    titles = re.findall(r"<tr><td class=\"col-title\">(?:<a href=\"#doc-[^\"]+\">)?<bdi[^>]*>(.*?)</bdi>",
                        documents)
    assert titles[:2] == ["The truth about the so-called opposition", "They keep lying"]
    threads = html.split('id="threads"', 1)[1].split('id="techniques"', 1)[0]
    assert '<span class="masked">v•••••</span> should be thrown out' in threads
    assert "vermin" not in html  # masked, with no way to unmask it in the file
    assert 'id="g-techniques-Loaded-Language"' in html and 'href="#g-techniques-Loaded-Language"' in html
    from narrascope.models import crosslingual

    assert f"version <bdi>minilm-ptc-20261204+multilingual:{crosslingual.version('techniques')}</bdi>" in html
    assert "<script" not in html
    assert found["densest"]["title"] == "The truth about the so-called opposition"
    assert found["densest"]["techniques"][:2] == ["Bandwagon,Reductio_ad_hitlerum", "Black-and-White_Fallacy"]
    assert (found["flagged_thread"]["title"], found["flagged_thread"]["flagged"]) == ("Fuel prices talks in Minsk", 1)
    assert found["narratives"][:2] == [("Protests are a Western-run colour revolution", 2),
                                      ("The West is hostile to Russia", 2)]  # the shipped model, sorted by documents


def test_the_report_needs_no_server_extra(seed_db, tmp_path):
    """The base install has Jinja2 but not FastAPI: the report is written all the same."""
    import subprocess
    import sys

    out = tmp_path / "base.html"
    code = ("import sys\nfor m in ('fastapi', 'starlette', 'uvicorn', 'httpx', 'playwright'):\n"
            "    sys.modules[m] = None\n"
            "from narrascope.web.report import write_report\n"
            f"write_report({seed_db!r}, {str(out)!r})\n")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr[-2000:]
    assert "The truth about the so-called opposition" in out.read_text(encoding="utf-8")


@pytest.mark.browser
def test_a_report_popover_opens_from_the_keyboard_offline(seed_report, tmp_path, page):
    html, _ = seed_report
    path = tmp_path / "seed-report.html"
    path.write_text(html, encoding="utf-8")
    page.route("**/*", lambda route: route.continue_() if route.request.url.startswith("file:") else route.abort())
    page.goto(path.as_uri())
    button = page.locator("article.doc button.chip", has_text="Loaded_Language").first
    button.focus()
    page.keyboard.press("Enter")
    pop = page.locator(f"[id='{button.get_attribute('popovertarget')}']")
    pop.wait_for(state="visible")
    assert "technique confidence" in pop.inner_text() and "minilm-ptc-20261204" in pop.inner_text()
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")  # the glossary link stays in the file
    assert page.url.endswith("#g-techniques-Loaded-Language")
    assert page.evaluate("window.__pwned") is None
