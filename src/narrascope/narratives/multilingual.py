"""Narratives in Russian, Ukrainian and Belarusian: linear heads and the taxonomy's examples on the multilingual trunk.

The heads are the English recipe's (:mod:`narrascope.narratives.training`: one balanced logistic regression
per keyword tag with 30 training cases and per diary narrative, ClaimBuster sentences as negatives, a
threshold per head chosen on validation cases) on the trunk's sentence embedding alone (no TF-IDF: English
words say nothing of a Russian sentence), fitted on the fitting part of
:func:`~narrascope.evaluation.splits.narratives_split`; C is chosen on its validation part.

The taxonomy's examples are embedded by the trunk too. Its cosines run higher than MiniLM's, so the
English model's ``fewshot_threshold`` (0.62) and ``support_floor`` (0.3) mean nothing there: the head
stores the trunk's cosines that let through the same share of (validation sentence, narrative) pairs as
MiniLM's do (:func:`matched_cosines`), chosen without labels.
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

import numpy as np

from narrascope.models import crosslingual
from narrascope.models.version import meta
from narrascope.narratives.heads import LinearHeads
from narrascope.narratives.model import NarrativeModel

LAYER = "narratives"
VERSION = "e5-narratives-linear-1"
#: the version of a head fitted to the English model's decisions (``--targets english-model``)
DISTILLED_VERSION = "e5-narratives-distilled-1"
#: inverse regularisation strengths tried (chosen by micro-F1 over the 20 most frequent tags on validation)
C_GRID = (0.25, 1.0, 4.0)
NEGATIVES = 8000


class MultilingualNarratives(crosslingual.UsesTrunk, NarrativeModel):
    """:class:`NarrativeModel` over the trunk's encoder and its narratives head, with the head's few-shot
    threshold and support floor; ``version`` is ``TRUNK/HEAD/TAXONOMY``."""

    layer = LAYER

    def __init__(self, taxonomy: str | Path | None = None, heads: str | Path | None = None, encoder: Any = None,
                 threads: int = 1, max_chars: int = 200_000) -> None:
        path = Path(heads) if heads else crosslingual.heads_file(LAYER)
        cosines = meta(path)
        super().__init__(taxonomy, path, encoder=encoder, threads=threads,
                         fewshot_threshold=float(cosines.get("fewshot_threshold", 0.62)),
                         support_floor=float(cosines.get("support_floor", 0.3)), max_chars=max_chars,
                         finetuned=False)

    @property
    def version(self) -> str:
        return f"{crosslingual.head_version(self.heads_path)}/{self.taxonomy.version}"


def best_similarity(model: NarrativeModel, emb: np.ndarray) -> np.ndarray:
    """``[n, narratives]``: each row's best cosine to a narrative's name, description or example."""
    examples, owners = model._example_matrix()
    sims = emb @ examples.T
    return np.stack([sims[:, owners == k].max(axis=1) for k in range(len(model.taxonomy))], axis=1)


def matched_cosines(english: np.ndarray, trunk: np.ndarray, cuts: dict[str, float]) -> dict[str, float]:
    """For each named MiniLM cosine cut, the trunk's cosine passed by the same share of pairs."""
    out = {}
    for name, cut in cuts.items():
        share = float((english >= cut).mean())
        out[name] = round(float(np.quantile(trunk, 1 - share)), 4)
        out[f"{name}_share"] = round(share, 4)
    return out


def fit_and_choose(emb: np.ndarray, y: np.ndarray, fit: list[int], val: list[int], cols: list[int],
                   scored: list[int]) -> dict[str, Any]:
    """Heads for each C of :data:`C_GRID` on ``fit``, thresholds on ``val``; the C whose micro-F1 over ``cols``
    on the validation cases ``scored`` (positions in ``val``) is best."""
    from narrascope.narratives.training import _sigmoid, fit_heads, micro_f1, thresholds

    tried: list[dict[str, Any]] = []
    for c in C_GRID:
        w, b = fit_heads(emb[fit], y[fit], c=c)
        p = _sigmoid(emb[val] @ w.T + b)
        thr = thresholds(y[val], p)
        f1 = micro_f1(y[val][scored][:, cols], (p[scored] >= thr)[:, cols])
        tried.append({"c": c, "f1": f1, "weights": w, "bias": b, "thresholds": thr})
    best = max(tried, key=lambda t: float(t["f1"]))
    return {**best, "tried": [{"c": t["c"], "validation_micro_f1": round(t["f1"], 4)} for t in tried]}


def held_out_figures(data: Path, heads: Path, encoder: Any) -> dict[str, Any]:
    """The ``eval model`` row of the head, of the shipped English heads and of TF-IDF + LR, in one run."""
    from narrascope.evaluation.predictors import NarrativeHeads
    from narrascope.narratives.scores import rows

    [ours] = rows(data, predictor=NarrativeHeads(MultilingualNarratives(heads=heads, encoder=encoder)))
    [shipped] = rows(data)
    return {ours["metric"]: {"data": ours["data"], "e5_head": round(ours["narrascope"], 4),
                             "shipped": round(shipped["narrascope"], 4), "tfidf_lr": round(ours["baseline"], 4)}}


