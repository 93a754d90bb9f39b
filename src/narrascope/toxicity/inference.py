"""Score texts with the shipped int8 toxicity model (onnxruntime + tokenizers, no torch).

Long texts are cut into overlapping windows of ``max_length`` tokens; the comment takes
the scores of its most toxic window, and each token its highest span probability over the
windows that hold it. Toxic spans are reported whatever the label (a comment labelled ``normal``
may quote a slur to reject it; which spans it shows: :mod:`narrascope.toxicity.normal_spans`); the
targeted group only when the label is not ``normal``. Empty texts and texts in languages the model
was not trained on are marked unsupported instead of scored. A model directory whose ``config.json``
names a ``blend`` mixes an n-gram model's class scores, and the multilingual e5 head's where it names
that too, into the network's (:mod:`narrascope.toxicity.blend`).
"""

from __future__ import annotations

import json
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from narrascope.latin_slavic import latin_slavic
from narrascope.models.runner import Runner
from narrascope.models.version import model_version
from narrascope.toxicity.blend import NgramClassifier, mix_scores
from narrascope.toxicity.data import LABELS

MODEL_DIR = Path(__file__).parent / "model"
_WORD = re.compile(r"\w+")
MIN_LETTERS_SCRIPT = 3  # letters before a mostly non-Latin comment is called not English
MIN_LETTERS_LANGUAGE = 15  # letters before the language identifier is trusted (at probability 0.99)


@dataclass
class ToxicityResult:
    """One text's verdict: ``label`` and ``scores`` are ``None`` when ``unsupported`` says why."""

    label: str | None
    scores: dict[str, float] | None
    spans: list[tuple[int, int]] = field(default_factory=list)
    target: str | None = None
    unsupported: str | None = None

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"label": self.label, "scores": self.scores, "spans": [list(s) for s in self.spans]}
        if self.target:
            out["target"] = self.target
        if self.unsupported:
            out["unsupported"] = self.unsupported
        return out


def unsupported_reason(text: str, languages: tuple[str, ...] = ("en",)) -> str | None:
    """Why ``text`` cannot be scored (empty, or confidently in another language), else ``None``."""
    if not text.strip():
        return "empty comment"
    sample = unicodedata.normalize("NFKC", text[:2000])  # full-width "ＹＯＵ" is Latin, read as "YOU"
    letters = [ch for ch in sample if ch.isalpha()]
    # thresholds measured on 5,137 English texts (HateXplain's 1,922 posts, the 690 SemEval trial posts,
    # the 2,525 functional cases): none is marked by either rule; "Венера!" and short Polish comments are
    if len(letters) >= MIN_LETTERS_SCRIPT:
        latin = sum(ch.isascii() for ch in letters) / len(letters)
        if latin < 0.5 and "en" in languages and len(languages) == 1:
            return "not English: the toxicity model reads English only"
    from narrascope.lang import _identifier, described, sentence_language

    # Russian or Ukrainian typed in Latin letters, Łacinka: the identifier alone reads some of it as English
    slavic = sentence_language(sample) if latin_slavic(sample) else None
    if slavic and slavic not in languages:
        return f"language {described(slavic)}: the toxicity model reads {', '.join(languages)} only"
    if len(letters) >= MIN_LETTERS_LANGUAGE:
        lang, prob = _identifier(None).classify(sample)
        if lang not in languages and prob >= 0.99:
            return f"language {lang!r}: the toxicity model reads {', '.join(languages)} only"
    return None


def model_text(text: str) -> tuple[str, list[int] | None]:
    """``text`` as the model reads it, NFKC-normalised, and where each of its characters came from.

    Each character is normalised on its own (full-width ``Ｆ`` -> ``F``, ``ﬁ`` -> ``fi``), so that
    every character of the result maps back to one character of ``text``: ``origin[k]`` is the index
    in ``text`` of result character ``k`` (``None``: nothing changed). Spans stay offsets into ``text``.
    """
    if text.isascii() or unicodedata.is_normalized("NFKC", text):
        return text, None
    parts, origin = [], []
    for i, ch in enumerate(text):
        nf = ch if ch.isascii() else unicodedata.normalize("NFKC", ch)
        parts.append(nf)
        origin += [i] * len(nf)
    return "".join(parts), origin


