"""A model's version, read from its files without loading it: what its annotations and runs record.

Every layer and the web app's glossary read it here, so that installing a new model (a new
``config.json`` or heads file) is what makes ``analyze`` analyse stored documents again.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import numpy as np

from narrascope.models.tagger import LABELS_FILE, FinetunedHeads

CONFIG_FILE = "config.json"
HEADS_FILE = "heads.npz"


def model_version(model: str | Path, finetuned: bool = True, default: str = "0") -> str:
    """The version of the model at ``model``, a model directory or a heads file.

    - A directory with a ``config.json``: its ``version`` (techniques, toxicity, the sentence encoder).
    - Else the heads (``model`` itself, or the ``heads.npz`` in it): the fine-tuned tagger shipped beside
      them (``finetuned.npz``, unless ``finetuned`` is false) gives its version, written
      ``tagger+heads@weight`` when its run chose to blend it with the heads (a ``blend_weight`` below 1);
      without a tagger the heads give theirs (narratives, claims).
    - ``default`` when there is neither.
    """
    path = Path(model)
    if path.is_dir() and (path / CONFIG_FILE).is_file():
        config = json.loads((path / CONFIG_FILE).read_text(encoding="utf-8"))
        return str(config.get("version", default))
    heads = path / HEADS_FILE if path.is_dir() else path
    if finetuned and FinetunedHeads.available(heads.parent):
        tagger = meta(heads.parent / LABELS_FILE)
        version = str(tagger.get("version", "tagger"))
        weight = tagger.get("blend_weight")
        if weight is not None and weight < 1 and heads.is_file():
            version += f"+{meta(heads).get('version', 'heads')}@{float(weight)}"
        return version
    return str(meta(heads).get("version", "heads")) if heads.is_file() else default


def meta(heads: Path) -> dict[str, Any]:
    """The ``meta`` a heads file (``.npz``) was saved with: its training run's summary."""
    with np.load(heads, allow_pickle=False) as z:
        return dict(json.loads(str(z["meta"])))
