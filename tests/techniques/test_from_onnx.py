"""The shipped int8 graph rebuilt as a torch model: the torch side of the speed benchmark."""

from __future__ import annotations

import numpy as np
import pytest

torch = pytest.importorskip("torch")
pytest.importorskip("transformers")
onnx = pytest.importorskip("onnx")

from narrascope.models.windows import per_token_outputs  # noqa: E402
from narrascope.techniques.from_onnx import tagger_from_onnx  # noqa: E402
from narrascope.techniques.inference import MODEL_DIR, MODEL_FILE, TechniqueModel  # noqa: E402
from narrascope.techniques.training import torch_runner  # noqa: E402

TEXT = ("The corrupt elites in Brussels want to destroy our nation, and only a fool would believe their lies. "
        "Everyone knows the truth: they are traitors who hate freedom. Make our country great again! "
        "The minister said the budget would be published on Tuesday, after the committee met. ") * 4


def test_the_rebuilt_torch_tagger_gives_the_graphs_logits():
    model = TechniqueModel()
    [(tok, int8)] = model.token_logits([TEXT])
    tagger = tagger_from_onnx()
    [(tok_torch, fp32)] = per_token_outputs([TEXT], model.runner.tokenizer, torch_runner(tagger, bf16=False),
                                            max_tokens=int(model.config["max_tokens"]), stride=model.stride,
                                            equal_lengths=True)
    assert np.array_equal(tok.offsets, tok_torch.offsets) and fp32.shape == int8.shape
    # the same weights: only the graph's int8 rounding of activations separates the two
    assert np.corrcoef(int8.ravel(), fp32.ravel())[0, 1] > 0.99
    assert ((int8[:, 0] > 0) == (fp32[:, 0] > 0)).mean() > 0.95
    # and not any model would do: the base encoder with a fresh head does not come close
    fresh = tagger_from_onnx()
    torch.nn.init.normal_(fresh.head.weight)
    [(_, other)] = per_token_outputs([TEXT], model.runner.tokenizer, torch_runner(fresh, bf16=False),
                                     max_tokens=int(model.config["max_tokens"]), stride=model.stride,
                                     equal_lengths=True)
    assert np.corrcoef(int8.ravel(), other.ravel())[0, 1] < 0.9


def test_a_graph_whose_weights_cannot_be_placed_is_refused_by_name(tmp_path):
    graph = onnx.load(str(MODEL_DIR / MODEL_FILE))
    node = next(n for n in graph.graph.node if n.op_type == "MatMulInteger" and n.input[1].startswith("onnx::"))
    node.output[0] = "somewhere_else"
    path = tmp_path / "odd.onnx"
    onnx.save(graph, str(path))
    with pytest.raises(ValueError, match=r"odd\.onnx: cannot tell which module the weight onnx::MatMul_\d+"):
        tagger_from_onnx(path)


def test_a_file_that_is_not_a_technique_graph_is_refused_by_name(tmp_path):
    text = tmp_path / "notes.txt"
    text.write_text("not a graph")
    with pytest.raises(ValueError, match=r"notes\.txt: not a readable ONNX graph"):
        tagger_from_onnx(text)
    with pytest.raises(ValueError, match=r"missing\.onnx: not a readable ONNX graph"):
        tagger_from_onnx(tmp_path / "missing.onnx")
    from narrascope.models.sentence import MODEL_DIR as SENTENCE_DIR

    other = next(SENTENCE_DIR.glob("*.onnx"))  # the sentence encoder: an int8 graph, but no technique head
    with pytest.raises(ValueError, match="not an int8 technique graph"):
        tagger_from_onnx(other)
