"""Train the narrative heads: one logistic regression per EUvsDisinfo keyword tag and per diary narrative.

Protocol for the reported figures: EUvsDisinfo cases are sorted by date and the newest fifth is
held out (``holdout``); heads are fitted on the older cases plus the diary cases, except the
newest 15% of them, on which each head's threshold is chosen (best F1). Reported: micro-F1 over
the 20 most frequent keyword tags on the held-out cases, beside TF-IDF + logistic regression
under the same protocol. The heads written are the ones measured.

For the model to ship, ``holdout=0`` holds nothing out and ``validation="recent-half"`` takes the
threshold cases as a seeded half of the newest 30% rather than the newest 15%, so that the heads
also learn from the newest cases (and their new tags, such as ``coronavirus`` from 2020).
Debate sentences from ClaimBuster serve as negatives (texts that carry no narrative).
Features: the shared sentence embedding, with sublinear TF-IDF of word uni- and bigrams
(``tfidf_features`` terms, fitted on the training cases) appended.
"""

from __future__ import annotations

import json
import shutil
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np

from narrascope.narratives.data import DIARY_PREFIX, Case, read_training_cases
from narrascope.narratives.heads import LinearHeads

VERSION = "narratives-minilm-tfidf-lr-3"
TFIDF_FEATURES = 10_000
HELDOUT_FILE = "heldout_heads.npz"
MIN_EXAMPLES = 30
GRID = np.arange(0.05, 0.96, 0.05)


VALIDATION = ("newest", "recent-half")


