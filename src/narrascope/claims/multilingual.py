"""Check-worthiness of Russian, Ukrainian and Belarusian sentences: a linear head on the multilingual trunk.

The head is one logistic regression on the trunk's sentence embedding (no TF-IDF: English words would
say nothing of a Russian sentence), fitted on the fitting debates of ClaimBuster
(:func:`~narrascope.evaluation.splits.claimbuster_split`); its C and its threshold are chosen on the
validation debates. It is trained on English only and reads the other languages through the trunk's
shared embedding space (see ``models/multilingual/MODEL_CARD.md``).
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

import numpy as np

from narrascope.claims.data import find, read_claimbuster
from narrascope.claims.model import CheckworthyModel
from narrascope.claims.training import best_threshold
from narrascope.models import crosslingual
from narrascope.narratives.heads import LinearHeads

LAYER = "claims"
VERSION = "e5-claims-linear-1"
#: inverse regularisation strengths tried (chosen by F1 on the validation debates)
C_GRID = (0.25, 1.0, 4.0, 16.0)


class MultilingualCheckworthy(crosslingual.UsesTrunk, CheckworthyModel):
    """:class:`CheckworthyModel` over the trunk's encoder and its claims head; ``version`` is ``TRUNK/HEAD``.

    The head's own threshold applies (one chosen for the English model's probabilities means nothing here).
    """

    layer = LAYER

    def __init__(self, heads: str | Path | None = None, encoder: Any = None, threads: int = 1,
                 max_chars: int = 200_000) -> None:
        super().__init__(heads or crosslingual.heads_file(LAYER), encoder=encoder, threads=threads,
                         max_chars=max_chars, finetuned=False)

    @property
    def version(self) -> str:
        return crosslingual.head_version(self.heads_path)


def fit_head(emb: np.ndarray, y: np.ndarray, c: float) -> tuple[np.ndarray, np.ndarray]:
    """Weights ``[1, dim]`` and bias of logistic regression on the embeddings."""
    from sklearn.linear_model import LogisticRegression  # type: ignore[import-untyped]

    model = LogisticRegression(C=c, max_iter=2000, solver="liblinear").fit(emb, y)
    return model.coef_.astype(np.float32), model.intercept_.astype(np.float32)


def choose(emb: np.ndarray, y: np.ndarray, fit: list[int], val: list[int]) -> dict[str, Any]:
    """The C of :data:`C_GRID` and the threshold with the best validation F1, and the head fitted with it."""
    from sklearn.metrics import f1_score  # type: ignore[import-untyped]

    tried: list[dict[str, Any]] = []
    for c in C_GRID:
        w, b = fit_head(emb[fit], y[fit], c)
        p = LinearHeads(["checkworthy"], w, b, np.array([0.5], np.float32)).probabilities(emb[val])[:, 0]
        thr = best_threshold(y[val], p)
        tried.append({"c": c, "threshold": round(thr, 2), "f1": float(f1_score(y[val], p >= thr)),
                      "weights": w, "bias": b})
    best = max(tried, key=lambda t: float(t["f1"]))
    return {**best, "tried": [{k: v for k, v in t.items() if k in ("c", "threshold", "f1")} for t in tried]}


def held_out_figures(data: Path, heads: Path, encoder: Any) -> dict[str, Any]:
    """The ``eval model`` rows of the head, of the shipped English model and of TF-IDF + LR, in one run."""
    from narrascope.claims.scores import rows
    from narrascope.evaluation.predictors import CheckworthyHead

    ours = rows(data, predictor=CheckworthyHead(MultilingualCheckworthy(heads, encoder=encoder)))
    shipped = rows(data)
    return {row["metric"]: {"data": row["data"], "e5_head": round(row["narrascope"], 4),
                            "shipped": round(other["narrascope"], 4), "tfidf_lr": round(row["baseline"], 4)}
            for row, other in zip(ours, shipped, strict=True)}


def train_head(data: Path, out: Path, threads: int = 2, test: bool = False) -> dict[str, Any]:
    """``narrascope train multilingual-head claims``: fit on ClaimBuster's fitting debates, choose on the
    validation debates, write ``out/claims.npz``; ``test``: the figures on the untouched test part."""
    from narrascope.evaluation.splits import claimbuster_split
    from narrascope.models.embedding_cache import CachedEncoder, cache_dir

    start = time.monotonic()
    cb = read_claimbuster(find(Path(data), "claimbuster_crowdsourced.csv"))
    y, groups = np.array([s.label for s in cb]), np.array([s.group for s in cb])
    split = claimbuster_split(y, groups)
    encoder = CachedEncoder(crosslingual.encoder(threads), cache_dir(LAYER, out / "embeddings"))
    rows = split.fit + split.validation
    emb = encoder.encode([cb[i].text for i in rows])
    fit, val = list(range(len(split.fit))), list(range(len(split.fit), len(rows)))
    best = choose(emb, y[rows], fit, val)
    summary: dict[str, Any] = {
        "version": VERSION, "trunk": crosslingual.trunk_config().get("version"),
        "data": f"ClaimBuster crowdsourced, fitting debates ({len(split.fit)} sentences); C and threshold chosen "
                f"on the validation debates ({len(split.validation)} sentences) "
                "(narrascope.evaluation.splits.claimbuster_split); English only",
        "features": "trunk sentence embedding (384), no TF-IDF", "c": best["c"], "threshold": best["threshold"],
        "validation_f1": round(best["f1"], 4),
        "tried": [{**t, "f1": round(t["f1"], 4)} for t in best["tried"]],
        "seconds": round(time.monotonic() - start, 1)}
    out.mkdir(parents=True, exist_ok=True)
    LinearHeads(["checkworthy"], best["weights"], best["bias"], np.array([best["threshold"]], np.float32),
                summary).save(out / f"{LAYER}.npz")
    if test:
        summary["test"] = held_out_figures(Path(data), out / f"{LAYER}.npz", encoder)
        summary["seconds_with_test"] = round(time.monotonic() - start, 1)
    return summary
