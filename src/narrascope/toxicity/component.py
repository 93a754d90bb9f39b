"""The ``toxicity`` pipeline component: every comment gets hatespeech, offensive or normal.

Each comment receives one annotation over its whole text (label, score of that label,
``data={"scores": {...}, "target": group or None}``) and one ``toxic_span`` annotation per
run of characters responsible, whatever the label (a comment labelled normal may quote a slur
to reject it: the span is shown, the comment is not hidden; which spans such a comment shows:
:mod:`narrascope.toxicity.normal_spans`). Comments the model cannot read (empty, another
language) get the label ``unsupported`` with the reason. With ``sentences=True`` the article
body's sentences are scored too, and the non-normal ones annotated: those ending with a sentence mark
(:func:`narrascope.sentences.sentences` with ``marked=True``); the model, trained on posts, calls
headlines, menu items and bylines hate speech.
"""

from __future__ import annotations

from typing import Any

from narrascope import registry
from narrascope.model import Annotation, Document
from narrascope.models import crosslingual
from narrascope.models.version import model_version
from narrascope.pipeline.component import BatchComponent, Label, ModelVersion, Target
from narrascope.sentences import sentences

FLAGGED = ("hatespeech", "offensive")
HATEXPLAIN = "HateXplain (Mathew et al., 2021): three-class labels of social-media posts"


def _version(component: ToxicityComponent | None) -> str:
    from narrascope.toxicity.inference import MODEL_DIR

    primary = model_version(component.model_dir if component is not None and component.model_dir else MODEL_DIR)
    return crosslingual.versioned(primary, "toxicity", component.multilingual if component is not None else False)


@registry.components.register("toxicity")
class ToxicityComponent(BatchComponent):
    """Label comments (and optionally article sentences) with the shipped toxicity model.

    ``multilingual`` (off by default): Russian, Ukrainian and Belarusian comments are labelled by the toxicity
    head on the multilingual trunk instead of said ``unsupported``; it is too weak to label and mask comments
    on by default (``models/multilingual/MODEL_CARD.md``).
    """

    name = "toxicity"
    version = ModelVersion(_version)
    layer = "toxicity"
    summary = ("Each comment labelled hate speech, offensive or normal, with the words responsible marked as toxic "
               "spans (masked until an analyst reveals them).")
    model_name = "all-MiniLM-L6-v2 fine-tuned on HateXplain and SemEval-2021 toxic spans (int8 ONNX)"
    labels = (
        Label("hatespeech", "Attacks or demeans people for who they are (ethnicity, religion, sexual orientation, "
              "gender, origin).", "“People like them should be driven out of the country.”", HATEXPLAIN),
        Label("offensive", "Insulting, abusive or vulgar, without attacking a group for its identity.",
              "“You are an idiot and so is everyone who reads you.”", HATEXPLAIN),
        Label("normal", "Neither hate speech nor offensive.", "“I disagree with the minister's figures.”", HATEXPLAIN),
        Label("toxic_span", "The words the model marks as toxic: masked in place when the comment is masked, "
              "marked in view otherwise (a slur quoted in counter-speech labelled normal).",
              "“You are an i****.”", "SemEval-2021 Task 5: Toxic Spans Detection (Pavlopoulos et al., 2021)"),
        Label("unsupported", "Not scored: the comment is empty, or the comment, a sentence or a passage of it is not "
              "in English.", ""),
    )

    def __init__(self, model_dir: str | None = None, threads: int = 1, batch_size: int = 1,
                 sentences: bool = False, languages: tuple[str, ...] = ("en",),
                 comments_per_batch: int = 1024, multilingual: bool = False) -> None:
        self.model_dir = model_dir
        self.threads = threads
        self.batch_size = batch_size
        self.sentences = sentences
        self.languages = languages
        self.comments_per_batch = comments_per_batch
        self.multilingual = multilingual

    def supported_languages(self) -> tuple[str, ...]:
        return tuple(self.languages)

    def load_second_model(self) -> Any:
        from narrascope.toxicity.multilingual import load

        return load(self.threads)

    def load_model(self) -> Any:
        from narrascope.toxicity.inference import ToxicityModel

        return ToxicityModel(self.model_dir, threads=self.threads, batch_size=self.batch_size,
                             languages=tuple(self.languages))

    def batch_full(self, batch: list[Document], batch_size: int) -> bool:
        return sum(len(d.comments) for d in batch) >= self.comments_per_batch

    def targets(self, doc: Document) -> list[Target]:
        """Every comment (an empty one is labelled ``unsupported``), then the body's sentences if asked."""
        out = [Target(c.id, "comment", c.text, c.language) for c in doc.comments]
        if self.sentences and doc.body:
            out += [Target(doc.id, "document", doc.body[s:e], doc.language, s)
                    for s, e in sentences(doc.body, marked=True)]
        return out

    def score_with(self, model: Any, texts: list[str]) -> list[Any]:
        return list(model.predict(texts))

    def annotations(self, target: Target, r: Any, version: str) -> list[Annotation]:
        t, kind, start, end = target.id, target.type, target.start, target.start + len(target.text)
        if kind == "document" and r.label in (None, "normal"):
            return []
        if r.label is None:
            return [Annotation(t, kind, start, end, self.layer, "unsupported", None, self.name, version,
                               {"reason": r.unsupported})]
        out = [Annotation(t, kind, start, end, self.layer, r.label, r.scores[r.label], self.name, version,
                          {"scores": r.scores, "target": r.target})]
        out += [Annotation(t, kind, start + s, start + e, self.layer, "toxic_span", r.scores[r.label],
                           self.name, version, {"label": r.label, "target": r.target}) for s, e in r.spans]
        return out
