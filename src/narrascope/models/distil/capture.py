"""What the shipped graphs answer on their own training inputs: the targets a student is distilled on.

Each layer's shipped predictor runs over texts of the ``fit`` and ``validation`` parts of its
dataset (:mod:`narrascope.evaluation.splits`; never ``test``) while every onnxruntime session it
opens is wrapped to record each call's rows: the token ids it was fed (so the student sees exactly
the windows and cuts each runner builds) and the outputs it gave. Every recorded row of up to
:data:`SENTENCE_TOKENS` tokens also gets the shipped sentence embedding as an auxiliary target.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from narrascope.models.runner import Runner

#: the graphs a student replaces: layer -> (inputs, outputs); every output but ``hidden`` is a target
GRAPHS: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "techniques": (("input_ids", "token_type_ids"), ("logits", "hidden")),
    "toxicity": (("input_ids", "attention_mask"), ("scores", "span_probs", "target_probs")),
    "claims": (("input_ids", "attention_mask", "token_type_ids"), ("probabilities",)),
    "narratives": (("input_ids", "attention_mask", "token_type_ids"), ("probabilities",)),
    "sentence": (("input_ids", "attention_mask", "token_type_ids"), ("sentence_embedding",)),
}
TOKEN_OUTPUTS = ("logits", "span_probs")  # one row per token; the others one row per input
SENTENCE_TOKENS = 128
PARTS = ("fit", "validation")


@dataclass
class Capture:
    """Recorded rows of one layer's graph: token ids and the graph's outputs per row."""

    layer: str
    ids: list[np.ndarray] = field(default_factory=list)
    part: list[str] = field(default_factory=list)
    outputs: dict[str, list[np.ndarray]] = field(default_factory=dict)

    def add(self, ids: np.ndarray, part: str, outputs: dict[str, np.ndarray]) -> None:
        self.ids.append(ids.astype(np.int32))
        self.part.append(part)
        for name, value in outputs.items():
            self.outputs.setdefault(name, []).append(value.astype(np.float32))

    def save(self, path: Path) -> None:
        arrays: dict[str, Any] = {"lengths": np.array([len(i) for i in self.ids], np.int32),
                                  "ids": np.concatenate(self.ids), "part": np.array(self.part)}
        for name, values in self.outputs.items():
            arrays[f"out_{name}"] = np.concatenate(values) if name in TOKEN_OUTPUTS else np.stack(values)
        np.savez(path, **arrays)

    @classmethod
    def load(cls, path: Path, layer: str) -> Capture:
        with np.load(path) as z:
            lengths = z["lengths"]
            edges = np.concatenate([[0], np.cumsum(lengths)])
            cut = lambda a: [a[edges[i]:edges[i + 1]] for i in range(len(lengths))]  # noqa: E731
            out = cls(layer, cut(z["ids"]), z["part"].tolist())
            for key in z.files:
                if key.startswith("out_"):
                    name = key[4:]
                    out.outputs[name] = cut(z[key]) if name in TOKEN_OUTPUTS else list(z[key])
        return out


class RecordingSession:
    """An onnxruntime session that records every call's rows into a :class:`Capture` (right-padded rows)."""

    def __init__(self, session: Any, capture: Capture, part: Callable[[], str]) -> None:
        self.session = session
        self.capture = capture
        self.part = part

    def __getattr__(self, name: str) -> Any:
        return getattr(self.session, name)

    def run(self, names: list[str] | None, feeds: dict[str, np.ndarray], *args: Any, **kwargs: Any) -> Any:
        result = self.session.run(names, feeds, *args, **kwargs)
        names = names or [o.name for o in self.session.get_outputs()]
        ids = feeds["input_ids"]
        mask = feeds.get("attention_mask", np.ones_like(ids))
        for r in range(len(ids)):
            n = int(mask[r].sum())
            self.capture.add(ids[r, :n], self.part(), {name: value[r, :n] if name in TOKEN_OUTPUTS else value[r]
                                                       for name, value in zip(names, result, strict=True)
                                                       if name != "hidden"})
        return result


@contextlib.contextmanager
def recording(capture: Capture, part: Callable[[], str]) -> Iterator[None]:
    """Every session opened through :func:`~narrascope.models.encoder.ort_session` inside records into ``capture``."""
    from narrascope.models import encoder

    original = encoder.ort_session

    def wrapped(*args: Any, **kwargs: Any) -> Any:
        return RecordingSession(original(*args, **kwargs), capture, part)

    encoder.ort_session = wrapped  # type: ignore[assignment]  # the runner opens sessions through encoder
    try:
        yield
    finally:
        encoder.ort_session = original  # type: ignore[assignment]


def _sample(items: list[Any], limit: int | None, seed: int) -> list[Any]:
    if limit is None or len(items) <= limit:
        return items
    keep = np.random.default_rng(seed).choice(len(items), limit, replace=False)
    return [items[i] for i in sorted(keep)]


