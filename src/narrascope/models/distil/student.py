"""One MiniLM student with a small head per shipped graph output, fully fine-tuned on the graphs' answers.

Multi-task distillation ("born-again multi-task networks", Clark et al. 2019): every captured row
(:mod:`narrascope.models.distil.capture`) is fed to the shared trunk and the head of its graph is
pulled towards what the shipped graph answered: mean squared error on the techniques tagger's
logits, cross-entropy against the toxicity class probabilities, binary cross-entropy against every
sigmoid output (span, target group, check-worthiness, narrative probabilities), and one minus the
cosine to the shipped sentence embedding (on every row of up to 128 tokens, whichever its graph).
Needs the ``[train]`` extra (torch, transformers).
"""

from __future__ import annotations

import copy
import time
from collections.abc import Callable
from typing import Any

import numpy as np

from narrascope.models.distil.capture import Capture

#: (layer, output) -> width of the head; token heads read token states, the others the mean-pooled state
HEADS: dict[tuple[str, str], int] = {("techniques", "logits"): 15, ("toxicity", "scores"): 3,
                                     ("toxicity", "span_probs"): 1, ("toxicity", "target_probs"): 10,
                                     ("claims", "probabilities"): 1, ("narratives", "probabilities"): 195}
TOKEN_HEADS = {("techniques", "logits"), ("toxicity", "span_probs")}
SENTENCE_WEIGHT = 10.0
TECHNIQUES_WEIGHT = 0.1


def head_name(layer: str, output: str) -> str:
    return f"{layer}__{output}"


