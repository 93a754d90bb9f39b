"""The training path on a tiny synthetic corpus (never PTC itself): seconds, not hours."""

from __future__ import annotations

import json

import numpy as np
import pytest

torch = pytest.importorskip("torch")
pytest.importorskip("transformers")

from narrascope.models.windows import tokenize  # noqa: E402
from narrascope.techniques import TECHNIQUES  # noqa: E402
from narrascope.techniques.data import LabelledSpan  # noqa: E402
from narrascope.techniques.training import (  # noqa: E402
    TrainConfig,
    kfold,
    split_articles,
    token_targets,
    train_techniques,
)


def test_token_targets_mark_overlapping_techniques(tiny_tokenizer):
    text = "ab cd ef"
    tok = tokenize(text, tiny_tokenizer)
    spans = [LabelledSpan("1", "Doubt", 0, 5), LabelledSpan("1", "Slogans", 3, 8)]
    y = token_targets(tok, spans)
    doubt, slogans = 1 + TECHNIQUES.index("Doubt"), 1 + TECHNIQUES.index("Slogans")
    words = [text[s:e] for s, e in tok.offsets]
    assert y[:, 0].tolist() == [1.0] * len(words)
    assert [w for w, v in zip(words, y[:, doubt], strict=True) if v] == ["a", "b", "c", "d"]
    assert [w for w, v in zip(words, y[:, slogans], strict=True) if v] == ["c", "d", "e", "f"]


def test_splits_are_by_article_and_seeded():
    ids = [str(i) for i in range(20)]
    train, held = split_articles(ids, 0.25, seed=1)
    assert not set(train) & set(held) and len(held) == 5 and split_articles(ids, 0.25, seed=1) == (train, held)
    folds = kfold(ids, 5, seed=1)
    assert sorted(a for f in folds for a in f) == sorted(ids) and [len(f) for f in folds] == [4] * 5


def synthetic_corpus(tmp_path):
    rng = np.random.default_rng(0)
    (tmp_path / "articles").mkdir()
    lines = []
    for k in range(6):
        words = [str(w) for w in rng.choice(["they", "said", "the", "plan", "was", "fine", "today"], size=40)]
        text = "Title\n\n" + " ".join(words) + " these evil traitors lie. " + " ".join(words[:10])
        (tmp_path / "articles" / f"article{k}.txt").write_text(text, encoding="utf-8")
        start = text.index("evil")
        lines.append(f"{k}\tLoaded_Language\t{start}\t{start + 4}")
        lines.append(f"{k}\tName_Calling,Labeling\t{start}\t{start + 13}")
    (tmp_path / "train-task-flc-tc.labels").write_text("\n".join(lines) + "\n", encoding="utf-8")


def run(tmp_path, name, export=False, folds=2, cv=True):
    from narrascope.models.encoder import ModelFilesError, base_encoder_dir

    try:
        base_encoder_dir()
    except ModelFilesError as exc:
        pytest.skip(str(exc))
    cfg = TrainConfig(epochs=1, batch_size=4, max_tokens=32, stride=4, threads=1, thresholds=(0.3, 0.5))
    return train_techniques(tmp_path, tmp_path / name, cfg, folds=folds, export=export, cv=cv,
                            log=lambda m: None)


@pytest.mark.slow
def test_tiny_training_run_is_reproducible_and_cross_validates(tmp_path):
    synthetic_corpus(tmp_path)
    first = run(tmp_path, "a")
    second = run(tmp_path, "b")
    assert first["heldout"]["si"] == second["heldout"]["si"]
    a = torch.load(tmp_path / "a" / "weights.pt", weights_only=True)
    b = torch.load(tmp_path / "b" / "weights.pt", weights_only=True)
    assert sorted(a) == sorted(b) and len(a) > 0 and [k for k in a if not torch.equal(a[k], b[k])] == []
    assert first["cv"]["folds"] == 2 and 0.0 <= first["cv"]["si_f1_mean"] <= 1.0
    config = json.loads((tmp_path / "a" / "config.json").read_text())
    assert config["labels"] == list(TECHNIQUES) and config["threshold"] in (0.3, 0.5)
    only = run(tmp_path, "c", cv=False)  # --no-cv: the selected model alone, the same one
    assert only["heldout"]["si"] == first["heldout"]["si"] and "cv" not in only
    assert not (tmp_path / "c" / "cv.json").exists()


@pytest.mark.slow
def test_export_gives_an_int8_model_that_runs_without_torch(tmp_path):
    pytest.importorskip("onnxscript")
    synthetic_corpus(tmp_path)
    summary = run(tmp_path, "m", export=True, folds=0)
    assert summary["onnx_max_si_prob_diff"] < 0.1
    from narrascope.techniques.inference import TechniqueModel

    model = TechniqueModel(tmp_path / "m", threads=1)
    assert model.version
    text = (tmp_path / "articles" / "article0.txt").read_text()
    [spans] = model.spans([text])
    # a tiny model may mark nothing; what it marks lies inside the article
    assert [(s.start, s.end) for s in spans if not 0 <= s.start < s.end <= len(text)] == []
    assert (tmp_path / "m" / "model.int8.onnx").stat().st_size < 30e6


def test_si_weight_scales_the_span_channel_of_the_loss():
    from narrascope.techniques.training import N_CHANNELS, _loss

    class Fixed(torch.nn.Module):  # a "model" whose logits are a fixed tensor
        def __init__(self, logits):
            super().__init__()
            self.logits = logits

        def forward(self, ids, mask, token_type_ids):
            return self.logits, None

    g = torch.Generator().manual_seed(0)
    logits = torch.randn((2, 6, N_CHANNELS), generator=g)
    y = (torch.rand((2, 6, N_CHANNELS), generator=g) > 0.7).float()
    batch = {"ids": torch.ones((2, 6), dtype=torch.long), "mask": torch.ones((2, 6), dtype=torch.long),
             "y": y, "spans": []}
    plain = _loss(Fixed(logits), batch, TrainConfig(bf16=False, si_weight=1.0))
    heavy = _loss(Fixed(logits), batch, TrainConfig(bf16=False, si_weight=3.0))
    si = torch.nn.functional.binary_cross_entropy_with_logits(logits[:, 1:-1, 0], y[:, 1:-1, 0])
    assert torch.isclose(heavy - plain, 2 * si, atol=1e-5)
