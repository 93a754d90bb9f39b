"""The multilingual toxicity head's test figures, computed once when its trainer runs with ``--test``.

English: the untouched HateXplain test fifth (accuracy, macro-F1, toxic-vs-normal AUROC) and the functional
suite's test templates (accuracy), for the head, the shipped English model and TF-IDF + LR trained on the
head's training texts, in one run. Russian (when a licensed set is given, :mod:`narrascope.toxicity.russian`):
toxic-vs-normal AUROC and F1 of "toxic" (a label other than ``normal``) on its test part, for the head and a
character n-gram TF-IDF + LR trained on the same Russian training part.
"""

from __future__ import annotations

from typing import Any

from narrascope.toxicity.data import Example


def english(model: Any, parts: dict[str, list[Example]]) -> dict[str, Any]:
    from narrascope.toxicity.evaluation import classification_scores
    from narrascope.toxicity.functional import cases, parse, score
    from narrascope.toxicity.scores import TEMPLATES

    functional = score(model, cases(parse(TEMPLATES), "test"))
    return {"hatexplain_test": classification_scores(model, parts["hx_test"]),
            "functional_test_accuracy": functional["overall"]["accuracy"],
            "functional_test_cases": functional["overall"]["cases"],
            "functional_test": {k: round(v["accuracy"], 3) for k, v in functional.items()}}


def binary(toxic: list[bool], score: list[float], flagged: list[bool]) -> dict[str, Any]:
    """Toxic-vs-normal AUROC of ``score`` and F1 of the ``flagged`` decisions."""
    from narrascope.toxicity.evaluation import auroc

    tp = sum(t and f for t, f in zip(toxic, flagged, strict=True))
    fp = sum(f and not t for t, f in zip(toxic, flagged, strict=True))
    fn = sum(t and not f for t, f in zip(toxic, flagged, strict=True))
    return {"texts": len(toxic), "toxic": sum(toxic), "auroc": auroc(toxic, score),
            "f1_toxic": 2 * tp / (2 * tp + fp + fn) if tp else 0.0}


def russian_figures(model: Any, russian: dict[str, Any]) -> dict[str, Any]:
    from sklearn.feature_extraction.text import TfidfVectorizer  # type: ignore[import-untyped]
    from sklearn.linear_model import LogisticRegression  # type: ignore[import-untyped]
    from sklearn.pipeline import make_pipeline  # type: ignore[import-untyped]

    train, test = russian["train"], russian["test"]
    gold = [e.hard_label != 2 for e in test]
    results = model.predict([e.text for e in test])
    head = binary(gold, [1.0 - (r.scores or {"normal": 1.0})["normal"] for r in results],
                  [r.label not in (None, "normal") for r in results])
    ngram = make_pipeline(TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 5), min_df=2, sublinear_tf=True),
                          LogisticRegression(C=4.0, max_iter=3000, class_weight="balanced"))
    ngram.fit([e.text for e in train], [e.hard_label != 2 for e in train])
    p = ngram.predict_proba([e.text for e in test])[:, list(ngram.classes_).index(True)]
    return {"source": russian["source"], "train_texts": len(train), "e5_head": head,
            "tfidf_char_lr": binary(gold, p.tolist(), (p >= 0.5).tolist())}


def test_figures(model: Any, parts: dict[str, list[Example]], train_set: list[Example],
                 russian: dict[str, Any]) -> dict[str, Any]:
    """Every test figure of the head beside the shipped English model and the baselines, one run."""
    import time

    from narrascope.toxicity.baseline import TfidfBaseline
    from narrascope.toxicity.inference import ToxicityModel

    start = time.time()
    out: dict[str, Any] = {"e5_head": english(model, parts)}
    out["shipped"] = english(ToxicityModel(threads=2), parts)
    english_train = [e for e in train_set if e.source != "russian"]
    out["tfidf_lr"] = english(TfidfBaseline().fit(english_train), parts)
    if russian.get("test"):
        out["russian_test"] = russian_figures(model, russian)
    out["seconds"] = round(time.time() - start, 1)
    return out
