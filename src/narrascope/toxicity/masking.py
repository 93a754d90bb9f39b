"""Content warnings: what the toxicity layer flags strongly enough is hidden behind its label.

A comment is masked when it is labelled ``hatespeech``, or ``offensive`` with a score (the
probability of ``offensive``) at or above the offensive threshold. The threshold is calibrated
when the model is trained (:func:`calibrate`, on posts no training step saw) and stored in the
model's ``config.json`` as ``offensive_mask_threshold``; the analyst can change it
(``narrascope threads --offensive-threshold``, ``narrascope serve --offensive-threshold``).
Comments below it keep their label and spans in view, not hidden.
"""

from __future__ import annotations

import json
from pathlib import Path

FLAGGED_LABELS = ("hatespeech", "offensive")
#: used when a model's config.json names no threshold (every offensive comment masked, as before)
DEFAULT_THRESHOLD = 0.0
GRID = tuple(round(0.35 + 0.05 * i, 2) for i in range(13))  # 0.35 ... 0.95


def offensive_threshold(model_dir: str | Path | None = None) -> float:
    """The calibrated offensive threshold of the shipped model (or the one in ``model_dir``)."""
    from narrascope.toxicity.inference import MODEL_DIR

    path = Path(model_dir or MODEL_DIR) / "config.json"
    try:
        return float(json.loads(path.read_text(encoding="utf-8")).get("offensive_mask_threshold", DEFAULT_THRESHOLD))
    except (OSError, ValueError):
        return DEFAULT_THRESHOLD


def masked(label: str | None, score: float | None, threshold: float) -> bool:
    """Whether a comment with this toxicity ``label`` and ``score`` is hidden."""
    return label == "hatespeech" or (label == "offensive" and (score or 0.0) >= threshold)


def mask_sql(threshold: float, alias: str = "t") -> str:
    """The SQL condition on a toxicity annotation row ``alias`` that :func:`masked` states."""
    return (f"({alias}.label = 'hatespeech' OR ({alias}.label = 'offensive' "
            f"AND coalesce({alias}.score, 0) >= {float(threshold)!r}))")


def mask(text: str, label: str | None, show: bool = False, option: str = "--show-flagged",
         score: float | None = 1.0, threshold: float = DEFAULT_THRESHOLD) -> str:
    """``text`` itself when it is not masked (or ``show``), else ``[LABEL — hidden, OPTION to show]``."""
    if show or not masked(label, score, threshold):
        return text
    return f"[{label} — hidden, {option} to show]"


def calibrate(labels: list[str | None], scores: list[float], toxic: list[bool],
              grid: tuple[float, ...] = GRID) -> float:
    """The threshold in ``grid`` whose masks agree most often with the gold ``toxic`` flags.

    ``labels`` and ``scores`` are the model's label and its score per post; ties go to the higher
    threshold (fewer comments hidden).
    """
    def agreement(t: float) -> int:
        return sum(masked(lab, s, t) == g for lab, s, g in zip(labels, scores, toxic, strict=True))

    return max(grid, key=lambda t: (agreement(t), t))
