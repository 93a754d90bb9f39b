"""The trunk's mean-pooled sentence embedding as an int8 ONNX graph, through the project's one exporter."""

from __future__ import annotations

from pathlib import Path

from narrascope.models.sentence import MODEL_FILE, export_int8, mean_pooled


def export_trunk(model_dir: str | Path, keep_fp32: bool = False) -> Path:
    """Write ``model.int8.onnx`` (output ``sentence_embedding``) beside the trunk in ``model_dir`` (``[train]``).

    :class:`narrascope.models.sentence.SentenceEncoder` runs it with the directory's ``tokenizer.json``;
    e5 expects each text to start with ``"query: "``.
    """
    from transformers import BertModel

    directory = Path(model_dir)
    bert = BertModel.from_pretrained(str(directory), add_pooling_layer=False).float().eval()
    return export_int8(mean_pooled(bert), directory, MODEL_FILE, "model.fp32.onnx", "sentence_embedding", keep_fp32)
