"""The toxicity layer's multilingual model: a linear head on the frozen e5 trunk (issue 26).

It reads the comments and sentences the English model does not (Russian, Ukrainian, Belarusian:
:func:`narrascope.models.crosslingual.languages`). The head (``models/multilingual/toxicity.npz``,
plain arrays, loaded without pickle) is a three-class logistic regression over the trunk's embedding:
``softmax(coef @ x + intercept)`` gives the hatespeech / offensive / normal scores and the label is
the most probable class. It answers :class:`~narrascope.toxicity.inference.ToxicityResult` like the
English model, without toxic spans and without a targeted group (a sentence embedding says neither).
Trained by :mod:`narrascope.toxicity.multilingual_training`.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from narrascope.toxicity.data import LABELS
from narrascope.toxicity.inference import ToxicityResult

LAYER = "toxicity"


def load_head(path: Path) -> dict[str, Any]:
    """The head's arrays and its ``meta`` (a JSON string) from ``path``, without pickle."""
    import json

    import numpy as np

    from narrascope.errors import NarrascopeError

    try:
        with np.load(path, allow_pickle=False) as npz:
            head = {"coef": np.asarray(npz["coef"], dtype=np.float32),
                    "intercept": np.asarray(npz["intercept"], dtype=np.float32),
                    "meta": json.loads(str(npz["meta"]))}
    except (OSError, KeyError, ValueError) as err:
        raise NarrascopeError(f"{path}: not a toxicity head (coef, intercept, meta): {err}") from err
    if head["coef"].shape[0] != len(LABELS) or head["intercept"].shape != (len(LABELS),):
        raise NarrascopeError(f"{path}: the toxicity head must have {len(LABELS)} classes, "
                              f"got coef {head['coef'].shape}, intercept {head['intercept'].shape}")
    return head


def class_scores(coef: Any, intercept: Any, embeddings: Any) -> Any:
    """``[n, 3]`` class probabilities (order of :data:`~narrascope.toxicity.data.LABELS`) of a linear head."""
    import numpy as np

    logits = np.asarray(embeddings, dtype=np.float32) @ coef.T + intercept
    logits -= logits.max(axis=1, keepdims=True)
    exp = np.exp(logits)
    return exp / exp.sum(axis=1, keepdims=True)


class MultilingualToxicityModel:
    """The trunk's encoder and the toxicity head; ``predict`` answers like the English model."""

    def __init__(self, encoder: Any, head_file: str | Path, version: str) -> None:
        self.encoder = encoder
        self.head_file = Path(head_file)
        self.version = version
        self._head: dict[str, Any] | None = None

    @property
    def head(self) -> dict[str, Any]:
        if self._head is None:
            self._head = load_head(self.head_file)
        return self._head

    def class_probabilities(self, texts: list[str]) -> Any:
        """``[n, 3]`` class probabilities of the texts (whitespace runs read as one space; one trunk pass)."""
        head = self.head
        return class_scores(head["coef"], head["intercept"], self.encoder.encode([" ".join(t.split()) for t in texts]))

    def predict(self, texts: list[str]) -> list[ToxicityResult]:
        """Label and class scores per text (no spans, no target); a text without letters or digits is unsupported."""
        readable = [i for i, t in enumerate(texts) if any(ch.isalnum() for ch in t)]
        out = [ToxicityResult(None, None, unsupported="empty comment" if not t.strip() else "no readable characters")
               for t in texts]
        if not readable:
            return out
        for i, row in zip(readable, self.class_probabilities([texts[i] for i in readable]), strict=True):
            scores = {name: round(float(p), 4) for name, p in zip(LABELS, row, strict=True)}
            out[i] = ToxicityResult(LABELS[int(row.argmax())], scores)
        return out


def load(threads: int = 1) -> MultilingualToxicityModel:
    """The shipped multilingual toxicity model (trunk + ``models/multilingual/toxicity.npz``)."""
    from narrascope.models import crosslingual

    return MultilingualToxicityModel(crosslingual.layer_encoder(LAYER, threads), crosslingual.heads_file(LAYER),
                                     crosslingual.version(LAYER))