def original_offsets(offsets: list[tuple[int, int]], origin: list[int] | None) -> list[tuple[int, int]]:
    """Token offsets into :func:`model_text`'s result mapped back to the original text."""
    if origin is None:
        return offsets
    return [(origin[s], origin[e - 1] + 1) if e > s else (origin[s], origin[s]) for s, e in offsets]


def _in_grapheme(ch: str) -> bool:
    """A character that continues the one before it: a combining mark, a variation selector, a zero-width joiner."""
    return unicodedata.category(ch).startswith("M") or ch in "\u200c\u200d"


def words(text: str) -> list[tuple[int, int]]:
    """``[start, end)`` of the words of ``text``; a word takes the combining marks after its letters
    (``c\u0301unt`` is one word), so that no span ends inside a grapheme."""
    out: list[tuple[int, int]] = []
    for m in _WORD.finditer(text):
        start, end = m.span()
        while end < len(text) and _in_grapheme(text[end]):
            end += 1
        if out and out[-1][1] >= start:
            out[-1] = (out[-1][0], max(out[-1][1], end))
        else:
            out.append((start, end))
    return out


def spans_from_tokens(text: str, offsets: list[tuple[int, int]], probs: list[float],
                      threshold: float) -> list[tuple[int, int]]:
    """Character spans of the words holding a token above ``threshold``, adjacent words merged."""
    hit: set[int] = set()
    for (s, e), p in zip(offsets, probs, strict=False):
        if p >= threshold and e > s:
            hit.update(range(s, e))
    spans: list[tuple[int, int]] = []
    for s, e in words(text):
        if any(o in hit for o in range(s, e)):
            if spans and not text[spans[-1][1]:s].strip():
                spans[-1] = (spans[-1][0], e)
            else:
                spans.append((s, e))
    return spans


