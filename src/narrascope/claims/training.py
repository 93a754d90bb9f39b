"""Train the check-worthiness head (scikit-learn) and measure it; inference needs only numpy.

Features: the shared sentence embedding concatenated with sublinear TF-IDF (uni+bigrams).
Figures: positive-class F1 on ClaimBuster debates held out by debate (20%, seeded), beside a
TF-IDF + logistic regression baseline on the same split; the same on a random stratified 20% of
sentences (a secondary figure: sentences of one debate then fall on both sides); CheckThat! 2019 Task 1 MAP in
leave-one-debate-out cross-validation (training on the other CLEF debates plus ClaimBuster
without the 2016 debates that CLEF also contains).
"""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np

from narrascope.claims.data import Sentence, find, read_claimbuster, read_clef2019
from narrascope.narratives.heads import LinearHeads

VERSION = "checkworthy-minilm-tfidf-lr-1"
MAX_FEATURES = 20_000


def _fit(texts: list[str], emb: np.ndarray, y: np.ndarray, c: float = 1.0, tfidf: bool = True) -> Any:
    from scipy import sparse  # type: ignore[import-untyped]
    from sklearn.feature_extraction.text import TfidfVectorizer  # type: ignore[import-untyped]
    from sklearn.linear_model import LogisticRegression  # type: ignore[import-untyped]

    vec = TfidfVectorizer(sublinear_tf=True, min_df=2, ngram_range=(1, 2), max_features=MAX_FEATURES).fit(texts)
    x = sparse.hstack([sparse.csr_matrix(emb), vec.transform(texts)]).tocsr() if tfidf else emb
    model = LogisticRegression(C=c, max_iter=2000, solver="liblinear").fit(x, y)
    return vec, model


def _heads(vec: Any, model: Any, threshold: float, meta: dict[str, Any]) -> LinearHeads:
    return LinearHeads(["checkworthy"], model.coef_.astype(np.float32), model.intercept_.astype(np.float32),
                       np.array([threshold], np.float32), meta, {t: int(i) for t, i in vec.vocabulary_.items()},
                       vec.idf_.astype(np.float32), 2)


def best_threshold(y: np.ndarray, p: np.ndarray) -> float:
    """The probability threshold with the best positive-class F1 on ``(y, p)``."""
    from sklearn.metrics import f1_score  # type: ignore[import-untyped]

    grid = np.arange(0.1, 0.9, 0.02)
    return float(max(grid, key=lambda t: f1_score(y, p >= t, zero_division=0)))


def _embed(encoder: Any, sents: list[Sentence]) -> np.ndarray:
    return encoder.encode([s.text for s in sents])


def tfidf_baseline(train_texts: list[str], y: np.ndarray, val: tuple[list[str], np.ndarray],
                   test: tuple[list[str], np.ndarray]) -> float:
    """Positive-class F1 of TF-IDF + logistic regression (threshold tuned on ``val``)."""
    from sklearn.feature_extraction.text import TfidfVectorizer  # type: ignore[import-untyped]
    from sklearn.linear_model import LogisticRegression  # type: ignore[import-untyped]
    from sklearn.metrics import f1_score  # type: ignore[import-untyped]

    vec = TfidfVectorizer(sublinear_tf=True, min_df=2, ngram_range=(1, 2)).fit(train_texts)
    model = LogisticRegression(C=4, max_iter=2000, solver="liblinear").fit(vec.transform(train_texts), y)
    thr = best_threshold(val[1], model.predict_proba(vec.transform(val[0]))[:, 1])
    return float(f1_score(test[1], model.predict_proba(vec.transform(test[0]))[:, 1] >= thr))


def tfidf_balanced(train_texts: list[str], y: np.ndarray, test: tuple[list[str], np.ndarray]) -> float:
    """Positive-class F1 of TF-IDF + logistic regression with balanced class weights (threshold 0.5)."""
    from sklearn.feature_extraction.text import TfidfVectorizer  # type: ignore[import-untyped]
    from sklearn.linear_model import LogisticRegression  # type: ignore[import-untyped]
    from sklearn.metrics import f1_score  # type: ignore[import-untyped]

    vec = TfidfVectorizer(sublinear_tf=True, min_df=2, ngram_range=(1, 2)).fit(train_texts)
    model = LogisticRegression(C=4, max_iter=2000, solver="liblinear", class_weight="balanced")
    model.fit(vec.transform(train_texts), y)
    return float(f1_score(test[1], model.predict(vec.transform(test[0]))))


def heldout_f1(texts: list[str], emb: np.ndarray, y: np.ndarray, fit_i: np.ndarray, val_i: np.ndarray,
               te: np.ndarray) -> dict[str, Any]:
    """Our head fitted on ``fit_i``, its threshold chosen on ``val_i``, beside TF-IDF + LR; F1 on ``te``."""
    from sklearn.metrics import f1_score  # type: ignore[import-untyped]

    pick = lambda ix: [texts[i] for i in ix]  # noqa: E731
    vec, model = _fit(pick(fit_i), emb[fit_i], y[fit_i])
    h = _heads(vec, model, 0.5, {})
    thr = best_threshold(y[val_i], h.probabilities(emb[val_i], pick(val_i))[:, 0])
    f1 = float(f1_score(y[te], h.probabilities(emb[te], pick(te))[:, 0] >= thr))
    base = tfidf_baseline(pick(fit_i), y[fit_i], (pick(val_i), y[val_i]), (pick(te), y[te]))
    return {"sentences": int(len(te)), "positives": int(y[te].sum()), "f1_positive": round(f1, 4),
            "tfidf_lr_f1_positive": round(base, 4), "threshold": thr}


