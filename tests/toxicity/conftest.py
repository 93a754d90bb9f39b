"""Toxicity test helpers: a synthetic data directory in the shared layout (written here, not copied)."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest

POSTS = [
    ("you are a stupid idiot", "offensive", [0, 0, 0, 1, 1], ["None"]),
    ("all of those people are vermin", "hatespeech", [0, 0, 0, 0, 0, 1], ["Refugee"]),
    ("what a lovely sunny day", "normal", [], ["None"]),
    ("thanks for the thoughtful article", "normal", [], ["None"]),
]


def write_data(root: Path, copies: int = 3) -> Path:
    """hatexplain/dataset.json and toxic_spans_civilcomments/tsd_{train,trial}.csv with made-up posts."""
    (root / "hatexplain").mkdir(parents=True)
    dataset = {}
    for k in range(copies):
        for i, (text, label, mask, target) in enumerate(POSTS):
            pid = f"post{k}_{i}"
            dataset[pid] = {"post_id": pid, "post_tokens": text.split(),
                            "annotators": [{"label": label, "annotator_id": a, "target": target} for a in range(3)],
                            "rationales": [mask, mask] if mask else []}
    (root / "hatexplain" / "dataset.json").write_text(json.dumps(dataset), encoding="utf-8")
    spans = root / "toxic_spans_civilcomments"
    spans.mkdir()
    for name in ("tsd_train.csv", "tsd_trial.csv"):
        with open(spans / name, "w", encoding="utf-8", newline="") as fh:
            w = csv.writer(fh)
            w.writerow(["spans", "text"])
            for k in range(copies * 2):
                w.writerow([str(list(range(10, 16))), f"Honestly, idiots everywhere {k}"])
                w.writerow(["[]", f"I disagree with this policy {k}"])
    return root


@pytest.fixture()
def toxicity_data(tmp_path: Path) -> Path:
    return write_data(tmp_path / "toxicity")


@pytest.fixture(scope="session")
def shipped_model():
    pytest.importorskip("onnxruntime")
    pytest.importorskip("tokenizers")
    from narrascope.toxicity.inference import MODEL_DIR, ToxicityModel

    if not (MODEL_DIR / "toxicity.int8.onnx").exists():
        pytest.skip("the shipped toxicity model is absent")
    return ToxicityModel()
