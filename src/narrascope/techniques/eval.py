"""The official SemEval-2020 Task 11 scores, reimplemented.

SI: spans are sets of character offsets; overlapping spans of an article are merged, gold and
predicted alike; P = (1/|S|) Σ |s∩t|/|s|, R = (1/|T|) Σ |s∩t|/|t| over predicted s and gold t of
the same article; an article with gold and no prediction still counts in |T|.
TC: the predictions must be for exactly the gold spans (the template), else :class:`SpanMismatch`;
each gold span's label(s) against the predictions for the same span; when one span carries
several labels they are matched to the predictions so as to maximise the score; micro-F1 (= accuracy).
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from narrascope.errors import NarrascopeError
from narrascope.techniques.data import LabelledSpan

Key = tuple[str, int, int]


class SpanMismatch(NarrascopeError):
    """TC predictions that are not for exactly the gold spans, as the official scorer refuses them."""

    def __init__(self, missing: Counter[Key], extra: Counter[Key]) -> None:
        def some(keys: Counter[Key]) -> str:
            shown = [f"article {a} {s}-{e}" for a, s, e in sorted(keys)[:3]]
            return f" (e.g. {'; '.join(shown)})" if shown else ""

        n_missing, n_extra = sum(missing.values()), sum(extra.values())
        super().__init__(f"the TC predictions must label exactly the gold spans: {n_missing} gold span(s) have "
                         f"no prediction{some(missing)}, {n_extra} prediction(s) are for spans not in the gold"
                         f"{some(extra)}")
        self.missing, self.extra = missing, extra


@dataclass(frozen=True)
class Score:
    precision: float
    recall: float
    f1: float

    def as_dict(self) -> dict[str, float]:
        return {"precision": self.precision, "recall": self.recall, "f1": self.f1}


def _f1(p: float, r: float) -> float:
    return 2 * p * r / (p + r) if p + r > 0 else 0.0


def merge_spans(spans: Iterable[tuple[int, int]]) -> list[tuple[int, int]]:
    """Merge spans that share at least one character; empty spans vanish."""
    merged: list[list[int]] = []
    for s, e in sorted((s, e) for s, e in spans if e > s):
        if merged and s < merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], e)
        else:
            merged.append([s, e])
    return [(s, e) for s, e in merged]


def si_score(predicted: Iterable[LabelledSpan], gold: Iterable[LabelledSpan]) -> Score:
    """Span identification: partial-overlap precision, recall and F1 over merged spans."""
    pred: dict[str, list[tuple[int, int]]] = defaultdict(list)
    true: dict[str, list[tuple[int, int]]] = defaultdict(list)
    for s in predicted:
        pred[s.article].append((s.start, s.end))
    for s in gold:
        true[s.article].append((s.start, s.end))
    pred = {a: merge_spans(v) for a, v in pred.items()}
    true = {a: merge_spans(v) for a, v in true.items()}
    p_sum = r_sum = 0.0
    for article, p_spans in pred.items():
        for ps, pe in p_spans:
            for ts, te in true.get(article, []):
                inter = min(pe, te) - max(ps, ts)
                if inter > 0:
                    p_sum += inter / (pe - ps)
                    r_sum += inter / (te - ts)
    n_pred = sum(len(v) for v in pred.values())
    n_true = sum(len(v) for v in true.values())
    p = p_sum / n_pred if n_pred else 0.0
    r = r_sum / n_true if n_true else 0.0
    return Score(p, r, _f1(p, r))


def tc_score(predicted: Iterable[LabelledSpan], gold: Iterable[LabelledSpan]) -> Score:
    """Technique classification on the gold spans: micro precision, recall and F1 (= accuracy).

    Raises :class:`SpanMismatch` unless the predictions are for exactly the gold spans, each as many times.
    """
    pred: dict[Key, Counter[str]] = defaultdict(Counter)
    true: dict[Key, Counter[str]] = defaultdict(Counter)
    for s in predicted:
        pred[(s.article, s.start, s.end)][s.technique] += 1
    for s in gold:
        true[(s.article, s.start, s.end)][s.technique] += 1
    pred_spans = Counter({k: sum(c.values()) for k, c in pred.items()})
    gold_spans = Counter({k: sum(c.values()) for k, c in true.items()})
    if pred_spans != gold_spans:
        raise SpanMismatch(gold_spans - pred_spans, pred_spans - gold_spans)
    # the best matching of several labels on one span is the multiset intersection
    correct = sum(sum((labels & pred.get(key, Counter())).values()) for key, labels in true.items())
    n_pred = sum(sum(c.values()) for c in pred.values())
    n_true = sum(sum(c.values()) for c in true.values())
    p = correct / n_pred if n_pred else 0.0
    r = correct / n_true if n_true else 0.0
    return Score(p, r, _f1(p, r))
