"""Fine-tune all-MiniLM-L6-v2 as a multi-label keyword/diary tagger and export it to int8 ONNX (``[train]`` extra).

Same data and protocol as :mod:`narrascope.narratives.training` (newest fifth of EUvsDisinfo held
out by date; thresholds on the newest 15% of the rest), but the encoder itself is trained: mean
pooling, one linear layer, BCE with square-root positive weights. The exported graph maps
``input_ids``/``attention_mask``/``token_type_ids`` to ``probabilities [batch, labels]``; the
labels and thresholds go to ``finetuned.npz`` next to it. When the heads of the same run left their
held-out probabilities in ``out`` (``narrascope train narratives --finetune N`` does), :func:`blend`
chooses how much of the tagger to mix with them and the thresholds of the mix.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np

from narrascope.models.tagger import (
    LABELS_FILE,
    ONNX_FILE,
    FinetunedHeads,
    build_model,
    export_tagger,
    predict,
    save_labels,
    train_tagger,
)
from narrascope.narratives.data import read_training_cases
from narrascope.narratives.training import (
    HELDOUT_FILE,
    head_labels,
    label_matrix,
    micro_f1,
    split,
    split_name,
    split_summary,
    thresholds,
)

__all__ = ["LABELS_FILE", "ONNX_FILE", "FinetunedHeads", "finetune"]


def finetune(data: Path, out: Path, epochs: int = 2, threads: int = 1, seed: int = 0,
             log: Callable[[str], None] = print, base: Path | None = None, holdout: float = 0.2,
             validation: str = "newest") -> dict[str, Any]:
    """Train, measure on the held-out cases, export; returns the figures (also in ``out/finetuned.json``).

    ``holdout`` and ``validation`` split the cases as :func:`narrascope.narratives.training.split` does
    (``holdout=0``: the model to ship, with validation figures only).

    ``base`` is a BERT directory (weights, config, ``tokenizer.json``) to start from instead of the
    pinned all-MiniLM-L6-v2 (whose sha256 is checked); its tokenizer is copied to ``out``.
    """
    import shutil

    import torch

    from narrascope.models.encoder import load_tokenizer, verify_base_encoder

    torch.set_num_threads(threads)
    torch.manual_seed(seed)
    cases = read_training_cases(data)
    fit_i, val_i, test_i = split(cases, holdout, validation)
    train_i = fit_i + val_i
    labels, top20 = head_labels(cases, train_i)
    cols = [labels.index(k) for k in top20]
    y = label_matrix(cases, labels).astype(np.float32)
    base = Path(base) if base is not None else verify_base_encoder()
    tok = load_tokenizer(base / "tokenizer.json")
    tok.enable_truncation(64)
    enc = [e.ids for e in tok.encode_batch([c.text for c in cases])]
    model = build_model(len(labels), base)
    pos = y[fit_i].sum(0)
    pos_weight = torch.from_numpy(np.clip((len(fit_i) - pos) / np.maximum(pos, 1), 1, 30).astype(np.float32)) ** 0.5
    train_tagger(model, enc, y, fit_i, torch.nn.BCEWithLogitsLoss(pos_weight=pos_weight), epochs, seed=seed, log=log)
    thr = thresholds(y[val_i].astype(int), predict(model, enc, val_i))
    out.mkdir(parents=True, exist_ok=True)
    summary: dict[str, Any] = {"version": f"narratives-minilm-finetuned-{epochs}ep{split_name(holdout, validation)}",
                               "epochs": epochs, "seed": seed,
                               "split": split_summary(cases, fit_i, val_i, holdout, validation)}
    if test_i:
        f1 = micro_f1(y[test_i][:, cols].astype(int), (predict(model, enc, test_i) >= thr)[:, cols])
        log(f"held-out micro-F1 (top 20 tags): {f1:.4f}")
        summary["heldout"] = {"cases": len(test_i), "from_date": cases[test_i[0]].date, "micro_f1_top20": round(f1, 4)}
    export_tagger(model, out)
    shutil.copy(base / "tokenizer.json", out / "tokenizer.json")
    save_labels(out, labels, thr, summary)
    if (out / HELDOUT_FILE).is_file():
        thr = blend(FinetunedHeads(out, threads), out / HELDOUT_FILE, [cases[i].text for i in val_i + test_i],
                    y[val_i].astype(int), y[test_i].astype(int), cols, summary, log)
        save_labels(out, labels, thr, summary)
    (out / "finetuned.json").write_text(json.dumps(summary, indent=2), encoding="utf-8")
    return summary


def blend(tagger: FinetunedHeads, heldout: Path, texts: list[str], y_val: np.ndarray, y_test: np.ndarray,
          cols: list[int], summary: dict[str, Any], log: Callable[[str], None] = print) -> np.ndarray:
    """Choose the weight of the tagger against the linear heads on the validation cases; returns the thresholds.

    ``heldout`` holds the heads' probabilities (fitted without the validation and held-out cases) for
    the validation cases then the held-out ones, the order of ``texts``. The int8 tagger's are
    computed here. The weight (0, 0.1, ..., 1) and the per-label thresholds are the best on the
    validation cases; the held-out micro-F1 of the blend goes to ``summary``, the weight to
    ``summary["blend_weight"]`` (read at inference by :class:`~narrascope.narratives.heads.BlendedHeads`).
    """
    with np.load(heldout, allow_pickle=False) as z:
        if z["labels"].tolist() != tagger.labels:
            raise ValueError(f"{heldout}: its labels differ from the tagger's: train both on the same data")
        head_val, head_test = z["val"], z["test"]
    p = tagger.probabilities(None, texts)
    tag_val, tag_test = p[:len(y_val)], p[len(y_val):]
    best: tuple[float, float, np.ndarray] | None = None
    for weight in np.round(np.arange(0.0, 1.01, 0.1), 1):
        mix = weight * tag_val + (1 - weight) * head_val
        thr = thresholds(y_val, mix)
        f1 = micro_f1(y_val[:, cols], (mix >= thr)[:, cols])
        if best is None or f1 > best[0]:
            best = (f1, float(weight), thr)
    assert best is not None
    val_f1, weight, thr = best
    summary["blend_weight"] = weight
    summary["validation_micro_f1_top20_blend"] = round(val_f1, 4)  # chosen on these cases: optimistic
    log(f"blend {weight} x tagger + {1 - weight:.1f} x heads; validation micro-F1 {val_f1:.4f}")
    if len(y_test):
        f1 = micro_f1(y_test[:, cols], ((weight * tag_test + (1 - weight) * head_test) >= thr)[:, cols])
        int8 = micro_f1(y_test[:, cols], (tag_test >= thresholds(y_val, tag_val))[:, cols])
        summary["heldout"].update(micro_f1_top20_int8=round(int8, 4), micro_f1_top20_blend=round(f1, 4))
        log(f"held-out micro-F1 (top 20 tags): int8 tagger {int8:.4f}; "
            f"{weight} x tagger + {1 - weight:.1f} x heads {f1:.4f}")
    return thr
