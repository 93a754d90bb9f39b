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
from typing import Any

from narrascope.errors import NarrascopeError
from narrascope.techniques.data import LabelledSpan

Key = tuple[str, int, int]


class SpanMismatch(NarrascopeError):
    """TC predictions that are not for exactly the gold spans, as the official scorer refuses them."""

    def __init__(self, predicted: Counter[Key], gold: Counter[Key]) -> None:
        def some(keys: list[Key], counts: bool = False) -> str:
            shown = [f"article {a} {s}-{e}" + (f": {predicted[(a, s, e)]} predictions for {gold[(a, s, e)]} gold "
                                               "labels" if counts else "") for a, s, e in sorted(keys)[:3]]
            return f" (e.g. {'; '.join(shown)})" if shown else ""

        self.missing, self.extra = gold - predicted, predicted - gold
        stray = [k for k in self.extra if k not in gold]
        groups = [([k for k in self.missing if k not in predicted], "gold span(s) have no prediction", False),
                  ([k for k in self.missing if k in predicted], "gold span(s) have fewer predictions than gold "
                   "labels", True),
                  ([k for k in self.extra if k in gold], "gold span(s) have more predictions than gold labels", True)]
        parts = [f"{len(keys)} {what}{some(keys, counts)}" for keys, what, counts in groups if keys]
        if stray:
            parts.append(f"{sum(self.extra[k] for k in stray)} prediction(s) are for spans not in the gold"
                         f"{some(stray)}")
        super().__init__(f"the TC predictions must label exactly the gold spans: {', '.join(parts)}")


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
        raise SpanMismatch(pred_spans, gold_spans)
    # the best matching of several labels on one span is the multiset intersection
    correct = sum(sum((labels & pred.get(key, Counter())).values()) for key, labels in true.items())
    n_pred = sum(sum(c.values()) for c in pred.values())
    n_true = sum(sum(c.values()) for c in true.values())
    p = correct / n_pred if n_pred else 0.0
    r = correct / n_true if n_true else 0.0
    return Score(p, r, _f1(p, r))


def label_spans(model: Any, text: str, spans: list[tuple[int, int]]) -> list[str]:
    """The technique of each span of ``text``; the k-th copy of one span gets the k-th ranked technique."""
    unique = list(dict.fromkeys(spans))
    ranked = dict(zip(unique, model.classify(text, unique), strict=True)) if unique else {}
    seen: Counter[tuple[int, int]] = Counter()
    out = []
    for span in spans:
        choices = ranked[span]
        out.append(choices[min(seen[span], len(choices) - 1)][0])
        seen[span] += 1
    return out


def classify_gold(model: Any, texts: dict[str, str], gold: list[LabelledSpan]) -> list[LabelledSpan]:
    """The model's technique for each gold span (the TC task)."""
    wanted: dict[str, list[LabelledSpan]] = defaultdict(list)
    for g in gold:
        wanted[g.article].append(g)
    return [LabelledSpan(aid, t, g.start, g.end) for aid, spans in wanted.items()
            for g, t in zip(spans, label_spans(model, texts[aid], [(g.start, g.end) for g in spans]), strict=True)]
