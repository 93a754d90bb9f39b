"""The toxicity head's rows for ``narrascope eval model``.

On the test part of :func:`~narrascope.evaluation.splits.toxicity_split` (HateXplain's salted-hash
fifth, :func:`narrascope.toxicity.data.held_out`): accuracy, macro-F1, toxic-vs-normal AUROC and the
community bias means; on its test tenth of the SemEval-2021 toxic-span training posts: toxic-span
character F1; on the functional suite's test templates: accuracy overall and per functionality.
The baseline is TF-IDF + logistic regression trained on HateXplain's fit part and the functional
train templates, in the same run.

The model's predictor is what :class:`~narrascope.toxicity.inference.ToxicityModel` offers
(:class:`~narrascope.evaluation.predictors.ToxicityPredictor`): ``predict``, and for span F1
``span_probabilities`` and ``span_threshold``.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from narrascope import registry
from narrascope.evaluation.predictors import ToxicityPredictor

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
        spans = f"SemEval-2021 toxic spans test ({new['toxic_span_posts']} posts)"
        out.append(row(spans, "character F1", new["toxic_spans_trial_f1"], None))
        out.append(row(spans, "character F1 of predict", new["toxic_spans_trial_f1_predict"], None))
        out.append(row(spans, "character F1, no spans on comments labelled normal", new["toxic_spans_trial_f1_gated"],
                       None))
    for name, s in new.get("functional_test", {}).items():
        out.append(row(f"functional test templates ({s['cases']} cases)", f"accuracy {name}", s["accuracy"],
                       base["functional_test"][name]["accuracy"]))
    return out


def split_parts(root: Path) -> dict[str, list[Any]]:
    """HateXplain fit and test posts and the toxic-span test posts, by :func:`toxicity_split`."""
    from narrascope.evaluation.splits import toxicity_split
    from narrascope.toxicity.data import load_hatexplain, load_toxic_spans

    examples = load_hatexplain(root / "hatexplain") + \
        load_toxic_spans(root / "toxic_spans_civilcomments" / "tsd_train.csv")
    split = toxicity_split(examples)
    part = lambda ix, source: [examples[i] for i in ix if examples[i].source == source]  # noqa: E731
    return {"hx_train": part(split.fit, "hatexplain"), "hx_test": part(split.test, "hatexplain"),
            "tsd_test": part(split.test, "toxic_spans")}


def default_predictor(model_dir: Path | None = None) -> ToxicityPredictor:
    from narrascope.toxicity.inference import ToxicityModel

    return ToxicityModel(model_dir)


@registry.model_evaluations.register("toxicity")
def rows(data: Path, model_dir: Path | None = None, templates: Path = TEMPLATES,
         predictor: ToxicityPredictor | None = None) -> list[dict[str, Any]]:
    """The model (``predictor``, default the shipped one) beside TF-IDF + LR, on data neither trained on."""
    from narrascope.toxicity.baseline import TfidfBaseline
    from narrascope.toxicity.build import evaluate
    from narrascope.toxicity.functional import cases, parse, training_examples

    parts = split_parts(Path(data) / "toxicity")
    functional = cases(parse(templates), "test") if templates.exists() else []
    extra = training_examples(templates) if templates.exists() else []
    baseline = TfidfBaseline().fit(parts["hx_train"] + extra)
    new = evaluate(predictor or default_predictor(model_dir), parts, parts["tsd_test"], functional)
    new["toxic_span_posts"] = len(parts["tsd_test"])
    return _rows(new, evaluate(baseline, parts, parts["tsd_test"], functional))