def training_items(data: Path, layer: str, limit: int | None = None, seed: int = 0) -> dict[str, list[tuple[Any, str]]]:
    """``(key, text)`` of the ``fit`` and ``validation`` parts of ``layer``'s dataset (at most ``limit`` fit items,
    a tenth of that for validation), never its ``test`` part. Keys are what the split holds: PTC article ids,
    toxicity example ids, and indices into the ClaimBuster sentences or the narrative cases."""
    from narrascope.evaluation import splits

    data = Path(data)
    if layer == "techniques":
        from narrascope.techniques.scores import read_ptc

        articles, _ = read_ptc(data)
        texts: Any = articles
        split = splits.ptc_split(sorted(articles))
        key = lambda k: k  # noqa: E731
    elif layer == "toxicity":
        from narrascope.toxicity.data import load_hatexplain, load_toxic_spans

        root = data / "toxicity"
        examples = load_hatexplain(root / "hatexplain") + \
            load_toxic_spans(root / "toxic_spans_civilcomments" / "tsd_train.csv")
        split = splits.toxicity_split(examples)
        texts, key = [e.text for e in examples], lambda i: examples[i].id
    elif layer == "claims":
        from narrascope.claims.data import find, read_claimbuster

        cb = read_claimbuster(find(data, "claimbuster_crowdsourced.csv"))
        split = splits.claimbuster_split(np.array([s.label for s in cb]), np.array([s.group for s in cb]))
        texts, key = [s.text for s in cb], lambda i: i
    elif layer in ("narratives", "sentence"):
        from narrascope.narratives.data import read_training_cases

        cases = read_training_cases(data)
        split = splits.narratives_split(cases)
        texts, key = [c.text for c in cases], lambda i: i
    else:
        raise ValueError(f"{layer!r} is no distilled layer; one of {', '.join(GRAPHS)}")
    fit = _sample([(key(i), texts[i]) for i in split.fit], limit, seed)
    validation = _sample([(key(i), texts[i]) for i in split.validation], None if limit is None else
                         max(1, limit // 10), seed)
    return {"fit": fit, "validation": validation}


def run_layer(layer: str, texts: list[str]) -> None:
    """Run ``layer``'s shipped predictor over ``texts`` (its sessions record what they see)."""
    if layer == "techniques":
        from narrascope.techniques.inference import TechniqueModel

        TechniqueModel().token_logits(texts)
    elif layer == "toxicity":
        from narrascope.toxicity.inference import ToxicityModel

        ToxicityModel().span_probabilities(texts)
    elif layer in ("claims", "narratives"):
        from narrascope.models.tagger import FinetunedHeads

        directory = Path(__file__).resolve().parents[2] / layer / "model"
        FinetunedHeads(directory, remember=0).probabilities(None, texts)  # every text's row, repeats too
    else:
        from narrascope.models.sentence import SentenceEncoder

        SentenceEncoder().encode(texts)


def capture_layer(data: Path, layer: str, limit: int | None = None, seed: int = 0) -> Capture:
    """``layer``'s graph rows on its fit and validation texts (see :func:`training_items`)."""
    capture = Capture(layer)
    items = training_items(data, layer, limit, seed)
    for part in PARTS:
        with recording(capture, lambda p=part: p):  # type: ignore[misc]
            run_layer(layer, [text for _, text in items[part]])
    return capture


def sentence_targets(capture: Capture, encoder: Runner | None = None) -> np.ndarray:
    """``[rows, 384]`` shipped sentence embeddings of each row's ids (zeros past :data:`SENTENCE_TOKENS` tokens),
    one row a call through ``encoder`` (default: a :class:`~narrascope.models.runner.Runner` on the shipped graph)."""
    from narrascope.models.sentence import MODEL_DIR, MODEL_FILE

    runner = encoder or Runner(MODEL_DIR / MODEL_FILE)
    out = np.zeros((len(capture.ids), 384), np.float32)
    rows = [r for r, ids in enumerate(capture.ids) if len(ids) <= SENTENCE_TOKENS]
    for r, (embedding,) in zip(rows, runner.run_rows(capture.ids, [[r] for r in rows], ["sentence_embedding"]),
                               strict=True):
        out[r] = embedding[0]
    return out


#: default cap on fit texts per layer (validation: a tenth); ``None``: all of them
LIMITS: dict[str, int | None] = {"techniques": None, "toxicity": 8000, "claims": 8000, "narratives": 8000,
                                 "sentence": 2000}


def capture_all(data: Path, out: Path, limits: dict[str, int | None] | None = None, seed: int = 0,
                log: Callable[[str], None] = print) -> dict[str, Path]:
    """Capture every layer into ``out/<layer>.npz`` (with ``out_sentence_aux``, see :func:`sentence_targets`)."""
    import time

    out.mkdir(parents=True, exist_ok=True)
    paths = {}
    for layer in GRAPHS:
        start = time.time()
        capture = capture_layer(data, layer, (limits or LIMITS).get(layer), seed)
        paths[layer] = out / f"{layer}.npz"
        capture.save(paths[layer])
        with np.load(paths[layer]) as z:
            arrays: dict[str, Any] = dict(z)
        arrays["out_sentence_aux"] = (np.stack(capture.outputs["sentence_embedding"]) if layer == "sentence"
                                      else sentence_targets(capture))
        np.savez(paths[layer], **arrays)
        log(f"{layer}: {len(capture.ids)} rows, {sum(len(i) for i in capture.ids)} tokens, "
            f"{capture.part.count('validation')} validation rows, {time.time() - start:.0f}s")
    return paths
