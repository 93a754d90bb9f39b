"""Narrative scores for texts: trained keyword/diary heads plus few-shot examples from the taxonomy.

Each text is cut into sentences and paragraphs; every unit is embedded once with the shared
sentence encoder and scored two ways:

- **heads** (``heads.npz``): logistic regression per EUvsDisinfo keyword tag and per diary
  narrative; a taxonomy narrative fires when a head of one of its ``keywords``/``diary`` labels
  reaches that head's threshold;
- **examples**: cosine similarity to the narrative's name, description and example sentences
  (how analyst-added narratives work at once, without retraining) reaching ``fewshot_threshold``.

A head only counts where the unit is at least ``support_floor`` similar to one of those texts:
every training case is disinformation, so a head alone would tag a weather report from Minsk.

Scores are mapped so that each threshold lands at 0.5: a narrative is present when its score >= 0.5.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from narrascope.models.sentence import UsesSentenceEncoder
from narrascope.models.version import model_version
from narrascope.narratives.heads import BlendedHeads, LinearHeads
from narrascope.narratives.taxonomy import Taxonomy, load_taxonomy
from narrascope.sentences import paragraphs, scored_sentences

HEADS_FILE = Path(__file__).resolve().parent / "model" / "heads.npz"
DIARY = "diary:"


def calibrate(values: np.ndarray, thresholds: np.ndarray | float) -> np.ndarray:
    """Piecewise-linear map of ``[0, 1]`` values so that ``thresholds`` become 0.5."""
    t = np.clip(np.asarray(thresholds, dtype=np.float32), 1e-3, 1 - 1e-3)
    v = np.clip(values, 0.0, 1.0)
    return np.where(v < t, 0.5 * v / t, 0.5 + 0.5 * (v - t) / (1 - t)).astype(np.float32)


@dataclass
class UnitScores:
    """Per-unit calibrated narrative scores ``[units, narratives]`` and keyword scores ``[units, keywords]``."""

    spans: list[tuple[int, int]]
    levels: list[str]
    narratives: np.ndarray
    keywords: np.ndarray


@dataclass
class TextNarratives:
    """What one text carries: narratives ``(id, score, carrying sentence spans)`` and keyword tags."""

    narratives: list[dict[str, Any]] = field(default_factory=list)
    keywords: list[dict[str, Any]] = field(default_factory=list)
    units: UnitScores | None = None


class NarrativeModel(UsesSentenceEncoder):
    """Score texts against a taxonomy (shipped + analyst file); models load on first use."""

    def __init__(self, taxonomy: str | Path | None = None, heads: str | Path | None = None,
                 encoder: Any = None, threads: int = 1, fewshot_threshold: float = 0.62,
                 support_floor: float = 0.3, max_chars: int = 200_000, finetuned: bool = True) -> None:
        self.taxonomy_path = taxonomy
        self.heads_path = Path(heads) if heads else HEADS_FILE
        self.threads = threads
        self.fewshot_threshold = fewshot_threshold
        self.support_floor = support_floor
        self.finetuned = finetuned
        self.max_chars = max_chars
        self._encoder = encoder
        self._taxonomy: Taxonomy | None = None
        self._heads: Any = None
        self._examples: tuple[np.ndarray, np.ndarray] | None = None

    @property
    def taxonomy(self) -> Taxonomy:
        if self._taxonomy is None:
            self._taxonomy = load_taxonomy(self.taxonomy_path)
        return self._taxonomy

    @property
    def heads(self) -> Any:
        """The fine-tuned tagger (blended with the linear heads when its run chose a weight) when shipped next to
        the heads file, else the linear heads (or ``None``)."""
        if self._heads is None:
            from narrascope.models.tagger import FinetunedHeads

            if self.finetuned and FinetunedHeads.available(self.heads_path.parent):
                tagger: FinetunedHeads | BlendedHeads = FinetunedHeads(self.heads_path.parent, self.threads)
                weight = tagger.meta.get("blend_weight")
                if weight is not None and weight < 1 and self.heads_path.is_file():
                    tagger = BlendedHeads(LinearHeads.load(self.heads_path), tagger, float(weight))
                self._heads = tagger
            elif self.heads_path.is_file():
                self._heads = LinearHeads.load(self.heads_path)
        return self._heads

    @property
    def version(self) -> str:
        return f"{model_version(self.heads_path, self.finetuned, default='no-heads')}/{self.taxonomy.version}"

    def keyword_labels(self) -> list[str]:
        return [x for x in self.heads.labels if not x.startswith(DIARY)] if self.heads else []

    def _example_matrix(self) -> tuple[np.ndarray, np.ndarray]:
        if self._examples is None:
            ids = list(self.taxonomy.narratives)
            owners, texts = [], []
            for k, n in enumerate(self.taxonomy):
                for ex in [n.name, n.description, *n.examples]:
                    owners.append(k)
                    texts.append(ex)
            emb = self.encoder.encode(texts) if texts else np.zeros((0, 384), np.float32)
            self._examples = (emb, np.asarray(owners, dtype=np.int64).reshape(-1))
            assert len(ids) == len(self.taxonomy)
        return self._examples

    def score_embeddings(self, emb: np.ndarray, texts: list[str]) -> tuple[np.ndarray, np.ndarray]:
        """Calibrated narrative scores ``[n, narratives]`` and keyword scores ``[n, keywords]`` of embedded texts."""
        narr = list(self.taxonomy)
        scores = np.zeros((len(texts), len(narr)), dtype=np.float32)
        kw_scores = np.zeros((len(texts), 0), dtype=np.float32)
        best = np.full((len(texts), len(narr)), -1.0, dtype=np.float32)
        ex_emb, owners = self._example_matrix()
        if len(ex_emb) and len(texts):
            sims = emb @ ex_emb.T
            for k in range(len(narr)):
                mine = owners == k
                if mine.any():
                    best[:, k] = sims[:, mine].max(axis=1)
        heads = self.heads
        if heads is not None and len(texts):
            cal = calibrate(heads.probabilities(emb, texts), heads.thresholds)
            col = {label: j for j, label in enumerate(heads.labels)}
            for k, n in enumerate(narr):
                cols = [col[x] for x in n.keywords if x in col] + [col[DIARY + d] for d in n.diary if DIARY + d in col]
                if cols:
                    scores[:, k] = np.where(best[:, k] >= self.support_floor, cal[:, cols].max(axis=1), 0.0)
            kw_scores = cal[:, [col[x] for x in self.keyword_labels()]]
        scores = np.maximum(scores, calibrate(best, self.fewshot_threshold))
        empty = ~np.any(emb != 0, axis=1)  # texts with no tokens carry nothing
        scores[empty] = 0
        kw_scores[empty] = 0
        return scores, kw_scores

    def units(self, text: str) -> tuple[list[tuple[int, int]], list[str]]:
        """Sentence spans, then paragraph spans of paragraphs with more than one sentence.

        A sentence of one word ("NATO.", "Lies!") is not a unit: it names a topic but cannot carry a
        storyline, and the heads would score the name alone (``"NATO"`` got "NATO is encircling
        Russia" at 0.999). A one-word text therefore carries no narrative.
        """
        text = text[:self.max_chars]
        sents = scored_sentences(text)
        paras = [p for p in paragraphs(text) if sum(1 for s in sents if p[0] <= s[0] < p[1]) > 1]
        return sents + paras, ["sentence"] * len(sents) + ["paragraph"] * len(paras)

    def analyse(self, texts: list[str], min_score: float = 0.5) -> list[TextNarratives]:
        """Narratives and keyword tags of each text, aggregated over its sentences and paragraphs."""
        per_text = [self.units(t) for t in texts]
        flat = [t[s:e] for t, (spans, _) in zip(texts, per_text, strict=True) for s, e in spans]
        emb = self.encoder.encode(flat) if flat else np.zeros((0, 384), np.float32)
        nscores, kscores = self.score_embeddings(emb, flat)
        narr, kws = list(self.taxonomy), self.keyword_labels()
        out, row = [], 0
        for spans, levels in per_text:
            n = len(spans)
            ns, ks = nscores[row:row + n], kscores[row:row + n]
            row += n
            result = TextNarratives(units=UnitScores(spans, levels, ns, ks))
            if n:
                best = ns.max(axis=0)
                for k in np.argsort(-best, kind="stable"):
                    if best[k] < min_score:
                        break
                    carrying = [list(spans[u]) for u in range(n) if ns[u, k] >= min_score and levels[u] == "sentence"]
                    if not carrying:  # only a whole paragraph carries it
                        carrying = [list(spans[u]) for u in range(n) if ns[u, k] >= min_score]
                    result.narratives.append({"id": narr[k].id, "name": narr[k].name, "score": round(float(best[k]), 4),
                                              "sentences": carrying})
                kbest = ks.max(axis=0) if ks.shape[1] else np.zeros(0)
                result.keywords = [{"keyword": kws[j], "score": round(float(kbest[j]), 4)}
                                   for j in np.argsort(-kbest, kind="stable") if kbest[j] >= min_score]
            out.append(result)
        return out
