"""Check-worthy claims: a fine-tuned MiniLM tagger, or a logistic-regression head on sentence embeddings (+ TF-IDF).

Both are trained on ClaimBuster; the tagger (``finetuned.*`` beside the head file) is used when it is there.

A sentence is check-worthy when its probability reaches the head's threshold (chosen on held-out
training data). A longer text is cut into sentences; its score is that of its most check-worthy
sentence, and the sentences above threshold are its claims.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from narrascope.models.sentence import UsesSentenceEncoder
from narrascope.models.version import model_version
from narrascope.narratives.heads import LinearHeads
from narrascope.sentences import scored_sentences

HEADS_FILE = Path(__file__).resolve().parent / "model" / "heads.npz"


@dataclass
class ClaimSentence:
    """``[start, end)`` of a text and its check-worthiness probability."""

    start: int
    end: int
    score: float


@dataclass
class TextClaims:
    """A text's check-worthiness: ``score`` of its best sentence, ``claims`` the sentences above threshold."""

    checkworthy: bool
    score: float
    claims: list[ClaimSentence] = field(default_factory=list)
    sentences: list[ClaimSentence] = field(default_factory=list)
    #: the probability a sentence needed (the model's threshold)
    threshold: float = 0.5


class CheckworthyModel(UsesSentenceEncoder):
    """Score sentences for check-worthiness; the encoder and head load on first use."""

    def __init__(self, heads: str | Path | None = None, encoder: Any = None, threads: int = 1,
                 threshold: float | None = None, max_chars: int = 200_000, finetuned: bool = True) -> None:
        self.heads_path = Path(heads) if heads else HEADS_FILE
        self.threads = threads
        self.finetuned = finetuned
        self.threshold_override = threshold
        self.max_chars = max_chars
        self._encoder = encoder
        self._heads: Any = None

    @property
    def heads(self) -> Any:
        """The fine-tuned tagger when shipped next to the head file (and ``finetuned``), else the linear head."""
        if self._heads is None:
            from narrascope.models.tagger import FinetunedHeads

            if self.finetuned and FinetunedHeads.available(self.heads_path.parent):
                self._heads = FinetunedHeads(self.heads_path.parent, self.threads)
                return self._heads
            if not self.heads_path.is_file():
                from narrascope.models.encoder import ModelFilesError

                raise ModelFilesError(f"{self.heads_path}: no check-worthiness head; reinstall narrascope or run "
                                      "`narrascope train checkworthy --data DIR`")
            self._heads = LinearHeads.load(self.heads_path)
        return self._heads

    @property
    def threshold(self) -> float:
        if self.threshold_override is not None:
            return float(self.threshold_override)
        return float(self.heads.thresholds[0])

    @property
    def version(self) -> str:
        return model_version(self.heads_path, self.finetuned)

    def score_embeddings(self, emb: np.ndarray, texts: list[str]) -> np.ndarray:
        """Check-worthiness probability of each embedded sentence (0 for empty ones)."""
        if not len(texts):
            return np.zeros(0, dtype=np.float32)
        p = self.heads.probabilities(emb, texts)[:, 0]
        p[~np.any(emb != 0, axis=1)] = 0.0
        return p

    def analyse(self, texts: list[str]) -> list[TextClaims]:
        """Check-worthiness of each text and of each of its sentences (of two words or more)."""
        spans = [scored_sentences(t[:self.max_chars]) for t in texts]  # a one-word sentence is no claim
        flat = [t[s:e] for t, sp in zip(texts, spans, strict=True) for s, e in sp]
        if isinstance(self.heads, LinearHeads):
            emb = self.encoder.encode(flat) if flat else np.zeros((0, 384), np.float32)
            probs = self.score_embeddings(emb, flat)
        else:  # the fine-tuned tagger runs its own encoder
            probs = self.heads.probabilities(None, flat)[:, 0] if flat else np.zeros(0, np.float32)
        out, row, thr = [], 0, self.threshold
        for sp in spans:
            sents = [ClaimSentence(s, e, round(float(p), 4)) for (s, e), p in zip(sp, probs[row:row + len(sp)],
                                                                                  strict=True)]
            row += len(sp)
            best = max((c.score for c in sents), default=0.0)
            out.append(TextClaims(best >= thr, best, [c for c in sents if c.score >= thr], sents, thr))
        return out
