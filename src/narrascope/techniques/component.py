"""The ``techniques`` pipeline component: technique spans in article bodies and comments.

Runs the shipped int8 ONNX model (``[models]`` extra: onnxruntime, tokenizers), trained on English
news. Russian, Ukrainian and Belarusian sentences go to the multilingual sentence head on the e5 trunk
when it is shipped (:mod:`narrascope.techniques.sentence_head`): a whole sentence with its most
probable technique, or nothing. Sentences in another language are not analysed; each run of them gets
one ``unsupported`` annotation saying its language.
"""

from __future__ import annotations

import importlib.util
from typing import Any, ClassVar

from narrascope import registry
from narrascope.model import Annotation
from narrascope.models import crosslingual
from narrascope.models.version import model_version
from narrascope.pipeline.component import UNSUPPORTED, BatchComponent, ModelVersion, Target
from narrascope.techniques.labels import TECHNIQUE_LABELS

SUPPORTED_LANGUAGES = ("en",)


def models_extra_installed() -> bool:
    """Whether onnxruntime and tokenizers can be imported (without importing them) and the model is shipped."""
    from narrascope.techniques.inference import MODEL_DIR, MODEL_FILE

    found = all(importlib.util.find_spec(m) is not None for m in ("onnxruntime", "tokenizers"))
    return found and (MODEL_DIR / MODEL_FILE).is_file()


def _version(component: TechniquesComponent | None) -> str:
    from narrascope.techniques.inference import MODEL_DIR

    primary = model_version(component.model_dir if component is not None and component.model_dir else MODEL_DIR)
    return crosslingual.versioned(primary, "techniques", component.multilingual if component is not None else True)


@registry.components.register("techniques")
class TechniquesComponent(BatchComponent):
    """Annotate the words that use one of the 14 SemEval-2020 propaganda techniques.

    ``threads``: onnxruntime intra-op threads; ``batch_size``: windows of one text per model call
    (never two texts' windows: a text's spans do not depend on the other texts);
    ``threshold``: SI probability a token needs (``None``: the value chosen on held-out articles);
    ``max_chars``: longer texts are analysed up to this many characters; ``multilingual``: Russian,
    Ukrainian and Belarusian sentences go to the multilingual sentence head (when shipped) instead of
    being ``unsupported``.
    """

    name: ClassVar[str] = "techniques"
    version = ModelVersion(_version)
    layer: ClassVar[str] = "techniques"
    summary: ClassVar[str] = ("Words that use one of the 14 propaganda techniques of PTC; each span's score says how "
                              "sure the model is of the span, its technique confidence how sure of the technique.")
    model_name: ClassVar[str] = "all-MiniLM-L6-v2 token tagger fine-tuned on PTC (int8 ONNX)"
    labels = (*TECHNIQUE_LABELS, UNSUPPORTED)
    default: ClassVar[bool] = models_extra_installed()

    def __init__(self, threads: int = 1, batch_size: int = 16, threshold: float | None = None,
                 max_chars: int = 2_000_000, model_dir: str | None = None, multilingual: bool = True) -> None:
        self.threads = threads
        self.batch_size = batch_size
        self.threshold = threshold
        self.max_chars = max_chars
        self.model_dir = model_dir
        self.multilingual = multilingual

    def supported_languages(self) -> tuple[str, ...]:
        return SUPPORTED_LANGUAGES

    def load_model(self) -> Any:
        from narrascope.techniques.inference import TechniqueModel

        return TechniqueModel(self.model_dir, threads=self.threads, batch_size=self.batch_size,
                              threshold=self.threshold)

    def load_second_model(self) -> Any:
        from narrascope.techniques.sentence_head import load_head

        return load_head(crosslingual.heads_file(self.layer), threads=self.threads)

    def score_with(self, model: Any, texts: list[str]) -> list[Any]:
        return list(model.spans([t[:self.max_chars] for t in texts]))

    def annotations(self, target: Target, spans: Any, version: str) -> list[Annotation]:
        at = target.start
        return [Annotation(target=target.id, target_type=target.type, start=at + s.start, end=at + s.end,
                           layer=self.layer,
                           label=s.technique, score=round(s.score, 4), producer=self.name,
                           producer_version=version or self.version,
                           data={"technique_score": round(s.technique_score, 4)}) for s in spans]
