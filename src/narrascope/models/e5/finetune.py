"""Fine-tune the top layers of the multilingual trunk with the layers' heads, multi-task, on English (issue 26).

The embeddings and the lower ``12 - k`` transformer layers of the float trunk stay frozen: their output is
computed once per text (:func:`lower_states`, float16) and the top ``k`` layers, the mean pooling and the
heads of claims, narratives and techniques (initialised from the shipped heads of
``models/multilingual/``) are trained over those states (:func:`train`), one batch of one task a step, the
tasks' batches shuffled together. After each epoch every task's validation texts are scored and each
candidate's thresholds chosen there, as the shipped heads' were; the reference (the shipped heads on the
frozen trunk) is scored in the same run by the same code. Needs the ``[train]`` extra (torch, transformers).
"""

from __future__ import annotations

import copy
import time
from pathlib import Path
from typing import Any

import numpy as np

from narrascope.models.e5.finetune_tasks import Task
from narrascope.models.windows import clean_text

QUERY_PREFIX = "query: "


def token_rows(tokenizer_file: Path, texts: list[str], max_tokens: int) -> list[list[int]]:
    """Token ids of ``query: TEXT`` cut at ``max_tokens``, as the trunk's sentence encoder reads a text."""
    from tokenizers import Tokenizer

    tokenizer = Tokenizer.from_file(str(tokenizer_file))
    tokenizer.enable_truncation(max_tokens)
    return [e.ids for e in tokenizer.encode_batch([QUERY_PREFIX + clean_text(t) for t in texts])]


def additive_mask(mask: Any) -> Any:
    """``[b, 1, 1, t]``: 0 where a token is read, a large negative number on padding (eager attention)."""
    return (1.0 - mask[:, None, None, :].float()) * -1e9


def run_layers(layers: Any, hidden: Any, mask: Any) -> Any:
    extended = additive_mask(mask)
    for layer in layers:
        out = layer(hidden, attention_mask=extended)
        hidden = out[0] if isinstance(out, tuple) else out
    return hidden


def padded(rows: list[np.ndarray]) -> tuple[Any, Any]:
    """``rows`` (each ``[tokens, dim]``) as one zero-padded float32 tensor ``[b, t, dim]`` and its mask."""
    import torch

    width = max(len(r) for r in rows)
    hidden = torch.zeros(len(rows), width, rows[0].shape[1])
    mask = torch.zeros(len(rows), width, dtype=torch.long)
    for i, r in enumerate(rows):
        hidden[i, :len(r)] = torch.from_numpy(r.astype(np.float32))
        mask[i, :len(r)] = 1
    return hidden, mask


def lower_states(bert: Any, frozen: int, rows: list[list[int]], batch: int = 64) -> list[np.ndarray]:
    """The hidden states after the embeddings and the first ``frozen`` layers of ``bert``, per text (float16)."""
    import torch

    out: list[np.ndarray] = [np.zeros((0, 0), np.float16)] * len(rows)
    order = sorted(range(len(rows)), key=lambda i: len(rows[i]))
    with torch.inference_mode():
        for at in range(0, len(order), batch):
            group = order[at:at + batch]
            width = max(len(rows[i]) for i in group)
            ids = torch.full((len(group), width), int(bert.config.pad_token_id or 0), dtype=torch.long)
            mask = torch.zeros_like(ids)
            for j, i in enumerate(group):
                ids[j, :len(rows[i])] = torch.tensor(rows[i])
                mask[j, :len(rows[i])] = 1
            hidden = bert.embeddings(input_ids=ids, token_type_ids=torch.zeros_like(ids))
            hidden = run_layers(bert.encoder.layer[:frozen], hidden, mask)
            for j, i in enumerate(group):
                out[i] = hidden[j, :len(rows[i])].numpy().astype(np.float16)
    return out


