from __future__ import annotations

import json
import shutil

from narrascope.pipeline.component import get_component
from narrascope.toxicity.inference import MODEL_DIR


def test_the_component_version_is_the_models_so_a_new_model_reruns_stored_documents(tmp_path):
    shipped = json.loads((MODEL_DIR / "config.json").read_text(encoding="utf-8"))["version"]
    assert get_component("toxicity").version == str(shipped)
    new = tmp_path / "model"
    new.mkdir()
    shutil.copy(MODEL_DIR / "config.json", new / "config.json")
    config = json.loads((new / "config.json").read_text(encoding="utf-8"))
    (new / "config.json").write_text(json.dumps({**config, "version": "retrained-2"}), encoding="utf-8")
    assert get_component("toxicity", model_dir=str(new)).version == "retrained-2"
