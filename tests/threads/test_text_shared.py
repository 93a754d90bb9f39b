"""The plain-text parser on text trafilatura extracts from the shared news pages (not copied)."""

from __future__ import annotations

import gzip
import json
import re
from pathlib import Path

import pytest

from narrascope.threads.text import parse_text_page


@pytest.mark.shared
@pytest.mark.slow
def test_extracted_news_articles_stay_articles(shared_data: Path) -> None:
    """News pages without comments: no false threads or listings, and the body keeps the article."""
    import trafilatura

    root = shared_data / "extraction"
    gold = json.loads((root / "ground-truth.json").read_text(encoding="utf-8"))
    words = re.compile(r"\w+")
    lost, pages = 0.0, 0
    for path in sorted((root / "html").glob("*.html.gz")):
        html = gzip.decompress(path.read_bytes()).decode("utf-8", "replace")
        text = trafilatura.extract(html, include_comments=False, fast=True) or ""
        if not text.strip():
            continue
        doc = parse_text_page(text, str(path))
        assert doc.kind == "article" and not doc.comments, path.name
        expected = set(words.findall(gold[path.name.split(".")[0]]["articleBody"].lower()))
        present = set(words.findall(text.lower())) & expected
        kept = set(words.findall(doc.body.lower())) & expected
        lost += len(present - kept) / max(1, len(present))
        pages += 1
    assert pages >= 100
    assert lost / pages < 0.01  # furniture removal and the title line cost under 1% of the article's words
