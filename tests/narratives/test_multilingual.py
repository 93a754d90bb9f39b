"""The narratives layer reads Russian, Ukrainian and Belarusian text with its head and the taxonomy's examples
on the multilingual trunk."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import numpy as np
import pytest

from narrascope.model import Comment, Document
from narrascope.models import crosslingual
from narrascope.models.version import model_version
from narrascope.narratives.component import NarrativesComponent
from narrascope.narratives.heads import LinearHeads
from narrascope.narratives.model import HEADS_FILE
from narrascope.narratives.multilingual import (
    VERSION,
    MultilingualNarratives,
    matched_cosines,
    train_head,
)
from narrascope.narratives.taxonomy import SHIPPED, load_taxonomy
from narrascope.pipeline.component import get_component

ENGLISH = "NATO keeps moving its bases and missiles closer to the Russian border to surround Russia."
RUSSIAN = "НАТО продолжает приближать свои базы и ракеты к российской границе, чтобы окружить Россию."
UKRAINIAN = "Сорос і жменька банкірів вирішують, хто керуватиме Європою."
NEUTRAL = "Городской совет утвердил бюджет на ремонт школьных крыш."
#: the fine-tuned trunk ships, its head refitted by translate-train and read through the alignment (model card)
TRUNK_HEAD = "e5-small-q4-fill50k-ft-int8-2/e5-narratives-finetuned-k4-1-tt+translate-train-alignment-1"


def comments(*texts: str) -> Document:
    return Document(source="https://example.org/n", body="", comments=[Comment(id=f"c{i}", text=t)
                                                                       for i, t in enumerate(texts)])


def whole(doc: Document) -> list[tuple[str, str, str | None, str | None, str]]:
    """(comment, narrative, language, model, version) of the annotations over whole comments."""
    return sorted((a.target, a.label, (a.data or {}).get("language"), (a.data or {}).get("model"),
                   a.producer_version) for a in doc.annotations
                  if (a.data or {}).get("level") in ("comment", None))


def shipped_taxonomy(tmp_path: Path) -> str:
    return str(tmp_path / "no-analyst-file.yaml")


def test_the_shipped_head_loads_without_pickle_and_is_small() -> None:
    path = crosslingual.heads_file("narratives")
    assert path.stat().st_size < 2_000_000
    with np.load(path, allow_pickle=False) as z:
        assert sorted(z.files) == ["bias", "labels", "meta", "thresholds", "weights"]
    heads = LinearHeads.load(path)
    assert heads.weights.shape == (len(heads.labels), 384) and heads.vocab is None
    assert "NATO" in heads.labels and "diary:Maidan in 2014 was a coup d'état" in heads.labels
    assert crosslingual.languages("narratives") == ("ru", "uk", "be", "bg", "mk", "sr")
    model = MultilingualNarratives(SHIPPED)
    assert model.version == f"{TRUNK_HEAD}/{load_taxonomy(SHIPPED).version}"
    assert (model.fewshot_threshold, model.support_floor) == (heads.meta["fewshot_threshold"],
                                                              heads.meta["support_floor"])


def test_russian_and_ukrainian_narratives_are_found_by_the_multilingual_model(tmp_path: Path) -> None:
    component = get_component("narratives", taxonomy=shipped_taxonomy(tmp_path))
    [doc] = component.pipe([comments(RUSSIAN, UKRAINIAN, NEUTRAL)])
    version = f"{TRUNK_HEAD}/{load_taxonomy(SHIPPED).version}"
    # the neutral Russian news sentence (c2) carries none; c0 gets the two narratives the English model gives
    # ENGLISH, and warmongering besides (since translate-train; the English model gives the Ukrainian sentence's
    # original global-elites alone)
    assert whole(doc) == [("c0", "encircling-russia", "ru", "multilingual", version),
                          ("c0", "russia-protects-itself", "ru", "multilingual", version),
                          ("c0", "warmongering", "ru", "multilingual", version),
                          ("c1", "eu-failing", "uk", "multilingual", version),
                          ("c1", "global-elites", "uk", "multilingual", version)]
    assert {a.producer_version for a in doc.annotations} == {version}


def test_without_the_multilingual_model_they_are_unsupported_again(tmp_path: Path) -> None:
    component = get_component("narratives", taxonomy=shipped_taxonomy(tmp_path), multilingual=False)
    [doc] = component.pipe([comments(RUSSIAN, UKRAINIAN)])
    assert [(a.target, a.label, a.data["language"]) for a in doc.annotations] == [
        ("c0", "unsupported", "ru"), ("c1", "unsupported", "uk")]


def test_english_text_keeps_the_english_model_and_its_version(tmp_path: Path) -> None:
    component = get_component("narratives", taxonomy=shipped_taxonomy(tmp_path))
    [doc] = component.pipe([comments(ENGLISH)])
    english = f"{model_version(HEADS_FILE)}/{load_taxonomy(SHIPPED).version}"
    assert ("c0", "encircling-russia", None, None, english) in whole(doc)
    assert {a.producer_version for a in doc.annotations} == {english}


def test_the_component_version_names_the_multilingual_head_only_when_it_is_used(tmp_path: Path) -> None:
    taxonomy = shipped_taxonomy(tmp_path)
    english = model_version(HEADS_FILE, default="no-heads")
    assert NarrativesComponent(taxonomy).version.split("/taxonomy-")[0] == f"{english}+multilingual:{TRUNK_HEAD}"
    assert NarrativesComponent(taxonomy, multilingual=False).version.split("/taxonomy-")[0] == english


def test_matched_cosines_pass_the_same_share_of_pairs() -> None:
    english = np.array([0.1, 0.2, 0.3, 0.65, 0.7])  # 2 of 5 at or above 0.62, 3 of 5 at or above 0.3
    trunk = np.array([0.70, 0.75, 0.80, 0.85, 0.90])  # the 60% and 40% quantiles, interpolated: 0.82 and 0.78
    assert matched_cosines(english, trunk, {"fewshot_threshold": 0.62, "support_floor": 0.3}) == {
        "fewshot_threshold": 0.82, "fewshot_threshold_share": 0.4, "support_floor": 0.78, "support_floor_share": 0.6}


def tiny_cases(shared: Path, out: Path, per_file: int = 150, diary: int = 80) -> Path:
    """The first ``per_file`` cases of each EUvsDisinfo file and ``diary`` Propaganda Diary cases (no negatives)."""
    for source in sorted((shared / "euvsdisinfo").glob("*.csv")):
        with open(source, encoding="utf-8", newline="") as fh:
            reader = csv.DictReader(fh)
            rows = [row for _, row in zip(range(per_file), reader, strict=False)]
        (out / "euvsdisinfo").mkdir(parents=True, exist_ok=True)
        with open(out / "euvsdisinfo" / source.name, "w", encoding="utf-8", newline="") as fh:
            writer = csv.DictWriter(fh, fieldnames=reader.fieldnames or [])
            writer.writeheader()
            writer.writerows(rows)
    [source] = sorted((shared / "propaganda_diary").glob("*.json"))
    (out / "propaganda_diary").mkdir()
    cases = json.loads(source.read_text(encoding="utf-8"))[:diary]
    (out / "propaganda_diary" / source.name).write_text(json.dumps(cases), encoding="utf-8")
    return out


@pytest.mark.slow
def test_the_trainer_fits_heads_on_a_tiny_slice(shared_data: Path, tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.delenv("NARRASCOPE_E5_CACHE", raising=False)
    data = tiny_cases(shared_data, tmp_path / "data")
    summary = train_head(data, tmp_path / "out", threads=1)
    heads = LinearHeads.load(tmp_path / "out" / "narratives.npz")
    assert heads.meta["version"] == VERSION and heads.weights.shape == (len(heads.labels), 384)
    assert [t["c"] for t in summary["tried"]] == [0.25, 1.0, 4.0]
    assert any(label.startswith("diary:") for label in heads.labels)
    assert summary["negatives"] == 0 and "test" not in summary
    assert 0 < summary["support_floor"] < summary["fewshot_threshold"] < 1
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == ["embeddings", "embeddings-minilm",
                                                                   "narratives.npz"]
