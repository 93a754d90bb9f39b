"""The check-worthiness fine-tune + int8 export path, on a tiny BERT and synthetic debates (seconds)."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
from tests.claims.test_training import claimbuster


def debates(root: Path) -> Path:
    claimbuster(root, "unemployment rose percent", "thank you all for coming")
    clef = ["line_number,speaker,text,label,file_name"]
    for i in range(60):
        # debate a.tsv repeats a ClaimBuster sentence; b.tsv does not
        text = ("unemployment rose percent" if i == 0 else f"taxes went up {i}") if i % 3 == 0 else f"hello {i}"
        clef.append(f"{i},A,{text},{int(i % 3 == 0)},{'a' if i < 30 else 'b'}.tsv")
    (root / "checkworthy" / "clef2019_task1_english_train.csv").write_text("\n".join(clef) + "\n", encoding="utf-8")
    return root


@pytest.mark.slow
def test_finetune_measures_exports_and_the_model_then_uses_the_tagger(tmp_path: Path, tiny_bert: Path) -> None:
    from narrascope.claims.finetune import finetune
    from narrascope.claims.model import CheckworthyModel
    from narrascope.models.tagger import LABELS_FILE, ONNX_FILE, FinetunedHeads

    out = tmp_path / "out"
    summary = finetune(debates(tmp_path / "data"), out, epochs=8, threads=1, lr=3e-3, max_tokens=32, base=tiny_bert,
                       log=lambda m: None)
    held = summary["claimbuster_heldout"]
    assert held["sentences"] == 80 and held["positives"] > 0  # two of the ten debates
    assert held["f1_positive_int8"] > 0.9 and held["f1_positive_torch"] > 0.9  # the words separate the classes
    clef = summary["clef2019"]
    assert clef["debates"] == 2 and clef["debates_sharing_sentences_with_training"] == ["a.tsv"]
    assert clef["map_unseen_debates"] == pytest.approx(clef["ap"]["b.tsv"])
    assert not (out / "finetuned.fp32.onnx").exists() and (out / ONNX_FILE).is_file()
    assert json.loads((out / "finetuned.json").read_text())["max_tokens"] == 32

    heads = FinetunedHeads(out)
    assert heads.labels == ["checkworthy"] and heads.thresholds[0] == pytest.approx(held["threshold"])
    (out / "heads.npz").write_bytes(b"")  # the model looks for the tagger beside its head file
    model = CheckworthyModel(heads=out / "heads.npz")
    assert isinstance(model.heads, FinetunedHeads) and model.version == "checkworthy-minilm-finetuned-1"
    res = model.analyse(["Thank you all for coming 3. Unemployment rose 4 percent.", ""])
    assert res[0].checkworthy and [res[0].sentences[i].score >= model.threshold for i in (0, 1)] == [False, True]
    assert not res[1].checkworthy and res[1].claims == []
    assert (out / LABELS_FILE).is_file()
    assert CheckworthyModel(heads=out / "heads.npz", finetuned=False).heads_path == out / "heads.npz"
    assert np.isfinite(heads.probabilities(None, ["x"])).all()


@pytest.mark.slow
def test_finetune_without_holdout_trains_on_all_debates_but_the_threshold_ones(tmp_path: Path, tiny_bert: Path) -> None:
    from narrascope.claims.finetune import finetune
    from narrascope.claims.model import CheckworthyModel

    data, out = debates(tmp_path / "data"), tmp_path / "out"
    csv = data / "checkworthy" / "claimbuster_crowdsourced.csv"
    rows = csv.read_text(encoding="utf-8").splitlines()
    # ten debates of 40 consecutive sentences, so that every debate (the threshold's two included) has claims
    rows[1:] = [r.replace(f",19{60 + i % 10}.txt,", f",19{60 + i // 40}.txt,") for i, r in enumerate(rows[1:])]
    csv.write_text("\n".join(rows) + "\n", encoding="utf-8")
    summary = finetune(data, out, epochs=8, threads=1, lr=3e-3, max_tokens=32, base=tiny_bert,
                       log=lambda m: None, holdout=False)
    assert "claimbuster_heldout" not in summary  # nothing was held out, so nothing is claimed
    assert (summary["training_debates"], summary["validation_debates"]) == (8, 2)  # ten debates, 15% for the threshold
    assert summary["version"] == "checkworthy-minilm-finetuned-1-holdout0"
    (out / "heads.npz").write_bytes(b"")
    model = CheckworthyModel(heads=out / "heads.npz")
    assert model.version == "checkworthy-minilm-finetuned-1-holdout0"
    res = model.analyse(["Thank you all for coming 3. Unemployment rose 4 percent."])[0]
    greeting, claim = (s.score for s in res.sentences)
    assert res.checkworthy and claim >= model.threshold and claim > greeting + 0.5
