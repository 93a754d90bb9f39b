"""Fine-tune all-MiniLM-L6-v2 for check-worthiness and export it to int8 ONNX (``[train]`` extra).

Same ClaimBuster split as :mod:`narrascope.claims.training` (20% of the debates held out, the
threshold chosen on 15% of the training debates), but the encoder itself is trained: mean pooling,
one linear layer, binary cross-entropy. The shipped weights are the ones measured: trained on the
fit debates only. Figures (in ``finetuned.json`` and the summary inside ``finetuned.npz``):
positive-class F1 on the held-out debates from the torch model and from the exported int8 graph,
TF-IDF + logistic regression on the same split, and CheckThat! 2019 Task 1 MAP over its debates
(the model never saw CLEF's labels; debates whose sentences also occur in the fit part of
ClaimBuster, the 2016 ones, are reported apart).
"""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np

from narrascope.claims.data import find, read_claimbuster, read_clef2019
from narrascope.claims.training import best_threshold, split_by_debate, tfidf_baseline
from narrascope.models.tagger import FinetunedHeads, build_model, export_tagger, predict, save_labels, train_tagger

VERSION = "checkworthy-minilm-finetuned-1"


def clef_map(heads: FinetunedHeads, data: Path, seen: set[str]) -> dict[str, Any]:
    """Average precision per CheckThat! 2019 debate; debates sharing a sentence with ``seen`` apart."""
    from sklearn.metrics import average_precision_score  # type: ignore[import-untyped]

    clef = read_clef2019(find(data, "clef2019_task1_english_train.csv"))
    p = heads.probabilities(None, [s.text for s in clef])[:, 0]
    ap, overlap = {}, []
    for g in sorted({s.group for s in clef}):
        rows = [i for i, s in enumerate(clef) if s.group == g]
        y = np.array([clef[i].label for i in rows])
        if y.sum():
            ap[g] = float(average_precision_score(y, p[rows]))
            if any(clef[i].text.strip() in seen for i in rows):
                overlap.append(g)
    unseen = [v for g, v in ap.items() if g not in overlap]
    return {"map": float(np.mean(list(ap.values()))), "debates": len(ap), "ap": ap,
            "debates_sharing_sentences_with_training": overlap,
            "map_unseen_debates": float(np.mean(unseen)) if unseen else None}


def finetune(data: Path, out: Path, epochs: int = 2, threads: int = 2, seed: int = 0, lr: float = 5e-5,
             max_tokens: int = 96, clef: bool = True, base: Path | None = None,
             log: Callable[[str], None] = print, holdout: bool = True) -> dict[str, Any]:
    """Train on the fit debates, choose the threshold, measure, export; writes ``out/finetuned.*``.

    ``holdout=False`` holds no debate out (the model to ship): trained on 85% of the debates, the
    threshold chosen on the other 15%, no ClaimBuster held-out figure.
    """
    import torch
    from sklearn.metrics import f1_score  # type: ignore[import-untyped]

    from narrascope.models.encoder import load_tokenizer, verify_base_encoder

    torch.set_num_threads(threads)
    torch.manual_seed(seed)
    data = Path(data)
    cb = read_claimbuster(find(data, "claimbuster_crowdsourced.csv"))
    y, groups = np.array([s.label for s in cb]), np.array([s.group for s in cb])
    fit_i, val_i, te = split_by_debate(y, groups, holdout)
    base = Path(base) if base is not None else verify_base_encoder()
    tok = load_tokenizer(base / "tokenizer.json")
    tok.enable_truncation(max_tokens)
    enc = [e.ids for e in tok.encode_batch([s.text for s in cb])]
    model = build_model(1, base)
    train_tagger(model, enc, y[:, None], fit_i, torch.nn.BCEWithLogitsLoss(), epochs, lr=lr, seed=seed, log=log)
    thr = best_threshold(y[val_i], predict(model, enc, val_i)[:, 0])
    f1_torch = float(f1_score(y[te], predict(model, enc, te)[:, 0] >= thr)) if len(te) else 0.0  # before export
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    export_tagger(model, out)
    shutil.copy(base / "tokenizer.json", out / "tokenizer.json")
    summary: dict[str, Any] = {"version": VERSION + ("" if holdout else "-holdout0"), "epochs": epochs, "lr": lr,
                               "seed": seed, "max_tokens": max_tokens, "threshold": thr,
                               "training_debates": len(set(groups[fit_i])),
                               "validation_debates": len(set(groups[val_i]))}
    save_labels(out, ["checkworthy"], np.array([thr]), summary)
    heads = FinetunedHeads(out, threads=threads)
    texts = [s.text for s in cb]
    if len(te):
        f1_int8 = float(f1_score(y[te], heads.probabilities(None, [cb[i].text for i in te])[:, 0] >= thr))
        pick = lambda ix: [texts[i] for i in ix]  # noqa: E731
        baseline = tfidf_baseline(pick(fit_i), y[fit_i], (pick(val_i), y[val_i]), (pick(te), y[te]))
        summary["claimbuster_heldout"] = {
            "split": "20% of debates (GroupShuffleSplit seed 0); threshold on 15% of training debates (seed 1); "
                     "trained on the other 85%", "sentences": int(len(te)), "positives": int(y[te].sum()),
            "threshold": thr, "f1_positive_int8": round(f1_int8, 4), "f1_positive_torch": round(f1_torch, 4),
            "tfidf_lr_f1_positive": round(baseline, 4)}
        log(f"claimbuster held-out debates: F1 {f1_int8:.4f} int8 ({f1_torch:.4f} torch; TF-IDF+LR {baseline:.4f}), "
            f"threshold {thr:.2f}")
    if clef:
        summary["clef2019"] = clef_map(heads, data, {texts[i].strip() for i in fit_i})
        log(f"clef2019 MAP {summary['clef2019']['map']:.4f} "
            f"(debates not in training: {summary['clef2019']['map_unseen_debates']})")
    save_labels(out, ["checkworthy"], np.array([thr]), summary)
    (out / "finetuned.json").write_text(json.dumps(summary, indent=2), encoding="utf-8")
    return summary
