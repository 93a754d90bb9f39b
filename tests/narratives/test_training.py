from __future__ import annotations

import hashlib
import json
from pathlib import Path

import numpy as np

from narrascope.claims.model import CheckworthyModel
from narrascope.narratives.heads import LinearHeads
from narrascope.narratives.training import train


class HashEncoder:
    """Deterministic fake embeddings: a topic direction per marker word plus noise (no model needed)."""

    def encode(self, texts):
        out = np.zeros((len(texts), 384), np.float32)
        for i, t in enumerate(texts):
            seed = int(hashlib.md5(t.encode()).hexdigest()[:8], 16)
            v = np.random.default_rng(seed).normal(size=384) * 0.3
            for k, word in enumerate(("nato", "soros", "maidan")):
                if word in t.lower():
                    v[k * 10] += 5
            out[i] = v / np.linalg.norm(v)
        return out


def corpus(root: Path) -> Path:
    (root / "euvsdisinfo").mkdir(parents=True)
    rows = ["date,id,title,countries,keywords,languages,outlets"]
    topics = [("NATO", "NATO is near the border {}"), ("George Soros", "Soros pays the protesters {}"),
              ("Coup", "The Maidan was a coup {}")]
    for i in range(300):
        tag, text = topics[i % 3]
        rows.append(f"2019-{1 + i // 30:02d}-{1 + i % 28:02d},https://e/{i},{text.format(i)},X,{tag}+Filler,Russian,O")
    (root / "euvsdisinfo" / "cases.csv").write_text("\n".join(rows) + "\n", encoding="utf-8")
    (root / "propaganda_diary").mkdir()
    diary = [{"id": i, "Narrative": "Maidan in 2014 was a coup d'état", "Disinfo_cases_en": f"Maidan coup story {i}",
              "date_iso": "2021-01-01"} for i in range(40)]
    (root / "propaganda_diary" / "d.json").write_text(json.dumps(diary), encoding="utf-8")
    (root / "checkworthy").mkdir()
    cb = ["Sentence_id,Text,Speaker,Speaker_title,Speaker_party,File_id,Length,Line_number,Sentiment,Verdict"]
    cb += [f"{i},Thank you all {i},A,B,C,19{60 + i % 5}.txt,3,{i},0,-1" for i in range(100)]
    (root / "checkworthy" / "claimbuster_crowdsourced.csv").write_text("\n".join(cb) + "\n", encoding="utf-8")
    return root


def test_train_narratives_on_a_synthetic_corpus(tmp_path: Path) -> None:
    data = corpus(tmp_path / "data")
    summary = train(data, tmp_path / "out", negatives=50, encoder=HashEncoder(), log=lambda m: None)
    held = summary["heldout"]
    assert held["cases"] == 60 and held["negatives_in_training"] == 50
    assert held["micro_f1_top20"] > 0.7  # marker words make the topic tags learnable
    heads = LinearHeads.load(tmp_path / "out" / "heads.npz")
    assert {"NATO", "George Soros", "Coup", "diary:Maidan in 2014 was a coup d'état"} <= set(heads.labels)
    texts = ["NATO again", "Thank you all"]
    p = heads.probabilities(HashEncoder().encode(texts), texts)
    nato = heads.labels.index("NATO")
    assert p[0, nato] > heads.thresholds[nato] > p[1, nato]


def test_checkworthy_model_without_head_says_how_to_train(tmp_path: Path) -> None:
    import pytest

    from narrascope.models.encoder import ModelFilesError

    with pytest.raises(ModelFilesError, match="narrascope train checkworthy"):
        CheckworthyModel(heads=tmp_path / "none.npz", encoder=HashEncoder()).analyse(["A claim."])
