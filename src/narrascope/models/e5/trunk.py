"""multilingual-e5-small as a standard transformers ``BertModel``, from the tensors of ``e5-small-q4.bin``.

The file's names (``l3.fi.w``) map one to one onto BERT's; there is no pooler (e5 mean-pools the
last hidden states). :func:`build_trunk` writes a model directory that transformers and the
project's exporter read: ``model.safetensors`` + ``config.json``, ``tokenizer.json``, and
``pruning.json`` recording which pieces were kept. Needs the ``[train]`` extra.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import numpy as np

from narrascope.models.e5.prune import Pruning, prune
from narrascope.models.e5.tokenizer import build_tokenizer
from narrascope.models.e5.weights import E5Weights, read_weights

LAYER_NAMES = {
    "q": "attention.self.query", "k": "attention.self.key", "v": "attention.self.value",
    "ao": "attention.output.dense", "aln": "attention.output.LayerNorm",
    "fi": "intermediate.dense", "fo": "output.dense", "oln": "output.LayerNorm",
}
EMBEDDING_NAMES = {"word": "word_embeddings", "pos": "position_embeddings", "type": "token_type_embeddings",
                   "ln": "LayerNorm"}
QUERY_PREFIX = "query: "


def bert_name(name: str) -> str:
    """BERT's state-dict key for a tensor of the file (``l3.fi.w`` -> ``encoder.layer.3.intermediate.dense.weight``)."""
    parts = name.split(".")
    kind = {"w": "weight", "b": "bias"}
    if parts[0] == "emb":
        leaf = "weight" if len(parts) == 2 else kind[parts[2]]
        return f"embeddings.{EMBEDDING_NAMES[parts[1]]}.{leaf}"
    if parts[0].startswith("l") and parts[0][1:].isdigit() and parts[1] in LAYER_NAMES:
        return f"encoder.layer.{parts[0][1:]}.{LAYER_NAMES[parts[1]]}.{kind[parts[2]]}"
    raise KeyError(f"no BERT tensor for {name!r}")


def bert_config(weights: E5Weights) -> Any:
    """The ``BertConfig`` the file's header describes (GELU as the engine computes it, with erf)."""
    from transformers import BertConfig

    c = weights.config
    return BertConfig(vocab_size=int(c["vocab_rows"]), hidden_size=int(c["hidden"]),
                      num_hidden_layers=int(c["layers"]), num_attention_heads=int(c["heads"]),
                      intermediate_size=int(c["intermediate"]), max_position_embeddings=int(c["max_positions"]),
                      type_vocab_size=int(c["token_types"]), layer_norm_eps=float(c["eps"]), hidden_act="gelu",
                      pad_token_id=weights.vocabulary.pad, bos_token_id=weights.vocabulary.bos,
                      eos_token_id=weights.vocabulary.eos)


def bert_model(weights: E5Weights) -> Any:
    """A float32 ``BertModel`` (no pooler) holding the file's tensors, in eval mode."""
    import torch
    from transformers import BertModel

    model = BertModel(bert_config(weights), add_pooling_layer=False)
    state = {bert_name(name): torch.from_numpy(np.ascontiguousarray(t)) for name, t in weights.tensors.items()}
    missing, unexpected = model.load_state_dict(state, strict=False)
    missing = [m for m in missing if not m.endswith("position_ids")]
    if missing or unexpected:
        raise ValueError(f"the weights do not fill BertModel: missing {missing}, unexpected {unexpected}")
    return model.float().eval()


def build_trunk(weights_file: str | Path, out_dir: str | Path, pruned: bool = True, extra_chars: str = "",
                sha256: str | None = None, keep_used: list[Path] | None = None, min_count: int = 1,
                max_pieces: int | None = None, fill_script: str | None = None) -> Path:
    """Write the trunk's model directory to ``out_dir`` from ``weights_file``; returns ``out_dir``.

    ``sha256`` defaults to the pinned hash of ``e5-small-q4.bin``. ``keep_used`` (corpus files or
    directories) trims the vocabulary further to the pieces they use (:mod:`~narrascope.models.e5.trim`).
    """
    from narrascope.models.e5.weights import FILE_SHA256

    weights = read_weights(weights_file, sha256 or FILE_SHA256)
    pruning: Pruning | None = None
    if keep_used:
        from narrascope.models.e5.corpus import corpus_texts
        from narrascope.models.e5.trim import trim

        texts = corpus_texts(keep_used)
        sources = {name: len(rows) for name, rows in texts.items()}
        weights, pruning = trim(weights, (t for rows in texts.values() for t in rows), min_count, max_pieces,
                                extra_chars, sources, fill_script)
    elif pruned:
        weights, pruning = prune(weights, extra_chars)
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    bert_model(weights).save_pretrained(str(out))
    build_tokenizer(weights.vocabulary).save(str(out / "tokenizer.json"))
    record: dict[str, Any] = {"source": Path(weights_file).name, "sha256": sha256 or FILE_SHA256,
                              "query_prefix": QUERY_PREFIX, "pruned": pruned or bool(keep_used)}
    if pruning is not None:
        record.update(rule=pruning.rule, extra_chars=pruning.extra_chars, counts=pruning.counts,
                      kept_ids=pruning.kept_ids, **pruning.details)
    (out / "pruning.json").write_text(json.dumps(record, ensure_ascii=False) + "\n", encoding="utf-8")
    return out
