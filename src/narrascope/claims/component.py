"""The ``claims`` pipeline component: check-worthy sentences become ``claims`` annotations.

Each sentence of a body or comment whose check-worthiness reaches the threshold is annotated
(``layer="claims"``, ``label="claim"``, ``score`` its probability). Matching claims to known
debunks happens in the store (``narrascope debunks match``), since components never touch it.
"""

from __future__ import annotations

from typing import Any, ClassVar

from narrascope import registry
from narrascope.model import Annotation
from narrascope.models import crosslingual
from narrascope.models.version import model_version
from narrascope.narratives.component import SUPPORTED_LANGUAGES
from narrascope.pipeline.component import UNSUPPORTED, BatchComponent, Label, ModelVersion, Target


def _version(component: ClaimsComponent | None) -> str:
    from narrascope.claims.model import HEADS_FILE

    primary = model_version(component.heads if component is not None and component.heads else HEADS_FILE)
    return crosslingual.versioned(primary, "claims", component.multilingual if component is not None else True)


@registry.components.register("claims")
class ClaimsComponent(BatchComponent):
    """Annotate check-worthy factual claims, sentence by sentence.

    ``threshold``: probability a sentence needs (``None``: the one chosen on held-out ClaimBuster);
    ``threads``: onnxruntime threads; ``max_chars``: longer texts are analysed up to this length;
    ``heads``: a head file other than the shipped one; ``multilingual``: Russian, Ukrainian and Belarusian
    sentences are scored by the claims head on the multilingual trunk (with that head's own threshold)
    instead of being said ``unsupported``.
    """

    name: ClassVar[str] = "claims"
    version = ModelVersion(_version)
    layer: ClassVar[str] = "claims"
    summary: ClassVar[str] = ("Sentences stating something a fact-checker could verify and may want to; each is "
                              "matched against known debunks.")
    model_name: ClassVar[str] = ("all-MiniLM-L6-v2 sentence tagger fine-tuned on ClaimBuster (int8 ONNX); Russian, "
                                 "Ukrainian, Belarusian: a linear head on multilingual-e5-small")
    labels = (Label("claim", "A check-worthy factual claim: the sentence asserts something verifiable that the "
                    "public would want checked (its score reached the model's threshold).",
                    "“Unemployment doubled in the two years after the election.”",
                    "ClaimBuster (Arslan et al., 2020): check-worthy factual sentences of US presidential debates"),
              UNSUPPORTED)
    #: opt-in (``analyze -c narratives -c claims``): each adds an encoder pass over every sentence
    default: ClassVar[bool] = False

    def __init__(self, threshold: float | None = None, threads: int = 1, max_chars: int = 200_000,
                 heads: str | None = None, multilingual: bool = True) -> None:
        self.threshold = threshold
        self.heads = heads
        self.threads = threads
        self.max_chars = max_chars
        self.multilingual = multilingual

    def supported_languages(self) -> tuple[str, ...]:
        return SUPPORTED_LANGUAGES

    def load_model(self) -> Any:
        from narrascope.claims.model import CheckworthyModel

        return CheckworthyModel(self.heads, threads=self.threads, threshold=self.threshold, max_chars=self.max_chars)

    def load_second_model(self) -> Any:
        from narrascope.claims.multilingual import MultilingualCheckworthy

        return MultilingualCheckworthy(threads=self.threads, max_chars=self.max_chars)

    def score_with(self, model: Any, texts: list[str]) -> list[Any]:
        return list(model.analyse(texts))

    def annotations(self, target: Target, res: Any, version: str) -> list[Annotation]:
        at = target.start
        return [Annotation(target=target.id, target_type=target.type, start=at + c.start, end=at + c.end,
                           layer=self.layer,
                           label="claim", score=c.score, producer=self.name, producer_version=version,
                           data={"text": target.text[c.start:c.end], "threshold": round(res.threshold, 4)})
                for c in res.claims]
