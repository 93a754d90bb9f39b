"""The Store interface. tests/store/test_store_contract.py runs it against every store."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Any

from narrascope.model import Annotation, Comment, Document

TABLES = ("documents", "sources", "items", "comments", "edges", "annotations", "failures", "runs")


class Store:
    """Where documents, comments, annotations and failures live.

    ``write`` is atomic per call: the documents, their annotations, the failures and the
    input keys marked done land together or not at all, so a killed run can restart.
    Writing a document whose id is stored already adds only its new source.
    """

    def has_input(self, key: str) -> bool:
        raise NotImplementedError

    def stored_inputs(self, keys: Sequence[str]) -> set[str]:
        """Which of ``keys`` are stored already (one lookup for many inputs where the store allows)."""
        return {k for k in keys if self.has_input(k)}

    def write(self, docs: list[Document], done: Sequence[str] = (), failures: Sequence[tuple[str, str, str]] = (),
              ran: Sequence[tuple[str, str]] = ()) -> int:
        """Store ``docs``; mark input keys ``done``; record ``failures`` as (key, source, reason);
        ``ran`` lists (component, version) that ran over every document of the batch.
        Returns how many documents were new."""
        raise NotImplementedError

    def add_annotations(self, annotations: list[Annotation], ran: Sequence[tuple[str, str, str]] = (),
                        failures: Sequence[tuple[str, str, str]] = ()) -> int:
        """Store annotations; ``ran`` lists (document id, component, version) now analysed;
        ``failures`` are (key, source, reason) of documents a component could not analyse.

        A document in ``ran`` is no longer a failure of that component (key ``"doc|component"``)."""
        raise NotImplementedError

    def pending(self, component: str, version: str, limit: int = 256, after: str | None = None) -> list[Document]:
        """Up to ``limit`` stored documents the component (at this version) has not analysed, in id
        order; ``after``: only documents whose id sorts after it (to page past those it broke on)."""
        raise NotImplementedError

    def documents(self, outlet: str | None = None, kind: str | None = None, language: str | None = None,
                  full: bool = False) -> Iterator[Document]:
        """Stored documents in id order, optionally filtered; ``full`` loads comments and items too."""
        raise NotImplementedError

    def get(self, document_id: str) -> Document | None:
        raise NotImplementedError

    def comments(self, document_id: str | None = None) -> Iterator[Comment]:
        raise NotImplementedError

    def annotations(self, target: str | None = None, layer: str | None = None) -> Iterator[Annotation]:
        raise NotImplementedError

    def failures(self) -> list[dict[str, Any]]:
        raise NotImplementedError

    def counts(self) -> dict[str, int]:
        raise NotImplementedError

    def export(self, table: str, format: str, out: str | None = None) -> str | None:
        """Write ``table`` as jsonl, csv or parquet to ``out``; return the text when ``out`` is None."""
        raise NotImplementedError

    def release(self) -> None:
        """Let other processes open the store until its next use (long work follows); a no-op by default."""

    def close(self) -> None:
        raise NotImplementedError

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