def random_split(texts: list[str], emb: np.ndarray, y: np.ndarray) -> dict[str, Any]:
    """ClaimBuster figures on a random stratified 20% of sentences (seed 0), threshold on 15% of the rest (seed 1).

    Secondary to the split by debate: neighbouring sentences of one debate land on both sides.
    Adds TF-IDF + LR with balanced class weights (threshold 0.5, same training sentences).
    """
    from sklearn.model_selection import train_test_split  # type: ignore[import-untyped]

    idx = np.arange(len(texts))
    tr, te = train_test_split(idx, test_size=0.2, stratify=y, random_state=0)
    fit_i, val_i = train_test_split(tr, test_size=0.15, stratify=y[tr], random_state=1)
    res = heldout_f1(texts, emb, y, fit_i, val_i, te)
    res["tfidf_lr_balanced_f1_positive"] = round(tfidf_balanced([texts[i] for i in fit_i], y[fit_i],
                                                                ([texts[i] for i in te], y[te])), 4)
    return {"split": "random 20% of sentences, stratified (train_test_split seed 0); threshold on a stratified 15% "
                     "of the training sentences (seed 1)", **res}


def clef_map(cb: list[Sentence], cb_emb: np.ndarray, clef: list[Sentence], clef_emb: np.ndarray,
             log: Callable[[str], None]) -> dict[str, Any]:
    """CheckThat! 2019 MAP, leaving one CLEF debate out at a time."""
    from sklearn.metrics import average_precision_score  # type: ignore[import-untyped]

    keep = [i for i, s in enumerate(cb) if not s.group.startswith("2016")]
    groups = sorted({s.group for s in clef})
    aps = {}
    for g in groups:
        tr = [i for i, s in enumerate(clef) if s.group != g]
        te = [i for i, s in enumerate(clef) if s.group == g]
        texts = [cb[i].text for i in keep] + [clef[i].text for i in tr]
        y = np.array([cb[i].label for i in keep] + [clef[i].label for i in tr])
        vec, model = _fit(texts, np.vstack([cb_emb[keep], clef_emb[tr]]), y)
        h = _heads(vec, model, 0.5, {})
        p = h.probabilities(clef_emb[te], [clef[i].text for i in te])[:, 0]
        yt = np.array([clef[i].label for i in te])
        if yt.sum():
            aps[g] = float(average_precision_score(yt, p))
            log(f"clef2019 {g}: AP {aps[g]:.4f}")
    return {"map": float(np.mean(list(aps.values()))), "debates": len(aps), "ap": aps}


def split_by_debate(y: np.ndarray, groups: np.ndarray,
                    holdout: bool = True) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(fit, validation, test) sentence indices: 20% of debates held out (GroupShuffleSplit seed 0), 15% of the
    remaining debates for choosing the threshold (seed 1). ``holdout=False``: nothing held out (the model
    to ship), 15% of all debates for the threshold."""
    from sklearn.model_selection import GroupShuffleSplit  # type: ignore[import-untyped]

    idx = np.arange(len(y))
    if holdout:
        tr, te = next(GroupShuffleSplit(1, test_size=0.2, random_state=0).split(idx, y, groups))
    else:
        tr, te = idx, idx[:0]
    fit_i, val_i = next(GroupShuffleSplit(1, test_size=0.15, random_state=1).split(tr, y[tr], groups[tr]))
    return tr[fit_i], tr[val_i], te


def train(data: Path, out: Path, install: bool = False, clef: bool = True, encoder: Any = None,
          log: Callable[[str], None] = print) -> dict[str, Any]:
    """Held-out figures, then the shipped head fitted on all of ClaimBuster; writes ``out/heads.npz``."""
    if encoder is None:
        from narrascope.models.sentence import SentenceEncoder

        encoder = SentenceEncoder()
    cb = read_claimbuster(find(data, "claimbuster_crowdsourced.csv"))
    emb = _embed(encoder, cb)
    y, groups, texts = np.array([s.label for s in cb]), np.array([s.group for s in cb]), [s.text for s in cb]
    held = heldout_f1(texts, emb, y, *split_by_debate(y, groups))
    thr = held["threshold"]
    log(f"claimbuster held-out debates: F1 {held['f1_positive']:.4f} (TF-IDF+LR {held['tfidf_lr_f1_positive']:.4f}), "
        f"threshold {thr:.2f}")
    summary: dict[str, Any] = {"version": VERSION, "claimbuster_heldout": {
        "split": "20% of debates (GroupShuffleSplit seed 0); threshold on 15% of training debates (seed 1)", **held}}
    rnd = random_split(texts, emb, y)
    log(f"claimbuster random 20% of sentences: F1 {rnd['f1_positive']:.4f} "
        f"(TF-IDF+LR {rnd['tfidf_lr_f1_positive']:.4f}, balanced {rnd['tfidf_lr_balanced_f1_positive']:.4f})")
    summary["claimbuster_random_split"] = rnd
    if clef:
        cl = read_clef2019(find(data, "clef2019_task1_english_train.csv"))
        summary["clef2019_loo_debates"] = clef_map(cb, emb, cl, _embed(encoder, cl), log)
        log(f"clef2019 MAP {summary['clef2019_loo_debates']['map']:.4f}")
    vec, model = _fit(texts, emb, y)
    out.mkdir(parents=True, exist_ok=True)
    _heads(vec, model, thr, summary).save(out / "heads.npz")
    (out / "metrics.json").write_text(json.dumps(summary, indent=2), encoding="utf-8")
    if install:
        from narrascope.claims.model import HEADS_FILE

        HEADS_FILE.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(out / "heads.npz", HEADS_FILE)
    return summary