def top_model(bert: Any, frozen: int, heads: dict[str, tuple[np.ndarray, np.ndarray]]) -> Any:
    """A torch module: ``bert``'s layers after ``frozen`` (copied), mean pooling + L2 norm, a linear head per task."""
    import torch

    class Top(torch.nn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.layers = copy.deepcopy(bert.encoder.layer[frozen:])
            self.heads = torch.nn.ModuleDict()
            for name, (w, b) in heads.items():
                linear = torch.nn.Linear(w.shape[1], w.shape[0])
                with torch.no_grad():
                    linear.weight.copy_(torch.from_numpy(np.asarray(w, np.float32)))
                    linear.bias.copy_(torch.from_numpy(np.asarray(b, np.float32)))
                self.heads[name] = linear

        def embed(self, hidden: Any, mask: Any) -> Any:
            hidden = run_layers(self.layers, hidden, mask)
            m = mask.unsqueeze(-1).to(hidden.dtype)
            pooled = (hidden * m).sum(1) / m.sum(1).clamp(min=1e-9)
            return torch.nn.functional.normalize(pooled, p=2.0, dim=1)

        def forward(self, hidden: Any, mask: Any, task: str) -> Any:
            return self.heads[task](self.embed(hidden, mask))

    return Top()


def targets(task: Task, y: np.ndarray) -> np.ndarray:
    """``y`` as the 0/1 matrix the task's one-vs-rest head is trained on (techniques' ``none``: a row of zeros)."""
    if task.name == "techniques":
        out = np.zeros((len(y), len(task.labels)), np.float32)
        known = y < len(task.labels)
        out[np.flatnonzero(known), y[known]] = 1.0
        return out
    return np.asarray(y, np.float32).reshape(len(y), -1)


def probabilities(model: Any, task: str, states: list[np.ndarray], batch: int = 128) -> np.ndarray:
    """Sigmoid outputs of ``task``'s head over ``states`` (eval mode, no gradients)."""
    import torch

    model.eval()
    order = sorted(range(len(states)), key=lambda i: len(states[i]))
    out: np.ndarray | None = None
    with torch.inference_mode():
        for at in range(0, len(order), batch):
            group = order[at:at + batch]
            probs = torch.sigmoid(model(*padded([states[i] for i in group]), task)).numpy()
            if out is None:
                out = np.zeros((len(states), probs.shape[1]), np.float32)
            out[group] = probs
    assert out is not None
    return out


def score(task: Task, probs: np.ndarray, chosen: Any = None) -> tuple[float, Any]:
    """The task's validation figure of ``probs`` and the threshold(s) that give it (chosen here when ``chosen``
    is None): claims F1, narratives agreement (micro-F1 against the English model's labels), techniques
    agreement (share of sentences with the tagger's technique, or none by both)."""
    from sklearn.metrics import f1_score  # type: ignore[import-untyped]

    y = task.val_y
    if task.name == "claims":
        from narrascope.claims.training import best_threshold

        thr = best_threshold(y, probs[:, 0]) if chosen is None else float(chosen)
        return float(f1_score(y, probs[:, 0] >= thr, zero_division=0)), thr
    if task.name == "narratives":
        from narrascope.narratives.training import micro_f1, thresholds

        cuts = thresholds(y, probs) if chosen is None else np.asarray(chosen)
        return micro_f1(y, (probs >= cuts).astype(np.int8)), cuts
    top, best = probs.max(axis=1), probs.argmax(axis=1)
    none = len(task.labels)

    def agreement(t: float) -> float:
        return float(np.mean(np.where(top >= t, best, none) == y))

    if chosen is not None:
        return agreement(float(chosen)), float(chosen)
    grid = np.unique(np.round(np.quantile(top, np.linspace(0.0, 0.98, 50)), 4))
    found = max(((agreement(float(t)), float(t)) for t in grid), key=lambda f: f[0])
    return found[0], found[1]


def validation(model: Any, tasks: list[Task], states: dict[str, list[np.ndarray]],
               shipped: dict[str, Any] | None = None) -> dict[str, dict[str, Any]]:
    """Each task's validation figure, thresholds chosen on it (or ``shipped``'s thresholds where given)."""
    out = {}
    for task in tasks:
        probs = probabilities(model, task.name, states[task.name])
        figure, thr = score(task, probs, None if shipped is None else shipped[task.name])
        out[task.name] = {"figure": round(figure, 4), "thresholds": thr}
    return out


def length_batches(states: list[np.ndarray], batch: int, rng: np.random.Generator,
                   pool: int = 50) -> list[np.ndarray]:
    """Shuffled batches of positions in ``states``; within each pool of ``pool`` batches the texts are sorted by
    length first, so a batch pads little (random batches padded short sentences to 128 tokens)."""
    order = rng.permutation(len(states))
    out = []
    for at in range(0, len(order), batch * pool):
        chunk = sorted(order[at:at + batch * pool], key=lambda i: len(states[i]))
        out += [np.array(chunk[b:b + batch]) for b in range(0, len(chunk), batch)]
    return out


def train(bert: Any, tasks: list[Task], frozen: int, heads: dict[str, tuple[np.ndarray, np.ndarray]],
          fit_states: dict[str, list[np.ndarray]], val_states: dict[str, list[np.ndarray]], epochs: int,
          shipped_thresholds: dict[str, Any], batch: int = 32, lr_layers: float = 3e-5, lr_heads: float = 1e-3,
          seed: int = 0, log: Any = print) -> dict[str, Any]:
    """Train the top layers and heads; returns the reference's and every epoch's validation figures and the
    state of each epoch's model (``models``: epoch -> state dict)."""
    import torch

    torch.manual_seed(seed)
    rng = np.random.default_rng(seed)
    model = top_model(bert, frozen, heads)
    reference = {"shipped heads, their thresholds": validation(model, tasks, val_states, shipped_thresholds),
                 "shipped heads, thresholds chosen here": validation(model, tasks, val_states)}
    log({"reference": {k: {t: v["figure"] for t, v in r.items()} for k, r in reference.items()}})
    optimiser = torch.optim.AdamW([{"params": model.layers.parameters(), "lr": lr_layers},
                                   {"params": model.heads.parameters(), "lr": lr_heads}], weight_decay=0.01)
    y = {t.name: torch.from_numpy(targets(t, t.fit_y)) for t in tasks}
    steps = epochs * sum(-(-len(t.fit_texts) // batch) for t in tasks)
    scheduler = torch.optim.lr_scheduler.LambdaLR(optimiser, lambda s: max(0.0, 1.0 - s / max(steps, 1)))
    epochs_out: list[dict[str, Any]] = []
    models: dict[int, dict[str, Any]] = {}
    for epoch in range(1, epochs + 1):
        start = time.monotonic()
        plan = [(t.name, idx) for t in tasks for idx in length_batches(fit_states[t.name], batch, rng)]
        order = rng.permutation(len(plan))
        model.train()
        losses: dict[str, list[float]] = {t.name: [] for t in tasks}
        for p in order:
            name, idx = plan[p]
            logits = model(*padded([fit_states[name][i] for i in idx]), name)
            loss = torch.nn.functional.binary_cross_entropy_with_logits(
                logits, y[name][torch.from_numpy(idx)], reduction="sum") / len(idx)
            optimiser.zero_grad()
            loss.backward()
            torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
            optimiser.step()
            scheduler.step()
            losses[name].append(loss.item())
        figures = validation(model, tasks, val_states)
        row = {"epoch": epoch, **{t: v["figure"] for t, v in figures.items()},
               "loss": {k: round(float(np.mean(v)), 4) for k, v in losses.items()},
               "seconds": round(time.monotonic() - start, 1)}
        log(row)
        epochs_out.append({**row, "thresholds": {t: v["thresholds"] for t, v in figures.items()}})
        models[epoch] = {k: v.detach().clone() for k, v in model.state_dict().items()}
    return {"reference": reference, "epochs": epochs_out, "models": models, "model": model}
