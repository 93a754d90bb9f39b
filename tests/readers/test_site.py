"""The outlet of extracted text without metadata: the site its furniture names, or its folder's name."""

from __future__ import annotations

from narrascope.readers import parse
from narrascope.readers.site import domains, site_in_path, site_in_text


def test_a_credit_line_or_a_banner_names_the_site():
    assert site_in_text("Skip\nTitle\n\nBody text.\n© 2020 Eastern-Ledger.example. All rights reserved") == \
        "eastern-ledger.example"
    assert site_in_text("www.truth-front.example | Home\nTitle\nbody") == "truth-front.example"
    assert site_in_text("Source: https://www.baltic-wire.example/news/1\nTitle") == "baltic-wire.example"
    assert site_in_text("Officials said so.\nRead more at rt.com and elsewhere, they said.\nMore.") is None
    assert domains("file.txt, script.py, U.S. and e.g. not sites") == []


def test_the_folder_named_after_the_site():
    assert site_in_path("/data/pages/eastern-ledger.example/post.txt") == "eastern-ledger.example"
    assert site_in_path("pages/www.rt.com/a.txt") == "rt.com"
    assert site_in_path("/data/post.html.txt") is None
    assert site_in_path("https://example.com/a") is None


def test_text_pages_get_the_outlet(tmp_path):
    folder = tmp_path / "steppe-observer.example"
    folder.mkdir()
    page = folder / "post.txt"
    page.write_text("Title of the post\n\nBy Someone\n\nThe body of the post goes on for a while here.\n",
                    encoding="utf-8")
    assert [d.outlet for d in parse(str(page))] == ["steppe-observer.example"]
    credited = tmp_path / "credited.txt"
    credited.write_text("Title\n\nThe body of the post goes on for a while here.\n\n© 2021 daily-truth.example\n",
                        encoding="utf-8")
    assert [d.outlet for d in parse(str(credited))] == ["daily-truth.example"]
