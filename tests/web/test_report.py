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
