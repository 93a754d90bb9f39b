"""The claims layer reads Russian, Ukrainian and Belarusian sentences with its head on the multilingual trunk."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import numpy as np
import pytest

from narrascope.claims.component import ClaimsComponent
from narrascope.claims.model import HEADS_FILE
from narrascope.claims.multilingual import VERSION, MultilingualCheckworthy, train_head
from narrascope.model import Comment, Document
from narrascope.models import crosslingual
from narrascope.models.version import model_version
from narrascope.narratives.heads import LinearHeads
from narrascope.pipeline.component import get_component

ENGLISH = "Unemployment in Belarus doubled between 2019 and 2021."
RUSSIAN = "Безработица в Беларуси удвоилась с 2019 по 2021 год."
UKRAINIAN = "Польща прийняла понад мільйон біженців з України."
THANKS = "Спасибо всем, хорошего вечера!"
TRUNK_HEAD = "e5-small-q4-fill50k-ft-int8-2/e5-claims-finetuned-k4-1"  # the fine-tuned trunk ships (model card)


def comments(*texts: str) -> Document:
    return Document(source="https://example.org/c", body="", comments=[Comment(id=f"c{i}", text=t)
                                                                       for i, t in enumerate(texts)])


def found(doc: Document) -> list[tuple[str, str, str | None, str | None, str]]:
    return sorted((a.target, a.label, (a.data or {}).get("language"), (a.data or {}).get("model"), a.producer_version)
                  for a in doc.annotations)


def test_the_shipped_head_loads_without_pickle_and_is_small() -> None:
    path = crosslingual.heads_file("claims")
    assert path.stat().st_size < 2_000_000
    with np.load(path, allow_pickle=False) as z:
        assert sorted(z.files) == ["bias", "labels", "meta", "thresholds", "weights"]
    heads = LinearHeads.load(path)
    assert (heads.labels, heads.weights.shape, heads.vocab) == (["checkworthy"], (1, 384), None)
    assert crosslingual.languages("claims") == ("ru", "uk", "be", "bg", "mk", "sr")
    assert crosslingual.version("claims") == MultilingualCheckworthy().version == TRUNK_HEAD


def test_russian_and_ukrainian_claims_are_found_by_the_multilingual_head() -> None:
    [doc] = get_component("claims").pipe([comments(RUSSIAN, UKRAINIAN, THANKS)])
    assert found(doc) == [("c0", "claim", "ru", "multilingual", TRUNK_HEAD),
                          ("c1", "claim", "uk", "multilingual", TRUNK_HEAD)]
    threshold = LinearHeads.load(crosslingual.heads_file("claims")).thresholds[0]
    assert [a.data["threshold"] for a in doc.annotations] == [round(float(threshold), 4)] * 2


def test_without_the_multilingual_head_they_are_unsupported_again() -> None:
    [doc] = get_component("claims", multilingual=False).pipe([comments(RUSSIAN, UKRAINIAN)])
    english = model_version(HEADS_FILE)
    assert found(doc) == [("c0", "unsupported", "ru", None, english), ("c1", "unsupported", "uk", None, english)]


def test_english_sentences_keep_the_english_model_and_its_version() -> None:
    [doc] = get_component("claims").pipe([comments(f"{ENGLISH} {RUSSIAN}")])
    english = model_version(HEADS_FILE)
    assert sorted((a.start, a.end, a.label, a.producer_version, (a.data or {}).get("model"))
                  for a in doc.annotations) == [(0, len(ENGLISH), "claim", english, None),
                                                (len(ENGLISH) + 1, len(ENGLISH) + 1 + len(RUSSIAN), "claim",
                                                 TRUNK_HEAD, "multilingual")]


def test_the_component_version_names_the_multilingual_head_only_when_it_is_used() -> None:
    english = model_version(HEADS_FILE)
    assert ClaimsComponent().version == f"{english}+multilingual:{TRUNK_HEAD}"
    assert ClaimsComponent(multilingual=False).version == english


def tiny_claimbuster(shared: Path, out: Path, debates: int = 20, per_debate: int = 12) -> Path:
    """The first ``per_debate`` sentences of ``debates`` ClaimBuster debates, at least 3 check-worthy in each."""
    source = shared / "checkworthy" / "claimbuster_crowdsourced.csv"
    with open(source, encoding="utf-8", newline="") as fh:
        reader = csv.DictReader(fh)
        fields, by_debate = reader.fieldnames, {}
        for row in reader:
            by_debate.setdefault(row["File_id"], []).append(row)
    rows = []
    for debate in sorted(by_debate)[:debates]:
        yes = [r for r in by_debate[debate] if r["Verdict"] == "1"][:3]
        rows += yes + [r for r in by_debate[debate] if r["Verdict"] != "1"][:per_debate - len(yes)]
    (out / "checkworthy").mkdir(parents=True)
    with open(out / "checkworthy" / "claimbuster_crowdsourced.csv", "w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=fields or [])
        writer.writeheader()
        writer.writerows(rows)
    return out


@pytest.mark.slow
def test_the_trainer_fits_a_head_on_a_tiny_slice(shared_data: Path, tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.delenv("NARRASCOPE_E5_CACHE", raising=False)
    data = tiny_claimbuster(shared_data, tmp_path / "data")
    summary = train_head(data, tmp_path / "out", threads=1)
    heads = LinearHeads.load(tmp_path / "out" / "claims.npz")
    assert (heads.labels, heads.weights.shape, heads.meta["version"]) == (["checkworthy"], (1, 384), VERSION)
    assert [t["c"] for t in summary["tried"]] == [0.25, 1.0, 4.0, 16.0]
    assert summary["c"] in (0.25, 1.0, 4.0, 16.0) and 0.1 <= summary["threshold"] <= 0.9
    assert float(heads.thresholds[0]) == pytest.approx(summary["threshold"])
    assert "test" not in summary
    assert len(list((tmp_path / "out" / "embeddings").glob("*.npz"))) == 1  # the embeddings, cached
    again = train_head(data, tmp_path / "out", threads=1)  # read from the cache: the same head
    assert json.dumps(again["tried"]) == json.dumps(summary["tried"])
    assert len(list((tmp_path / "out" / "embeddings").glob("*.npz"))) == 1
