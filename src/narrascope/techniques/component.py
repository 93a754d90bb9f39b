"""The ``techniques`` pipeline component: technique spans in article bodies and comments.

Runs the shipped int8 ONNX model (``[models]`` extra: onnxruntime, tokenizers). The model was
trained on English news; texts identified as another language are still annotated but each
annotation says ``data["unsupported_language"]`` so analysts can filter them out.
"""

from __future__ import annotations

import importlib.util
from collections.abc import Iterable, Iterator
from typing import Any, ClassVar

from narrascope import registry
from narrascope.model import Annotation, Document
from narrascope.pipeline.component import Component

MODEL_VERSION = "minilm-ptc-20261122"
SUPPORTED_LANGUAGES = ("en",)


def models_extra_installed() -> bool:
    """Whether onnxruntime and tokenizers can be imported (without importing them) and the model is shipped."""
    from narrascope.techniques.inference import MODEL_DIR, MODEL_FILE

    found = all(importlib.util.find_spec(m) is not None for m in ("onnxruntime", "tokenizers"))
    return found and (MODEL_DIR / MODEL_FILE).is_file()


@registry.components.register("techniques")
class TechniquesComponent(Component):
    """Annotate the words that use one of the 14 SemEval-2020 propaganda techniques.

    ``threads``: onnxruntime intra-op threads; ``batch_size``: windows per model call;
    ``threshold``: SI probability a token needs (``None``: the value chosen on held-out articles);
    ``max_chars``: longer texts are analysed up to this many characters.
    """

    name: ClassVar[str] = "techniques"
    version: ClassVar[str] = MODEL_VERSION
    layer: ClassVar[str] = "techniques"
    default: ClassVar[bool] = models_extra_installed()

    def __init__(self, threads: int = 1, batch_size: int = 16, threshold: float | None = None,
                 max_chars: int = 2_000_000, model_dir: str | None = None) -> None:
        self.threads = threads
        self.batch_size = batch_size
        self.threshold = threshold
        self.max_chars = max_chars
        self.model_dir = model_dir
        self._model: Any = None

    def get_params(self) -> dict[str, Any]:
        return {k: v for k, v in vars(self).items() if not k.startswith("_")}

    @property
    def model(self) -> Any:
        if self._model is None:
            from narrascope.techniques.inference import TechniqueModel

            self._model = TechniqueModel(self.model_dir, threads=self.threads, batch_size=self.batch_size,
                                         threshold=self.threshold)
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

        targets: list[tuple[Document, str, str, str, str | None]] = []
        for doc in docs:
            if doc.body.strip():
                targets.append((doc, doc.id, "document", doc.body, doc.language))
            for c in doc.comments:
                if c.text.strip():
                    targets.append((doc, c.id, "comment", c.text, c.language))
        if not targets:
            return docs
        texts = [t[3][:self.max_chars] for t in targets]
        for (doc, target, kind, text, language), spans in zip(targets, self.model.spans(texts), strict=True):
            lang = language or identify(text)
            extra = {"unsupported_language": lang} if lang and lang not in SUPPORTED_LANGUAGES else {}
            for s in spans:
                data = {"technique_score": round(s.technique_score, 4), **extra}
                doc.annotations.append(Annotation(
                    target=target, target_type=kind, start=s.start, end=s.end, layer=self.layer,  # type: ignore[arg-type]
                    label=s.technique, score=round(s.score, 4), producer=self.name,
                    producer_version=self.model.version or self.version, data=data))
        return docs
