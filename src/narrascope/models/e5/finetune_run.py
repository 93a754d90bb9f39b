"""``narrascope train multilingual-finetune``: the run of :mod:`narrascope.models.e5.finetune`, and the choice.

Reads the float trunk (a model directory of ``narrascope train multilingual-trunk``), the English tasks
(:mod:`~narrascope.models.e5.finetune_tasks`) and the shipped heads; caches the frozen layers' states per
text set under ``cache`` (npz, keyed by the trunk, ``k``, the token limit and the texts); trains; applies the
model card's rule ("Fine-tuned trunk (issue 26): the decision rule") and writes ``out/finetune-scores.json``
and, for the chosen epoch, the trunk (``out/trunk/``: ``model.safetensors`` etc.) and the heads in the
formats the layers read (``out/heads/claims.npz``, ``narratives.npz``, ``techniques.npz``).
"""

from __future__ import annotations

import hashlib
import json
import shutil
import time
from pathlib import Path
from typing import Any

import numpy as np

from narrascope.models import crosslingual
from narrascope.models.e5.finetune import lower_states, token_rows, train
from narrascope.models.e5.finetune_tasks import TASKS, Task, english_tasks

VERSION_SUFFIX = "-ft"


def cached_states(bert: Any, frozen: int, rows: list[list[int]], cache: Path, tag: str) -> list[np.ndarray]:
    """:func:`lower_states` of ``rows``, read from / written to ``cache`` (one npz per text set)."""
    key = hashlib.sha256(json.dumps([tag, frozen, rows]).encode()).hexdigest()[:20]
    path = cache / f"states-{frozen}-{key}.npz"
    if path.is_file():
        with np.load(path, allow_pickle=False) as z:
            flat, lengths = z["states"], z["lengths"]
        ends = np.cumsum(lengths)
        return [flat[e - n:e] for e, n in zip(ends, lengths, strict=True)]
    states = lower_states(bert, frozen, rows)
    cache.mkdir(parents=True, exist_ok=True)
    np.savez(path, states=np.concatenate(states), lengths=np.array([len(s) for s in states]))
    return states


def shipped_heads(tasks: list[Task]) -> tuple[dict[str, tuple[np.ndarray, np.ndarray]], dict[str, Any]]:
    """The shipped heads' weights and biases (the starting point) and their thresholds, per task."""
    from narrascope.narratives.heads import LinearHeads
    from narrascope.techniques.sentence_head import load_head

    heads: dict[str, tuple[np.ndarray, np.ndarray]] = {}
    thresholds: dict[str, Any] = {}
    for task in tasks:
        path = crosslingual.heads_file(task.name)
        if task.name == "techniques":
            head = load_head(path, features=lambda texts: np.zeros((len(texts), 384), np.float32))
            heads[task.name], thresholds[task.name] = (head.coef, head.intercept), head.threshold
            continue
        linear = LinearHeads.load(path)
        if list(linear.labels) != list(task.labels):
            raise ValueError(f"{path}: its labels differ from the {task.name} task's; retrain the head first")
        heads[task.name] = (linear.weights, linear.bias)
        thresholds[task.name] = float(linear.thresholds[0]) if task.name == "claims" else linear.thresholds
    return heads, thresholds


def choose(result: dict[str, Any], margin: float = 0.01) -> dict[str, Any]:
    """The model card's rule over the epochs of ``result`` (see the module's docstring)."""
    ref = result["reference"]
    best_ref = {t: max(r[t]["figure"] for r in ref.values()) for t in ("claims", "narratives", "techniques")}
    eligible = [e for e in result["epochs"] if e["claims"] >= best_ref["claims"] - margin]
    if not eligible:
        return {"epoch": None, "ships": False, "reference": best_ref, "why": "every epoch loses claims F1"}
    best = max(eligible, key=lambda e: e["narratives"] + e["techniques"])
    ships = best["narratives"] > best_ref["narratives"] and best["techniques"] > best_ref["techniques"]
    return {"epoch": best["epoch"], "ships": ships, "reference": best_ref,
            "chosen": {t: best[t] for t in ("claims", "narratives", "techniques")},
            "why": "beats the reference on both agreements" if ships else
                   "does not beat the reference on both agreements"}


