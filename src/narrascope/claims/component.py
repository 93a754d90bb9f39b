"""The ``claims`` pipeline component: check-worthy sentences become ``claims`` annotations.

Each sentence of a body or comment whose check-worthiness reaches the threshold is annotated
(``layer="claims"``, ``label="claim"``, ``score`` its probability). Matching claims to known
debunks happens in the store (``narrascope debunks match``), since components never touch it.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any, ClassVar

from narrascope import registry
from narrascope.model import Annotation, Document
from narrascope.narratives.component import SUPPORTED_LANGUAGES, targets
from narrascope.pipeline.component import Component


@registry.components.register("claims")
class ClaimsComponent(Component):
    """Annotate check-worthy factual claims, sentence by sentence.

    ``threshold``: probability a sentence needs (``None``: the one chosen on held-out ClaimBuster);
    ``threads``: onnxruntime threads; ``max_chars``: longer texts are analysed up to this length;
    ``heads``: a head file other than the shipped one.
    """

    name: ClassVar[str] = "claims"
    version: ClassVar[str] = "1"
    layer: ClassVar[str] = "claims"
    #: opt-in (``analyze -c narratives -c claims``): each adds an encoder pass over every sentence
    default: ClassVar[bool] = False

    def __init__(self, threshold: float | None = None, threads: int = 1, max_chars: int = 200_000,
                 heads: str | None = None) -> None:
        self.threshold = threshold
        self.heads = heads
        self.threads = threads
        self.max_chars = max_chars
        self._model: Any = None

    def get_params(self) -> dict[str, Any]:
        return {k: v for k, v in vars(self).items() if not k.startswith("_")}

    @property
    def model(self) -> Any:
        if self._model is None:
            from narrascope.claims.model import CheckworthyModel

            self._model = CheckworthyModel(self.heads, threads=self.threads, threshold=self.threshold,
                                           max_chars=self.max_chars)
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
        for (doc, (target, kind, text, language)), res in zip(jobs, results, strict=True):
            lang = language or identify(text)
            extra = {"unsupported_language": lang} if lang and lang not in SUPPORTED_LANGUAGES else {}
            for c in res.claims:
                doc.annotations.append(Annotation(
                    target=target, target_type=kind, start=c.start, end=c.end, layer=self.layer,  # type: ignore[arg-type]
                    label="claim", score=c.score, producer=self.name, producer_version=version,
                    data={"text": text[c.start:c.end], **extra}))
        return docs