def split(cases: list[Case], holdout: float = 0.2, validation: str = "newest",
          seed: int = 0) -> tuple[list[int], list[int], list[int]]:
    """Indices of the fitting, validation and held-out cases.

    Held out: the newest ``holdout`` of the EUvsDisinfo cases by date (none when 0). Of the rest,
    sorted by date, validation is the newest 15% (``"newest"``) or a seeded half of the newest 30%
    (``"recent-half"``, the other half being fitted on); fitting is everything else.
    """
    if validation not in VALIDATION:
        raise ValueError(f"validation must be one of {', '.join(VALIDATION)}, not {validation!r}")
    if not 0 <= holdout < 1:
        raise ValueError(f"holdout must be a fraction in [0, 1), not {holdout}")
    eu = sorted((i for i, c in enumerate(cases) if not c.labels or not c.labels[0].startswith(DIARY_PREFIX)),
                key=lambda i: cases[i].date)
    test_i = eu[int(len(eu) * (1 - holdout)):] if holdout else []
    held = set(test_i)
    train_i = sorted((i for i in range(len(cases)) if i not in held), key=lambda i: cases[i].date)
    if validation == "newest":
        cut = int(len(train_i) * 0.85)
        return train_i[:cut], train_i[cut:], test_i
    cut = int(len(train_i) * 0.7)
    recent = np.random.default_rng(seed).permutation(len(train_i) - cut)
    val = set(train_i[cut + int(k)] for k in recent[:len(recent) // 2])
    return [i for i in train_i if i not in val], [i for i in train_i if i in val], test_i


def split_name(holdout: float, validation: str) -> str:
    """Version suffix of a model trained on a split other than the measuring default (0.2, newest)."""
    return "" if (holdout, validation) == (0.2, "newest") else f"-holdout{holdout:g}-{validation}"


def split_summary(cases: list[Case], fit_i: list[int], val_i: list[int], holdout: float,
                  validation: str) -> dict[str, Any]:
    """How a run split its cases, for its figures and its model file."""
    return {"holdout": holdout, "validation": validation, "fitting_cases": len(fit_i),
            "validation_cases": len(val_i), "newest_case": max(cases[i].date for i in fit_i + val_i)}


def head_labels(cases: list[Case], train_i: list[int]) -> tuple[list[str], list[str]]:
    """The labels that get a head (keyword tags with ``MIN_EXAMPLES`` training cases, every diary narrative)
    and the 20 most frequent keyword tags, the ones scored."""
    counts = Counter(label for i in train_i for label in cases[i].labels)
    labels = sorted(label for label, n in counts.items() if n >= MIN_EXAMPLES or label.startswith(DIARY_PREFIX))
    top20 = [k for k, _ in Counter({k: v for k, v in counts.items() if not k.startswith(DIARY_PREFIX)}).most_common(20)]
    return labels, top20


def label_matrix(cases: list[Case], labels: list[str]) -> np.ndarray:
    index = {label: j for j, label in enumerate(labels)}
    y = np.zeros((len(cases), len(labels)), dtype=np.int8)
    for i, c in enumerate(cases):
        for label in c.labels:
            if label in index:
                y[i, index[label]] = 1
    return y


def fit_heads(x: Any, y: np.ndarray, c: float = 1.0, solver: str = "lbfgs") -> tuple[np.ndarray, np.ndarray]:
    """Weights ``[labels, dim]`` and biases of one balanced logistic regression per label column."""
    from sklearn.linear_model import LogisticRegression  # type: ignore[import-untyped]

    w = np.zeros((y.shape[1], x.shape[1]), dtype=np.float32)
    b = np.full(y.shape[1], -10.0, dtype=np.float32)
    for j in range(y.shape[1]):
        if 0 < y[:, j].sum() < len(y):
            m = LogisticRegression(C=c, max_iter=1000, class_weight="balanced", solver=solver).fit(x, y[:, j])
            w[j], b[j] = m.coef_[0], m.intercept_[0]
    return w, b


def thresholds(y: np.ndarray, p: np.ndarray, min_positives: int = 10) -> np.ndarray:
    """Per-label threshold with the best F1 on ``(y, p)``; 0.5 for labels with fewer than ``min_positives``
    there (thresholds chosen on a handful of cases fell to the grid's floor, 0.05)."""
    from sklearn.metrics import f1_score  # type: ignore[import-untyped]

    out = np.full(y.shape[1], 0.5, dtype=np.float32)
    for j in range(y.shape[1]):
        if y[:, j].sum() >= min_positives:
            out[j] = max(GRID, key=lambda t: f1_score(y[:, j], p[:, j] >= t, zero_division=0))
    return out


def _sigmoid(z: np.ndarray) -> np.ndarray:
    return 1 / (1 + np.exp(-np.clip(z, -30, 30)))


def micro_f1(y: np.ndarray, pred: np.ndarray) -> float:
    from sklearn.metrics import f1_score  # type: ignore[import-untyped]

    return float(f1_score(y, pred, average="micro", zero_division=0))


def tfidf_baseline(fit: list[Case], val: list[Case], test: list[Case], labels: list[str], cols: list[int]) -> float:
    """Micro-F1 (``cols``) of TF-IDF + logistic regression under the same protocol."""
    from sklearn.feature_extraction.text import TfidfVectorizer  # type: ignore[import-untyped]

    vec = TfidfVectorizer(sublinear_tf=True, min_df=2, ngram_range=(1, 2), max_features=50_000)
    xf = vec.fit_transform([c.text for c in fit])
    w, b = fit_heads(xf, label_matrix(fit, labels), c=4.0)
    prob = lambda cs: _sigmoid(np.asarray(vec.transform([c.text for c in cs]) @ w.T) + b)  # noqa: E731
    thr = thresholds(label_matrix(val, labels), prob(val))
    return micro_f1(label_matrix(test, labels)[:, cols], (prob(test) >= thr)[:, cols])


def features(emb: np.ndarray, texts: list[str], vec: Any) -> Any:
    """The embedding with the TF-IDF row of each text appended (sparse), or the embedding alone."""
    from scipy import sparse  # type: ignore[import-untyped]

    return sparse.hstack([sparse.csr_matrix(emb), vec.transform(texts)]).tocsr() if vec is not None else emb


def tfidf_vectorizer(texts: list[str], terms: int) -> Any:
    """Sublinear TF-IDF of word uni- and bigrams over ``texts`` (None: ``terms`` is 0 or no term is frequent)."""
    from sklearn.feature_extraction.text import TfidfVectorizer  # type: ignore[import-untyped]

    if not terms:
        return None
    try:
        return TfidfVectorizer(sublinear_tf=True, min_df=2, ngram_range=(1, 2), max_features=terms).fit(texts)
    except ValueError:  # an empty vocabulary: tiny corpora
        return None


def negative_cases(data: Path, n: int, seed: int = 0) -> list[Case]:
    """``n`` sentences with no narrative (ClaimBuster debate sentences, if present): every EUvsDisinfo case
    carries some tag, so without these the heads would tag any sentence that mentions Minsk or NATO."""
    from narrascope.claims.data import find, read_claimbuster

    try:
        sents = read_claimbuster(find(data, "claimbuster_crowdsourced.csv"))
    except FileNotFoundError:
        return []
    pick = np.random.default_rng(seed).permutation(len(sents))[:n]
    return [Case(sents[i].text, "", [], "negatives") for i in sorted(pick)]


def train(data: Path, out: Path, threads: int = 1, install: bool = False, baseline: bool = True,
          negatives: int = 8000, encoder: Any = None, log: Callable[[str], None] = print,
          tfidf_features: int = TFIDF_FEATURES, holdout: float = 0.2, validation: str = "newest") -> dict[str, Any]:
    """Held-out figures (unless ``holdout`` is 0), then the heads they measure (``out/heads.npz``,
    ``out/metrics.json``)."""
    if encoder is None:
        from narrascope.models.sentence import SentenceEncoder

        encoder = SentenceEncoder(threads=threads)
    cases = read_training_cases(data)
    n_cases = len(cases)
    fit_i, val_i, test_i = split(cases, holdout, validation)
    train_i, split_info = fit_i + val_i, split_summary(cases, fit_i, val_i, holdout, validation)
    cases += negative_cases(data, negatives)
    emb = encoder.encode([c.text for c in cases])
    neg = list(range(n_cases, len(cases)))  # no date: 85% to fitting, 15% to threshold choice
    n_val = len(val_i)  # the cases come first in val_i, then the negatives
    fit_i, val_i = fit_i + neg[:int(len(neg) * 0.85)], val_i + neg[int(len(neg) * 0.85):]
    labels, top20 = head_labels(cases, train_i)
    cols = [labels.index(k) for k in top20]
    pick = lambda ix: [cases[i] for i in ix]  # noqa: E731
    log(f"{n_cases} cases + {len(cases) - n_cases} negatives, {len(labels)} heads; held out {len(test_i)} "
        f"EUvsDisinfo cases" + (f" from {cases[test_i[0]].date}" if test_i else ""))
    texts = [c.text for c in cases]
    vec = tfidf_vectorizer([texts[i] for i in fit_i], tfidf_features)
    x = lambda ix: features(emb[ix], [texts[i] for i in ix], vec)  # noqa: E731
    solver = "liblinear" if vec is not None else "lbfgs"
    w, b = fit_heads(x(fit_i), label_matrix(pick(fit_i), labels), solver=solver)
    p_val = _sigmoid(np.asarray(x(val_i) @ w.T) + b)
    thr = thresholds(label_matrix(pick(val_i), labels), p_val)
    p_test = _sigmoid(np.asarray(x(test_i) @ w.T) + b) if test_i else np.zeros((0, len(labels)), np.float32)
    out.mkdir(parents=True, exist_ok=True)  # what these heads say on held-out cases: the tagger blends with it
    np.savez_compressed(out / HELDOUT_FILE, labels=np.array(labels, dtype=str), val=p_val[:n_val], test=p_test)
    summary: dict[str, Any] = {"version": VERSION + split_name(holdout, validation),
                               "split": split_info,
                               "top20_tags": top20,
                               "tfidf_features": len(vec.vocabulary_) if vec is not None else 0,
                               "negatives_in_training": len(cases) - n_cases}
    if test_i:
        f1 = micro_f1(label_matrix(pick(test_i), labels)[:, cols], (p_test >= thr)[:, cols])
        log(f"held-out micro-F1 (top 20 tags): {f1:.4f}")
        summary["heldout"] = {"cases": len(test_i), "from_date": cases[test_i[0]].date, "micro_f1_top20": round(f1, 4)}
        if baseline:
            base = tfidf_baseline(pick(fit_i), pick(val_i), pick(test_i), labels, cols)
            summary["heldout"]["tfidf_lr_micro_f1_top20"] = round(base, 4)
            log(f"TF-IDF + LR baseline: {base:.4f}")
    vocab = {t: int(i) for t, i in vec.vocabulary_.items()} if vec is not None else None
    LinearHeads(labels, w, b, thr, summary, vocab, vec.idf_.astype(np.float32) if vec is not None else None,
                2).save(out / "heads.npz")
    (out / "metrics.json").write_text(json.dumps(summary, indent=2), encoding="utf-8")
    if install:
        from narrascope.narratives.model import HEADS_FILE

        HEADS_FILE.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(out / "heads.npz", HEADS_FILE)
    return summary
