"""benchmarks/layers_speed.py: its comment-heavy corpus, its tables, and one real run of this tree on two pages."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
DEMO = ROOT / "src" / "narrascope" / "demo" / "corpus"


def _benchmark():  # noqa: ANN202 - the benchmarks folder is not a package
    spec = importlib.util.spec_from_file_location("layers_speed", ROOT / "benchmarks" / "layers_speed.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # its dataclass looks its module up there
    spec.loader.exec_module(module)
    return module


bench = _benchmark()


def test_thread_corpus_alternates_forum_and_reddit_pages_and_is_reproducible(tmp_path: Path) -> None:
    assert bench.thread_corpus(tmp_path / "a", DEMO, pages=3, comments=5) == 15
    assert sorted(p.name for p in (tmp_path / "a").iterdir()) == ["forum-000.html", "forum-002.html",
                                                                  "reddit-001.json"]
    bench.thread_corpus(tmp_path / "b", DEMO, pages=3, comments=5)
    for page in (tmp_path / "a").iterdir():
        assert page.read_bytes() == (tmp_path / "b" / page.name).read_bytes()
    forum = (tmp_path / "a" / "forum-000.html").read_text()
    assert forum.count('class="post has-profile') == 5
    assert forum.count('<div class="content">') == 5


def test_demo_sentences_are_whole_sentences_of_the_demo_corpus() -> None:
    sentences = bench.demo_sentences(DEMO)
    assert "Spontaneous crowds don't print thousands of identical flags overnight." in sentences
    assert "Anyone who doubts this should ask who printed the flags." in sentences
    assert not [s for s in sentences if "|" in s or "<" in s or s[-1] not in ".?!"]


def test_extraction_corpus_copies_the_first_pages_by_name(tmp_path: Path) -> None:
    pages = tmp_path / "pages"
    pages.mkdir()
    for name in ("c.html.gz", "a.html", "b.html.gz", "ground-truth.json"):
        (pages / name).write_bytes(name.encode())
    assert bench.extraction_corpus(tmp_path / "out", pages, limit=2) == 2
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == ["a.html", "b.html.gz"]


def test_weights_count_onnx_npz_and_bin_files_only(tmp_path: Path) -> None:
    model = tmp_path / "src" / "narrascope" / "layer" / "model"
    model.mkdir(parents=True)
    (model / "graph.int8.onnx").write_bytes(b"x" * 2_000_000)
    (model / "heads.npz").write_bytes(b"x" * 500_000)
    (model / "vocab.bin").write_bytes(b"x" * 250_000)
    (model / "tokenizer.json").write_bytes(b"x" * 9_000_000)
    assert bench.weights_mb(tmp_path) == pytest.approx(2.75)


def test_tables_show_speed_up_and_a_layer_one_tree_did_not_store() -> None:
    runs = [bench.Run("comments", "baseline", 8, 40.0, 900.0, 124.3, {"comments": 320, "annotations toxicity on "
                                                                   "comments": 330}),
            bench.Run("comments", "candidate", 8, 10.0, 450.0, 25.0, {"comments": 320})]
    assert bench.speed_table(runs).splitlines() == [
        "| corpus | tree | pages | comments | seconds | pages/s | comments/s | peak RSS MB | weights MB |",
        "|---|---|---|---|---|---|---|---|---|",
        "| comments | baseline | 8 | 320 | 40.0 | 0.20 | 8.0 | 900 | 124.3 |",
        "| comments | candidate | 8 | 320 | 10.0 | 0.80 | 32.0 | 450 | 25.0 |",
        "",
        "comments: speed-up candidate / baseline 4.00x"]
    assert bench.rows_table(runs).splitlines() == [
        "| stored | comments baseline | comments candidate |",
        "|---|---|---|",
        "| comments | 320 | 320 |",
        "| annotations toxicity on comments | 330 | 0 |"]


@pytest.mark.slow
def test_this_tree_analyzes_two_thread_pages_with_every_layer(tmp_path: Path) -> None:
    comments = bench.thread_corpus(tmp_path / "threads", DEMO, pages=2, comments=12)
    [run] = bench.measure({"candidate": ROOT}, {"comments": (tmp_path / "threads", 2)}, tmp_path, threads=1, repeat=1)
    assert (run.corpus, run.tree, run.pages, run.returncode) == ("comments", "candidate", 2, 0)
    assert run.seconds > 0 and run.peak_rss_mb > 50
    assert {k: run.rows[k] for k in ("documents", "comments", "failures")} == {
        "documents": 2, "comments": comments, "failures": 0}
    assert [run.rows.get(f"documents {layer} ran on") for layer in bench.LAYERS] == [2, 2, 2, 2]
    assert run.rows["annotations toxicity on comments"] >= comments  # a label on every comment, spans besides
    assert bench.speed_table([run]).splitlines()[2].startswith(f"| comments | candidate | 2 | {comments} | ")
