"""The ``toxicity`` pipeline component: every comment gets hatespeech, offensive or normal.

Each comment receives one annotation over its whole text (label, score of that label,
``data={"scores": {...}, "target": group or None}``) and one ``toxic_span`` annotation per
run of characters responsible. Comments the model cannot read (empty, another language)
get the label ``unsupported`` with the reason. With ``sentences=True`` the article body's
sentences are scored too, and the non-normal ones annotated.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from typing import Any

from narrascope import registry
from narrascope.model import Annotation, Document
from narrascope.pipeline.component import Component

_SENTENCE = re.compile(r"[^.!?\n]+(?:[.!?]+|$)")
FLAGGED = ("hatespeech", "offensive")


def sentences(body: str) -> list[tuple[int, int]]:
    """``[start, end)`` of the sentences of ``body`` (a light rule split, whitespace trimmed)."""
    out = []
    for m in _SENTENCE.finditer(body):
        text = m.group()
        lead = len(text) - len(text.lstrip())
        if text.strip():
            out.append((m.start() + lead, m.start() + len(text.rstrip())))
    return out


@registry.components.register("toxicity")
class ToxicityComponent(Component):
    """Label comments (and optionally article sentences) with the shipped toxicity model."""

    name = "toxicity"
    version = "1"
    layer = "toxicity"

    def __init__(self, model_dir: str | None = None, threads: int = 1, batch_size: int = 32,
                 sentences: bool = False, languages: tuple[str, ...] = ("en",),
                 comments_per_batch: int = 1024) -> None:
        self.model_dir = model_dir
        self.threads = threads
        self.batch_size = batch_size
        self.sentences = sentences
        self.languages = languages
        self.comments_per_batch = comments_per_batch
        self._model: Any = None

    @property
    def model(self) -> Any:
        if self._model is None:
            from narrascope.toxicity.inference import ToxicityModel

            self._model = ToxicityModel(self.model_dir, threads=self.threads, batch_size=self.batch_size,
                                        languages=tuple(self.languages))
        return self._model

    def __call__(self, doc: Document) -> Document:
        return next(self.pipe([doc]))

    def pipe(self, docs: Iterable[Document], batch_size: int = 32) -> Iterator[Document]:
        batch: list[Document] = []
        for doc in docs:
            batch.append(doc)
            if sum(len(d.comments) for d in batch) >= self.comments_per_batch:
                yield from self._annotate(batch)
                batch = []
        if batch:
            yield from self._annotate(batch)

    def _annotate(self, docs: list[Document]) -> list[Document]:
        targets: list[tuple[Document, str, str, int, str]] = []  # doc, target id, type, offset, text
        for doc in docs:
            targets += [(doc, c.id, "comment", 0, c.text) for c in doc.comments]
            if self.sentences and doc.body:
                targets += [(doc, doc.id, "document", s, doc.body[s:e]) for s, e in sentences(doc.body)]
        if not targets:
            return docs
        results = self.model.predict([t[4] for t in targets])
        version = self.model.version
        for (doc, target, kind, offset, text), r in zip(targets, results, strict=True):
            if kind == "document" and r.label in (None, "normal"):
                continue
            doc.annotations += self._annotations(target, kind, offset, text, r, version)
        return docs

    def _annotations(self, target: str, kind: Any, offset: int, text: str, r: Any, version: str) -> list[Annotation]:
        if r.label is None:
            return [Annotation(target, kind, offset, offset + len(text), self.layer, "unsupported", None,
                               self.name, version, {"reason": r.unsupported})]
        out = [Annotation(target, kind, offset, offset + len(text), self.layer, r.label, r.scores[r.label],
                          self.name, version, {"scores": r.scores, "target": r.target})]
        out += [Annotation(target, kind, offset + s, offset + e, self.layer, "toxic_span", r.scores[r.label],
                           self.name, version, {"label": r.label, "target": r.target}) for s, e in r.spans]
        return out
