"""`narrascope eval extraction DIR [--compare]`: the Zyte benchmark's metric, on pages made here and on shared data."""

from __future__ import annotations

import gzip
import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from narrascope.cli import app
from narrascope.evaluation.extraction import (
    ExtractionScores,
    evaluate_directory,
    page_scores,
    score,
    shingle_counts,
)

BODY = ("The council met on Tuesday to discuss the budget for the coming year. Members argued for three hours "
        "about the cost of the new bridge, and the vote was put off until next month.")


def test_shingles_are_four_word_windows_counted_as_a_multiset():
    assert shingle_counts("a b c d a b c d") == {("a", "b", "c", "d"): 2, ("b", "c", "d", "a"): 1,
                                                 ("c", "d", "a", "b"): 1, ("d", "a", "b", "c"): 1}
    assert shingle_counts("three words only") == {}
    assert shingle_counts("") == {}


def test_page_scores_are_shingle_precision_and_recall():
    assert page_scores("a b c d e", "a b c d e") == (1.0, 1.0)
    assert page_scores("a b c d e f", "a b c d e") == (2 / 3, 1.0)  # 2 of 3 predicted shingles are gold
    assert page_scores("a b c d", "a b c d e f g") == (1.0, 0.25)
    assert page_scores("", "a b c d") == (None, 0.0)
    assert page_scores("a b c d", "") == (0.0, None)


def test_scores_average_over_pages_leaving_out_pages_without_shingles():
    s = score({"p1": "a b c d e", "p2": ""}, {"p1": "a b c d e f g", "p2": "w x y z", "p3": ""})
    # precision: p1 only (p2 and p3 predicted nothing) = 1.0; recall: p1 0.5, p2 0.0 (p3 has no gold shingles)
    assert (s.precision, s.recall, s.f1, s.pages) == (1.0, 0.25, 0.4, 3)
    assert score({}, {"p": "a b c d"}).f1 == 0.0


TABLE = """\
article extraction, 3 pages (4-word shingles, averaged per page)
┏━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━┳━━━━━━━━━━━┳━━━━━━━━┳━━━━━━━┓
┃ extractor                       ┃ precision ┃ recall ┃    F1 ┃
┡━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━╇━━━━━━━━━━━╇━━━━━━━━╇━━━━━━━┩
│ narrascope                      │     0.939 │  0.667 │ 0.780 │
│ trafilatura (extract, defaults) │     0.939 │  0.667 │ 0.780 │
└─────────────────────────────────┴───────────┴────────┴───────┘
"""


def test_scores_on_one_side_only_or_balanced_are_exact():
    assert score({}, {"p": "a b c d"}) == ExtractionScores(0.0, 0.0, 0.0, 1)  # nothing predicted: precision 0
    assert score({"p": "a b c d"}, {"p": ""}) == ExtractionScores(0.0, 0.0, 0.0, 1)  # no gold shingles: recall 0
    half = score({"p": "a b c d e f"}, {"p": "c d e f g h"})  # 1 of 3 shingles each way
    assert (half.precision, half.recall, half.f1) == pytest.approx((1 / 3, 1 / 3, 1 / 3))
    skew = score({"p": "a b c d e f"}, {"p": "a b c d e"})
    assert (skew.precision, skew.recall, skew.f1) == pytest.approx((2 / 3, 1.0, 0.8))


def zyte_layout(directory: Path, pages: dict[str, str]) -> Path:
    (directory / "html").mkdir(parents=True)
    truth = {}
    for key, body in pages.items():
        html = (f"<html><head><title>Budget {key}</title></head><body><nav>Home | World | Sport</nav>"
                f"<article><h1>Budget {key}</h1><p>{body}</p></article><footer>Copyright 2020</footer></body></html>")
        (directory / "html" / f"{key}.html.gz").write_bytes(gzip.compress(html.encode()))
        truth[key] = {"articleBody": body, "url": f"https://example.org/{key}"}
    truth["missing"] = {"articleBody": "a page whose html file is absent scores as empty", "url": None}
    (directory / "ground-truth.json").write_text(json.dumps(truth), encoding="utf-8")
    return directory


