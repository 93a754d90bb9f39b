"""The ``narratives`` pipeline component: narrative annotations on sentences, paragraphs and whole texts.

For each document body and comment: one annotation per sentence (and multi-sentence paragraph)
that carries a narrative, and one per text (``data["level"]`` = ``"document"`` or ``"comment"``)
whose ``data["sentences"]`` lists the ``[start, end)`` of the sentences that carry it.
"""

from __future__ import annotations

import importlib.util
from collections.abc import Iterable, Iterator
from typing import Any, ClassVar

from narrascope import registry
from narrascope.model import Annotation, Document
from narrascope.pipeline.component import Component

SUPPORTED_LANGUAGES = ("en",)


def models_available() -> bool:
    """Whether onnxruntime and tokenizers can be imported (checked without importing them)."""
    return all(importlib.util.find_spec(m) is not None for m in ("onnxruntime", "tokenizers"))


def targets(doc: Document) -> list[tuple[str, str, str, str | None]]:
    """``(target id, target type, text, language)`` for the body and each non-empty comment."""
    out: list[tuple[str, str, str, str | None]] = []
    if doc.body.strip():
        out.append((doc.id, "document", doc.body, doc.language))
    out += [(c.id, "comment", c.text, c.language) for c in doc.comments if c.text.strip()]
    return out


@registry.components.register("narratives")
class NarrativesComponent(Component):
    """Annotate which taxonomy narratives each sentence, paragraph, document and comment carries.

    ``taxonomy``: the analyst's taxonomy file (default ``$NARRASCOPE_TAXONOMY`` or ``./narratives.yaml``,
    overlaid on the shipped one); ``threads``: onnxruntime threads; ``fewshot_threshold``: cosine to an
    example sentence that counts as carrying a narrative.
    """

    name: ClassVar[str] = "narratives"
    version: ClassVar[str] = "1"
    layer: ClassVar[str] = "narratives"
    #: opt-in (``analyze -c narratives -c claims``): each adds an encoder pass over every sentence
    default: ClassVar[bool] = False

    def __init__(self, taxonomy: str | None = None, threads: int = 1, fewshot_threshold: float = 0.62,
                 max_chars: int = 200_000) -> None:
        self.taxonomy = taxonomy
        self.threads = threads
        self.fewshot_threshold = fewshot_threshold
        self.max_chars = max_chars
        self._model: Any = None

    def get_params(self) -> dict[str, Any]:
        return {k: v for k, v in vars(self).items() if not k.startswith("_")}

    @property
    def model(self) -> Any:
        if self._model is None:
            from narrascope.narratives.model import NarrativeModel

            self._model = NarrativeModel(self.taxonomy, threads=self.threads,
                                         fewshot_threshold=self.fewshot_threshold, max_chars=self.max_chars)
        return self._model

    def __call__(self, doc: Document) -> Document:
        return next(self.pipe([doc]))

    def pipe(self, docs: Iterable[Document], batch_size: int = 32) -> Iterator[Document]:
        batch: list[Document] = []
        for doc in docs:
            batch.append(doc)
            if len(batch) >= batch_size:
                yield from self._annotate(batch)
                batch = []
        if batch:
            yield from self._annotate(batch)

    def _annotate(self, docs: list[Document]) -> list[Document]:
        from narrascope.lang import identify

        jobs = [(doc, t) for doc in docs for t in targets(doc)]
        if not jobs:
            return docs
        results = self.model.analyse([t[2] for _, t in jobs])
        version = self.model.version
        narr = list(self.model.taxonomy)
        for (doc, (target, kind, text, language)), res in zip(jobs, results, strict=True):
            lang = language or identify(text)
            extra = {"unsupported_language": lang} if lang and lang not in SUPPORTED_LANGUAGES else {}
            units = res.units
            for u, ((s, e), level) in enumerate(zip(units.spans, units.levels, strict=True)):
                for k in (units.narratives[u] >= 0.5).nonzero()[0]:
                    doc.annotations.append(Annotation(
                        target=target, target_type=kind, start=s, end=e, layer=self.layer,  # type: ignore[arg-type]
                        label=narr[k].id, score=round(float(units.narratives[u, k]), 4), producer=self.name,
                        producer_version=version, data={"level": level, "name": narr[k].name, **extra}))
            for n in res.narratives:
                doc.annotations.append(Annotation(
                    target=target, target_type=kind, start=0, end=len(text), layer=self.layer,  # type: ignore[arg-type]
                    label=n["id"], score=n["score"], producer=self.name, producer_version=version,
                    data={"level": kind, "name": n["name"], "sentences": n["sentences"],
                          "keywords": [k["keyword"] for k in res.keywords], **extra}))
        return docs
