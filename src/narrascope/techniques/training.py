"""Fine-tune all-MiniLM-L6-v2 to tag technique tokens (``narrascope train techniques``; ``[train]`` extra).

Targets per token: channel 0 = inside any gold span (SI), channels 1-14 = inside a span of that
technique (spans overlap, so these are independent sigmoids). A span-level loss trains TC
directly: the mean technique logits over a gold span's tokens go through a softmax against its
gold label(s). Articles are split by article; the SI threshold and the epoch are chosen on the
held-out split. Seeded; torch runs with ``threads`` threads and bf16 autocast on CPU.
"""

from __future__ import annotations

import copy
import itertools
import json
import random
import shutil
import time
from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

import numpy as np
import torch
from torch import nn

from narrascope.models.encoder import load_tokenizer, verify_base_encoder
from narrascope.models.windows import TokenizedText, per_token_outputs, tokenize, windows
from narrascope.techniques import TECHNIQUES
from narrascope.techniques.data import LabelledSpan, by_article
from narrascope.techniques.eval import si_score, tc_score
from narrascope.techniques.inference import Decoding, decode_spans, rank_techniques, span_logits

N_CHANNELS = len(TECHNIQUES) + 1


@dataclass
class TrainConfig:
    """Every setting of a training run (written to ``config.json`` beside the weights)."""

    epochs: int = 2
    batch_size: int = 8
    lr: float = 8e-5
    head_lr: float = 1e-3
    warmup: float = 0.1
    max_tokens: int = 256
    stride: int = 16
    seed: int = 13
    threads: int = 2
    val_fraction: float = 0.15
    freeze_embeddings: bool = True
    bf16: bool = True
    tc_weight: float = 1.0
    si_weight: float = 1.0
    thresholds: tuple[float, ...] = (0.1, 0.15, 0.2, 0.25, 0.3, 0.35, 0.4, 0.45, 0.5, 0.55, 0.6)


