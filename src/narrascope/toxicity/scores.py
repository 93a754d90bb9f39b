"""The toxicity head's rows for ``narrascope eval model``.

On HateXplain's held-out fifth (:func:`narrascope.toxicity.data.held_out`): accuracy, macro-F1,
toxic-vs-normal AUROC and the community bias means; on the SemEval-2021 trial posts: toxic-span
character F1; on the functional suite's test templates: accuracy overall and per functionality.
The baseline is TF-IDF + logistic regression trained on HateXplain's training part and the
functional train templates, in the same run.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from narrascope import registry

TEMPLATES = Path(__file__).resolve().parents[3] / "tests" / "toxicity" / "functional" / "templates.txt"


def _rows(new: dict[str, Any], base: dict[str, Any]) -> list[dict[str, Any]]:
    def row(data: str, metric: str, ours: Any, theirs: Any) -> dict[str, Any]:
        return {"head": "toxicity", "data": data, "metric": metric, "narrascope": ours, "baseline": theirs}

    hx, bhx = new["hatexplain_held_out"], base["hatexplain_held_out"]
    held = f"HateXplain held-out ({hx['posts']} posts)"
    out = [row(held, m, hx[m], bhx[m]) for m in ("accuracy", "macro_f1", "auroc")]
    out += [row("HateXplain held-out, community bias", f"GMB {m} (p = -5)", new["bias"][f"gmb_{m}"],
                base["bias"][f"gmb_{m}"]) for m in ("subgroup_auc", "bpsn_auc", "bnsp_auc")]
    if "toxic_spans_trial_f1" in new:
        out.append(row("SemEval-2021 toxic spans trial (690 posts)", "character F1", new["toxic_spans_trial_f1"], None))
        out.append(row("SemEval-2021 toxic spans trial (690 posts)", "character F1 of predict (gated)",
                       new["toxic_spans_trial_f1_gated"], None))
    for name, s in new.get("functional_test", {}).items():
        out.append(row(f"functional test templates ({s['cases']} cases)", f"accuracy {name}", s["accuracy"],
                       base["functional_test"][name]["accuracy"]))
    return out


@registry.model_evaluations.register("toxicity")
def rows(data: Path, model_dir: Path | None = None, templates: Path = TEMPLATES) -> list[dict[str, Any]]:
    """The shipped (or ``model_dir``'s) toxicity model beside TF-IDF + LR, on data neither trained on."""
    from narrascope.toxicity import evaluation as ev
    from narrascope.toxicity.baseline import TfidfBaseline
    from narrascope.toxicity.build import evaluate
    from narrascope.toxicity.functional import cases, parse, training_examples
    from narrascope.toxicity.inference import ToxicityModel
    from narrascope.toxicity.training import split_data

    root = Path(data) / "toxicity"
    parts = split_data(root)
    functional = cases(parse(templates), "test") if templates.exists() else []
    trial = ev.trial_set(root)
    extra = training_examples(templates) if templates.exists() else []
    baseline = TfidfBaseline().fit(parts["hx_train"] + extra)
    return _rows(evaluate(ToxicityModel(model_dir), parts, trial, functional),
                 evaluate(baseline, parts, trial, functional))
