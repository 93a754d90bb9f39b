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
    assert held["cases"] == 60 and summary["negatives_in_training"] == 50
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


def with_new_topic(root: Path, n: int = 40) -> Path:
    """The synthetic corpus plus ``n`` newest cases of a tag that older cases never carry."""
    data = corpus(root)
    rows = [f"2019-12-{1 + i % 28:02d},https://e/new{i},The pandemic virus was made in a lab {i},X,Pandemic,Russian,O"
            for i in range(n)]
    with open(data / "euvsdisinfo" / "cases.csv", "a", encoding="utf-8") as fh:
        fh.write("\n".join(rows) + "\n")
    return data


def test_split_holds_out_the_newest_cases_and_chooses_validation_cases_as_asked(tmp_path: Path) -> None:
    import pytest

    from narrascope.narratives.data import read_training_cases
    from narrascope.narratives.training import split

    cases = read_training_cases(corpus(tmp_path / "data"))
    eu_dates = sorted(c.date for c in cases if not c.labels[0].startswith("diary:"))
    fit, val, test = split(cases, 0.2, "newest")
    assert len(test) == 60 and min(cases[i].date for i in test) >= eu_dates[240]
    assert sorted(fit + val + test) == list(range(len(cases))) and not set(fit) & set(val)
    assert max(cases[i].date for i in fit) <= min(cases[i].date for i in val)  # validation: the newest 15%
    fit2, val2, test2 = split(cases, 0.0, "recent-half")
    assert test2 == [] and sorted(fit2 + val2) == list(range(len(cases)))
    recent = sorted(range(len(cases)), key=lambda i: cases[i].date)[int(len(cases) * 0.7):]
    assert set(val2) <= set(recent) and len(val2) == len(recent) // 2  # half the newest 30%; the other half fitted
    assert split(cases, 0.0, "recent-half") == (fit2, val2, test2)  # seeded
    with pytest.raises(ValueError, match="validation must be one of"):
        split(cases, 0.2, "oldest")
    with pytest.raises(ValueError, match="holdout"):
        split(cases, 1.0)


def test_heads_to_ship_learn_the_newest_tags(tmp_path: Path) -> None:
    data = with_new_topic(tmp_path / "data")
    measured = train(data, tmp_path / "measured", negatives=50, encoder=HashEncoder(), log=lambda m: None)
    assert "Pandemic" not in LinearHeads.load(tmp_path / "measured" / "heads.npz").labels  # all held out
    shipped = train(data, tmp_path / "ship", negatives=50, encoder=HashEncoder(), log=lambda m: None,
                    holdout=0.0, validation="recent-half")
    assert "heldout" in measured and "heldout" not in shipped
    assert shipped["version"] == measured["version"] + "-holdout0-recent-half"  # labels say which model made them
    # 380 cases (340 EUvsDisinfo, 40 diary): validation is half of the newest 114, nothing held out
    assert shipped["split"] == {"holdout": 0.0, "validation": "recent-half", "fitting_cases": 323,
                                "validation_cases": 57, "newest_case": "2021-01-01"}
    heads = LinearHeads.load(tmp_path / "ship" / "heads.npz")
    texts = ["The pandemic virus was made in a lab again", "NATO again"]
    p = heads.probabilities(HashEncoder().encode(texts), texts)
    j = heads.labels.index("Pandemic")
    assert p[0, j] >= heads.thresholds[j] > p[1, j]
