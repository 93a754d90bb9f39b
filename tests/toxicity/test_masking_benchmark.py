"""benchmarks/toxicity_masking.py: the comments it counts, and its table for the shipped model."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _benchmark():  # noqa: ANN202 - the benchmarks folder is not a package
    spec = importlib.util.spec_from_file_location("toxicity_masking", ROOT / "benchmarks" / "toxicity_masking.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


bench = _benchmark()


def test_comments_come_from_the_demo_corpus_and_the_thread_fixtures(tmp_path):
    items = bench.comments(tmp_path)  # no extraction pages under this shared folder
    assert ("reddit_thread.json", "State TV said 5,000 people. Absurd.") in items
    assert ("reddit_shreddit.html", "Potash exports go through Klaipėda, Lithuania can squeeze them.") in items
    assert items == bench.comments(tmp_path)


def test_table_counts_every_comment_and_the_masked_ones(tmp_path, monkeypatch, capsys):
    monkeypatch.setattr(sys, "argv", ["toxicity_masking.py", "--model", "shipped", "--shared", str(tmp_path), "--list"])
    bench.main()
    out = capsys.readouterr().out.splitlines()
    n = len(bench.comments(tmp_path))
    listed = [line for line in out if line.startswith("shipped\t")]
    row = [line for line in out if line.startswith("| shipped |")]
    assert len(row) == 1
    cells = [c.strip() for c in row[0].strip("|").split("|")]
    assert cells[1] == str(n) and cells[4] == str(len(listed))
    # each listed comment is one of the counted ones, with a masking label
    assert {line.split("\t")[2] for line in listed} <= {"hatespeech", "offensive"}
    assert len(listed) <= n