def write_model(bert: Any, frozen: int, state: dict[str, Any], tasks: list[Task], thresholds: dict[str, Any],
                trunk_dir: Path, out: Path, summary: dict[str, Any]) -> None:
    """The fine-tuned trunk (``out/trunk``) and its heads (``out/heads/<layer>.npz``, the shipped formats)."""
    import torch

    from narrascope.narratives.heads import LinearHeads
    from narrascope.techniques.sentence_head import save_head

    full = type(bert)(bert.config, add_pooling_layer=False)
    full.load_state_dict(bert.state_dict(), strict=False)
    layers = {k[len("layers."):]: v for k, v in state.items() if k.startswith("layers.")}
    with torch.no_grad():
        for name, value in layers.items():
            number, rest = name.split(".", 1)
            full.encoder.layer[frozen + int(number)].get_parameter(rest).copy_(value)
    (out / "trunk").mkdir(parents=True, exist_ok=True)
    full.save_pretrained(str(out / "trunk"))
    for name in ("tokenizer.json", "pruning.json"):
        shutil.copy(trunk_dir / name, out / "trunk" / name)
    heads = out / "heads"
    heads.mkdir(parents=True, exist_ok=True)
    for task in tasks:
        w = state[f"heads.{task.name}.weight"].numpy().astype(np.float32)
        b = state[f"heads.{task.name}.bias"].numpy().astype(np.float32)
        meta = {**summary, "version": f"e5-{task.name}-finetuned-k{summary['k']}-1", "task": task.name,
                "data": task.note}
        if task.name == "techniques":
            old = json.loads(str(np.load(crosslingual.heads_file("techniques"), allow_pickle=False)["meta"]))
            save_head(heads / "techniques.npz", w, b, {**meta, "labels": task.labels,
                                                       "threshold": float(thresholds["techniques"]),
                                                       "classify": old.get("classify", "span")})
        else:
            LinearHeads(task.labels, w, b, np.asarray(thresholds[task.name], np.float32).reshape(-1),
                        meta).save(heads / f"{task.name}.npz")


def finetune(data: Path, trunk_dir: Path, out: Path, k: int = 2, epochs: int = 3, limit: int | None = None,
             max_tokens: int = 128, threads: int = 2, cache: Path | None = None, teacher: Path | None = None,
             names: tuple[str, ...] = TASKS, validation_limit: int | None = None, claims_margin: float = 0.01,
             log: Any = print) -> dict[str, Any]:
    """Train, score, choose by the rule (``claims_margin``: the claims F1 an epoch may lose, 0.01 by the card);
    write the chosen epoch's trunk and heads under ``out``."""
    import torch
    from transformers import BertModel

    torch.set_num_threads(threads)
    started = time.monotonic()
    bert = BertModel.from_pretrained(str(trunk_dir), add_pooling_layer=False, attn_implementation="eager").eval()
    frozen = bert.config.num_hidden_layers - k
    tasks = english_tasks(Path(data), threads, teacher or out / "teacher", limit, names, validation_limit)
    heads, thresholds = shipped_heads(tasks)
    cache = cache or out / "states"
    tag = hashlib.sha256((trunk_dir / "model.safetensors").read_bytes()).hexdigest()[:16] + f"-{max_tokens}"
    tokenizer = trunk_dir / "tokenizer.json"
    fit_states = {t.name: cached_states(bert, frozen, token_rows(tokenizer, t.fit_texts, max_tokens), cache, tag)
                  for t in tasks}
    val_states = {t.name: cached_states(bert, frozen, token_rows(tokenizer, t.val_texts, max_tokens), cache, tag)
                  for t in tasks}
    states_seconds = round(time.monotonic() - started, 1)
    log({"states_seconds": states_seconds})
    result = train(bert, tasks, frozen, heads, fit_states, val_states, epochs, thresholds, log=log)
    choice = choose(result, claims_margin)
    summary: dict[str, Any] = {
        "k": k, "epochs": epochs, "max_tokens": max_tokens, "limit": limit, "seed": 0, "threads": threads,
        "trunk": str(trunk_dir), "tasks": {t.name: {"fit": len(t.fit_texts), "validation": len(t.val_texts),
                                                    "data": t.note} for t in tasks},
        "reference": {k: {t: v["figure"] for t, v in r.items()} for k, r in result["reference"].items()},
        "epochs_table": [{k: v for k, v in e.items() if k != "thresholds"} for e in result["epochs"]],
        "choice": choice, "seconds_states": states_seconds, "seconds": round(time.monotonic() - started, 1)}
    out.mkdir(parents=True, exist_ok=True)
    if choice["epoch"] is not None:
        chosen = result["epochs"][choice["epoch"] - 1]
        write_model(bert, frozen, result["models"][choice["epoch"]], tasks, chosen["thresholds"], trunk_dir, out,
                    {"k": k, "epoch": choice["epoch"], "validation": choice.get("chosen"),
                     "trained_on": "English fit texts only (train multilingual-finetune)"})
    (out / "finetune-scores.json").write_text(json.dumps(summary, indent=2, default=str) + "\n", encoding="utf-8")
    return summary
