"""Fine-tune all-MiniLM-L6-v2 as a multi-label keyword/diary tagger and export it to int8 ONNX (``[train]`` extra).

Same data and protocol as :mod:`narrascope.narratives.training` (newest fifth of EUvsDisinfo held
out by date; thresholds on the newest 15% of the rest), but the encoder itself is trained: mean
pooling, one linear layer, BCE with square-root positive weights. The exported graph maps
``input_ids``/``attention_mask``/``token_type_ids`` to ``probabilities [batch, labels]``; the
labels and thresholds go to ``finetuned.npz`` next to it.
"""

from __future__ import annotations

import json
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np

from narrascope.narratives.data import DIARY_PREFIX, read_training_cases
from narrascope.narratives.training import MIN_EXAMPLES, label_matrix, micro_f1, thresholds

ONNX_FILE = "finetuned.int8.onnx"
LABELS_FILE = "finetuned.npz"


def build_model(n_labels: int, base: Path) -> Any:
    """MiniLM + mean pooling + a linear layer; ``forward`` returns logits (``probabilities`` once exported)."""
    import torch
    from transformers import AutoModel

    class Tagger(torch.nn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.bert = AutoModel.from_pretrained(str(base))
            self.head = torch.nn.Linear(self.bert.config.hidden_size, n_labels)
            self.export_probabilities = False

        def forward(self, ids: Any, mask: Any, token_type_ids: Any = None) -> Any:
            h = self.bert(input_ids=ids, attention_mask=mask).last_hidden_state
            m = mask.unsqueeze(-1).to(h.dtype)
            logits = self.head((h * m).sum(1) / m.sum(1).clamp(min=1e-9))
            return torch.sigmoid(logits) if self.export_probabilities else logits

    return Tagger()


def export_tagger(model: Any, out_dir: Path) -> Path:
    """Dynamo export + per-channel int8 quantisation of MatMul/Gather, as for the sentence encoder."""
    from narrascope.models.sentence import export_int8

    model = model.float().eval()
    model.export_probabilities = True
    return export_int8(model, out_dir, ONNX_FILE, "finetuned.fp32.onnx", "probabilities")


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

    def batch(ix: list[int]) -> tuple[Any, Any]:
        width = max(len(enc[i]) for i in ix)
        ids = np.zeros((len(ix), width), np.int64)
        mask = np.zeros_like(ids)
        for r, i in enumerate(ix):
            ids[r, :len(enc[i])] = enc[i]
            mask[r, :len(enc[i])] = 1
        return torch.from_numpy(ids), torch.from_numpy(mask)

    def predict(ix: list[int]) -> np.ndarray:
        model.eval()
        order = sorted(ix, key=lambda i: len(enc[i]))
        parts = []
        with torch.no_grad():
            for b in range(0, len(order), 128):
                parts.append(torch.sigmoid(model(*batch(order[b:b + 128]))).numpy())
        p = np.concatenate(parts)
        where = {i: k for k, i in enumerate(order)}
        return p[[where[i] for i in ix]]

    pos = y[fit_i].sum(0)
    pos_weight = torch.from_numpy(np.clip((len(fit_i) - pos) / np.maximum(pos, 1), 1, 30).astype(np.float32)) ** 0.5
    loss_fn = torch.nn.BCEWithLogitsLoss(pos_weight=pos_weight)
    opt = torch.optim.AdamW([{"params": model.bert.parameters(), "lr": 5e-5},
                             {"params": model.head.parameters(), "lr": 1e-3}], weight_decay=0.01)
    size = 32
    steps = epochs * (len(fit_i) // size)
    sched = torch.optim.lr_scheduler.LambdaLR(opt, lambda s: min(1.0, (s + 1) / 100) * max(0.0, 1 - s / steps))
    rng = np.random.default_rng(seed)
    for epoch in range(epochs):
        model.train()
        start = time.time()
        perm = [int(i) for i in rng.permutation(fit_i)]
        for b in range(0, len(perm) - size + 1, size):
            ix = perm[b:b + size]
            loss = loss_fn(model(*batch(ix)), torch.from_numpy(y[ix]))
            opt.zero_grad()
            loss.backward()
            opt.step()
            sched.step()
        log(f"epoch {epoch}: {time.time() - start:.0f}s, last loss {loss.item():.4f}")
    thr = thresholds(y[val_i].astype(int), predict(val_i))
    f1 = micro_f1(y[test_i][:, cols].astype(int), (predict(test_i) >= thr)[:, cols])
    log(f"held-out micro-F1 (top 20 tags): {f1:.4f}")
    out.mkdir(parents=True, exist_ok=True)
    summary = {"version": f"narratives-minilm-finetuned-{epochs}ep", "epochs": epochs, "seed": seed,
               "heldout": {"cases": len(test_i), "from_date": cases[test_i[0]].date, "micro_f1_top20": round(f1, 4)}}
    export_tagger(model, out)
    shutil.copy(base / "tokenizer.json", out / "tokenizer.json")
    np.savez_compressed(out / LABELS_FILE, labels=np.array(labels, dtype=str), thresholds=thr.astype(np.float32),
                        meta=np.array(json.dumps(summary)))
    (out / "finetuned.json").write_text(json.dumps(summary, indent=2), encoding="utf-8")
    return summary


class FinetunedHeads:
    """The exported tagger behind the :class:`~narrascope.narratives.heads.LinearHeads` interface.

    ``probabilities(embeddings, texts)`` ignores the shared embeddings and runs its own encoder on
    ``texts`` (a second encoder pass: better tags, half the speed).
    """

    def __init__(self, directory: Path, threads: int = 1) -> None:
        with np.load(directory / LABELS_FILE, allow_pickle=False) as z:
            self.labels: list[str] = z["labels"].tolist()
            self.thresholds: np.ndarray = z["thresholds"]
            self.meta: dict[str, Any] = json.loads(str(z["meta"]))
        from narrascope.models.sentence import SentenceEncoder

        self._runner = SentenceEncoder(directory, threads=threads, max_tokens=64, model_file=ONNX_FILE,
                                       output="probabilities", dim=len(self.labels))

    def probabilities(self, embeddings: np.ndarray, texts: list[str] | None = None) -> np.ndarray:
        if texts is None:
            raise ValueError("the fine-tuned tagger needs the texts")
        return self._runner.encode(texts)

    @staticmethod
    def available(directory: Path) -> bool:
        return (directory / ONNX_FILE).is_file() and (directory / LABELS_FILE).is_file() and \
            (directory / "tokenizer.json").is_file()
