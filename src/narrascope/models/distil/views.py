"""The student as five int8 ONNX "views": one trunk's weights behind each shipped graph's inputs and outputs.

Each view has exactly the input and output names of the graph it stands in for
(:data:`~narrascope.models.distil.capture.GRAPHS`), is exported and quantised as that graph was
(the techniques view through the fused, mask-free techniques exporter; the others through
:func:`~narrascope.models.sentence.export_int8`) and is written into a copy of that layer's
model directory, so ``narrascope eval model --head H --model DIR`` scores it as it scores the
shipped one. The claims and narratives copies also hold the sentence view (``model.int8.onnx``)
for their linear heads on sentence embeddings.
"""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

from narrascope.models.distil.capture import GRAPHS

PACKAGE = Path(__file__).resolve().parents[2]
#: layer -> (shipped model directory, graph file name)
SHIPPED: dict[str, tuple[Path, str]] = {
    "techniques": (PACKAGE / "techniques" / "model", "model.int8.onnx"),
    "toxicity": (PACKAGE / "toxicity" / "model", "toxicity.int8.onnx"),
    "claims": (PACKAGE / "claims" / "model", "finetuned.int8.onnx"),
    "narratives": (PACKAGE / "narratives" / "model", "finetuned.int8.onnx"),
    "sentence": (PACKAGE / "models" / "sentence", "model.int8.onnx"),
}
SENTENCE_FILE = "model.int8.onnx"


def view_module(student: Any, layer: str) -> Any:
    """A torch module computing ``layer``'s graph outputs from its graph inputs (probabilities where it gave them)."""
    import torch

    class View(torch.nn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.student = student
            self.encoder = student.bert  # the techniques exporter reads the trunk's config here

        def forward(self, input_ids: Any, attention_mask: Any, token_type_ids: Any = None) -> Any:
            tokens, pooled = self.student.states(input_ids, attention_mask, token_type_ids)
            head = lambda output: self.student.head(layer, output, tokens, pooled)  # noqa: E731
            if layer == "techniques":
                return head("logits"), tokens
            if layer == "toxicity":
                return (torch.softmax(head("scores"), -1), torch.sigmoid(head("span_probs")),
                        torch.sigmoid(head("target_probs")))
            if layer == "sentence":
                return self.student.embedding(pooled)
            return torch.sigmoid(head("probabilities"))

    return View().eval()


def export_view(student: Any, layer: str, out_dir: Path) -> Path:
    """Write ``layer``'s view of ``student`` as int8 ONNX under the shipped graph's file name in ``out_dir``."""
    from narrascope.models.sentence import export_int8

    out_dir.mkdir(parents=True, exist_ok=True)
    inputs, outputs = GRAPHS[layer]
    name = SHIPPED[layer][1]
    view = view_module(student.float().eval(), layer)
    if layer == "techniques":
        from narrascope.techniques.export import export_onnx

        return export_onnx(view, out_dir)  # fused and mask-free: inputs input_ids, token_type_ids
    return export_int8(view, out_dir, name, name.replace("int8", "fp32"), list(outputs), inputs=inputs)


def write_views(student: Any, out: Path, layers: tuple[str, ...] = tuple(GRAPHS)) -> dict[str, Path]:
    """``out/<layer>/``: a copy of each shipped model directory (configs, heads, tokenizer) with the student's view
    in place of its graph; the claims and narratives copies also get the sentence view."""
    dirs: dict[str, Path] = {}
    for layer in layers:
        shipped, name = SHIPPED[layer]
        target = out / layer
        target.mkdir(parents=True, exist_ok=True)
        for f in shipped.iterdir():
            if f.is_file() and not f.name.endswith((".onnx", ".md")):  # no model card: it describes the shipped graph
                shutil.copy(f, target / f.name)
        export_view(student, layer, target)
        dirs[layer] = target
    for layer in ("claims", "narratives"):
        if layer in dirs and "sentence" in dirs:
            shutil.copy(dirs["sentence"] / SENTENCE_FILE, dirs[layer] / SENTENCE_FILE)
    return dirs
