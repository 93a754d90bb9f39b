"""Executors run readers and components over inputs and hand results to a store.

The contract (tests/pipeline/test_executor_contract.py runs it against every
registered executor): for the same inputs and components, every executor stores the
same documents, comments and annotations; an input that fails is recorded in the
store's failures and costs nothing else; inputs already stored are skipped, so a run
killed half way and started again ends with no duplicates and no losses.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from itertools import islice
from typing import Any

from narrascope import registry
from narrascope.model import Annotation, Document
from narrascope.pipeline.component import Component
from narrascope.readers import Input, read_input
from narrascope.store.base import Store


@dataclass
class RunSummary:
    """What a run did, for the closing table and the exit status.

    ``documents`` and ``comments`` count what was stored: a document stored before (or twice in
    one run) is not stored again and is counted in ``duplicates`` instead, its comments nowhere.
    """

    inputs: int = 0
    skipped: int = 0
    documents: int = 0
    duplicates: int = 0
    comments: int = 0
    annotations: dict[str, int] = field(default_factory=dict)
    #: ``unsupported`` annotations (a layer did not read a passage) by the passage's language
    not_read: dict[str, int] = field(default_factory=dict)
    failures: list[tuple[str, str]] = field(default_factory=list)
    seconds: float = 0.0
    #: ``doc|component`` of components that broke on a document in this run: retried by the next run, not this one
    broken: set[str] = field(default_factory=set)

    @property
    def ok(self) -> bool:
        return not self.failures

    def add_documents(self, docs: list[Document]) -> None:
        self.documents += len(docs)
        self.comments += sum(len(d.comments) for d in docs)
        for d in docs:
            self.count(d.annotations)

    def count(self, annotations: list[Annotation]) -> None:
        """Add ``annotations`` to the counts by layer, and the passages layers did not read by language."""
        for a in annotations:
            self.annotations[a.layer] = self.annotations.get(a.layer, 0) + 1
            if a.label == "unsupported":
                language = str((a.data or {}).get("language") or "none (empty)")
                self.not_read[language] = self.not_read.get(language, 0) + 1


Progress = Callable[[int], None]


class Executor:
    """Interface: ``run(inputs, store, components) -> RunSummary``.

    ``run`` counts the inputs and skips those already stored, hands the others to ``process``
    (the part that differs between executors: where pages are read and components run), then
    runs each component over stored documents it has not analysed yet.
    """

    name = ""
    batch_size = 64

    def run(
        self,
        inputs: Iterable[Input],
        store: Store,
        components: list[Component] | None = None,
        progress: Progress | None = None,
        reader: str | None = None,
        reader_options: dict[str, Any] | None = None,
    ) -> RunSummary:
        summary = RunSummary()
        started = time.perf_counter()
        components = components or []
        self.process(unstored(inputs, store, summary, progress), store, components, summary, progress, reader,
                     reader_options)
        analyse_pending(store, components, summary, self.batch_size, progress)
        summary.seconds = time.perf_counter() - started
        return summary

    def process(self, inputs: Iterator[Input], store: Store, components: list[Component], summary: RunSummary,
                progress: Progress | None, reader: str | None, reader_options: dict[str, Any] | None) -> None:
        """Read ``inputs`` (none stored yet), run the components, write each batch and count it in ``summary``."""
        raise NotImplementedError


def unstored(inputs: Iterable[Input], store: Store, summary: RunSummary,
             progress: Progress | None = None, chunk: int = 512) -> Iterator[Input]:
    """The inputs not stored yet; every input is counted in ``summary``, and each one skipped.

    Inputs are looked up ``chunk`` at a time, so a rerun over thousands of stored inputs holds
    the store only for a few short queries (``narrascope serve`` may be reading it).
    """
    it = iter(inputs)
    while todo := list(islice(it, chunk)):
        summary.inputs += len(todo)
        stored = store.stored_inputs([inp.key for inp in todo])
        store.release()
        for inp in todo:
            if inp.key in stored:
                summary.skipped += 1
                if progress:
                    progress(1)
            else:
                yield inp


def apply_components(docs: list[Document], components: list[Component]) -> list[Document]:
    """Run each component over the batch, in order."""
    for component in components:
        docs = list(component.pipe(docs))
    return docs


@registry.executors.register("local")
class LocalExecutor(Executor):
    """Runs everything in this process, streaming inputs in batches.

    Memory is bounded by ``batch_size`` inputs; each batch is written to the store in
    one transaction together with the names of the inputs it completes. With
    ``workers`` > 1, pages are read in that many worker processes (results and their
    order are the same) while this process runs the components over the batch before and
    stores it; components and the store stay in this process.
    """

    name = "local"

    def __init__(self, batch_size: int = 64, workers: int = 1) -> None:
        self.batch_size = batch_size
        self.workers = workers

    def process(self, inputs: Iterator[Input], store: Store, components: list[Component], summary: RunSummary,
                progress: Progress | None, reader: str | None, reader_options: dict[str, Any] | None) -> None:
        with _Readers(self.workers, self.batch_size, reader, reader_options) as readers:
            reading: Callable[[], list[tuple[Input, Any]]] | None = None
            while todo := list(islice(inputs, self.batch_size)):
                store.release()  # readers (narrascope serve) may open the store while pages are read
                after = readers.submit(todo)  # the workers read this batch while the last one is stored
                if reading is not None:
                    self._finish(reading(), store, components, summary, progress)
                reading = after
            if reading is not None:
                self._finish(reading(), store, components, summary, progress)

    @staticmethod
    def _finish(batch, store, components, summary, progress) -> None:  # type: ignore[no-untyped-def]
        docs, failures = process_batch(batch, components)
        store_batch(store, docs, [inp.key for inp, _ in batch], failures, components, summary)
        if progress:
            progress(len(batch))


def process_batch(batch: list[tuple[Input, Any]], components: list[Component]
                  ) -> tuple[list[Document], list[tuple[str, str, str]]]:
    """Run the components over what a batch of inputs read; failures are (key, source, reason)."""
    docs = [d for _, result in batch if not isinstance(result, str) for d in result]
    failures = [(inp.key, inp.source, r) for inp, r in batch if isinstance(r, str)]
    try:
        docs = apply_components(docs, components)
    except Exception:  # noqa: BLE001 - isolate the document that breaks a component
        docs, failures = _one_by_one(batch, components, failures)
    return docs, failures


def store_batch(store: Store, docs: list[Document], done: list[str], failures: list[tuple[str, str, str]],
                components: list[Component], summary: RunSummary) -> None:
    """Write one processed batch and count it in the summary.

    A failure keyed ``doc|component`` (a component that broke on one document) keeps the document; it
    is stored without being marked as analysed by that component, so a rerun retries just that.
    """
    ran = [(c.name, c.version) for c in components]
    broke: dict[str, set[str]] = {}
    ids, names = {d.id for d in docs}, {c.name for c in components}
    for key, _, _ in failures:
        doc_id, _, name = key.rpartition("|")
        if doc_id in ids and name in names:
            broke.setdefault(doc_id, set()).add(name)
            summary.broken.add(key)
    # consecutive documents that ran the same components are written together, in batch order; the
    # last write marks the inputs done, so a run killed in between reads them again and adds nothing
    parts: list[tuple[frozenset[str], list[Document]]] = []
    for d in docs:
        failed = frozenset(broke.get(d.id, ()))
        if parts and parts[-1][0] == failed:
            parts[-1][1].append(d)
        else:
            parts.append((failed, [d]))
    parts = parts or [(frozenset(), [])]
    for n, (failed, part) in enumerate(parts):
        last = n == len(parts) - 1
        fresh = new_documents(store, part)
        written = store.write(part, done=done if last else (), failures=failures if last else (),
                              ran=[r for r in ran if r[0] not in failed])
        summary.duplicates += len(part) - written
        summary.add_documents(fresh)
        summary.documents += written - len(fresh)  # should the store have decided otherwise, its count wins
    summary.failures += [(source, reason) for _, source, reason in failures]


def new_documents(store: Store, docs: list[Document]) -> list[Document]:
    """The documents of ``docs`` that ``store.write`` will store: the first of each id not stored yet."""
    first = {d.id: d for d in reversed(docs)}
    return [d for d in docs if first[d.id] is d and store.get(d.id) is None]


def analyse_pending(store: Store, components: list[Component], summary: RunSummary, batch_size: int,
                    progress: Progress | None = None) -> None:
    """Run each component over stored documents it has not analysed yet (at its version).

    That includes documents it broke on in earlier runs (tried once a run, each failure recorded
    again); a document it broke on in this run is not tried twice.
    """
    for component in components:
        after = None  # documents it breaks on stay pending: page past them, each is read once a run
        while stored := store.pending(component.name, component.version, batch_size, after):
            after = stored[-1].id
            if pending := [d for d in stored if f"{d.id}|{component.name}" not in summary.broken]:
                analyse_stored(pending, component, store, summary)
            if progress:
                progress(0)


def analyse_stored(docs: list[Document], component: Component, store: Store, summary: RunSummary) -> None:
    """Run one component over stored documents; a document it cannot handle is a failure."""
    failures: list[tuple[str, str, str]] = []
    store.release()
    for doc in docs:  # what it found at an earlier version is replaced, not passed on as found again
        doc.annotations = [a for a in doc.annotations if a.producer != component.name]
    try:
        done = list(component.pipe(docs))
    except Exception as exc:  # noqa: BLE001 - find the document that breaks it (alone: that one)
        done = []
        _forget(docs, [component])
        if len(docs) == 1:
            failures.append(_failure(docs[0], component, exc))
        else:
            for doc in docs:
                try:
                    done += component.pipe([doc])
                except Exception as err:  # noqa: BLE001
                    failures.append(_failure(doc, component, err))
    found = [a for d in done for a in d.annotations if a.producer == component.name]
    # a document it broke on stays pending: every run tries it again, until it works or the component changes
    broke = {key for key, _, _ in failures}
    ran = [(d.id, component.name, component.version) for d in docs if f"{d.id}|{component.name}" not in broke]
    store.add_annotations(found, ran, failures=failures)
    summary.broken.update(key for key, _, _ in failures)
    summary.count(found)
    summary.failures += [(source, reason) for _, source, reason in failures]


class _Readers:
    """Reads a chunk of inputs, in this process or in a pool of worker processes."""

    def __init__(self, workers: int, batch_size: int, reader: str | None, options: dict[str, Any] | None) -> None:
        self.workers, self.batch_size, self.reader, self.options = workers, batch_size, reader, options
        self.pool: Any = None

    def __enter__(self) -> _Readers:
        return self

    def submit(self, chunk: list[Input]) -> Callable[[], list[tuple[Input, Any]]]:
        """Start reading ``chunk``; the returned function waits for and returns what was read, in order."""
        if self.workers <= 1 or (self.pool is None and len(chunk) < self.batch_size):  # small runs: no pool
            return lambda: [r for inp in chunk for r in read_safely(inp, self.reader, self.options)]
        if self.pool is None:
            import multiprocessing
            from concurrent.futures import ProcessPoolExecutor

            self.pool = ProcessPoolExecutor(self.workers, mp_context=multiprocessing.get_context("spawn"),
                                            initializer=exit_with_parent, initargs=(os.getpid(),))
        size = max(1, len(chunk) // (4 * self.workers))
        done = self.pool.map(read_safely, chunk, [self.reader] * len(chunk), [self.options] * len(chunk),
                             chunksize=size)
        return lambda: [r for results in done for r in results]

    def __exit__(self, *exc: object) -> None:
        if self.pool is not None:
            self.pool.shutdown(cancel_futures=True)


def exit_with_parent(parent: int) -> None:
    """In a reading worker: exit when the run that started it is gone (killed runs leave no workers)."""
    import threading

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(1)
        os._exit(0)

    threading.Thread(target=watch, daemon=True).start()


def read_safely(inp: Input, reader: str | None, options: dict[str, Any] | None) -> list[tuple[Input, Any]]:
    """Read one input; a failure becomes its reason, partial reads keep what was read."""
    from narrascope.errors import ReadError

    try:
        return [(inp, read_input(inp, reader=reader, **(options or {})))]
    except ReadError as exc:
        kept = getattr(exc, "documents", None)
        if kept:
            from narrascope.readers import finish

            return [(Input(inp.source, inp.key + "|partial", inp.loader), finish(kept, options)),
                    (inp, exc.reason)]
        return [(inp, exc.reason)]
    except Exception as exc:  # noqa: BLE001 - one bad page must not stop the batch
        return [(inp, _reason(exc))]


def _forget(docs: list[Document], components: list[Component]) -> None:
    """Drop what a failed batch run of ``components`` left on ``docs`` before retrying one by one."""
    names = {c.name for c in components}
    for doc in docs:
        doc.annotations = [a for a in doc.annotations if a.producer not in names]


def _one_by_one(batch, components, failures):  # type: ignore[no-untyped-def]
    """Run each component over each document alone; one that breaks on a document is a failure keyed
    ``doc|component`` and the document is kept with what the other components found."""
    docs: list[Document] = []
    for _, result in batch:
        if isinstance(result, str):
            continue
        _forget(result, components)
        for doc in result:
            for component in components:
                try:
                    doc = ([*component.pipe([doc])] or [doc])[0]
                except Exception as exc:  # noqa: BLE001 - the document is kept, without this component's work
                    _forget([doc], [component])
                    failures.append(_failure(doc, component, exc))
            docs.append(doc)
    return docs, failures


def _failure(doc: Document, component: Component, exc: BaseException) -> tuple[str, str, str]:
    """The failure (key ``doc|component``, source, reason) of a component that broke on a document."""
    return f"{doc.id}|{component.name}", doc.source, f"{component.name}: {_reason(exc)}"


def _reason(exc: BaseException) -> str:
    from narrascope.errors import ReadError

    if isinstance(exc, ReadError):
        return exc.reason
    text = str(exc).splitlines()[0] if str(exc) else ""
    return f"{type(exc).__name__}: {text}"[:300]


def get_executor(name: str = "local", **config: Any) -> Executor:
    """Build the executor registered as ``name``."""
    return registry.executors.get(name)(**config)
