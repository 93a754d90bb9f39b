"""A component that breaks on one new document costs that component on that document, nothing else."""

from __future__ import annotations

import json

import pytest

from narrascope import registry
from narrascope.model import Annotation
from narrascope.pipeline import Component, get_executor
from narrascope.readers import iter_inputs
from narrascope.store import open_store


class MinskComponent(Component):
    """A test plugin: marks every document; raises on bodies that mention Minsk."""

    name = "minsk_breaks"
    version = "1"

    def __init__(self, fragile: bool = True) -> None:
        self.fragile = fragile

    def __call__(self, doc):
        if self.fragile and "Minsk" in doc.body:
            raise ValueError("Minsk breaks this component")
        doc.annotations.append(Annotation(doc.id, "document", 0, 1, "marks", "seen", 1.0, self.name, self.version))
        return doc


class LengthComponent(Component):
    """A test plugin that never fails: one annotation per document."""

    name = "length_marks"
    version = "1"

    def __call__(self, doc):
        doc.annotations.append(Annotation(doc.id, "document", 0, 1, "lengths", "any", 1.0, self.name, self.version))
        return doc


@pytest.fixture(autouse=True)
def components_registered():
    for cls in (MinskComponent, LengthComponent):
        registry.components.register(cls.name)(cls)
    yield
    for cls in (MinskComponent, LengthComponent):
        registry.components.unregister(cls.name)


ROWS = [("Kyiv", "Prices rose in Kyiv this week."), ("Minsk", "Crowds gathered in Minsk on Sunday."),
        ("Vilnius", "Officials in Vilnius and Minsk traded accusations.")]


@pytest.mark.parametrize("executor", [{}, {"workers": 2}])
def test_every_document_is_stored_and_each_rerun_retries_only_what_broke(executor, tmp_path):
    source = tmp_path / "reactions.jsonl"
    source.write_text("".join(json.dumps({"url": f"https://example.org/{title}", "title": title, "body": body,
                                          "comments": [{"text": f"a reply about {title}"}]}) + "\n"
                              for title, body in ROWS))
    components = [MinskComponent(), LengthComponent()]
    with open_store(str(tmp_path / "c.duckdb")) as store:
        summary = get_executor("local", batch_size=8, **executor).run(iter_inputs([str(source)]), store,
                                                                      components)
        docs = {d.title: d.id for d in store.documents()}
        assert set(docs) == {"Kyiv", "Minsk", "Vilnius"} and summary.documents == 3
        assert store.counts()["comments"] == 3
        failed = dict(store.db.execute("SELECT input_key, reason FROM failures").fetchall())
        assert failed.keys() == {f"{docs['Minsk']}|minsk_breaks", f"{docs['Vilnius']}|minsk_breaks"}
        assert {"Minsk breaks this component" in reason for reason in failed.values()} == {True}
        assert len(summary.failures) == 2
        assert {a.target for a in store.annotations(layer="lengths")} == set(docs.values())
        assert {a.target for a in store.annotations(layer="marks")} == {docs["Kyiv"]}
        assert store.pending("length_marks", "1") == []
        assert {d.id for d in store.pending("minsk_breaks", "1")} == {docs["Minsk"], docs["Vilnius"]}

        before = store.counts()
        again = get_executor("local", batch_size=8, **executor).run(iter_inputs([str(source)]), store,
                                                                    components)
        assert again.skipped == 1 and again.documents == 0 and len(again.failures) == 2
        assert again.annotations == {}
        assert store.counts() == before  # retried, broken again: still pending, still listed as failed
        assert {d.id for d in store.pending("minsk_breaks", "1")} == {docs["Minsk"], docs["Vilnius"]}

        mended = get_executor("local", batch_size=8, **executor).run(
            iter_inputs([str(source)]), store, [MinskComponent(fragile=False), LengthComponent()])
        assert mended.ok and mended.annotations == {"marks": 2} and store.pending("minsk_breaks", "1") == []
        assert {a.target for a in store.annotations(layer="marks")} == set(docs.values())
        assert store.db.execute("SELECT count(*) FROM failures").fetchone()[0] == 0


def test_a_rerun_reads_each_document_a_component_still_breaks_on_once(tmp_path, monkeypatch):
    source = tmp_path / "many.jsonl"
    source.write_text("".join(json.dumps({"url": f"https://example.org/{n}", "title": f"Minsk {n}",
                                          "body": f"Report {n} from Minsk."}) + "\n" for n in range(12)))
    with open_store(str(tmp_path / "c.duckdb")) as store:
        get_executor("local", batch_size=4).run(iter_inputs([str(source)]), store, [MinskComponent()])
        read: list[str] = []
        pending = store.pending

        def counted(*args, **kwargs):
            docs = pending(*args, **kwargs)
            read.extend(d.id for d in docs)
            return docs

        monkeypatch.setattr(store, "pending", counted)
        again = get_executor("local", batch_size=4).run(iter_inputs([str(source)]), store, [MinskComponent()])
        # each broken document is read once in the rerun (re-reading them before every batch grew as n squared)
        assert sorted(read) == sorted(d.id for d in store.documents()) and len(read) == 12
        assert len(again.failures) == 12 and len(store.pending("minsk_breaks", "1")) == 12
