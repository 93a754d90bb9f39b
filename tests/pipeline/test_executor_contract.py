"""The Executor contract, run against every registered executor."""

from __future__ import annotations

from pathlib import Path

import pytest

from narrascope import registry
from narrascope.model import Annotation
from narrascope.pipeline import Component, get_executor
from narrascope.readers import iter_inputs
from narrascope.store import open_store

PAGE = ("<html><head><title>Story {n}</title></head><body><article><h1>Story {n}</h1><p>Report number {n}: "
        "people gathered in the square of town {n} and the police detained {n} of them, witnesses said. "
        "The mayor of town {n} blamed foreign agents for the unrest.</p>{extra}</article></body></html>")


class ShoutComponent(Component):
    """A test plugin: marks every upper-case word; raises on documents that ask it to."""

    name = "shout"
    version = "1"
    layer = "shout"

    def __init__(self, fragile: bool = True) -> None:
        self.fragile = fragile

    def __call__(self, doc):
        if self.fragile and "EXPLODE" in doc.body:
            raise ValueError("this document breaks the component")
        pos = 0
        for word in doc.body.split():
            start = doc.body.index(word, pos)
            pos = start + len(word)
            if word.isupper() and len(word) > 1:
                doc.annotations.append(Annotation(doc.id, "document", start, pos, self.layer, "upper", 1.0,
                                                  self.name, self.version))
        return doc


@pytest.fixture(autouse=True)
def shout_registered():
    registry.components.register("shout")(ShoutComponent)
    yield
    registry.components.unregister("shout")


@pytest.fixture()
def corpus_dir(tmp_path) -> Path:
    root = tmp_path / "pages"
    root.mkdir()
    for n in range(6):
        extra = "<p>He said NATO and the EU paid them.</p>" if n % 2 else ""
        (root / f"p{n}.html").write_text(PAGE.format(n=n, extra=extra))
    (root / "empty.html").write_bytes(b"")
    (root / "broken.bin").write_bytes(b"\x00\x01\x02" * 100)
    (root / "explode.html").write_text(PAGE.format(n="EXPLODE", extra=""))
    return root


EXECUTORS = {name: {} for name in registry.executors.names()} | {
    "local": {"batch_size": 4}, "local-2-workers": {"batch_size": 4, "workers": 2},
    "ray": {"batch_size": 4, "actors": 2}}
MARKS = {"ray": [pytest.mark.ray, pytest.mark.slow]}


@pytest.fixture(params=[pytest.param(name, marks=MARKS.get(name, [])) for name in sorted(EXECUTORS)])
def executor(request):
    if request.param == "ray":
        pytest.importorskip("ray", reason="the ray executor needs the [ray] extra")
    return get_executor(request.param.split("-")[0], **EXECUTORS[request.param])


def _stored(store) -> tuple:
    docs = [(d.id, d.source, d.body, d.title) for d in store.documents()]
    comments = [(c.id, c.parent, tuple(c.refs), c.text) for c in store.comments()]
    annotations = [(a.id, a.target, a.start, a.end, a.label, round(a.score or 0, 6)) for a in store.annotations()]
    return docs, comments, annotations, [(f["input"], f["reason"]) for f in store.failures()]


def test_every_executor_stores_what_the_plain_local_one_stores(executor, corpus_dir, tmp_path):
    with open_store(str(tmp_path / "ref.duckdb")) as ref, open_store(str(tmp_path / "c.duckdb")) as store:
        get_executor("local").run(iter_inputs([str(corpus_dir)]), ref, [ShoutComponent()])
        executor.run(iter_inputs([str(corpus_dir)]), store, [ShoutComponent()])
        assert _stored(store) == _stored(ref)


def test_bad_inputs_fail_alone_and_the_rest_is_stored(executor, corpus_dir, tmp_path):
    with open_store(str(tmp_path / "c.duckdb")) as store:
        summary = executor.run(iter_inputs([str(corpus_dir)]), store, [ShoutComponent()])
        assert summary.inputs == 9 and summary.documents == 7 and not summary.ok
        failed = {Path(f["input"]).name: f["reason"] for f in store.failures()}
        assert set(failed) == {"empty.html", "broken.bin", "explode.html"}
        assert "empty" in failed["empty.html"] and "shout: ValueError: this document breaks" in failed["explode.html"]
        assert store.counts()["documents"] == 7  # the page a component broke on is kept, without its work
        shouts = [a for a in store.annotations(layer="shout")]
        assert len(shouts) == 6 and {a.producer_version for a in shouts} == {"1"}
        # the component that broke is not marked as done there: the next run tries it again
        assert [Path(d.source).name for d in store.pending("shout", "1")] == ["explode.html"]
        assert f"{next(d.id for d in store.pending('shout', '1'))}|shout" in {
            r[0] for r in store.db.execute("SELECT input_key FROM failures").fetchall()}


def test_a_rerun_skips_stored_inputs_and_adds_nothing(executor, corpus_dir, tmp_path):
    with open_store(str(tmp_path / "c.duckdb")) as store:
        executor.run(iter_inputs([str(corpus_dir)]), store, [ShoutComponent()])
        before = store.counts()
        again = executor.run(iter_inputs([str(corpus_dir)]), store, [ShoutComponent()])
        assert again.skipped == 7 and again.documents == 0
        assert store.counts() == before  # it retried shout on explode.html only: broken again, still pending
        # like the inputs that could not be read, the page shout broke on is tried again and fails again
        assert sorted(Path(source).name for source, _ in again.failures) == ["broken.bin", "empty.html", "explode.html"]
        assert [Path(d.source).name for d in store.pending("shout", "1")] == ["explode.html"]


def test_a_document_a_component_broke_on_is_analysed_once_it_works(executor, corpus_dir, tmp_path):
    with open_store(str(tmp_path / "c.duckdb")) as store:
        executor.run(iter_inputs([str(corpus_dir)]), store, [ShoutComponent()])
        executor.run(iter_inputs([str(corpus_dir)]), store, [ShoutComponent()])  # broken twice: tried twice
        shouts_before = list(store.annotations(layer="shout"))
        mended = executor.run(iter_inputs([str(corpus_dir)]), store, [ShoutComponent(fragile=False)])
        assert sorted(Path(source).name for source, _ in mended.failures) == ["broken.bin", "empty.html"]
        assert store.pending("shout", "1") == []
        explode = {a.target for a in store.annotations(layer="shout")} - {a.target for a in shouts_before}
        assert mended.annotations["shout"] >= 1 and len(explode) == 1
        # its failure is no longer listed; the inputs that could not be read still are
        assert {Path(f["input"]).name for f in store.failures()} == {"empty.html", "broken.bin"}


def test_a_new_component_runs_over_what_was_ingested_before(executor, corpus_dir, tmp_path):
    with open_store(str(tmp_path / "c.duckdb")) as store:
        executor.run(iter_inputs([str(corpus_dir)]), store, [])
        assert store.counts()["annotations"] == 0
        summary = executor.run(iter_inputs([str(corpus_dir)]), store, [ShoutComponent()])
        assert summary.annotations == {"shout": 6}
        assert len(list(store.annotations(layer="shout"))) == 6
        # every stored page was analysed but the one shout breaks on, which waits for the next run
        assert [Path(d.source).name for d in store.pending("shout", "1")] == ["explode.html"]
