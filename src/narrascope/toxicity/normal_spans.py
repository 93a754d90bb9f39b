"""Which toxic spans a comment labelled ``normal`` shows.

A comment the model calls normal may quote a slur in order to reject it ("just do not say …"):
the analyst sees that word marked, and the reply stays in view. But on ordinary comments the span
head also fires weakly on ordinary words ("Potash exports …", "The strikers themselves …": 34 of
the 110 normal comments on the shared thread pages at the ordinary span threshold). So a comment
labelled normal shows only the spans the head is sure of:

- tokens at or above the model's ``normal_span_threshold``, calibrated on validation posts
  (:func:`calibrate`: the lowest threshold at which at most :data:`MAX_SHARE` of the posts that
  the annotators and the model both call normal carry a span), and
- words of :data:`SLURS` (slurs whatever their context) where a token reaches the model's ordinary
  ``span_threshold``.

A model whose ``config.json`` names no ``normal_span_threshold`` shows only the second kind.
Comments labelled hatespeech or offensive keep every span at the ordinary threshold.
"""

from __future__ import annotations

from typing import Any

#: the share of validation posts, normal by gold label and by the model, allowed to carry a span
MAX_SHARE = 0.05
GRID = tuple(round(0.5 + 0.05 * i, 2) for i in range(10))  # 0.5 ... 0.95
#: WARNING: slurs on purpose. Words no context makes ordinary (the functional suite's slur list, less
#: "cracker" and "retard", which ordinary English uses otherwise); a word matches in any case and plural.
SLURS = frozenset({"kike", "raghead", "towelhead", "nigger", "faggot", "tranny", "wetback", "chink", "gook",
                   "polack", "gyppo", "sandnigger"})


def is_slur(word: str) -> bool:
    """Whether ``word`` (any case, singular or plural in -s / -es) is one of :data:`SLURS`."""
    w = word.lower()
    return w in SLURS or (w.endswith("s") and w[:-1] in SLURS) or (w.endswith("es") and w[:-2] in SLURS)


def normal_spans(text: str, offsets: list[tuple[int, int]], probs: list[float], span_threshold: float,
                 normal_threshold: float | None) -> list[tuple[int, int]]:
    """The spans a comment labelled normal shows (see the module's docstring), in text order."""
    from narrascope.toxicity.inference import spans_from_tokens, words

    sure = spans_from_tokens(text, offsets, probs, normal_threshold) if normal_threshold is not None else []
    hit = {o for (s, e), p in zip(offsets, probs, strict=False) if p >= span_threshold for o in range(s, e)}
    listed = [(s, e) for s, e in words(text) if is_slur(text[s:e]) and any(o in hit for o in range(s, e))]
    out: list[tuple[int, int]] = []
    for s, e in sorted(set(sure) | set(listed)):
        if out and s <= out[-1][1]:
            out[-1] = (out[-1][0], max(out[-1][1], e))
        else:
            out.append((s, e))
    return out


def calibrate(highest: list[float], grid: tuple[float, ...] = GRID, max_share: float = MAX_SHARE) -> float | None:
    """The lowest threshold in ``grid`` at which at most ``max_share`` of the posts carry a span.

    ``highest`` is each validation post's highest token span probability (posts that are normal by
    gold label and by the model). ``None`` when no threshold in ``grid`` is that quiet (or there are
    no posts): then only slurs are shown on normal comments.
    """
    if not highest:
        return None
    for t in sorted(grid):
        if sum(p >= t for p in highest) <= max_share * len(highest):
            return t
    return None


def calibrate_on(model: Any, posts: list[Any], labels: list[str | None]) -> float | None:
    """:func:`calibrate` on the ``posts`` (examples with ``hard_label``, 2 = normal) that ``model`` labelled
    normal (``labels``, in the same order)."""
    normal = [p.text for p, label in zip(posts, labels, strict=True) if p.hard_label == 2 and label == "normal"]
    return calibrate([max(probs, default=0.0) for _, probs in model.span_probabilities(normal)])
