"""A narratives head fitted to the English model's decisions (``train multilingual-head narratives --targets
english-model``): the English model's decisions as targets, cached; agreement with them on validation texts."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from tests.narratives.test_multilingual import tiny_cases

from narrascope.evaluation.predictors import NarrativeHeads
from narrascope.models import crosslingual
from narrascope.narratives.distil import agreement, english_decisions, head_decisions
from narrascope.narratives.heads import LinearHeads
from narrascope.narratives.model import NarrativeModel
from narrascope.narratives.multilingual import DISTILLED_VERSION, train_head

TEXTS = ["NATO keeps moving its bases and missiles closer to the Russian border to surround Russia.",
         "The city council approved the budget for repairing school roofs."]


def test_the_english_models_decisions_are_its_heads_at_their_thresholds_and_are_cached(tmp_path: Path) -> None:
    model = NarrativeModel()
    predictor = NarrativeHeads(model)
    probs = predictor.probabilities(TEXTS)
    nato = predictor.labels.index("NATO")
    assert probs[0, nato] >= predictor.thresholds[nato] > probs[1, nato]
    y = english_decisions(TEXTS, ["NATO", "no such tag"], tmp_path / "teacher", model=model)
    assert y.tolist() == [[1, 0], [0, 0]]
    [cached] = (tmp_path / "teacher").glob("*.npz")
    with np.load(cached, allow_pickle=False) as z:
        assert z["embeddings"].shape == (2, len(predictor.labels))
    again = english_decisions(TEXTS, ["NATO"], tmp_path / "teacher", model=model)
    assert again.tolist() == [[1], [0]] and len(list((tmp_path / "teacher").glob("*.npz"))) == 1


def test_a_heads_decisions_and_its_agreement_with_the_english_model() -> None:
    heads = LinearHeads(["a", "b"], np.array([[10.0, 0.0], [0.0, 10.0]], np.float32), np.zeros(2, np.float32),
                        np.array([0.5, 0.9], np.float32))
    emb = np.array([[1.0, 0.1], [-1.0, 0.2], [0.5, 1.0]], np.float32)  # b: sigmoid(1), sigmoid(2), sigmoid(10)
    decisions = head_decisions(heads, emb, ["b", "a", "c"])
    assert decisions.tolist() == [[0, 1, 0], [0, 0, 0], [1, 1, 0]]
    english = np.array([[0, 1, 0], [0, 1, 0], [0, 0, 1]], np.int8)
    assert agreement(english, decisions) == 0.3333  # 1 shared decision; 3 the head's, 3 the English model's: 2/6


@pytest.mark.slow
def test_the_trainer_fits_a_distilled_head_on_a_tiny_slice(shared_data: Path, tmp_path: Path,
                                                            monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.delenv("NARRASCOPE_E5_CACHE", raising=False)
    data = tiny_cases(shared_data, tmp_path / "data", per_file=100, diary=40)
    summary = train_head(data, tmp_path / "out", threads=1, targets="english-model")
    heads = LinearHeads.load(tmp_path / "out" / "narratives.npz")
    assert heads.meta["version"] == DISTILLED_VERSION and heads.meta["targets"] == "english-model"
    agreements = summary["validation_agreement_with_english_model"]
    assert agreements["shipped_head"]["head"] == crosslingual.version("narratives")
    assert agreements["distilled_head"]["agreement"] == max(t["validation_micro_f1"] for t in summary["tried"])
    assert 0 <= agreements["shipped_head"]["agreement"] <= 1
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == ["embeddings", "embeddings-minilm",
                                                                   "narratives.npz", "teacher"]
    with pytest.raises(ValueError, match="unknown targets 'teacher'"):
        train_head(data, tmp_path / "out", threads=1, targets="teacher")
