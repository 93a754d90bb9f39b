"""The English tasks a fine-tuned multilingual trunk is trained on (issue 26), from the training parts only.

Each :class:`Task` holds the fit and validation texts of a layer and their targets, taken from the fit and
validation parts of :mod:`narrascope.evaluation.splits` (never a test part):

- ``claims``: ClaimBuster sentences and their gold check-worthiness (``[n]`` 0/1);
- ``narratives``: EUvsDisinfo / Propaganda Diary cases and ClaimBuster negatives, as the narratives head's
  recipe takes them, and **the shipped English model's decisions** over the head's labels (``[n, labels]``
  0/1, :func:`narrascope.narratives.distil.english_decisions`, cached under ``narratives-teacher``);
- ``techniques``: every readable sentence of the PTC articles and **the shipped tagger's technique** for it
  (``[n]`` index into :data:`~narrascope.techniques.TECHNIQUES`, ``len(TECHNIQUES)`` for none;
  :func:`narrascope.techniques.distilled.sentence_targets`, spans cached under ``techniques-teacher``).

``limit`` keeps at most that many fit texts of a task (a seeded subsample); ``validation_limit`` the same for
its validation texts (for quick runs; the model card's rule reads all of them).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np

from narrascope.models.embedding_cache import cache_dir
from narrascope.techniques import TECHNIQUES
from narrascope.techniques.sentence_head import readable_sentences

TASKS = ("claims", "narratives", "techniques")


@dataclass
class Task:
    """A layer's English fit and validation texts and their targets (see the module's docstring)."""

    name: str
    labels: list[str]
    fit_texts: list[str]
    fit_y: np.ndarray
    val_texts: list[str]
    val_y: np.ndarray
    note: str = ""

    def subsample(self, limit: int | None, validation_limit: int | None = None, seed: int = 0) -> Task:
        """This task with at most ``limit`` fit and ``validation_limit`` validation texts (seeded subsamples)."""
        fit, val = _pick(len(self.fit_texts), limit, seed), _pick(len(self.val_texts), validation_limit, seed)
        return Task(self.name, self.labels, [self.fit_texts[i] for i in fit], self.fit_y[fit],
                    [self.val_texts[i] for i in val], self.val_y[val],
                    self.note + subsample_note(len(self.fit_texts), fit, len(self.val_texts), val, seed))


def _pick(n: int, limit: int | None, seed: int = 0) -> np.ndarray:
    """Positions of a seeded subsample of ``limit`` of ``n`` items, in order (all of them without ``limit``)."""
    if limit is None or n <= limit:
        return np.arange(n)
    return np.sort(np.random.default_rng(seed).permutation(n)[:limit])


def subsample_note(n_fit: int, fit: np.ndarray, n_val: int, val: np.ndarray, seed: int = 0) -> str:
    note = f"; fit subsampled to {len(fit)} of {n_fit} (seed {seed})" if len(fit) < n_fit else ""
    return note + (f"; validation subsampled to {len(val)} of {n_val} (seed {seed})" if len(val) < n_val else "")


def claims_task(data: Path, limit: int | None = None, validation_limit: int | None = None) -> Task:
    from narrascope.claims.data import find, read_claimbuster
    from narrascope.evaluation.splits import claimbuster_split

    cb = read_claimbuster(find(data, "claimbuster_crowdsourced.csv"))
    y, groups = np.array([s.label for s in cb], dtype=np.int8), np.array([s.group for s in cb])
    split = claimbuster_split(y, groups)
    return Task("claims", ["checkworthy"], [cb[i].text for i in split.fit], y[split.fit],
                [cb[i].text for i in split.validation], y[split.validation],
                "ClaimBuster crowdsourced, fit / validation debates of claimbuster_split, gold labels"
                ).subsample(limit, validation_limit)


def narratives_task(data: Path, threads: int, teacher: Path, limit: int | None = None,
                    validation_limit: int | None = None) -> Task:
    from narrascope.evaluation.splits import narratives_split
    from narrascope.narratives.data import read_training_cases
    from narrascope.narratives.distil import TEACHER, english_decisions
    from narrascope.narratives.multilingual import NEGATIVES
    from narrascope.narratives.training import head_labels, negative_cases

    cases = read_training_cases(data)
    split = narratives_split(cases)
    negatives = negative_cases(data, NEGATIVES)
    cut = int(len(negatives) * 0.85)
    fit = [cases[i].text for i in split.fit] + [n.text for n in negatives[:cut]]
    val = [cases[i].text for i in split.validation] + [n.text for n in negatives[cut:]]
    labels, _ = head_labels(cases, split.fit + split.validation)
    fit_at, val_at = _pick(len(fit), limit), _pick(len(val), validation_limit)
    kept_fit, kept_val = [fit[i] for i in fit_at], [val[i] for i in val_at]
    y = english_decisions(kept_fit + kept_val, labels, cache_dir(TEACHER, teacher / TEACHER), threads)
    return Task("narratives", labels, kept_fit, y[:len(kept_fit)], kept_val, y[len(kept_fit):],
                "narratives_split fit / validation cases + ClaimBuster negatives (85/15), targets: the shipped "
                "English model's decisions" + subsample_note(len(fit), fit_at, len(val), val_at))


def techniques_task(data: Path, threads: int, teacher: Path, limit: int | None = None,
                    validation_limit: int | None = None) -> Task:
    from narrascope.evaluation.splits import ptc_split
    from narrascope.techniques.distilled import sentence_targets, tagger_spans
    from narrascope.techniques.scores import read_ptc

    texts, _ = read_ptc(data)
    split = ptc_split(sorted(texts))
    index = {t: i for i, t in enumerate(TECHNIQUES)}
    fit_all = [(a, span) for a in split.fit for span in readable_sentences(texts[a])]
    val_all = [(a, span) for a in split.validation for span in readable_sentences(texts[a])]
    fit_at, val_at = _pick(len(fit_all), limit), _pick(len(val_all), validation_limit)
    fit_kept, val_kept = [fit_all[i] for i in fit_at], [val_all[i] for i in val_at]
    ids = list(dict.fromkeys(a for a, _ in fit_kept + val_kept))  # the tagger reads only these articles
    spans = dict(zip(ids, tagger_spans([texts[a] for a in ids], cache_dir("techniques-teacher",
                                                                          teacher / "techniques-teacher"), threads),
                     strict=True))
    said = {(a, span): t for a in ids for span, t in sentence_targets(texts[a], spans[a])}

    def part(kept: list[tuple[str, tuple[int, int]]]) -> tuple[list[str], np.ndarray]:
        return ([texts[a][s:e] for a, (s, e) in kept],
                np.array([index.get(said[(a, span)], len(TECHNIQUES)) for a, span in kept], dtype=np.int64))

    fit_texts, fit_y = part(fit_kept)
    val_texts, val_y = part(val_kept)
    return Task("techniques", list(TECHNIQUES), fit_texts, fit_y, val_texts, val_y,
                "PTC fit / validation articles of ptc_split, readable sentences, targets: the shipped tagger's "
                "technique (longest overlapping span) or none"
                + subsample_note(len(fit_all), fit_at, len(val_all), val_at))


def english_tasks(data: Path, threads: int, teacher: Path, limit: int | None = None,
                  names: tuple[str, ...] = TASKS, validation_limit: int | None = None) -> list[Task]:
    """The tasks ``names`` (see the module's docstring), each fit part cut to ``limit`` texts (validation to
    ``validation_limit``)."""
    makers = {"claims": lambda: claims_task(data, limit, validation_limit),
              "narratives": lambda: narratives_task(data, threads, teacher, limit, validation_limit),
              "techniques": lambda: techniques_task(data, threads, teacher, limit, validation_limit)}
    unknown = [n for n in names if n not in makers]
    if unknown:
        raise ValueError(f"unknown tasks {unknown}; known: {', '.join(TASKS)}")
    return [makers[n]() for n in names]
