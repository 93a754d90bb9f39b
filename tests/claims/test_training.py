"""Check-worthiness training figures on a synthetic ClaimBuster file: by debate, and a random stratified split."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np

from narrascope.claims.training import train


class BagEncoder:
    """Fake embeddings: one direction per word hash (no model needed)."""

    def encode(self, texts):
        out = np.zeros((len(texts), 384), np.float32)
        for i, t in enumerate(texts):
            for w in t.lower().split():
                out[i, sum(map(ord, w)) % 384] += 1
        return out / np.maximum(np.linalg.norm(out, axis=1, keepdims=True), 1e-9)


def claimbuster(root: Path, claim: str = "Unemployment rose {i} percent last year",
                other: str = "Thank you all for coming {i} tonight") -> Path:
    """``root/checkworthy/claimbuster_crowdsourced.csv``: 400 sentences of ten debates, every fourth a claim."""
    (root / "checkworthy").mkdir(parents=True)
    rows = ["Sentence_id,Text,Speaker,Speaker_title,Speaker_party,File_id,Length,Line_number,Sentiment,Verdict"]
    for i in range(400):
        text = (claim if i % 4 == 0 else other).format(i=i)
        rows.append(f"{i},{text},A,B,C,19{60 + i % 10}.txt,6,{i},0,{1 if i % 4 == 0 else -1}")
    (root / "checkworthy" / "claimbuster_crowdsourced.csv").write_text("\n".join(rows) + "\n", encoding="utf-8")
    return root


def test_train_reports_a_random_split_beside_the_split_by_debate(tmp_path: Path) -> None:
    claimbuster(tmp_path)
    summary = train(tmp_path, tmp_path / "out", clef=False, encoder=BagEncoder(), log=lambda m: None)
    rnd = summary["claimbuster_random_split"]
    assert rnd["sentences"] == 80 and rnd["positives"] == 20  # 20% of the sentences, stratified
    assert rnd["split"].startswith("random 20% of sentences")
    for key in ("f1_positive", "tfidf_lr_f1_positive", "tfidf_lr_balanced_f1_positive"):
        assert rnd[key] > 0.9  # the marker words separate the classes
    assert summary["claimbuster_heldout"]["sentences"] == 80  # two of the ten debates
    assert json.loads((tmp_path / "out" / "metrics.json").read_text())["claimbuster_random_split"] == rnd
