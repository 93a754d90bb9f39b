"""Fine-tune all-MiniLM-L6-v2 as a multi-label keyword/diary tagger and export it to int8 ONNX (``[train]`` extra).

Same data and protocol as :mod:`narrascope.narratives.training` (newest fifth of EUvsDisinfo held
out by date; thresholds on the newest 15% of the rest), but the encoder itself is trained: mean
pooling, one linear layer, BCE with square-root positive weights. The exported graph maps
``input_ids``/``attention_mask``/``token_type_ids`` to ``probabilities [batch, labels]``; the
labels and thresholds go to ``finetuned.npz`` next to it.
"""

from __future__ import annotations

import json
from collections import Counter
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
from narrascope.narratives.data import DIARY_PREFIX, read_training_cases
from narrascope.narratives.training import MIN_EXAMPLES, label_matrix, micro_f1, thresholds

__all__ = ["LABELS_FILE", "ONNX_FILE", "FinetunedHeads", "finetune"]


def finetune(data: Path, out: Path, epochs: int = 2, threads: int = 1, seed: int = 0,
             log: Callable[[str], None] = print, base: Path | None = None) -> dict[str, Any]:
    """Train, measure on the held-out cases, export; returns the figures (also in ``out/finetuned.json``).

    ``base`` is a BERT directory (weights, config, ``tokenizer.json``) to start from instead of the
    pinned all-MiniLM-L6-v2 (whose sha256 is checked); its tokenizer is copied to ``out``.
    """
    import shutil

    import torch

    from narrascope.models.encoder import load_tokenizer, verify_base_encoder

    torch.set_num_threads(threads)
    torch.manual_seed(seed)
    cases = read_training_cases(data)
    eu = sorted((i for i, c in enumerate(cases) if not c.labels or not c.labels[0].startswith(DIARY_PREFIX)),
                key=lambda i: cases[i].date)
    test_i = eu[int(len(eu) * 0.8):]
    held = set(test_i)
    train_i = sorted((i for i in range(len(cases)) if i not in held), key=lambda i: cases[i].date)
    fit_i, val_i = train_i[:int(len(train_i) * 0.85)], train_i[int(len(train_i) * 0.85):]
    counts = Counter(label for i in train_i for label in cases[i].labels)
    labels = sorted(k for k, n in counts.items() if n >= MIN_EXAMPLES or k.startswith(DIARY_PREFIX))
    top20 = [k for k, _ in Counter({k: v for k, v in counts.items() if not k.startswith(DIARY_PREFIX)}).most_common(20)]
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
    f1 = micro_f1(y[test_i][:, cols].astype(int), (predict(model, enc, test_i) >= thr)[:, cols])
    log(f"held-out micro-F1 (top 20 tags): {f1:.4f}")
    out.mkdir(parents=True, exist_ok=True)
    summary = {"version": f"narratives-minilm-finetuned-{epochs}ep", "epochs": epochs, "seed": seed,
               "heldout": {"cases": len(test_i), "from_date": cases[test_i[0]].date, "micro_f1_top20": round(f1, 4)}}
    export_tagger(model, out)
    shutil.copy(base / "tokenizer.json", out / "tokenizer.json")
    save_labels(out, labels, thr, summary)
    (out / "finetuned.json").write_text(json.dumps(summary, indent=2), encoding="utf-8")
    return summary
