"""``narrascope train multilingual-head techniques``: the sentence head of :mod:`~narrascope.techniques.sentence_head`.

Data: the PTC training articles (``data/ptc/train``), split by :func:`~narrascope.evaluation.splits.ptc_split`.
Each readable sentence of a fit article is embedded by the frozen trunk; its labels are the techniques of
the gold spans that share a character with it (none: a sentence without technique). One logistic
regression per technique is fitted on the fit articles (folds 3-5) for each C of :data:`GRID_C`, with and
without balanced class weights; on the validation articles (fold 2) each candidate gets the threshold that
maximises SI F1 (the official span-level score, whole sentences as the predicted spans) and the context
(``span`` or ``sentence``) that maximises TC micro-F1 on the gold spans; the candidate with the best mean
of the two is kept, then refitted on fit + validation articles. ``--test`` then scores the untouched test
articles (fold 1) once, with the scorer of ``narrascope eval model``, beside the shipped English tagger and
a TF-IDF + LR sentence head chosen by the same rule, in the same run.

Embeddings are cached by the sha256 of each text (:mod:`narrascope.models.embedding_cache`) under
``$NARRASCOPE_E5_CACHE/techniques`` (default ``OUT/embeddings``), so that a rerun does not embed again.
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

import numpy as np

from narrascope.techniques import TECHNIQUES
from narrascope.techniques.data import LabelledSpan
from narrascope.techniques.sentence_head import Features, SentenceTechniques, enclosing, readable_sentences, save_head

GRID_C = (0.25, 1.0, 4.0, 16.0)
VERSION = "e5-techniques-sentence-1"
DISTILLED_VERSION = "e5-techniques-distilled-1"


def sentence_examples(texts: dict[str, str], gold: list[LabelledSpan],
                      ids: list[str]) -> tuple[list[str], np.ndarray]:
    """Readable sentences of the articles ``ids`` and their ``[n, 14]`` 0/1 technique labels (overlapping gold)."""
    index = {t: i for i, t in enumerate(TECHNIQUES)}
    by_article: dict[str, list[LabelledSpan]] = {}
    for g in gold:
        by_article.setdefault(g.article, []).append(g)
    out, rows = [], []
    for a in ids:
        for s, e in readable_sentences(texts[a]):
            row = np.zeros(len(TECHNIQUES), dtype=np.int8)
            for g in by_article.get(a, []):
                if g.start < e and s < g.end and g.technique in index:
                    row[index[g.technique]] = 1
            out.append(texts[a][s:e])
            rows.append(row)
    return out, np.array(rows, dtype=np.int8).reshape(-1, len(TECHNIQUES))


def fit_heads(x: Any, y: np.ndarray, c: float, balanced: bool) -> tuple[np.ndarray, np.ndarray]:
    """One logistic regression per technique column of ``y``: ``coef [14, d]``, ``intercept [14]``."""
    from sklearn.linear_model import LogisticRegression  # type: ignore[import-untyped]

    coef = np.zeros((y.shape[1], x.shape[1]), dtype=np.float32)
    intercept = np.full(y.shape[1], -10.0, dtype=np.float32)  # a technique never seen is never said
    for j in range(y.shape[1]):
        if 0 < y[:, j].sum() < len(y):
            lr = LogisticRegression(C=c, class_weight="balanced" if balanced else None, max_iter=2000).fit(x, y[:, j])
            coef[j], intercept[j] = lr.coef_[0], lr.intercept_[0]
    return coef, intercept


def span_texts(texts: dict[str, str], gold: list[LabelledSpan]) -> list[str]:
    """What :meth:`SentenceTechniques.classify` reads for the gold spans, in either context (to embed at once)."""
    out = []
    for g in gold:
        text = texts[g.article]
        out += [text[g.start:g.end], text[slice(*enclosing(readable_sentences(text), g.start, g.end))]]
    return out


def validation_figures(head: SentenceTechniques, texts: dict[str, str],
                       gold: list[LabelledSpan]) -> dict[str, Any]:
    """The threshold with the best SI F1 and the context with the best TC micro-F1 on ``texts`` (sets them)."""
    from narrascope.techniques.eval import classify_gold, si_score, tc_score

    ids = sorted(texts)
    read = dict(zip(ids, head.sentence_probabilities([texts[a] for a in ids]), strict=True))
    tops = np.concatenate([p.max(axis=1) for _, p in read.values() if len(p)])
    best_si, best_t = -1.0, 0.5
    for t in np.unique(np.round(np.quantile(tops, np.linspace(0.0, 0.98, 50)), 4)):
        found = [LabelledSpan(a, s.technique, s.start, s.end) for a in ids for s in head.decide(*read[a], float(t))]
        f1 = si_score(found, gold).f1
        if f1 > best_si:
            best_si, best_t = f1, float(t)
    tc = {}
    for context in ("span", "sentence"):
        head.context = context
        tc[context] = tc_score(classify_gold(head, texts, gold), gold).f1
    head.context = max(tc, key=lambda k: tc[k])
    head.threshold = best_t
    return {"si_f1": best_si, "threshold": best_t, "tc_micro_f1": tc[head.context], "classify": head.context,
            "tc_micro_f1_span": tc["span"], "tc_micro_f1_sentence": tc["sentence"]}


def choose_head(features: Features, texts: dict[str, str], gold: list[LabelledSpan], fit: list[str],
                validation: list[str]) -> tuple[SentenceTechniques, dict[str, Any]]:
    """Fit on ``fit``, choose C, class weights, threshold and context on ``validation``, refit on both."""
    x_text, y = sentence_examples(texts, gold, fit)
    x = features(x_text)
    val_texts = {a: texts[a] for a in validation}
    val_gold = [g for g in gold if g.article in val_texts]
    tried = []
    for c in GRID_C:
        for balanced in (False, True):
            head = SentenceTechniques(features, *fit_heads(x, y, c, balanced), TECHNIQUES, 0.5)
            figures = validation_figures(head, val_texts, val_gold)
            tried.append({"C": c, "balanced": balanced, **figures,
                          "mean": (figures["si_f1"] + figures["tc_micro_f1"]) / 2})
    best = max(tried, key=lambda r: r["mean"])
    all_text, all_y = sentence_examples(texts, gold, sorted(fit + validation))
    coef, intercept = fit_heads(features(all_text), all_y, best["C"], best["balanced"])
    head = SentenceTechniques(features, coef, intercept, TECHNIQUES, best["threshold"], best["classify"])
    return head, {"chosen": best, "tried": tried, "fit_sentences": len(x_text), "sentences": len(all_text)}


def tfidf_features(texts: list[str]) -> Features:
    """Sublinear TF-IDF of word uni- and bigrams fitted on ``texts`` (the baseline's features)."""
    from sklearn.feature_extraction.text import TfidfVectorizer  # type: ignore[import-untyped]

    vec = TfidfVectorizer(ngram_range=(1, 2), sublinear_tf=True, min_df=2).fit(texts)
    return lambda batch: vec.transform(batch)


def train_head(data: Path, out: Path, threads: int, test: bool, targets: str = "gold") -> dict[str, Any]:
    """Train, choose and write ``out/techniques.npz``; with ``test``, the test figures of it, the shipped
    tagger and the TF-IDF sentence head (see the module's docstring). ``targets="english-model"``: the
    distilled head of :mod:`~narrascope.techniques.distilled`, with its and the shipped head's agreement."""
    from narrascope.evaluation.splits import ptc_split
    from narrascope.models import crosslingual
    from narrascope.models.embedding_cache import CachedEncoder, cache_dir
    from narrascope.techniques.scores import read_ptc, technique_figures

    started = time.perf_counter()
    texts, gold = read_ptc(data)
    split = ptc_split(sorted(texts))
    trunk = str(crosslingual.trunk_config().get("version", "trunk"))
    embed = CachedEncoder(crosslingual.encoder(threads), cache_dir("techniques", out / "embeddings")).encode
    parts = [split.fit, split.validation] + ([split.test] if test else [])
    wanted = [s for ids in parts for s in sentence_examples(texts, gold, ids)[0]]
    wanted += span_texts(texts, [g for g in gold if g.article in set(split.validation + (split.test if test else []))])
    unique = list(dict.fromkeys(wanted))
    embed(unique)  # all at once, cached
    embedded = time.perf_counter() - started
    if targets == "english-model":
        from narrascope.techniques.distilled import choose_distilled
        from narrascope.techniques.sentence_head import load_head

        head, chosen = choose_distilled(embed, texts, gold, split.fit, split.validation, threads,
                                        cache_dir("techniques-teacher", out / "teacher"), load_head(features=embed))
    elif targets == "gold":
        head, chosen = choose_head(embed, texts, gold, split.fit, split.validation)
    else:
        raise ValueError(f"techniques head targets must be 'gold' or 'english-model', not {targets!r}")
    distilled = {"version": DISTILLED_VERSION, "targets": targets} if targets == "english-model" else {}
    meta = {"version": VERSION, **distilled, "labels": list(TECHNIQUES), "threshold": head.threshold,
            "classify": head.context,
            "trunk": trunk, "C": chosen["chosen"]["C"], "balanced": chosen["chosen"]["balanced"],
            "data": f"PTC training articles: fit {len(split.fit)}"
                    + (" articles (the tagger's decisions), chosen on" if targets == "english-model" else " +")
                    + f" validation {len(split.validation)} articles, "
                    f"{chosen['sentences']} sentences (the {len(split.test)} test articles never)",
            "validation": {k: v for k, v in chosen["chosen"].items() if k not in ("C", "balanced")}}
    save_head(out / "techniques.npz", head.coef, head.intercept, meta)
    scores: dict[str, Any] = {"head": meta, "tried": chosen["tried"], "split": split.summary(),
                              **{k: chosen[k] for k in ("validation_agreement", "fit_targets") if k in chosen},
                              "embedded_texts": len(unique),
                              "seconds_embedding": round(embedded, 1),
                              "seconds_training": round(time.perf_counter() - started - embedded, 1)}
    if test:
        from narrascope.techniques.inference import TechniqueModel

        fit_text = sentence_examples(texts, gold, split.fit)[0]
        baseline, base_chosen = choose_head(tfidf_features(fit_text), texts, gold, split.fit, split.validation)
        test_texts = {a: texts[a] for a in split.test}
        test_gold = [g for g in gold if g.article in test_texts]
        scores["test"] = {
            "articles": len(test_texts), "gold_spans": len(test_gold),
            "e5 sentence head": technique_figures(head, test_texts, test_gold),
            "shipped tagger": technique_figures(TechniqueModel(threads=threads), test_texts, test_gold),
            "TF-IDF + LR sentence head": technique_figures(baseline, test_texts, test_gold),
            "baseline_chosen": base_chosen["chosen"]}
    scores["seconds"] = round(time.perf_counter() - started, 1)
    return scores