class TechniqueTagger(nn.Module):
    """BERT encoder + one linear layer: ``(input_ids, attention_mask, token_type_ids) -> (logits, hidden)``."""

    def __init__(self, encoder: nn.Module, hidden: int = 384, channels: int = N_CHANNELS) -> None:
        super().__init__()
        self.encoder = encoder
        self.head = nn.Linear(hidden, channels)

    def forward(self, input_ids: torch.Tensor, attention_mask: torch.Tensor,
                token_type_ids: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
        hidden = self.encoder(input_ids=input_ids, attention_mask=attention_mask,
                              token_type_ids=token_type_ids).last_hidden_state
        return self.head(hidden).float(), hidden.float()


def build_model(base_dir: Path) -> TechniqueTagger:
    from transformers import AutoModel

    return TechniqueTagger(AutoModel.from_pretrained(str(base_dir)))


def split_articles(ids: list[str], fraction: float, seed: int) -> tuple[list[str], list[str]]:
    """Seeded split by article: (train ids, held-out ids)."""
    ids = sorted(ids)
    random.Random(seed).shuffle(ids)
    n_val = max(1, round(len(ids) * fraction)) if fraction > 0 else 0
    return sorted(ids[n_val:]), sorted(ids[:n_val])


def kfold(ids: list[str], folds: int, seed: int) -> list[list[str]]:
    """Seeded k-fold partition of article ids."""
    ids = sorted(ids)
    random.Random(seed).shuffle(ids)
    return [sorted(ids[k::folds]) for k in range(folds)]


def token_targets(tok: TokenizedText, spans: list[LabelledSpan]) -> np.ndarray:
    """``[n_tokens, 15]`` 0/1 targets: a token is inside a span when they share a character."""
    y = np.zeros((len(tok), N_CHANNELS), dtype=np.float32)
    index = {t: i for i, t in enumerate(TECHNIQUES)}
    for s in spans:
        inside = (tok.offsets[:, 0] < s.end) & (tok.offsets[:, 1] > s.start)
        y[inside, 0] = 1
        if s.technique in index:
            y[inside, 1 + index[s.technique]] = 1
    return y


def _span_groups(tok: TokenizedText, spans: list[LabelledSpan]) -> list[tuple[int, int, np.ndarray]]:
    """Gold spans as (first token, last token, label distribution), one per distinct span."""
    groups: dict[tuple[int, int], np.ndarray] = {}
    index = {t: i for i, t in enumerate(TECHNIQUES)}
    for s in spans:
        inside = np.flatnonzero((tok.offsets[:, 0] < s.end) & (tok.offsets[:, 1] > s.start))
        if len(inside) and s.technique in index:
            key = (int(inside[0]), int(inside[-1]))
            groups.setdefault(key, np.zeros(len(TECHNIQUES), dtype=np.float32))[index[s.technique]] += 1
    return [(a, b, d / d.sum()) for (a, b), d in groups.items()]


def make_examples(texts: dict[str, str], labels: dict[str, list[LabelledSpan]], tokenizer: Any,
                  cfg: TrainConfig) -> list[dict[str, Any]]:
    """Training windows: token ids, token targets and the gold spans lying wholly inside the window."""
    cls_id, sep_id = tokenizer.token_to_id("[CLS]"), tokenizer.token_to_id("[SEP]")
    examples = []
    for aid in sorted(texts):
        tok = tokenize(texts[aid], tokenizer)
        if not len(tok):
            continue
        y = token_targets(tok, labels.get(aid, []))
        groups = _span_groups(tok, labels.get(aid, []))
        for w in windows(len(tok), cfg.max_tokens, cfg.stride):
            ids = np.concatenate([[cls_id], tok.ids[w.start:w.end], [sep_id]])
            yy = np.zeros((len(ids), N_CHANNELS), dtype=np.float32)
            yy[1:-1] = y[w.start:w.end]
            spans = [(a - w.start + 1, b - w.start + 1, d) for a, b, d in groups if a >= w.start and b < w.end]
            examples.append({"ids": ids, "y": yy, "spans": spans})
    return examples


def _collate(batch: list[dict[str, Any]]) -> dict[str, Any]:
    length = max(len(e["ids"]) for e in batch)
    ids = torch.zeros((len(batch), length), dtype=torch.long)
    mask = torch.zeros_like(ids)
    y = torch.zeros((len(batch), length, N_CHANNELS))
    for i, e in enumerate(batch):
        n = len(e["ids"])
        ids[i, :n] = torch.from_numpy(e["ids"])
        mask[i, :n] = 1
        y[i, :n] = torch.from_numpy(e["y"])
    spans = [(i, a, b, torch.from_numpy(d)) for i, e in enumerate(batch) for a, b, d in e["spans"]]
    return {"ids": ids, "mask": mask, "y": y, "spans": spans}


def _loss(model: TechniqueTagger, batch: dict[str, Any], cfg: TrainConfig) -> torch.Tensor:
    with torch.autocast("cpu", dtype=torch.bfloat16, enabled=cfg.bf16):
        logits, _ = model(batch["ids"], batch["mask"], torch.zeros_like(batch["ids"]))
    mask = batch["mask"].float().clone()
    mask[:, 0] = 0  # [CLS]
    mask[torch.arange(len(mask)), batch["mask"].sum(1) - 1] = 0  # [SEP]
    bce = nn.functional.binary_cross_entropy_with_logits(logits, batch["y"], reduction="none")
    bce = bce.sum(-1) + (cfg.si_weight - 1.0) * bce[..., 0]  # channel 0 (SI) counted si_weight times
    loss = (bce * mask).sum() / mask.sum().clamp(min=1)
    if batch["spans"] and cfg.tc_weight:
        pooled = torch.stack([logits[i, a:b + 1, 1:].mean(0) for i, a, b, _ in batch["spans"]])
        target = torch.stack([d for *_, d in batch["spans"]])
        loss = loss + cfg.tc_weight * -(target * pooled.log_softmax(-1)).sum(-1).mean()
    return loss


def torch_runner(model: TechniqueTagger, bf16: bool = True) -> Callable[[dict[str, np.ndarray]], np.ndarray]:
    """A ``run`` function for :func:`~narrascope.models.windows.per_token_outputs` backed by torch."""
    def run(batch: dict[str, np.ndarray]) -> np.ndarray:
        with torch.no_grad(), torch.autocast("cpu", dtype=torch.bfloat16, enabled=bf16):
            logits, _ = model(*(torch.from_numpy(batch[k]) for k in ("input_ids", "attention_mask", "token_type_ids")))
        return logits.float().numpy()
    return run


# decoding rules tried around each SI threshold on the held-out split (see inference.Decoding)
DECODING_GRID: dict[str, tuple[Any, ...]] = {
    "extend": (None, -0.05, -0.1), "gap": (0, 2, 4), "min_tokens": (1, 2), "whole_words": (False, True)}


def decoding_candidates(threshold: float) -> list[Decoding]:
    """Every rule of :data:`DECODING_GRID` at ``threshold``; the plain one (runs at ``threshold``) first."""
    rules = [Decoding(threshold)]
    for extend, gap, min_tokens, words in itertools.product(*DECODING_GRID.values()):
        rule = Decoding(threshold, None if extend is None else round(threshold + extend, 4), gap, min_tokens, words)
        if rule not in rules and (rule.extend is None or rule.extend > 0):
            rules.append(rule)
    return rules


def evaluate_logits(outputs: dict[str, tuple[TokenizedText, np.ndarray]], gold: list[LabelledSpan],
                    thresholds: Iterable[float | Decoding], search: bool = True) -> dict[str, Any]:
    """SI F1 of each plain threshold, the best decoding rule, and TC micro-F1.

    A float in ``thresholds`` is tried with every rule of :func:`decoding_candidates` (only plainly
    without ``search``); a :class:`Decoding` is used as it is. TC: the k-th copy of a span gets the
    k-th ranked technique.
    """
    si: dict[float, dict[str, float]] = {}
    best: tuple[float, Decoding, dict[str, float]] | None = None
    for th in thresholds:
        rules = [th] if isinstance(th, Decoding) else decoding_candidates(th) if search else [Decoding(th)]
        for rule in rules:
            pred = [LabelledSpan(aid, s.technique, s.start, s.end) for aid, (tok, out) in outputs.items()
                    for s in decode_spans(tok, out, rule)]
            score = si_score(pred, gold).as_dict()
            if rule == Decoding(rule.threshold):
                si[rule.threshold] = score
            if best is None or score["f1"] > best[0]:
                best = (score["f1"], rule, score)
    assert best is not None, "no threshold to evaluate"
    tc_pred: list[LabelledSpan] = []
    seen: dict[tuple[str, int, int], int] = {}
    for g in gold:
        tok, out = outputs[g.article]
        k = seen[(g.article, g.start, g.end)] = seen.get((g.article, g.start, g.end), -1) + 1
        ranked = rank_techniques(span_logits(tok, out, g.start, g.end))
        tc_pred.append(LabelledSpan(g.article, ranked[min(k, len(ranked) - 1)][0], g.start, g.end))
    tc = tc_score(tc_pred, gold)
    return {"si": si, "best_threshold": best[1].threshold, "decoding": asdict(best[1]), "si_decoded": best[2],
            "si_f1": best[0], "tc": tc.as_dict(), "tc_f1": tc.f1}


def predict_logits(model: TechniqueTagger, tokenizer: Any, texts: dict[str, str], cfg: TrainConfig,
                   stride: int = 64) -> dict[str, tuple[TokenizedText, np.ndarray]]:
    model.eval()
    ids = sorted(texts)
    outs = per_token_outputs([texts[i] for i in ids], tokenizer, torch_runner(model, cfg.bf16),
                             max_tokens=cfg.max_tokens, stride=min(stride, (cfg.max_tokens - 2) // 2),
                             batch_size=16)
    return dict(zip(ids, outs, strict=True))


def fit(texts: dict[str, str], labels: list[LabelledSpan], train_ids: list[str], val_ids: list[str],
        cfg: TrainConfig, log: Callable[[str], None] = print, base_dir: Path | None = None,
        fixed_threshold: float | Decoding | None = None, select: bool = True) -> tuple[TechniqueTagger, dict[str, Any]]:
    """Train on ``train_ids`` and evaluate on ``val_ids``.

    With ``select`` every epoch is evaluated and the best one kept (model selection on a
    held-out split); without it only the last epoch is evaluated (cross-validation folds).
    """
    torch.manual_seed(cfg.seed)
    random.seed(cfg.seed)
    np.random.seed(cfg.seed)
    torch.set_num_threads(cfg.threads)
    base_dir = verify_base_encoder(base_dir)
    tokenizer = load_tokenizer(base_dir)
    grouped = by_article(labels)
    examples = make_examples({a: texts[a] for a in train_ids}, grouped, tokenizer, cfg)
    model = build_model(base_dir)
    if cfg.freeze_embeddings:
        for p in model.encoder.get_submodule("embeddings").parameters():
            p.requires_grad = False
    params = [{"params": [p for p in model.encoder.parameters() if p.requires_grad], "lr": cfg.lr},
              {"params": model.head.parameters(), "lr": cfg.head_lr}]
    opt = torch.optim.AdamW(params, weight_decay=0.01)
    steps = cfg.epochs * ((len(examples) + cfg.batch_size - 1) // cfg.batch_size)
    warm = max(1, int(cfg.warmup * steps))
    sched = torch.optim.lr_scheduler.LambdaLR(
        opt, lambda s: min((s + 1) / warm, max(0.0, (steps - s) / max(1, steps - warm))))
    gold_val = [s for s in labels if s.article in set(val_ids)]
    rng = random.Random(cfg.seed)
    best: tuple[float, dict[str, Any], dict[str, Any]] | None = None
    start, step = time.time(), 0
    log(f"training on {len(train_ids)} articles ({len(examples)} windows), {steps} steps; held out {len(val_ids)}")
    for epoch in range(cfg.epochs):
        model.train()
        order = list(range(len(examples)))
        rng.shuffle(order)
        for b in range(0, len(order), cfg.batch_size):
            loss = _loss(model, _collate([examples[i] for i in order[b:b + cfg.batch_size]]), cfg)
            loss.backward()
            nn.utils.clip_grad_norm_(model.parameters(), 1.0)
            opt.step()
            sched.step()
            opt.zero_grad()
            step += 1
            if step % 20 == 0:
                log(f"epoch {epoch + 1} step {step}/{steps} loss {loss.item():.4f} {time.time() - start:.0f}s")
        if not val_ids or (not select and epoch < cfg.epochs - 1):
            best = (0.0, copy.deepcopy(model.state_dict()), {"epoch": epoch + 1})
            continue
        thresholds = (fixed_threshold,) if fixed_threshold is not None else cfg.thresholds
        metrics = evaluate_logits(predict_logits(model, tokenizer, {a: texts[a] for a in val_ids}, cfg),
                                  gold_val, thresholds, search=fixed_threshold is None)
        metrics["epoch"] = epoch + 1
        log(f"epoch {epoch + 1}: SI F1 {metrics['si_f1']:.4f} with {metrics['decoding']} "
            f"TC F1 {metrics['tc_f1']:.4f} ({time.time() - start:.0f}s)")
        if best is None or not select or metrics["si_f1"] + metrics["tc_f1"] > best[0]:
            best = (metrics["si_f1"] + metrics["tc_f1"], copy.deepcopy(model.state_dict()), metrics)
    assert best is not None
    model.load_state_dict(best[1])
    best[2]["seconds"] = round(time.time() - start, 1)
    return model, best[2]


def save_checkpoint(model: TechniqueTagger, out: Path, cfg: TrainConfig, metrics: dict[str, Any],
                    base_dir: Path | None = None) -> Path:
    """Write ``weights.pt``, ``tokenizer.json`` and ``config.json`` (settings, threshold, metrics) to ``out``."""
    base_dir = verify_base_encoder(base_dir)
    out.mkdir(parents=True, exist_ok=True)
    torch.save(model.state_dict(), out / "weights.pt")
    shutil.copy(base_dir / "tokenizer.json", out / "tokenizer.json")
    config = {"labels": list(TECHNIQUES), "threshold": float(metrics.get("best_threshold", 0.4)),
              "decoding": metrics.get("decoding", {}), "max_tokens": cfg.max_tokens, "train": asdict(cfg),
              "heldout": metrics}
    (out / "config.json").write_text(json.dumps(config, indent=2), encoding="utf-8")
    return out


def load_checkpoint(out: Path, base_dir: Path | None = None) -> TechniqueTagger:
    model = build_model(verify_base_encoder(base_dir))
    model.load_state_dict(torch.load(out / "weights.pt", weights_only=True))
    return model.eval()


def cross_validate(texts: dict[str, str], labels: list[LabelledSpan], parts: list[list[str]], which: Iterable[int],
                   cfg: TrainConfig, threshold: float | Decoding, record: Path | None = None,
                   log: Callable[[str], None] = print) -> list[dict[str, Any]]:
    """For each ``k`` in ``which``: train on the other folds, score fold ``k`` (last epoch, fixed decoding)."""
    ids = sorted(a for part in parts for a in part)
    results = []
    for k in which:
        held = parts[k]
        _, m = fit(texts, labels, sorted(set(ids) - set(held)), held, cfg, log, fixed_threshold=threshold,
                   select=False)
        results.append({"fold": k + 1, "si_f1": m["si_f1"], "tc_f1": m["tc_f1"], "si": m["si"], "tc": m["tc"],
                        "epochs": cfg.epochs, "seconds": m["seconds"]})
        if record is not None:
            record.write_text(json.dumps(results, indent=2), encoding="utf-8")
        log(f"fold {k + 1}/{len(parts)}: SI F1 {m['si_f1']:.4f} TC F1 {m['tc_f1']:.4f}")
    return results


def train_techniques(data: str | Path, out: str | Path, cfg: TrainConfig | None = None, folds: int = 5,
                     limit: int | None = None, export: bool = True, version: str = "", cv: bool = True,
                     log: Callable[[str], None] = print) -> dict[str, Any]:
    """The whole recipe behind ``narrascope train techniques``.

    Articles are cut into ``folds`` folds by article (seeded). The model trained on folds 2..k
    is selected (epoch, SI threshold) on fold 1, saved, exported to int8 ONNX and shipped; the
    other folds are then trained with the same recipe and the chosen threshold, evaluated on
    their held-out fold, and appended to ``cv.json`` (unless ``cv`` is false). With ``folds < 2`` a ``val_fraction``
    split replaces fold 1 and no cross-validation runs.
    """
    from narrascope.techniques.data import find_corpus, read_articles, read_labels

    cfg = cfg or TrainConfig()
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    articles_dir, labels_file = find_corpus(data)
    texts = read_articles(articles_dir)
    ids = sorted(texts)[:limit] if limit else sorted(texts)
    labels = [s for s in read_labels(labels_file) if s.article in set(ids)]
    parts = kfold(ids, folds, cfg.seed) if folds >= 2 else []
    if parts:
        val_ids = parts[0]
        train_ids = sorted(set(ids) - set(val_ids))
    else:
        train_ids, val_ids = split_articles(ids, cfg.val_fraction, cfg.seed)
    model, metrics = fit(texts, labels, train_ids, val_ids, cfg, log)
    save_checkpoint(model, out, cfg, metrics)
    summary: dict[str, Any] = {"heldout": metrics, "n_train": len(train_ids), "n_heldout": len(val_ids)}
    if export:
        from narrascope.techniques.export import compare, export_onnx

        onnx_path = export_onnx(model, out)
        summary["onnx_max_si_prob_diff"] = compare(model, onnx_path)
        config = json.loads((out / "config.json").read_text(encoding="utf-8"))
        config["version"] = version or time.strftime("minilm-ptc-%Y%m%d")
        config["onnx_max_si_prob_diff"] = summary["onnx_max_si_prob_diff"]
        (out / "config.json").write_text(json.dumps(config, indent=2), encoding="utf-8")
        log(f"exported {onnx_path} ({onnx_path.stat().st_size / 1e6:.1f} MB)")
    scores = [{"fold": 1, **{k: metrics[k] for k in ("si_f1", "tc_f1", "best_threshold")}}]
    rule = Decoding(**metrics["decoding"]) if metrics.get("decoding") else float(metrics["best_threshold"])
    scores += cross_validate(texts, labels, parts, range(1, len(parts) if cv else 1), cfg, rule,
                             out / "cv.json", log)
    if len(scores) > 1:
        si, tc = np.array([c["si_f1"] for c in scores]), np.array([c["tc_f1"] for c in scores])
        summary["cv"] = {"folds": len(scores), "si_f1_mean": float(si.mean()), "si_f1_sd": float(si.std(ddof=1)),
                         "tc_f1_mean": float(tc.mean()), "tc_f1_sd": float(tc.std(ddof=1))}
        log(f"CV: SI F1 {si.mean():.4f}±{si.std(ddof=1):.4f}  TC F1 {tc.mean():.4f}±{tc.std(ddof=1):.4f}")
    (out / "summary.json").write_text(json.dumps(summary, indent=2, default=str), encoding="utf-8")
    return summary