def test_eval_extraction_prints_the_table_and_compare_adds_trafilatura(tmp_path):
    directory = zyte_layout(tmp_path / "bench", {"a": BODY, "b": BODY.replace("bridge", "tunnel")})
    ours = evaluate_directory(directory)
    assert ours.pages == 3 and ours.precision == pytest.approx(31 / 33) and ours.recall == pytest.approx(
        2 / 3)  # 2 of 3 pages found whole; the title line adds 2 shingles to the 31 of each extracted body
    result = CliRunner().invoke(app, ["eval", "extraction", str(directory)], env={"COLUMNS": "120"})
    assert result.exit_code == 0, result.output
    assert "article extraction, 3 pages" in result.stdout
    rows = [line.split("│")[1:-1] for line in result.stdout.splitlines() if line.count("│") == 5]
    assert [[c.strip() for c in r] for r in rows] == [
        ["narrascope", f"{ours.precision:.3f}", f"{ours.recall:.3f}", f"{ours.f1:.3f}"]]
    compared = CliRunner().invoke(app, ["eval", "extraction", str(directory), "--compare"], env={"COLUMNS": "120"})
    assert compared.exit_code == 0, compared.output
    assert compared.stdout == TABLE  # headers, alignment and both rows: trafilatura reads these pages alike


def test_eval_extraction_without_ground_truth_fails(tmp_path):
    result = CliRunner().invoke(app, ["eval", "extraction", str(tmp_path)])
    assert result.exit_code == 1 and isinstance(result.exception, FileNotFoundError)


@pytest.mark.shared
@pytest.mark.slow
def test_eval_extraction_on_twenty_shared_benchmark_pages(shared_data, tmp_path):
    root = shared_data / "extraction"
    truth = json.loads((root / "ground-truth.json").read_text(encoding="utf-8"))
    keys = sorted(truth)[:20]
    (tmp_path / "html").mkdir()
    for key in keys:
        (tmp_path / "html" / f"{key}.html.gz").symlink_to(root / "html" / f"{key}.html.gz")
    (tmp_path / "ground-truth.json").write_text(json.dumps({k: truth[k] for k in keys}), encoding="utf-8")
    ours = evaluate_directory(tmp_path)
    bare = evaluate_directory(tmp_path, extractor="trafilatura (extract, defaults)")
    assert ours.pages == bare.pages == 20
    assert ours.f1 > 0.8 and bare.f1 > 0.8  # both read the articles; the exact figures are in benchmarks/README.md
    result = CliRunner().invoke(app, ["eval", "extraction", str(tmp_path), "--compare"], env={"COLUMNS": "120"})
    assert result.exit_code == 0 and f"{ours.f1:.3f}" in result.stdout and f"{bare.f1:.3f}" in result.stdout


LIST_STORY = ["The council met on Tuesday to discuss the budget for the coming year in the town hall.",
              "Members argued for three hours about the cost of the new bridge over the river Dnieper.",
              "The vote was put off until next month, the mayor told reporters outside the building.",
              "Residents who came to listen said they were tired of waiting for a decision on the matter."]


def test_fast_and_full_extraction_score_a_bulleted_story_apart(tmp_path):
    """Full mode's readability pass drops the two navigation links that fast mode keeps (65 gold words)."""
    items = "".join(f"<li>{sentence}</li>" for sentence in LIST_STORY)
    page = (f"<html><body><div><a href='/a'>Home</a> <a href='/b'>World</a></div><ul>{items}</ul>"
            "<span>Share this story with friends</span></body></html>")
    (tmp_path / "html").mkdir()
    (tmp_path / "html" / "list.html.gz").write_bytes(gzip.compress(page.encode()))
    truth = {"list": {"articleBody": " ".join(LIST_STORY), "url": "https://example.org/list"}}
    (tmp_path / "ground-truth.json").write_text(json.dumps(truth), encoding="utf-8")
    fast = evaluate_directory(tmp_path)  # fast is the default
    assert (fast.precision, fast.recall, fast.pages) == (pytest.approx(62 / 69), 1.0, 1)  # + Home World, + Share…
    full = evaluate_directory(tmp_path, fast=False)
    assert (full.precision, full.recall, full.pages) == (pytest.approx(62 / 67), 1.0, 1)  # + Share this story…
