"""The untouched test part of every dataset, carved off before anything is trained or chosen.

A model is fitted only on ``fit`` and chooses epochs, thresholds and blend weights only on
``validation`` (the shared model of issue 21, on branch ``shared-model``, was trained so);
``narrascope eval model`` scores every model on ``test``. Each test part
is one that the weights shipped before the shared model (issue 21) never saw either, so both
stand in one table on the same data:

- **techniques** (PTC articles): fold 1 of the seeded 5-fold split by article (seed 13, the seed
  of the shipped tagger's training, ``config.json`` ``train.seed``; seed 0 would put 61 of its 75
  articles in the old tagger's training folds). The old tagger was fitted on folds 2-5 but chose
  its epoch and decoding rule on fold 1, so its figure there is optimistic. Validation for the
  new model: fold 2.
- **toxicity** (HateXplain validation split, SemEval-2021 toxic spans): the salted-hash fifth of
  HateXplain posts (:func:`narrascope.toxicity.data.held_out`) and tenth of toxic-span posts,
  as the old model held them out. Validation: a salted 15% of the rest.
- **narratives** (EUvsDisinfo, diary): the seeded half of the newest 30% of cases by date that the
  old models never fitted on (they chose thresholds and blend weight there: optimistic).
  Validation: the newest 15% by date of what is left.
- **check-worthiness** (ClaimBuster): the 5 debates the old tagger chose its threshold on and never
  fitted (GroupShuffleSplit seed 1, 15% of debates). Validation: 15% of the other debates (seed 2).
  CheckThat! 2019 debates are never trained on; MAP is taken over those that share no sentence
  with the training sentences.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

TOXIC_VALIDATION_SALT = "narrascope-shared-validation"


@dataclass(frozen=True)
class Split:
    """Indices (or ids) of the fitting, validation and test parts."""

    fit: list[Any]
    validation: list[Any]
    test: list[Any]

    def summary(self) -> dict[str, int]:
        return {"fit": len(self.fit), "validation": len(self.validation), "test": len(self.test)}


PTC_SEED = 13


def ptc_split(article_ids: Sequence[str]) -> Split:
    """PTC article ids: test = fold 1, validation = fold 2 of the seeded 5-fold partition."""
    from narrascope.techniques.training import kfold

    parts = kfold(list(article_ids), 5, PTC_SEED)
    rest = sorted(a for part in parts[2:] for a in part)
    return Split(rest, parts[1], parts[0])


def toxicity_split(examples: Sequence[Any]) -> Split:
    """Indices of toxicity examples (HateXplain, toxic spans, Davidson) by a salted hash of their id."""
    from narrascope.toxicity.data import held_out

    fit, val, test = [], [], []
    for i, e in enumerate(examples):
        fraction = 0.1 if e.source == "toxic_spans" else 0.2
        if e.source != "davidson" and held_out(e.id, fraction):
            test.append(i)
        elif held_out(e.id, 0.15, salt=TOXIC_VALIDATION_SALT):
            val.append(i)
        else:
            fit.append(i)
    return Split(fit, val, test)


def narratives_split(cases: Sequence[Any]) -> Split:
    """Indices of narrative cases: test = the old models' untouched validation half of the newest 30%."""
    from narrascope.narratives.training import split

    train_i, test_i, _ = split(list(cases), 0, "recent-half")
    by_date = sorted(train_i, key=lambda i: cases[i].date)
    cut = int(len(by_date) * 0.85)
    return Split(sorted(by_date[:cut]), sorted(by_date[cut:]), sorted(test_i))


def claimbuster_split(labels: np.ndarray, groups: np.ndarray) -> Split:
    """Sentence indices of ClaimBuster by debate: test = the old tagger's 5 threshold debates."""
    from sklearn.model_selection import GroupShuffleSplit  # type: ignore[import-untyped]

    from narrascope.claims.training import split_by_debate

    train_i, test_i, _ = split_by_debate(labels, groups, holdout=False)
    f, v = next(GroupShuffleSplit(1, test_size=0.15, random_state=2).split(train_i, labels[train_i],
                                                                            groups[train_i]))
    return Split(sorted(train_i[f].tolist()), sorted(train_i[v].tolist()), sorted(test_i.tolist()))


def checkthat_debates(clef: Sequence[Any], training_texts: Sequence[str]) -> list[str]:
    """CheckThat! 2019 debates none of whose sentences is among ``training_texts`` (normalised)."""
    seen = {" ".join(t.lower().split()) for t in training_texts}
    debates: dict[str, bool] = {}
    for s in clef:
        clean = " ".join(s.text.lower().split()) not in seen
        debates[s.group] = debates.get(s.group, True) and clean
    return sorted(g for g, ok in debates.items() if ok)
