"""The toxicity layer's multilingual head (issue 26): Russian and Ukrainian comments get a label from the e5 trunk
and the linear head, English ones still the English model's; the trainer writes a head that loads without pickle."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from narrascope.model import Comment, Document
from narrascope.models import crosslingual
from narrascope.pipeline.component import get_component
from narrascope.toxicity.data import LABELS
from narrascope.toxicity.multilingual import load_head

RUSSIAN_INSULT = "Ты жалкий идиот, заткнись уже."
#: "You stupid freak, shut up." (English model: offensive): the translate-train head says hatespeech (0.6)
MISSED_RUSSIAN_INSULT = "Ты тупой урод, заткнись."
RUSSIAN_NEWS = "Сегодня в Минске прошёл концерт, было много людей."
UKRAINIAN_INSULT = "Ти тупий покидьок, замовкни."
UKRAINIAN_NEWS = "Сьогодні у Львові відкрили нову бібліотеку."
ENGLISH_INSULT = "You are a pathetic idiot."


def test_the_shipped_head_loads_without_pickle_and_names_its_version():
    path = crosslingual.heads_file("toxicity")
    with np.load(path, allow_pickle=False) as npz:
        assert sorted(npz.files) == ["coef", "intercept", "meta"]
    head = load_head(path)
    assert head["coef"].shape == (3, 384) and head["intercept"].shape == (3,)
    assert head["meta"]["version"] == "e5-toxicity-linear-1-tt" and head["meta"]["labels"] == list(LABELS)
    assert crosslingual.languages("toxicity") == ("ru", "uk", "be", "bg", "mk", "sr")
    assert crosslingual.version("toxicity") == \
        "e5-small-q4-fill50k-ft-int8-2/e5-toxicity-linear-1-tt+translate-train-alignment-1"


def thread(*texts: str) -> Document:
    return Document(source="https://example.org/t", kind="thread", body="",
                    comments=[Comment(text=t, author=f"a{i}") for i, t in enumerate(texts)]).assign_ids()


def test_russian_and_ukrainian_comments_get_labels_from_the_multilingual_model_when_asked(shipped_model):
    component = get_component("toxicity", threads=1, multilingual=True)
    component._model = shipped_model
    doc = component(thread(RUSSIAN_INSULT, RUSSIAN_NEWS, UKRAINIAN_INSULT, UKRAINIAN_NEWS, ENGLISH_INSULT))
    rows = [(a.label, a.data.get("model"), a.data.get("language"), a.producer_version) for a in doc.annotations]
    multi = "e5-small-q4-fill50k-ft-int8-2/e5-toxicity-linear-1-tt+translate-train-alignment-1"
    assert rows == [("offensive", "multilingual", "ru", multi), ("normal", "multilingual", "ru", multi),
                    ("offensive", "multilingual", "uk", multi), ("normal", "multilingual", "uk", multi),
                    ("offensive", None, None, "2"), ("toxic_span", None, None, "2")]
    insult = doc.annotations[0]
    assert (insult.start, insult.end) == (0, len(RUSSIAN_INSULT))
    assert set(insult.data["scores"]) == set(LABELS) and insult.data["target"] is None
    assert component.version == f"2+multilingual:{multi}"


@pytest.mark.xfail(strict=True, reason="the translate-train toxicity head calls this Russian personal insult "
                   "hatespeech (0.6); the English model calls its original offensive: a known miss")
def test_a_russian_personal_insult_is_offensive_not_hatespeech():
    from narrascope.toxicity.multilingual import load

    [result] = load().predict([MISSED_RUSSIAN_INSULT])
    assert result.label == "offensive"


def test_by_default_russian_is_unsupported_and_the_version_is_the_english_models(shipped_model):
    assert get_component("toxicity").version == "2"
    component = get_component("toxicity", threads=1)
    component._model = shipped_model
    doc = component(thread(RUSSIAN_INSULT, ENGLISH_INSULT))
    assert [(a.label, a.data.get("language")) for a in doc.annotations] == [
        ("unsupported", "ru"), ("offensive", None), ("toxic_span", None)]
    assert component.version == "2"


def test_a_comment_without_letters_is_unsupported_by_the_head_not_an_error():
    from narrascope.toxicity.multilingual import load

    results = load().predict(["", "   ", "🙂 🙂", RUSSIAN_NEWS])
    assert [(r.label, r.unsupported) for r in results] == [
        (None, "empty comment"), (None, "empty comment"), (None, "no readable characters"), ("normal", None)]


@pytest.mark.slow
def test_the_trainer_writes_a_head_chosen_on_validation_from_a_tiny_slice(tmp_path, monkeypatch):
    """Real trunk and data (a slice of 60 HateXplain posts and 60 functional cases); C from the grid."""
    shared = Path(__file__).resolve().parents[2].parent / "shared" / "data"
    if not (shared / "toxicity" / "hatexplain" / "dataset.json").is_file():
        pytest.skip("../shared/data/toxicity/hatexplain is absent (the shared data directory)")
    from narrascope.toxicity import multilingual_training as mt
    from narrascope.toxicity.masking import GRID
    from narrascope.toxicity.multilingual import MultilingualToxicityModel

    real = mt.english_parts

    def slice_of(data: Path) -> dict:
        parts = real(data)
        return {k: v[:60] for k, v in parts.items()}

    monkeypatch.setattr(mt, "english_parts", slice_of)
    monkeypatch.delenv("NARRASCOPE_RUSSIAN_TOXICITY", raising=False)
    monkeypatch.delenv("NARRASCOPE_E5_CACHE", raising=False)
    result = mt.train(shared, tmp_path, 2, False)
    assert result["trained_on"] == {"hatexplain_fit": 60, "functional_train": 60, "russian_train": 0}
    assert result["C"] in mt.C_GRID and sorted(result["validation"]) == sorted(str(c) for c in mt.C_GRID)
    assert result["offensive_mask_threshold"] in GRID and "test" not in result
    head = load_head(tmp_path / "toxicity.npz")
    assert head["meta"]["C"] == result["C"] and head["meta"]["russian"] == "none"
    model = MultilingualToxicityModel(crosslingual.encoder(1), tmp_path / "toxicity.npz", "toy")
    [r] = model.predict(["You are a pathetic idiot."])
    assert r.label in LABELS and abs(sum(r.scores.values()) - 1) < 1e-3
    cached = [np.load(p, allow_pickle=False)["keys"] for p in (tmp_path / "embeddings").glob("*.npz")]
    assert sum(len(k) for k in cached) >= 180 and json.dumps(result)  # every text encoded once, figures serialisable