class ToxicityModel:
    """The shipped model (or one in ``model_dir``); loads on first use, reused afterwards.

    The graph runs through the shared :class:`~narrascope.models.runner.Runner` (windows of
    ``max_length`` tokens overlapping by a quarter, batches of at most ``batch_tokens`` padded tokens);
    this class keeps the decoding: the most toxic window's scores, stitched span probabilities.

    ``batch_size`` windows go through one model call. The default, 1, makes a comment's scores
    depend on the comment alone: the int8 graph quantises each call's activations with one scale,
    so at 32 windows a call batch-mates moved class scores by up to 0.12 and changed 30 of 800
    labels (Davidson tweets), for 10% more speed.
    """

    def __init__(self, model_dir: str | Path | None = None, threads: int = 1, batch_size: int = 1,
                 max_length: int | None = None, span_threshold: float | None = None,
                 languages: tuple[str, ...] = ("en",), batch_tokens: int = 4096) -> None:
        self.model_dir = Path(model_dir) if model_dir else MODEL_DIR
        self.threads = threads
        self.batch_size = batch_size
        self.batch_tokens = batch_tokens
        self.max_length = max_length
        self.span_threshold = span_threshold
        self.languages = tuple(languages)
        self._runner: Runner | None = None
        self._ngram: NgramClassifier | None = None
        self._e5: Any = None
        self.blend_weight = 0.0
        self.multilingual_weight = 0.0

    def _load(self) -> Runner:
        if self._runner is not None:
            return self._runner
        from narrascope.errors import NarrascopeError

        path = self.model_dir / "toxicity.int8.onnx"
        if not path.exists():
            raise NarrascopeError(f"{path}: no toxicity model; train one with narrascope train toxicity --data DIR")
        self.config = json.loads((self.model_dir / "config.json").read_text())
        self.max_length = self.max_length or int(self.config["max_length"])
        if self.span_threshold is None:
            self.span_threshold = float(self.config["span_threshold"])
        self.target_threshold = float(self.config.get("target_threshold", 0.5))
        normal = self.config.get("normal_span_threshold")
        self.normal_span_threshold = None if normal is None else float(normal)
        blend = self.config.get("blend") or {}
        self.blend_weight = float(blend.get("weight", 0.0))
        self._ngram = NgramClassifier.load(self.model_dir / blend["file"]) if self.blend_weight else None
        self.multilingual_weight = float((blend.get("multilingual") or {}).get("weight", 0.0))
        if self.multilingual_weight:
            self._e5 = self._multilingual_head(blend["multilingual"])
        # one window a call: calls run side by side on ``threads`` cores (see ``Runner``)
        self._runner = Runner(path, self.model_dir / "tokenizer.json", self.threads, self.batch_size,
                              self.batch_tokens)
        self._runner.load()
        return self._runner

    def _multilingual_head(self, entry: dict[str, Any]) -> Any:
        """The e5 head a blend names: the shipped one, or ``entry["file"]`` (beside the model) on the trunk."""
        from narrascope.toxicity import multilingual

        model = multilingual.load(self.threads)
        if entry.get("file"):
            model.head_file = self.model_dir / str(entry["file"])
        return model

    def _opinions(self, inputs: list[str], originals: list[str]) -> list[tuple[Any, float]]:
        """The second opinions' class probability rows of the texts, each with its weight."""
        out: list[tuple[Any, float]] = []
        if self._ngram is not None and inputs:
            out.append((self._ngram.predict_proba(inputs), self.blend_weight))
        if self._e5 is not None and inputs:
            out.append((self._e5.class_probabilities(originals), self.multilingual_weight))
        return out

    @property
    def version(self) -> str:
        return model_version(self.model_dir)

    def _run(self, texts: list[str]) -> list[tuple[Any, Any, Any, Any]]:
        """Per text: (tokens, class scores of its most toxic window, stitched span probs, target probs)."""
        import numpy as np

        from narrascope.models.windows import stitch

        runner = self._load()
        toks = runner.tokenize(texts)
        size = int(self.max_length or 256)
        results: list[tuple[Any, Any, Any, Any]] = []
        for tok, parts in zip(toks, runner.run_windows(toks, size, size // 4), strict=True):
            if not parts:
                results.append((tok, None, np.zeros(0), None))
                continue
            worst = min((out for _, out in parts), key=lambda out: out[0][2])
            probs = stitch([out[1][:, None] for _, out in parts], [w for w, _ in parts], len(tok))[:, 0]
            results.append((tok, worst[0], probs, worst[2]))
        return results

    def predict(self, texts: list[str]) -> list[ToxicityResult]:
        """Label, class scores, toxic spans and targeted group for every text, in order."""
        import numpy as np

        from narrascope.toxicity.normal_spans import normal_spans

        self._load()
        results: list[ToxicityResult | None] = [None] * len(texts)
        todo = []
        for i, text in enumerate(texts):
            reason = unsupported_reason(text, self.languages)
            if reason:
                results[i] = ToxicityResult(None, None, unsupported=reason)
            else:
                todo.append(i)
        prepared = {i: model_text(texts[i]) for i in todo}  # the model reads NFKC; spans index the original
        inputs = [prepared[i][0] for i in todo]
        opinions = self._opinions(inputs, [texts[i] for i in todo])
        for row, (i, (toks, scores, probs, targets)) in enumerate(zip(todo, self._run(inputs), strict=True)):
            if scores is None:
                results[i] = ToxicityResult(None, None, unsupported="no readable characters")
                continue
            if opinions:
                scores = mix_scores(scores, [(probs[row], w) for probs, w in opinions])
            label = LABELS[int(np.argmax(scores))]
            # spans whatever the label, a normal comment's only where the head is sure or on a slur (a slur
            # quoted in counter-speech is shown to the analyst: narrascope.toxicity.normal_spans); whether the
            # comment is hidden follows its label and score (narrascope.toxicity.masking), never its spans
            offsets = original_offsets(toks.offsets.tolist(), prepared[i][1])
            threshold = float(self.span_threshold or 0.5)
            spans = (normal_spans(texts[i], offsets, probs.tolist(), threshold, self.normal_span_threshold)
                     if label == "normal" else spans_from_tokens(texts[i], offsets, probs.tolist(), threshold))
            target = None
            if label != "normal":
                best = int(np.argmax(targets))
                target = self.config["targets"][best] if targets[best] >= self.target_threshold else None
            probs_by_label = {n: round(float(p), 4) for n, p in zip(LABELS, scores, strict=True)}
            results[i] = ToxicityResult(label, probs_by_label, spans, target)
        return [r for r in results if r is not None]

    def span_probabilities(self, texts: list[str]) -> list[tuple[list[tuple[int, int]], list[float]]]:
        """Token offsets and toxic-span probabilities per text, not gated by the label (for evaluation)."""
        self._load()
        prepared = [model_text(t) for t in texts]
        return [(original_offsets(toks.offsets.tolist(), origin), probs.tolist())
                for (toks, _, probs, _), (_, origin) in zip(self._run([p[0] for p in prepared]), prepared, strict=True)]
