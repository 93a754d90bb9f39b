"""The distilled techniques head (``train multilingual-head techniques --targets english-model``).

The model card's rule (``models/multilingual/MODEL_CARD.md``, "Distilled heads ... the decision rule"): the
sentence head of :mod:`~narrascope.techniques.multilingual` fitted, with the same features (the trunk's
embedding) and the same grid (C x class weights), to **the shipped English tagger's decisions** instead of the
gold spans. A fit sentence's target is the technique of the tagger's longest span overlapping it (``none``
without one). C, class weights and the threshold (the recipe's 50 quantiles of the validation sentences' top
probabilities) are chosen on the validation articles by **agreement with the tagger**: the share of validation
sentences given the same technique, or ``none`` by both. The TC context (span words or enclosing sentence) is
chosen as the gold recipe chooses it, by TC micro-F1 on the validation gold spans. The shipped gold head's
agreement on the same sentences is computed in the same run; the card's rule ships the higher.
(``shipped head``: the head in ``models/multilingual/`` when the trainer runs; the gold head G of the card's
comparison, run before D replaced it.)

The tagger reads each fit and validation article once; its spans are cached as JSON (keyed by the sha256
of each article and the tagger's version) under ``$NARRASCOPE_E5_CACHE/techniques-teacher``.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import numpy as np

from narrascope.techniques import TECHNIQUES
from narrascope.techniques.data import LabelledSpan
from narrascope.techniques.sentence_head import Features, SentenceTechniques, readable_sentences

NONE = "none"


def tagger_spans(texts: list[str], cache: Path, threads: int) -> list[list[tuple[int, int, str]]]:
    """The shipped tagger's ``(start, end, technique)`` spans of each text, from ``cache`` where it has them."""
    from narrascope.models.embedding_cache import text_key
    from narrascope.techniques.inference import TechniqueModel

    model = TechniqueModel(threads=threads)
    path = cache / f"spans-{text_key(model.version)[:16]}.json"
    known: dict[str, list[list[Any]]] = json.loads(path.read_text(encoding="utf-8")) if path.exists() else {}
    keys = [text_key(t) for t in texts]
    by_key = dict(zip(keys, texts, strict=True))
    missing = [k for k in by_key if k not in known]
    if missing:
        found = model.spans([by_key[k] for k in missing])
        known.update({k: [[s.start, s.end, s.technique] for s in spans]
                      for k, spans in zip(missing, found, strict=True)})
        cache.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(known), encoding="utf-8")
    return [[(int(s), int(e), str(t)) for s, e, t in known[k]] for k in keys]


def sentence_targets(text: str, spans: list[tuple[int, int, str]]) -> list[tuple[tuple[int, int], str]]:
    """Each readable sentence of ``text`` and the technique of the longest span overlapping it (``none``)."""
    out = []
    for s, e in readable_sentences(text):
        over = [(end - start, -start, technique) for start, end, technique in spans if start < e and s < end]
        out.append(((s, e), max(over)[2] if over else NONE))
    return out


def decisions(head: SentenceTechniques, read: list[tuple[list[tuple[int, int]], np.ndarray]],
              threshold: float | None = None) -> list[list[str]]:
    """The head's technique (or ``none``) for each sentence of ``read`` (``head.sentence_probabilities``)."""
    out = []
    for spans, probs in read:
        said = {(d.start, d.end): d.technique for d in head.decide(spans, probs, threshold)}
        out.append([said.get(span, NONE) for span in spans])
    return out


def agreement(said: list[list[str]], targets: list[list[tuple[tuple[int, int], str]]]) -> float:
    """Share of sentences given the same technique as the tagger's, or ``none`` by both."""
    pairs = [(a, t) for row, target in zip(said, targets, strict=True) for a, (_, t) in zip(row, target, strict=True)]
    return sum(a == t for a, t in pairs) / len(pairs) if pairs else 0.0


def target_matrix(targets: list[list[tuple[tuple[int, int], str]]]) -> np.ndarray:
    """``[n, 14]`` one-hot targets of the sentences (a row of zeros for ``none``)."""
    index = {t: i for i, t in enumerate(TECHNIQUES)}
    rows = []
    for target in targets:
        for _, technique in target:
            row = np.zeros(len(TECHNIQUES), dtype=np.int8)
            if technique in index:
                row[index[technique]] = 1
            rows.append(row)
    return np.array(rows, dtype=np.int8).reshape(-1, len(TECHNIQUES))


def choose_distilled(features: Features, texts: dict[str, str], gold: list[LabelledSpan], fit: list[str],
                     validation: list[str], threads: int, cache: Path,
                     shipped: SentenceTechniques) -> tuple[SentenceTechniques, dict[str, Any]]:
    """Fit on the tagger's decisions over ``fit``, choose on ``validation`` by agreement; ``shipped``'s beside."""
    from narrascope.techniques.eval import classify_gold, tc_score
    from narrascope.techniques.multilingual import GRID_C, fit_heads

    ids = fit + validation
    teacher = dict(zip(ids, tagger_spans([texts[a] for a in ids], cache, threads), strict=True))
    fit_targets = [sentence_targets(texts[a], teacher[a]) for a in fit]
    val_targets = [sentence_targets(texts[a], teacher[a]) for a in validation]
    val_texts = [texts[a] for a in validation]
    x = features([texts[a][s:e] for a, target in zip(fit, fit_targets, strict=True) for (s, e), _ in target])
    y = target_matrix(fit_targets)
    tried = []
    best: tuple[float, SentenceTechniques | None] = (-1.0, None)
    for c in GRID_C:
        for balanced in (False, True):
            head = SentenceTechniques(features, *fit_heads(x, y, c, balanced), TECHNIQUES, 0.5)
            read = head.sentence_probabilities(val_texts)
            tops = np.concatenate([p.max(axis=1) for _, p in read if len(p)])
            found = (-1.0, 0.5)
            for t in np.unique(np.round(np.quantile(tops, np.linspace(0.0, 0.98, 50)), 4)):
                found = max(found, (agreement(decisions(head, read, float(t)), val_targets), float(t)),
                            key=lambda f: f[0])
            tried.append({"C": c, "balanced": balanced, "agreement": found[0], "threshold": found[1]})
            if found[0] > best[0]:
                head.threshold = found[1]
                best = (found[0], head)
    if best[1] is None:
        raise ValueError("no validation sentence to choose the distilled head on")
    head = best[1]
    chosen = max(tried, key=lambda r: r["agreement"])
    val_gold = [g for g in gold if g.article in set(validation)]
    tc = {}
    for context in ("span", "sentence"):
        head.context = context
        tc[context] = tc_score(classify_gold(head, {a: texts[a] for a in validation}, val_gold), val_gold).f1
    head.context = max(tc, key=lambda k: tc[k])
    shipped_agreement = agreement(decisions(shipped, shipped.sentence_probabilities(val_texts)), val_targets)
    counts = {t: int(n) for t, n in zip(TECHNIQUES, y.sum(axis=0), strict=True)}
    return head, {
        "chosen": {**chosen, "classify": head.context, "tc_micro_f1": tc[head.context]}, "tried": tried,
        "fit_sentences": len(y), "sentences": len(y), "fit_targets": {**counts, NONE: int(len(y) - y.sum())},
        "validation_agreement": {"validation_sentences": sum(map(len, val_targets)),
                                 "shipped head": shipped_agreement, "shipped version": shipped.version,
                                 "distilled head": chosen["agreement"],
                                 "ships": "distilled" if chosen["agreement"] > shipped_agreement else "shipped"}}
