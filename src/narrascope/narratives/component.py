"""The ``narratives`` pipeline component: narrative annotations on sentences, paragraphs and whole texts.

For each document body and comment: one annotation per sentence (and multi-sentence paragraph)
that carries a narrative, and one per text (``data["level"]`` = ``"document"`` or ``"comment"``)
whose ``data["sentences"]`` lists the ``[start, end)`` of the sentences that carry it.
"""

from __future__ import annotations

import importlib.util
from typing import Any, ClassVar

from narrascope import registry
from narrascope.model import Annotation
from narrascope.models import crosslingual
from narrascope.models.version import model_version
from narrascope.pipeline.component import UNSUPPORTED, BatchComponent, Label, ModelVersion, Target, text_targets

SUPPORTED_LANGUAGES = ("en",)


def models_available() -> bool:
    """Whether onnxruntime and tokenizers can be imported (checked without importing them)."""
    return all(importlib.util.find_spec(m) is not None for m in ("onnxruntime", "tokenizers"))


#: the taxonomy's labels by the fingerprint of its files (see ``NarrativesComponent.describe_labels``)
_LABELS: dict[str, tuple[Label, ...]] = {}
#: the body and each non-blank comment (the texts this component and ``claims`` read)
targets = text_targets


def _version(component: NarrativesComponent | None) -> str:
    from narrascope.narratives.model import HEADS_FILE
    from narrascope.narratives.taxonomy import fingerprint

    heads = crosslingual.versioned(model_version(HEADS_FILE, default="no-heads"), "narratives",
                                   component.multilingual if component is not None else True)
    return f"{heads}/taxonomy-{fingerprint(component.taxonomy if component is not None else None)}"


@registry.components.register("narratives")
class NarrativesComponent(BatchComponent):
    """Annotate which taxonomy narratives each sentence, paragraph, document and comment carries.

    ``taxonomy``: the analyst's taxonomy file (default ``$NARRASCOPE_TAXONOMY`` or ``./narratives.yaml``,
    overlaid on the shipped one); ``threads``: onnxruntime threads; ``fewshot_threshold``: cosine to an
    example sentence that counts as carrying a narrative (for the English model); ``multilingual``: Russian,
    Ukrainian and Belarusian sentences are scored by the narratives head on the multilingual trunk and the
    taxonomy's examples embedded by it (with the cosines stored in that head) instead of said ``unsupported``.
    """

    name: ClassVar[str] = "narratives"
    #: the heads' version and a hash of the taxonomy files: a changed taxonomy re-scores stored documents
    version = ModelVersion(_version)
    layer: ClassVar[str] = "narratives"
    summary: ClassVar[str] = ("Storylines of the narrative taxonomy carried by a sentence, a paragraph, a whole "
                              "article or a comment.")
    model_name: ClassVar[str] = ("narrative heads over all-MiniLM-L6-v2 sentence embeddings, with the taxonomy's "
                                 "examples; Russian, Ukrainian, Belarusian: linear heads and the examples on "
                                 "multilingual-e5-small")
    #: opt-in (``analyze -c narratives -c claims``): each adds an encoder pass over every sentence
    default: ClassVar[bool] = False

    def __init__(self, taxonomy: str | None = None, threads: int = 1, fewshot_threshold: float = 0.62,
                 max_chars: int = 200_000, multilingual: bool = True) -> None:
        self.taxonomy = taxonomy
        self.threads = threads
        self.fewshot_threshold = fewshot_threshold
        self.max_chars = max_chars
        self.multilingual = multilingual

    @classmethod
    def describe_labels(cls) -> tuple[Label, ...]:
        """The taxonomy's narratives (shipped file and the analyst's own), or none when it cannot be read.

        Parsed once per version of the taxonomy files (a web page asks on every request)."""
        from narrascope.narratives.taxonomy import SHIPPED, fingerprint, load_taxonomy

        key = fingerprint()
        if key in _LABELS:
            return _LABELS[key]
        try:
            taxonomy = list(load_taxonomy())
        except Exception:  # noqa: BLE001 - a broken analyst file must not take the glossary down
            taxonomy = []
        source = {"shipped": f"narrascope's narrative taxonomy ({SHIPPED.name})",
                  "user": "the analyst's own taxonomy file"}
        _LABELS[key] = (*(Label(n.id, n.description, n.examples[0] if n.examples else "",
                                source.get(n.origin, n.origin), n.name) for n in taxonomy), UNSUPPORTED)
        return _LABELS[key]

    def supported_languages(self) -> tuple[str, ...]:
        return SUPPORTED_LANGUAGES

    def load_model(self) -> Any:
        from narrascope.narratives.model import NarrativeModel

        return NarrativeModel(self.taxonomy, threads=self.threads, fewshot_threshold=self.fewshot_threshold,
                              max_chars=self.max_chars)

    def load_second_model(self) -> Any:
        from narrascope.narratives.multilingual import MultilingualNarratives

        return MultilingualNarratives(self.taxonomy, threads=self.threads, max_chars=self.max_chars)

    def score_with(self, model: Any, texts: list[str]) -> list[Any]:
        return list(model.analyse(texts))

    def annotations(self, target: Target, res: Any, version: str) -> list[Annotation]:
        narr = list(self.model.taxonomy)
        units = res.units
        at = target.start  # a listing item's offset in the body
        out = []
        for u, ((s, e), level) in enumerate(zip(units.spans, units.levels, strict=True)):
            for k in (units.narratives[u] >= 0.5).nonzero()[0]:
                out.append(Annotation(
                    target=target.id, target_type=target.type, start=at + s, end=at + e, layer=self.layer,
                    label=narr[k].id, score=round(float(units.narratives[u, k]), 4), producer=self.name,
                    producer_version=version, data={"level": level, "name": narr[k].name}))
        whole = {"level": "item", "item": target.item} if target.item is not None else {"level": target.type}
        for n in res.narratives:
            out.append(Annotation(
                target=target.id, target_type=target.type, start=at, end=at + len(target.text), layer=self.layer,
                label=n["id"], score=n["score"], producer=self.name, producer_version=version,
                data={**whole, "name": n["name"], "sentences": [[at + s, at + e] for s, e in n["sentences"]],
                      "keywords": [k["keyword"] for k in res.keywords]}))
        return out
