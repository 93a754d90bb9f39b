"""Score the toxicity model the way the benchmarks do.

HateXplain: 3-class accuracy and macro-F1, toxic-vs-normal AUROC (toxic score =
1 - P(normal)). SemEval-2021 toxic spans: per-post F1 over character offsets, averaged;
a post with no gold and no predicted offsets scores 1, one side empty scores 0.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from narrascope.toxicity.data import LABELS, Example, load_toxic_spans


def span_f1(predicted: set[int], gold: set[int]) -> float:
    """SemEval-2021 Task 5 per-post F1 over character offsets."""
    if not gold:
        return 1.0 if not predicted else 0.0
    if not predicted:
        return 0.0
    both = len(predicted & gold)
    if both == 0:
        return 0.0
    p, r = both / len(predicted), both / len(gold)
    return 2 * p * r / (p + r)


def offsets(spans: list[tuple[int, int]] | list[list[int]] | None) -> set[int]:
    return {o for s, e in spans or [] for o in range(s, e)}


def macro_f1(gold: list[int], predicted: list[int], classes: int = 3) -> float:
    """Unweighted mean of per-class F1."""
    scores = []
    for c in range(classes):
        tp = sum(g == c and p == c for g, p in zip(gold, predicted, strict=False))
        fp = sum(g != c and p == c for g, p in zip(gold, predicted, strict=False))
        fn = sum(g == c and p != c for g, p in zip(gold, predicted, strict=False))
        scores.append(2 * tp / (2 * tp + fp + fn) if tp else 0.0)
    return sum(scores) / classes


def auroc(positive: list[bool], score: list[float]) -> float:
    """Area under the ROC curve (ties count half), by ranks."""
    pairs = sorted(zip(score, positive, strict=False))
    ranks: list[float] = [0.0] * len(pairs)
    i = 0
    while i < len(pairs):
        j = i
        while j + 1 < len(pairs) and pairs[j + 1][0] == pairs[i][0]:
            j += 1
        for k in range(i, j + 1):
            ranks[k] = (i + j) / 2 + 1
        i = j + 1
    n_pos = sum(positive)
    n_neg = len(positive) - n_pos
    if not n_pos or not n_neg:
        return float("nan")
    rank_sum = sum(r for r, (_, pos) in zip(ranks, pairs, strict=False) if pos)
    return (rank_sum - n_pos * (n_pos + 1) / 2) / (n_pos * n_neg)


def classification_scores(model: Any, examples: list[Example]) -> dict[str, float]:
    """Accuracy, macro-F1 and toxic-vs-normal AUROC of ``model`` on labelled examples."""
    results = model.predict([ex.text for ex in examples])
    gold = [ex.hard_label if ex.hard_label is not None else 2 for ex in examples]
    pred, toxic = [], []
    for r in results:
        scores = r.scores or {"hatespeech": 0.0, "offensive": 0.0, "normal": 1.0}
        pred.append(max(range(3), key=lambda i: scores[LABELS[i]]))
        toxic.append(1.0 - scores["normal"])
    return {"posts": len(examples), "accuracy": sum(g == p for g, p in zip(gold, pred, strict=False)) / len(gold),
            "macro_f1": macro_f1(gold, pred), "auroc": auroc([g != 2 for g in gold], toxic),
            "unsupported": sum(r.unsupported is not None for r in results)}


def span_scores(model: Any, examples: list[Example], thresholds: tuple[float, ...] = (0.5,)) -> dict[float, float]:
    """Mean toxic-span F1 per threshold (spans from the token head, not gated by the label)."""
    from narrascope.toxicity.inference import spans_from_tokens

    totals = dict.fromkeys(thresholds, 0.0)
    for ex, (toks, probs) in zip(examples, model.span_probabilities([ex.text for ex in examples]), strict=False):
        gold = offsets(ex.spans)
        for t in thresholds:
            totals[t] += span_f1(offsets(spans_from_tokens(ex.text, toks, probs, t)), gold)
    return {t: s / max(1, len(examples)) for t, s in totals.items()}


def gated_span_f1(model: Any, examples: list[Example]) -> float:
    """Mean toxic-span F1 when a comment labelled normal (or unsupported) counts as having no spans.

    What ``predict`` returned until 2026-12-07; since then it reports spans whatever the label
    (:func:`predict_span_f1`), and this figure shows how much the label alone would lose.
    """
    return results_span_f1(model.predict([ex.text for ex in examples]), examples, gated=True)


def predict_span_f1(model: Any, examples: list[Example]) -> float:
    """Mean toxic-span F1 of the spans ``predict`` returns (on every comment it scores)."""
    return results_span_f1(model.predict([ex.text for ex in examples]), examples)


def results_span_f1(results: list[Any], examples: list[Example], gated: bool = False) -> float:
    """Mean toxic-span F1 of ``predict``'s ``results`` on ``examples`` (``gated``: none on a comment labelled
    normal or unsupported), so that one ``predict`` gives both figures."""
    total = sum(span_f1(offsets(r.spans) if not gated or r.label not in (None, "normal") else set(),
                        offsets(ex.spans)) for r, ex in zip(results, examples, strict=True))
    return total / max(1, len(examples))


def trial_set(data_dir: str | Path) -> list[Example]:
    """The SemEval-2021 trial posts (evaluation only: never trained on)."""
    return load_toxic_spans(Path(data_dir) / "toxic_spans_civilcomments" / "tsd_trial.csv")