def build_student(bert: Any, widths: dict[tuple[str, str], int] | None = None) -> Any:
    """A torch module: ``bert`` (a transformers encoder) with one head per graph output and a sentence head."""
    import torch

    heads: dict[tuple[str, str], int] = widths or HEADS
    size = int(bert.config.hidden_size)

    def mlp(width: int) -> Any:
        return torch.nn.Sequential(torch.nn.Linear(size, size), torch.nn.GELU(), torch.nn.Linear(size, width))

    class Student(torch.nn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.bert = bert
            self.heads = torch.nn.ModuleDict({head_name(*k): torch.nn.Linear(size, w) if k in TOKEN_HEADS else mlp(w)
                                              for k, w in heads.items()})
            self.sentence = torch.nn.Linear(size, size)  # starts as the identity: the base model's embedding
            with torch.no_grad():
                self.sentence.weight.copy_(torch.eye(size))
                self.sentence.bias.zero_()

        def states(self, ids: Any, mask: Any, token_type_ids: Any = None) -> tuple[Any, Any]:
            """Token states ``[b, t, h]`` and their mean over the mask ``[b, h]``."""
            types = torch.zeros_like(ids) if token_type_ids is None else token_type_ids
            h = self.bert(input_ids=ids, attention_mask=mask, token_type_ids=types).last_hidden_state
            m = mask.unsqueeze(-1).to(h.dtype)
            return h, (h * m).sum(1) / m.sum(1).clamp(min=1e-9)

        def head(self, layer: str, output: str, tokens: Any, pooled: Any) -> Any:
            """The head's raw output: logits (token heads ``[b, t, w]``, with ``w == 1`` squeezed)."""
            out = self.heads[head_name(layer, output)](tokens if (layer, output) in TOKEN_HEADS else pooled)
            return out[..., 0] if (layer, output) in TOKEN_HEADS and out.shape[-1] == 1 else out

        def embedding(self, pooled: Any) -> Any:
            return torch.nn.functional.normalize(self.sentence(pooled), p=2.0, dim=-1)

    return Student()


def _logit(p: Any) -> Any:
    return (p / (1 - p)).log()


def batch_loss(student: Any, capture: Capture, rows: list[int], techniques_weight: float = TECHNIQUES_WEIGHT) -> Any:
    """The distillation loss of ``rows`` of ``capture`` (summed over a row's outputs, averaged over rows/tokens;
    the techniques logits' squared error times ``techniques_weight``)."""
    import torch
    import torch.nn.functional as F

    width = max(len(capture.ids[r]) for r in rows)
    ids = torch.zeros((len(rows), width), dtype=torch.long)
    mask = torch.zeros_like(ids)
    for k, r in enumerate(rows):
        ids[k, :len(capture.ids[r])] = torch.from_numpy(capture.ids[r].astype(np.int64))
        mask[k, :len(capture.ids[r])] = 1
    tokens, pooled = student.states(ids, mask)
    on = mask.bool()
    loss = torch.zeros(())
    for output, values in capture.outputs.items():
        if output in ("sentence_aux", "sentence_embedding"):
            target = torch.from_numpy(np.stack([values[r] for r in rows]))
            has = target.abs().sum(-1) > 0
            if has.any():
                cos = F.cosine_similarity(student.embedding(pooled[has]), target[has], dim=-1)
                loss = loss + SENTENCE_WEIGHT * (1 - cos).mean()
            continue
        raw = student.head(capture.layer, output, tokens, pooled)
        if (capture.layer, output) in TOKEN_HEADS:
            target = torch.zeros(raw.shape)
            for k, r in enumerate(rows):
                target[k, :len(values[r])] = torch.from_numpy(values[r].reshape(len(values[r]), -1)
                                                              if raw.dim() == 3 else values[r])
            raw, target = raw[on], target[on]
        else:
            target = torch.from_numpy(np.stack([values[r] for r in rows]))
        if output == "logits":
            loss = loss + techniques_weight * ((raw - target) ** 2).sum(-1).mean()
        elif output == "scores":
            loss = loss - (target * F.log_softmax(raw, -1)).sum(-1).mean()
        else:
            bce = F.binary_cross_entropy_with_logits(raw, target.clamp(1e-4, 1 - 1e-4), reduction="none")
            loss = loss + (bce.sum(-1) if bce.dim() > 1 else bce).mean()
    return loss


def make_batches(captures: list[Capture], part: str, tokens: int, rng: np.random.Generator,
                 budget: dict[str, int] | None = None) -> list[tuple[int, list[int]]]:
    """``(capture index, rows)`` batches of ``part``'s rows, of similar lengths, about ``tokens`` padded tokens each;
    ``budget`` caps a layer's rows at about that many tokens (a seeded sample)."""
    out: list[tuple[int, list[int]]] = []
    for c, capture in enumerate(captures):
        rows = [r for r, p in enumerate(capture.part) if p == part]
        rows = [rows[int(i)] for i in rng.permutation(len(rows))]
        if budget and capture.layer in budget:
            ends = np.cumsum([len(capture.ids[r]) for r in rows])
            rows = rows[:int(np.searchsorted(ends, budget[capture.layer], side="right"))]
        for start in range(0, len(rows), 2000):
            chunk = sorted(rows[start:start + 2000], key=lambda r: len(capture.ids[r]))
            batch: list[int] = []
            for r in chunk:
                if batch and (len(batch) + 1) * len(capture.ids[r]) > tokens:
                    out.append((c, batch))
                    batch = []
                batch.append(r)
            if batch:
                out.append((c, batch))
    return [out[int(i)] for i in rng.permutation(len(out))]


VALIDATION_TOKENS = 20_000


def validation_loss(student: Any, captures: list[Capture], tokens: int) -> dict[str, float]:
    """Mean distillation loss per validation row, per layer (a fixed sample of about :data:`VALIDATION_TOKENS`
    tokens of each layer's validation rows)."""
    import torch

    student.eval()
    totals: dict[str, list[float]] = {}
    budget = {c.layer: VALIDATION_TOKENS for c in captures}
    with torch.no_grad():
        for c, rows in make_batches(captures, "validation", tokens, np.random.default_rng(0), budget):
            totals.setdefault(captures[c].layer, []).extend([float(batch_loss(student, captures[c], rows))] * len(rows))
    return {layer: float(np.mean(v)) for layer, v in totals.items()}


def train_student(student: Any, captures: list[Capture], epochs: int = 1, lr: float = 8e-5, head_lr: float = 1e-3,
                  tokens: int = 4096, warmup: float = 0.06, seed: int = 0, budget: dict[str, int] | None = None,
                  techniques_weight: float = TECHNIQUES_WEIGHT, log: Callable[[str], None] = print) -> dict[str, Any]:
    """AdamW with warm-up and linear decay over the fit rows (``budget``: see :func:`make_batches`); keeps the
    trained epoch whose validation losses, each relative to the untrained student's (epoch 0, reported only:
    its sentence head starts as the shipped encoder, so no trained epoch may beat it there), sum lowest, and
    leaves the student holding its weights (validation losses weigh the techniques logits by the default
    :data:`TECHNIQUES_WEIGHT`, so runs compare). Returns each epoch's losses and the chosen epoch."""
    import torch

    torch.manual_seed(seed)
    rng = np.random.default_rng(seed)
    plan = [make_batches(captures, "fit", tokens, rng, budget) for _ in range(epochs)]
    heads = [p for n, p in student.named_parameters() if not n.startswith("bert.")]
    opt = torch.optim.AdamW([{"params": student.bert.parameters(), "lr": lr}, {"params": heads, "lr": head_lr}],
                            weight_decay=0.01)
    steps = max(1, sum(len(p) for p in plan))
    warm = max(1.0, warmup * steps)
    sched = torch.optim.lr_scheduler.LambdaLR(opt, lambda s: min(1.0, (s + 1) / warm) * max(0.0, 1 - s / steps))
    history: list[dict[str, Any]] = [{"epoch": 0, "validation": validation_loss(student, captures, tokens)}]
    log(f"epoch 0: validation {history[0]['validation']}")
    first = history[0]["validation"]
    score = lambda val: sum(v / max(first[k], 1e-9) for k, v in val.items())  # noqa: E731
    best, best_state, chosen = float("inf"), None, 0
    for epoch, batches in enumerate(plan, start=1):
        student.train()
        start, running = time.time(), []
        for k, (c, rows) in enumerate(batches):
            loss = batch_loss(student, captures[c], rows, techniques_weight)
            opt.zero_grad()
            loss.backward()
            torch.nn.utils.clip_grad_norm_(student.parameters(), 1.0)
            opt.step()
            sched.step()
            running.append(float(loss.detach()))
            if (k + 1) % 25 == 0:
                log(f"epoch {epoch} batch {k + 1}/{len(batches)}: loss {np.mean(running[-25:]):.4f} "
                    f"({time.time() - start:.0f}s)")
        val = validation_loss(student, captures, tokens)
        history.append({"epoch": epoch, "seconds": round(time.time() - start), "validation": val})
        log(f"epoch {epoch}: {time.time() - start:.0f}s, validation {val}")
        if score(val) < best:
            best, best_state, chosen = score(val), copy.deepcopy(student.state_dict()), epoch
    if best_state is not None:
        student.load_state_dict(best_state)
    return {"epochs": history, "chosen_epoch": chosen}
