"""Translate-train for the multilingual heads: refit a shipped linear head on parallel items (issue 26).

A head on the trunk decides differently on a Russian text than the English model decides on its English
original, for two reasons: the trunk moves the text (see :mod:`narrascope.models.alignment`) and the head is
not the English model. Here the head learns the English model's decisions on the parallel items of
``training/translate-train``: each fitting item's English text and its translations become rows whose target
is **the English model's decision on the English text** (the writers' ``gold`` is never used). The refit starts
from the shipped head and is pulled back to it, so the English training it had is not thrown away:

    minimise  mean loss(rows) + rho / 2 * (|W - W0|^2 + |b - b0|^2)

with a softmax cross-entropy (toxicity: hatespeech / offensive / normal) or one binary cross-entropy per
label (narratives, techniques: several may hold). The head's thresholds stay as they were.
"""

from __future__ import annotations

from typing import Any

import numpy as np

RHOS = (0.0001, 0.001, 0.01, 0.1)


def _softmax(z: np.ndarray) -> np.ndarray:
    z = z - z.max(axis=1, keepdims=True)
    e = np.exp(z)
    return np.asarray(e / e.sum(axis=1, keepdims=True))


def refit(w0: np.ndarray, b0: np.ndarray, x: np.ndarray, y: np.ndarray, rho: float,
          kind: str) -> tuple[np.ndarray, np.ndarray]:
    """``(W, b)`` from the shipped ``(w0 [k, d], b0 [k])`` on rows ``x [n, d]`` with targets ``y [n, k]`` (0/1;
    ``kind`` ``softmax``: one 1 per row, else ``sigmoid``), pulled to the start with strength ``rho``."""
    from scipy.optimize import minimize  # type: ignore[import-untyped]

    from narrascope.narratives.heads import sigmoid

    if kind not in ("softmax", "sigmoid"):
        raise ValueError(f"kind must be softmax or sigmoid, not {kind!r}")
    k, d = w0.shape
    x = np.asarray(x, dtype=np.float64)
    y = np.asarray(y, dtype=np.float64)
    start = np.concatenate([w0.ravel(), b0]).astype(np.float64)

    def loss(theta: np.ndarray) -> tuple[float, np.ndarray]:
        w, b = theta[:k * d].reshape(k, d), theta[k * d:]
        z = x @ w.T + b
        if kind == "softmax":
            p = _softmax(z)
            value = -float(np.sum(y * np.log(np.clip(p, 1e-12, 1.0)))) / len(x)
        else:
            p = sigmoid(z)
            value = float(np.sum(np.logaddexp(0.0, z) - y * z)) / len(x)
        g = (p - y) / len(x)
        diff = theta - start
        grad = np.concatenate([(g.T @ x).ravel(), g.sum(axis=0)]) + rho * diff
        return value + rho / 2 * float(diff @ diff), grad

    theta = minimize(loss, start, jac=True, method="L-BFGS-B", options={"maxiter": 500}).x
    return theta[:k * d].reshape(k, d).astype(np.float32), theta[k * d:].astype(np.float32)


def rows(encoder: Any, items: list[Any], targets: list[np.ndarray],
         languages: tuple[str, ...] = ("en", "ru", "uk", "be")) -> tuple[np.ndarray, np.ndarray]:
    """``(x, y)``: every text of ``items`` in ``languages`` (embedded by ``encoder``), each with its item's target."""
    texts, ys = [], []
    for item, target in zip(items, targets, strict=True):
        for lang in languages:
            if lang in item.texts:
                texts.append(item.texts[lang])
                ys.append(target)
    return np.asarray(encoder.encode(texts), dtype=np.float32), np.asarray(ys)


def summary(rho: float, items: int, rows_: int) -> dict[str, Any]:
    return {"rho": rho, "fit_items": items, "rows": rows_,
            "data": "training/translate-train (parallel items written for narrascope), targets: the English "
                    "model's decisions on each item's English text"}


def teacher_targets(layer: str, items: list[Any], labels: list[str], threads: int) -> list[np.ndarray]:
    """Per item, the English model's decision on its English text as a 0/1 row over ``labels``."""
    from narrascope.evaluation.translated import decisions

    english = [item.texts["en"] for item in items]
    if layer == "narratives":  # in the head's own label space (keyword tags and diary narratives)
        import tempfile
        from pathlib import Path

        from narrascope.narratives.distil import english_decisions

        with tempfile.TemporaryDirectory() as cache:
            return list(english_decisions(english, labels, Path(cache), threads))
    said = decisions(layer, english)
    return [np.array([label in d.labels for label in labels], dtype=np.int8) for d in said]


def load_head(layer: str, path: Any) -> dict[str, Any]:
    """``w``, ``b``, ``labels``, ``kind`` and ``meta`` of ``layer``'s head file ``path``."""
    if layer == "narratives":
        from narrascope.narratives.heads import LinearHeads

        heads = LinearHeads.load(path)
        if heads.vocab is not None:
            raise ValueError(f"{path}: a narratives head with TF-IDF features cannot be refitted on embeddings")
        return {"w": heads.weights, "b": heads.bias, "labels": heads.labels, "kind": "sigmoid", "meta": heads.meta,
                "thresholds": heads.thresholds}
    if layer == "toxicity":
        from narrascope.toxicity.data import LABELS
        from narrascope.toxicity.multilingual import load_head as load_toxicity

        head = load_toxicity(path)
        return {"w": head["coef"], "b": head["intercept"], "labels": list(LABELS), "kind": "softmax",
                "meta": head["meta"]}
    import json

    with np.load(path, allow_pickle=False) as z:
        meta = json.loads(str(z["meta"]))
        w, b = np.asarray(z["coef"]), np.asarray(z["intercept"])
    return {"w": w, "b": b, "labels": list(meta["labels"]), "kind": "sigmoid", "meta": meta}


def save_head(layer: str, head: dict[str, Any], w: np.ndarray, b: np.ndarray, extra: dict[str, Any],
              path: Any) -> None:
    """``head`` with weights ``w``, ``b`` and ``extra`` in its meta (``translate_train``), written to ``path``."""
    meta = {**head["meta"], "version": f"{head['meta'].get('version', layer)}-tt", "translate_train": extra}
    if layer == "narratives":
        from narrascope.narratives.heads import LinearHeads

        LinearHeads(head["labels"], w, b, head["thresholds"], meta).save(path)
    elif layer == "toxicity":
        from narrascope.toxicity.multilingual_training import save_head as save

        save(path, w, b, meta)
    else:
        from narrascope.techniques.sentence_head import save_head as save

        save(path, w, b, meta)
