"""A fine-tuned sentence tagger: all-MiniLM-L6-v2, mean pooling, one linear layer, sigmoid outputs.

Training and export need the ``[train]`` extra (torch); :class:`FinetunedHeads` runs the exported
int8 graph with onnxruntime behind the :class:`~narrascope.narratives.heads.LinearHeads` interface.
Used by the narrative tagger (``train narratives --finetune``) and the check-worthiness model
(``train checkworthy --finetune``). The exported graph maps ``input_ids``/``attention_mask``/
``token_type_ids`` to ``probabilities [batch, labels]``; labels, thresholds and the run's figures go
to ``finetuned.npz`` beside it.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import numpy as np

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


def _batch(enc: Sequence[Sequence[int]], ix: Sequence[int]) -> tuple[Any, Any]:
    import torch

    width = max(len(enc[i]) for i in ix)
    ids = np.zeros((len(ix), width), np.int64)
    mask = np.zeros_like(ids)
    for r, i in enumerate(ix):
        ids[r, :len(enc[i])] = enc[i]
        mask[r, :len(enc[i])] = 1
    return torch.from_numpy(ids), torch.from_numpy(mask)


def predict(model: Any, enc: Sequence[Sequence[int]], ix: Sequence[int] | np.ndarray, size: int = 128) -> np.ndarray:
    """Sigmoid outputs ``[len(ix), labels]`` of the torch model for token id lists ``enc[i]``."""
    import torch

    model.eval()
    order = sorted(ix, key=lambda i: len(enc[i]))
    parts = []
    with torch.no_grad():
        for b in range(0, len(order), size):
            parts.append(torch.sigmoid(model(*_batch(enc, order[b:b + size]))).numpy())
    p = np.concatenate(parts)
    where = {i: k for k, i in enumerate(order)}
    return p[[where[i] for i in ix]]


def train_tagger(model: Any, enc: Sequence[Sequence[int]], y: np.ndarray, fit_i: Sequence[int] | np.ndarray,
                 loss_fn: Any, epochs: int, lr: float = 5e-5, head_lr: float = 1e-3, size: int = 32,
                 warmup: float = 0.06, seed: int = 0, log: Callable[[str], None] = print,
                 after_epoch: Callable[[int], None] | None = None) -> None:
    """AdamW with linear warm-up and decay; batches of similar length (shuffled in chunks of 50 batches).

    ``y[i]`` are float targets for ``enc[i]``; ``after_epoch(epoch)`` runs after each epoch (figures).
    """
    import torch

    opt = torch.optim.AdamW([{"params": model.bert.parameters(), "lr": lr},
                             {"params": model.head.parameters(), "lr": head_lr}], weight_decay=0.01)
    steps = max(1, epochs * (len(fit_i) // size))
    warm = max(1.0, warmup * steps)
    sched = torch.optim.lr_scheduler.LambdaLR(opt, lambda s: min(1.0, (s + 1) / warm) * max(0.0, 1 - s / steps))
    rng = np.random.default_rng(seed)
    targets = torch.from_numpy(np.asarray(y, dtype=np.float32))
    for epoch in range(epochs):
        model.train()
        start = time.time()
        perm = [int(i) for i in rng.permutation(np.asarray(fit_i))]
        batches: list[list[int]] = []
        for c in range(0, len(perm), size * 50):
            chunk = sorted(perm[c:c + size * 50], key=lambda i: len(enc[i]))
            batches += [chunk[k:k + size] for k in range(0, len(chunk) - size + 1, size)]
        for k in rng.permutation(len(batches)):
            ix = batches[int(k)]
            loss = loss_fn(model(*_batch(enc, ix)), targets[ix])
            opt.zero_grad()
            loss.backward()
            opt.step()
            sched.step()
        log(f"epoch {epoch + 1}: {time.time() - start:.0f}s, last loss {loss.item():.4f}")
        if after_epoch is not None:
            after_epoch(epoch)


def save_labels(out: Path, labels: list[str], thresholds: np.ndarray, summary: dict[str, Any]) -> None:
    """``finetuned.npz``: labels, per-label thresholds and the run's summary (``meta``)."""
    np.savez_compressed(out / LABELS_FILE, labels=np.array(labels, dtype=str),
                        thresholds=np.asarray(thresholds, np.float32), meta=np.array(json.dumps(summary)))


class FinetunedHeads:
    """The exported tagger behind the :class:`~narrascope.narratives.heads.LinearHeads` interface.

    ``probabilities(embeddings, texts)`` ignores the shared embeddings and runs its own encoder on
    ``texts`` (a second encoder pass: better scores, half the speed). Texts are cut at the
    ``max_tokens`` recorded in the run's summary (64 when absent). A text seen before (among the latest
    ``remember`` distinct ones, default :data:`~narrascope.models.sentence.REMEMBERED`) is not run again:
    its probabilities are those of its first run.
    """

    def __init__(self, directory: Path, threads: int = 1, remember: int | None = None) -> None:
        with np.load(directory / LABELS_FILE, allow_pickle=False) as z:
            self.labels: list[str] = z["labels"].tolist()
            self.thresholds: np.ndarray = z["thresholds"]
            self.meta: dict[str, Any] = json.loads(str(z["meta"]))
        from narrascope.models.sentence import REMEMBERED, SentenceEncoder  # the version module imports this one

        self._runner = SentenceEncoder(directory, threads=threads, max_tokens=int(self.meta.get("max_tokens", 64)),
                                       model_file=ONNX_FILE, output="probabilities", dim=len(self.labels),
                                       remember=REMEMBERED if remember is None else remember)

    def probabilities(self, embeddings: np.ndarray | None, texts: list[str] | None = None) -> np.ndarray:
        if texts is None:
            raise ValueError("the fine-tuned tagger needs the texts")
        return self._runner.encode(texts)

    @staticmethod
    def available(directory: Path) -> bool:
        return (directory / ONNX_FILE).is_file() and (directory / LABELS_FILE).is_file() and \
            (directory / "tokenizer.json").is_file()
