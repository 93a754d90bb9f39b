"""HateXplain's community bias metrics (Borkan et al. 2019, as Mathew et al. 2021 report them).

For each target community, on posts labelled toxic (hatespeech or offensive) or normal, with the
toxic score 1 - P(normal):

- **subgroup AUC**: AUROC on the posts that target the community;
- **BPSN** (background positive, subgroup negative): AUROC on the community's normal posts and the
  other communities' toxic posts; low when normal talk about the community scores as toxic;
- **BNSP** (background negative, subgroup positive): AUROC on the community's toxic posts and the
  other posts' normal ones; low when toxic posts about the community score as normal.

Each is summarised over communities by the generalised mean with p = -5, which weighs the worst
community most. A post targets a community when at least two annotators named it
(:func:`narrascope.toxicity.data.load_hatexplain`). A community whose subset lacks one class has no
AUC there and is left out of that mean (and listed with ``None``).
"""

from __future__ import annotations

import math
from typing import Any

from narrascope.toxicity.data import TARGETS, Example
from narrascope.toxicity.evaluation import auroc

POWER = -5.0
METRICS = ("subgroup_auc", "bpsn_auc", "bnsp_auc")


def generalised_mean(values: list[float], p: float = POWER) -> float:
    """``(mean of v**p) ** (1/p)`` over the defined values (NaN when there are none)."""
    values = [v for v in values if not math.isnan(v)]
    if not values:
        return float("nan")
    if p < 0 and min(values) <= 0.0:
        return 0.0  # the limit of the mean as one value goes to 0: a subgroup scored at 0 drags it to 0
    return float((sum(v ** p for v in values) / len(values)) ** (1.0 / p))


def _auc(rows: list[tuple[bool, float]]) -> float:
    return auroc([pos for pos, _ in rows], [s for _, s in rows])


def community_scores(examples: list[Example], toxic: list[float],
                     communities: tuple[str, ...] = TARGETS) -> dict[str, dict[str, Any]]:
    """Per community: posts, toxic posts and the three AUCs (``None`` where undefined)."""
    gold = [ex.hard_label is not None and ex.hard_label != 2 for ex in examples]
    out: dict[str, dict[str, Any]] = {}
    for community in communities:
        inside = [community in ex.targets for ex in examples]
        rows = list(zip(inside, gold, toxic, strict=True))
        sub = _auc([(g, s) for i, g, s in rows if i])
        bpsn = _auc([(g, s) for i, g, s in rows if (i and not g) or (not i and g)])
        bnsp = _auc([(g, s) for i, g, s in rows if (i and g) or (not i and not g)])
        out[community] = {"posts": sum(inside), "toxic": sum(i and g for i, g, _ in rows),
                          **{m: None if math.isnan(v) else round(v, 4)
                             for m, v in zip(METRICS, (sub, bpsn, bnsp), strict=True)}}
    return out


def bias_scores(model: Any, examples: list[Example]) -> dict[str, Any]:
    """Generalised means (GMB) of the three AUCs and the per-community table for ``model``."""
    results = model.predict([ex.text for ex in examples])
    toxic = [1.0 - (r.scores or {"normal": 1.0})["normal"] for r in results]
    per = community_scores(examples, toxic)
    means = {f"gmb_{m}": round(generalised_mean([float(c[m]) for c in per.values() if c[m] is not None]), 4)
             for m in METRICS}
    return {**means, "communities": per}


def bias_table(scores: dict[str, Any]) -> str:
    """A Markdown table: one row per community, the generalised means last."""
    lines = ["| community | posts | toxic | subgroup AUC | BPSN AUC | BNSP AUC |", "|---|---|---|---|---|---|"]
    for name, c in scores["communities"].items():
        cells = ["–" if c[m] is None else f"{c[m]:.3f}" for m in METRICS]
        lines.append(f"| {name} | {c['posts']} | {c['toxic']} | " + " | ".join(cells) + " |")
    lines.append("| **GMB (p = -5)** | | | " + " | ".join(f"**{scores['gmb_' + m]:.3f}**" for m in METRICS) + " |")
    return "\n".join(lines)