def distilled(texts: list[str], labels: list[str], emb: np.ndarray, fit: list[int], val: list[int], out: Path,
              threads: int) -> tuple[np.ndarray, dict[str, Any]]:
    """The English model's decisions on ``texts`` (the targets of a distilled head) and the shipped head's
    agreement with them on the validation texts (micro-F1 over ``labels``)."""
    from narrascope.models.embedding_cache import cache_dir
    from narrascope.narratives.distil import TEACHER, agreement, english_decisions, head_decisions

    english = english_decisions(texts, labels, cache_dir(TEACHER, out / "teacher"), threads)
    shipped = crosslingual.heads_file(LAYER)
    head = {"head": crosslingual.head_version(shipped),
            "agreement": agreement(english[val], head_decisions(LinearHeads.load(shipped), emb[val], labels))}
    return english, {"english_positives": {"fit": int(english[fit].sum()), "validation": int(english[val].sum())},
                     "shipped_head": head}


def train_head(data: Path, out: Path, threads: int = 2, test: bool = False, targets: str = "gold") -> dict[str, Any]:
    """``narrascope train multilingual-head narratives``: heads fitted on the fitting cases (and 85% of the
    negatives), C and thresholds chosen on the validation cases (and the other 15%), few-shot cosines matched
    to MiniLM's on the validation cases' sentences; writes ``out/narratives.npz``; ``test``: test figures.

    ``targets="english-model"``: fitted to the shipped English model's decisions on the same texts instead of
    the gold labels; C and thresholds chosen by agreement with them (micro-F1 over every head's label, all
    validation texts), reported beside the shipped head's agreement on the same texts."""
    from narrascope.evaluation.splits import narratives_split
    from narrascope.models.embedding_cache import CachedEncoder, cache_dir
    from narrascope.models.sentence import SentenceEncoder
    from narrascope.narratives.data import DIARY_PREFIX, read_training_cases
    from narrascope.narratives.taxonomy import SHIPPED
    from narrascope.narratives.training import head_labels, label_matrix, negative_cases

    start = time.monotonic()
    cases = read_training_cases(Path(data))
    split = narratives_split(cases)
    negatives = negative_cases(Path(data), NEGATIVES)
    cut = int(len(negatives) * 0.85)
    texts = [cases[i].text for i in split.fit] + [n.text for n in negatives[:cut]] + \
        [cases[i].text for i in split.validation] + [n.text for n in negatives[cut:]]
    picked = [cases[i] for i in split.fit] + negatives[:cut] + [cases[i] for i in split.validation] + negatives[cut:]
    n_fit = len(split.fit) + cut
    directory = cache_dir(LAYER, out / "embeddings")
    encoder = CachedEncoder(crosslingual.encoder(threads), directory)
    emb = encoder.encode(texts)
    labels, top20 = head_labels(cases, split.fit + split.validation)
    y = label_matrix(picked, labels)
    fit, val = list(range(n_fit)), list(range(n_fit, len(picked)))
    scored = [k for k, i in enumerate(split.validation) if not any(t.startswith(DIARY_PREFIX) for t in cases[i].labels)]
    distil: dict[str, Any] = {}
    if targets == "english-model":
        y, distil = distilled(texts, labels, emb, fit, val, out, threads)
        best = fit_and_choose(emb, y, fit, val, list(range(len(labels))), list(range(len(val))))
        distil["distilled_head"] = {"head": DISTILLED_VERSION, "agreement": round(float(best["f1"]), 4)}
    elif targets == "gold":
        best = fit_and_choose(emb, y, fit, val, [labels.index(t) for t in top20 if t in labels], scored)
    else:
        raise ValueError(f"unknown targets {targets!r}: gold or english-model")
    english = NarrativeModel(SHIPPED, encoder=CachedEncoder(SentenceEncoder(threads=threads), directory.parent /
                                                            f"{directory.name}-minilm"), finetuned=False)
    trunk = NarrativeModel(SHIPPED, encoder=encoder, finetuned=False)
    units = [cases[i].text[s:e] for i in split.validation for s, e in english.units(cases[i].text)[0]]
    cosines = matched_cosines(best_similarity(english, english.encoder.encode(units)),
                              best_similarity(trunk, encoder.encode(units)),
                              {"fewshot_threshold": english.fewshot_threshold, "support_floor": english.support_floor})
    summary: dict[str, Any] = {
        "version": DISTILLED_VERSION if distil else VERSION, "targets": targets,
        "trunk": crosslingual.trunk_config().get("version"),
        "data": f"EUvsDisinfo and Propaganda Diary (English), fitting part of narratives_split ({len(split.fit)} "
                f"cases) and {cut} ClaimBuster sentences as negatives; C and thresholds chosen on its validation part "
                f"({len(split.validation)} cases, {len(negatives) - cut} negatives)",
        "features": "trunk sentence embedding (384), no TF-IDF", "heads": len(labels), "negatives": len(negatives),
        "top20_tags": top20,
        "c": best["c"], "tried": best["tried"], **cosines,
        **({"validation_agreement_with_english_model": distil} if distil else {}),
        "cosines_matched_on": f"{len(units)} sentences and paragraphs of the validation cases x "
                              f"{len(trunk.taxonomy)} narratives (MiniLM's cuts 0.62 and 0.3)",
        "seconds": round(time.monotonic() - start, 1)}
    out.mkdir(parents=True, exist_ok=True)
    LinearHeads(labels, best["weights"], best["bias"], best["thresholds"], summary).save(out / f"{LAYER}.npz")
    if test:
        summary["test"] = held_out_figures(Path(data), out / f"{LAYER}.npz", encoder)
        summary["seconds_with_test"] = round(time.monotonic() - start, 1)
    return summary
