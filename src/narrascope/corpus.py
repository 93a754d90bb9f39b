"""The Python API behind the command line: open a corpus, ingest, analyse, iterate, export."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import Any

from narrascope.model import Annotation, Comment, Document
from narrascope.pipeline.component import Component, default_components, get_component
from narrascope.pipeline.executor import RunSummary, get_executor
from narrascope.readers import iter_inputs
from narrascope.store import DEFAULT_DB, Store, open_store


class Corpus:
    """A collection of documents in a store.

    >>> corpus = Corpus(":memory:")
    >>> summary = corpus.ingest(["pages/"])          # doctest: +SKIP
    >>> [d.title for d in corpus.documents()]        # doctest: +SKIP
    """

    def __init__(self, path: str = DEFAULT_DB, store: Store | None = None) -> None:
        self.path = path
        self._store = store

    @property
    def store(self) -> Store:
        if self._store is None:
            self._store = open_store(self.path)
        return self._store

    def ingest(self, paths: Iterable[str], reader: str | None = None, executor: str = "local",
               executor_options: dict[str, Any] | None = None, progress: Callable[[int], None] | None = None,
               **reader_options: Any) -> RunSummary:
        """Read and store ``paths`` (files, directories, globs, ``-``); run no analysis."""
        return self.analyze(paths, components=[], reader=reader, executor=executor,
                            executor_options=executor_options, progress=progress, **reader_options)

    def analyze(self, paths: Iterable[str], components: Sequence[str | Component] | None = None,
                reader: str | None = None, executor: str = "local", executor_options: dict[str, Any] | None = None,
                progress: Callable[[int], None] | None = None, **reader_options: Any) -> RunSummary:
        """Ingest ``paths``, then run the components (every default one if None) over what is new."""
        names = default_components() if components is None else components
        built = [get_component(c) if isinstance(c, str) else c for c in names]
        run = get_executor(executor, **(executor_options or {}))
        return run.run(iter_inputs(paths), self.store, built, progress=progress, reader=reader,
                       reader_options=reader_options)

    def documents(self, **filters: Any) -> Iterator[Document]:
        return self.store.documents(**filters)

    def get(self, document_id: str) -> Document | None:
        return self.store.get(document_id)

    def comments(self, document_id: str | None = None) -> Iterator[Comment]:
        return self.store.comments(document_id)

    def annotations(self, target: str | None = None, layer: str | None = None) -> Iterator[Annotation]:
        return self.store.annotations(target, layer)

    def export(self, table: str, format: str = "jsonl", out: str | None = None) -> str | None:
        return self.store.export(table, format, out)

    def close(self) -> None:
        if self._store is not None:
            self._store.close()
            self._store = None

    def __enter__(self) -> Corpus:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def open_corpus(path: str = DEFAULT_DB) -> Corpus:
    """Open the corpus stored at ``path`` (created on first write)."""
    return Corpus(path)
