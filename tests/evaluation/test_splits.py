"""The PTC test fold is the one the shipped tagger held out: fold 1 of its own seeded 5-fold split."""

from __future__ import annotations

import json

import pytest

from narrascope.evaluation.splits import PTC_SEED, ptc_split
from narrascope.techniques.inference import MODEL_DIR
from narrascope.techniques.training import kfold


def test_ptc_split_uses_the_seed_the_shipped_tagger_was_trained_with():
    if not (MODEL_DIR / "config.json").is_file():
        pytest.skip("the techniques model of issue 21's start is no longer shipped")
    config = json.loads((MODEL_DIR / "config.json").read_text(encoding="utf-8"))
    assert config["train"]["seed"] == PTC_SEED == 13


def test_ptc_split_test_and_validation_are_folds_one_and_two_and_fit_is_the_rest():
    ids = [f"{n:03d}" for n in range(20)]
    split = ptc_split(ids)
    folds = kfold(ids, 5, 13)
    assert split.test == folds[0] and split.validation == folds[1]
    assert split.fit == sorted(folds[2] + folds[3] + folds[4])
    assert split.summary() == {"fit": 12, "validation": 4, "test": 4}
