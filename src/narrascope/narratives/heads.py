"""Linear heads over sentence embeddings, stored as numpy ``.npz`` so inference needs only numpy.

A head file holds ``weights [labels, dim]``, ``bias [labels]``, ``thresholds [labels]`` (chosen on
held-out training data), ``labels`` (strings) and ``meta`` (a JSON string: data, command,
held-out figures). Optional TF-IDF features (``vocab``, ``idf``) are appended to the embedding
the way scikit-learn's ``TfidfVectorizer(sublinear_tf=True)`` computes them.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

_TOKEN = re.compile(r"(?u)\b\w\w+\b")


def sigmoid(x: np.ndarray) -> np.ndarray:
    return 1.0 / (1.0 + np.exp(-np.clip(x, -30, 30)))


@dataclass
class LinearHeads:
    """Independent logistic-regression heads: ``probabilities(embeddings, texts)`` -> ``[n, labels]``."""

    labels: list[str]
    weights: np.ndarray
    bias: np.ndarray
    thresholds: np.ndarray
    meta: dict[str, Any] = field(default_factory=dict)
    vocab: dict[str, int] | None = None
    idf: np.ndarray | None = None
    ngram_max: int = 1

    def _tfidf_row(self, text: str) -> tuple[np.ndarray, np.ndarray]:
        """Column indices and L2-normalised sublinear TF-IDF values of one text."""
        assert self.vocab is not None and self.idf is not None
        words = _TOKEN.findall(text.lower())
        grams = list(words)
        for n in range(2, self.ngram_max + 1):
            grams += [" ".join(words[i:i + n]) for i in range(len(words) - n + 1)]
        counts: dict[int, int] = {}
        for g in grams:
            j = self.vocab.get(g)
            if j is not None:
                counts[j] = counts.get(j, 0) + 1
        idx = np.fromiter(counts.keys(), dtype=np.int64, count=len(counts))
        vals = (1.0 + np.log(np.fromiter(counts.values(), dtype=np.float32, count=len(counts)))) * self.idf[idx]
        norm = float(np.linalg.norm(vals))
        return idx, (vals / norm if norm > 0 else vals).astype(np.float32)

    def tfidf(self, texts: list[str]) -> np.ndarray:
        """Sublinear, L2-normalised TF-IDF rows over the stored vocabulary (dense; for small batches and tests)."""
        assert self.idf is not None
        out = np.zeros((len(texts), len(self.idf)), dtype=np.float32)
        for r, text in enumerate(texts):
            idx, vals = self._tfidf_row(text)
            out[r, idx] = vals
        return out

    def probabilities(self, embeddings: np.ndarray, texts: list[str] | None = None) -> np.ndarray:
        """Probability of every label for every row (``texts`` are needed when the heads use TF-IDF)."""
        dim = embeddings.shape[1]
        logits = embeddings @ self.weights[:, :dim].T + self.bias
        if self.vocab is not None:
            if texts is None:
                raise ValueError("these heads use TF-IDF features: pass the texts too")
            sparse_w = self.weights[:, dim:]
            for r, text in enumerate(texts):  # sparse rows: never a dense [n, vocabulary] matrix
                idx, vals = self._tfidf_row(text)
                if len(idx):
                    logits[r] += sparse_w[:, idx] @ vals
        return sigmoid(logits)

    def save(self, path: str | Path) -> None:
        """Write the heads to an ``.npz`` file (no pickles)."""
        extra: dict[str, Any] = {}
        if self.vocab is not None and self.idf is not None:
            terms = sorted(self.vocab, key=self.vocab.__getitem__)
            extra = {"vocab": np.array(terms, dtype=str), "idf": self.idf.astype(np.float32),
                     "ngram_max": np.array(self.ngram_max)}
        np.savez_compressed(path, labels=np.array(self.labels, dtype=str), weights=self.weights.astype(np.float32),
                            bias=self.bias.astype(np.float32), thresholds=self.thresholds.astype(np.float32),
                            meta=np.array(json.dumps(self.meta)), **extra)

    @classmethod
    def load(cls, path: str | Path) -> LinearHeads:
        """Read heads written by :meth:`save`."""
        with np.load(path, allow_pickle=False) as z:
            vocab = {t: i for i, t in enumerate(z["vocab"].tolist())} if "vocab" in z else None
            return cls(labels=z["labels"].tolist(), weights=z["weights"], bias=z["bias"],
                       thresholds=z["thresholds"], meta=json.loads(str(z["meta"])), vocab=vocab,
                       idf=z["idf"] if "idf" in z else None,
                       ngram_max=int(z["ngram_max"]) if "ngram_max" in z else 1)


@dataclass
class BlendedHeads:
    """``weight`` x a fine-tuned tagger + (1 - ``weight``) x linear heads over the same labels.

    The thresholds and ``meta`` are the tagger's (``narratives.finetune.blend`` chose them for the
    blend); the linear heads score the shared embedding, the tagger runs its own pass on the texts.
    """

    linear: LinearHeads
    tagger: Any
    weight: float

    def __post_init__(self) -> None:
        if list(self.linear.labels) != list(self.tagger.labels):
            raise ValueError("the linear heads and the fine-tuned tagger have different labels: "
                             "train both with the same `narrascope train narratives --finetune N` run")

    @property
    def labels(self) -> list[str]:
        return list(self.tagger.labels)

    @property
    def thresholds(self) -> np.ndarray:
        return np.asarray(self.tagger.thresholds)

    @property
    def meta(self) -> dict[str, Any]:
        return {**self.tagger.meta, "version": f"{self.tagger.meta.get('version', 'tagger')}"
                f"+{self.linear.meta.get('version', 'heads')}@{self.weight}"}

    def probabilities(self, embeddings: np.ndarray, texts: list[str] | None = None) -> np.ndarray:
        tagged = self.tagger.probabilities(None, texts)
        return self.weight * tagged + (1 - self.weight) * self.linear.probabilities(embeddings, texts)
