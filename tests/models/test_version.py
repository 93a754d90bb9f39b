"""The one model-version reader, and the contract every layer keeps with it.

The model directories here hold only the files a version is read from, and empty stand-ins for the
graphs: a version read that loaded a model would fail.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from narrascope.claims.component import ClaimsComponent
from narrascope.claims.model import CheckworthyModel
from narrascope.models import crosslingual
from narrascope.models.sentence import SentenceEncoder
from narrascope.models.version import model_version
from narrascope.narratives.component import NarrativesComponent
from narrascope.narratives.model import HEADS_FILE, NarrativeModel
from narrascope.techniques.component import TechniquesComponent
from narrascope.techniques.inference import TechniqueModel
from narrascope.toxicity.component import ToxicityComponent
from narrascope.toxicity.inference import ToxicityModel


def configured(directory: Path, version: str) -> Path:
    directory.mkdir(exist_ok=True)
    (directory / "config.json").write_text(json.dumps({"version": version, "labels": ["x"]}), encoding="utf-8")
    return directory


def heads(path: Path, version: str, **meta: Any) -> Path:
    path.parent.mkdir(exist_ok=True)
    np.savez(path, labels=np.array(["x"]), meta=np.array(json.dumps({"version": version, **meta})))
    return path


def tagger(directory: Path, version: str, **meta: Any) -> None:
    """A fine-tuned tagger beside the heads: its summary, an empty graph and tokenizer."""
    heads(directory / "finetuned.npz", version, **meta)
    (directory / "finetuned.int8.onnx").write_bytes(b"")
    (directory / "tokenizer.json").write_text("{}", encoding="utf-8")


def test_a_directory_with_a_config_gives_its_version_and_one_without_any_model_the_default(tmp_path):
    assert model_version(configured(tmp_path / "m", "minilm-ptc-next")) == "minilm-ptc-next"
    assert model_version(tmp_path / "m", finetuned=False) == "minilm-ptc-next"
    (tmp_path / "empty").mkdir()
    assert model_version(tmp_path / "empty") == "0"
    assert model_version(tmp_path / "empty" / "heads.npz", default="no-heads") == "no-heads"


def test_heads_give_their_version_and_a_tagger_beside_them_its_own_or_the_blend(tmp_path):
    linear = heads(tmp_path / "heads.npz", "lr-3")
    assert model_version(linear) == model_version(tmp_path) == "lr-3"
    tagger(tmp_path, "ft-4ep")
    assert model_version(linear) == "ft-4ep"
    assert model_version(linear, finetuned=False) == "lr-3"
    tagger(tmp_path, "ft-4ep", blend_weight=0.3)
    assert model_version(linear) == "ft-4ep+lr-3@0.3"
    tagger(tmp_path, "ft-4ep", blend_weight=1)  # a weight of 1 is the tagger alone
    assert model_version(linear) == "ft-4ep"


def layer_models(layer: str, d: Path) -> tuple[Any, Any, str]:
    """(component, its model, the version both must give) for ``layer`` built on a model in ``d``."""
    if layer in ("techniques", "toxicity"):
        configured(d, f"{layer}-7")
        component = (TechniquesComponent if layer == "techniques" else ToxicityComponent)(model_dir=str(d))
        return component, (TechniqueModel if layer == "techniques" else ToxicityModel)(d), f"{layer}-7"
    if layer == "sentence encoder":
        configured(d, "mean-int8-2")
        return None, SentenceEncoder(d), "mean-int8-2"
    if layer == "claims":
        tagger(d, "checkworthy-ft-1")
        path = str(heads(d / "heads.npz", "checkworthy-lr-1"))
        return ClaimsComponent(heads=path), CheckworthyModel(path), "checkworthy-ft-1"
    # narratives: the component reads the shipped heads (its taxonomy is the analyst's to change)
    return NarrativesComponent(), NarrativeModel(), model_version(HEADS_FILE)


@pytest.mark.parametrize("layer", ["techniques", "toxicity", "claims", "narratives", "sentence encoder"])
def test_a_layer_records_the_version_of_its_model_as_its_files_say(layer, tmp_path):
    """The version a run records (the component's, which decides what ``analyze`` runs again) and the one
    its annotations record (the model's) name the same model; narratives add the taxonomy after a ``/``, and a
    layer with a multilingual head turned on adds that head's version to its own (``crosslingual.versioned``)."""
    component, model, expected = layer_models(layer, tmp_path / "model")
    assert model.version.split("/")[0] == expected
    if component is not None:
        enabled = getattr(component, "multilingual", True)  # toxicity's head is off by default
        assert component.version.split("/taxonomy-")[0] == crosslingual.versioned(expected, component.layer, enabled)
