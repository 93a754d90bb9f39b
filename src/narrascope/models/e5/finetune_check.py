"""The fine-tuned trunk as it would ship: int8 ONNX, read by the layers' code, scored on the validation texts.

:func:`package` puts the exported graph beside the shipped trunk's tokenizer and pruning record with a new
``config.json`` version (a model directory :class:`~narrascope.models.sentence.SentenceEncoder` reads), and
re-matches the narratives head's few-shot cosines to the new trunk (as the narratives trainer does).
:func:`int8_agreements` scores, on every task's validation texts, the packaged trunk with its heads and the
shipped trunk with the shipped heads, through the shipped code path (the sentence encoder, the heads' files):
the model card's rule ships the fine-tuned trunk only if both agreements still beat the shipped ones here.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import numpy as np

from narrascope.models import crosslingual
from narrascope.models.e5.finetune_tasks import Task
from narrascope.narratives.heads import LinearHeads


def package(trunk: Path, heads: Path, out: Path, version: str) -> Path:
    """``out``: ``model.int8.onnx`` of ``trunk``, the shipped trunk's tokenizer, pruning record and config
    (``version`` replaced), and ``heads``' files; returns ``out``."""
    out.mkdir(parents=True, exist_ok=True)
    shutil.copy(trunk / "model.int8.onnx", out / "model.int8.onnx")
    for name in ("tokenizer.json", "pruning.json"):
        shutil.copy(crosslingual.TRUNK / name, out / name)
    config = {**crosslingual.trunk_config(), "version": version}
    (out / "config.json").write_text(json.dumps(config, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    for head in heads.glob("*.npz"):
        shutil.copy(head, out / head.name)
    return out


def rematch_cosines(data: Path, model_dir: Path, threads: int, cache: Path) -> dict[str, float]:
    """The narratives head's few-shot cosines on the trunk of ``model_dir``, matched to MiniLM's as the
    narratives trainer matches them (the validation cases' sentences and paragraphs); written into its meta."""
    from narrascope.evaluation.splits import narratives_split
    from narrascope.models.embedding_cache import CachedEncoder, cache_dir
    from narrascope.models.sentence import SentenceEncoder
    from narrascope.narratives.data import read_training_cases
    from narrascope.narratives.model import NarrativeModel
    from narrascope.narratives.multilingual import best_similarity, matched_cosines
    from narrascope.narratives.taxonomy import SHIPPED

    cases = read_training_cases(data)
    split = narratives_split(cases)
    english = NarrativeModel(SHIPPED, encoder=CachedEncoder(SentenceEncoder(threads=threads),
                                                            cache_dir("narratives-minilm", cache / "minilm")),
                             finetuned=False)
    trunk = NarrativeModel(SHIPPED, encoder=CachedEncoder(SentenceEncoder(model_dir, threads=threads),
                                                          cache / "trunk"), finetuned=False)
    units = [cases[i].text[s:e] for i in split.validation for s, e in english.units(cases[i].text)[0]]
    cosines = matched_cosines(best_similarity(english, english.encoder.encode(units)),
                              best_similarity(trunk, trunk.encoder.encode(units)),
                              {"fewshot_threshold": english.fewshot_threshold, "support_floor": english.support_floor})
    head = LinearHeads.load(model_dir / "narratives.npz")
    head.meta.update(cosines)
    head.save(model_dir / "narratives.npz")
    return cosines


def head_figure(task: Task, heads: Path, emb: np.ndarray) -> float:
    """The task's validation figure of the head file ``heads`` over embeddings ``emb`` (its own thresholds)."""
    from sklearn.metrics import f1_score  # type: ignore[import-untyped]

    from narrascope.narratives.training import micro_f1
    from narrascope.techniques.sentence_head import load_head

    if task.name == "techniques":
        head = load_head(heads, features=lambda texts: emb)
        probs = head.probabilities(["."] * len(emb))
        said = np.where(probs.max(axis=1) >= head.threshold, probs.argmax(axis=1), len(task.labels))
        return round(float(np.mean(said == task.val_y)), 4)
    linear = LinearHeads.load(heads)
    decided = (linear.probabilities(emb) >= linear.thresholds).astype(np.int8)
    if task.name == "claims":
        return round(float(f1_score(task.val_y, decided[:, 0], zero_division=0)), 4)
    return round(micro_f1(task.val_y, decided), 4)


def int8_agreements(tasks: list[Task], model_dir: Path, threads: int, cache: Path,
                    shipped_cache: Path | None = None) -> dict[str, dict[str, float]]:
    """Validation figures of the packaged trunk + heads in ``model_dir`` and of the shipped ones, same texts."""
    from narrascope.models.embedding_cache import CachedEncoder, cache_dir
    from narrascope.models.sentence import SentenceEncoder

    ours = CachedEncoder(SentenceEncoder(model_dir, threads=threads), cache / "trunk")
    out: dict[str, dict[str, float]] = {"fine-tuned (int8)": {}, "shipped (int8)": {}}
    for task in tasks:
        shipped = CachedEncoder(crosslingual.encoder(threads),
                                cache_dir(task.name, (shipped_cache or cache / "shipped") / task.name))
        out["fine-tuned (int8)"][task.name] = head_figure(task, model_dir / f"{task.name}.npz",
                                                         ours.encode(task.val_texts))
        out["shipped (int8)"][task.name] = head_figure(task, crosslingual.heads_file(task.name),
                                                       shipped.encode(task.val_texts))
    return out
