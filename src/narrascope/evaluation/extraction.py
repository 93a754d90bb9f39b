"""The Zyte article-extraction benchmark's metric: 4-token shingle F1 averaged over pages.

Mirrors upstream ``evaluate.py``: tokens are ``\\w+`` matches; shingles are a multiset of
4-token windows; per page, precision and recall come from the shingle overlap; they are
averaged over pages (pages with no predicted shingles are left out of precision, pages
with no gold shingles out of recall) and F1 is the harmonic mean of the two averages.
"""

from __future__ import annotations

import gzip
import json
import re
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

_TOKEN = re.compile(r"\w+", re.UNICODE)


def shingle_counts(text: str, n: int = 4) -> Counter[tuple[str, ...]]:
    tokens = _TOKEN.findall(text or "")
    return Counter(tuple(tokens[i:i + n]) for i in range(max(0, len(tokens) - n + 1)))


def page_scores(prediction: str, gold: str) -> tuple[float | None, float | None]:
    """(precision, recall) for one page; None where the side has no shingles."""
    pred, true = shingle_counts(prediction), shingle_counts(gold)
    tp = sum((pred & true).values())
    precision = tp / sum(pred.values()) if pred else None
    recall = tp / sum(true.values()) if true else None
    return precision, recall


@dataclass
class ExtractionScores:
    precision: float
    recall: float
    f1: float
    pages: int


def score(predictions: dict[str, str], gold: dict[str, str]) -> ExtractionScores:
    """Average per-page precision and recall over the gold pages (missing prediction = empty)."""
    ps, rs = [], []
    for key, gold_text in gold.items():
        p, r = page_scores(predictions.get(key, ""), gold_text)
        if p is not None:
            ps.append(p)
        if r is not None:
            rs.append(r)
    precision = sum(ps) / len(ps) if ps else 0.0
    recall = sum(rs) / len(rs) if rs else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return ExtractionScores(precision, recall, f1, len(gold))


def _narrascope(html: str, path: str, url: str | None, fast: bool) -> str:
    from narrascope.readers.html import parse_html

    return parse_html(html, path, url=url, fast=fast).body


def _trafilatura(html: str, path: str, url: str | None, fast: bool) -> str:
    import trafilatura

    return trafilatura.extract(html, url=url) or ""


EXTRACTORS: dict[str, Callable[[str, str, str | None, bool], str]] = {
    "narrascope": _narrascope, "trafilatura (extract, defaults)": _trafilatura,
}


def evaluate_directory(directory: Path, fast: bool = True, extractor: str = "narrascope") -> ExtractionScores:
    """Extract every ``html/<id>.html.gz`` (with narrascope's HTML reader by default) and score the bodies."""
    from narrascope.errors import ReadError
    from narrascope.readers.decode import decode

    truth = json.loads((Path(directory) / "ground-truth.json").read_text(encoding="utf-8"))
    gold = {key: value["articleBody"] for key, value in truth.items()}
    predictions = {}
    for key in gold:
        path = Path(directory) / "html" / f"{key}.html.gz"
        try:
            html = decode(gzip.decompress(path.read_bytes()))
            predictions[key] = EXTRACTORS[extractor](html, str(path), truth[key].get("url"), fast)
        except (OSError, ReadError):
            predictions[key] = ""
    return score(predictions, gold)


def print_scores(results: dict[str, ExtractionScores]) -> None:
    from rich.console import Console
    from rich.table import Table

    pages = next(iter(results.values())).pages
    table = Table(title=f"article extraction, {pages} pages (4-word shingles, averaged per page)")
    for column in ("extractor", "precision", "recall", "F1"):
        table.add_column(column, justify="right" if column != "extractor" else "left")
    for name, s in results.items():
        table.add_row(name, f"{s.precision:.3f}", f"{s.recall:.3f}", f"{s.f1:.3f}")
    Console().print(table)
