"""Training and evaluation data for the toxicity model, read from ``shared/data/toxicity``.

HateXplain posts give the three classes, the annotators' rationales (token masks) and the
targeted groups; SemEval-2021 toxic-spans posts give the characters responsible. Every
example is a :class:`Example` with character offsets into its own text.
"""

from __future__ import annotations

import ast
import csv
import hashlib
import json
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

LABELS: tuple[str, ...] = ("hatespeech", "offensive", "normal")
TARGETS: tuple[str, ...] = ("African", "Islam", "Jewish", "Homosexual", "Women", "Refugee", "Arab",
                            "Caucasian", "Hispanic", "Asian")


@dataclass
class Example:
    """One post: its text, soft class label (``None`` when unlabelled), evidence and targets.

    ``spans`` are toxic-span character offsets (SemEval style, ``None`` when unknown);
    ``rationale`` the characters most HateXplain annotators marked; ``targets`` the
    groups at least two annotators named. ``allowed`` is a partial label, for sets that do not
    draw HateXplain's lines: the indices of :data:`LABELS` the post may belong to.
    """

    id: str
    text: str
    source: str
    label: list[float] | None = None
    spans: list[tuple[int, int]] | None = None
    rationale: list[tuple[int, int]] = field(default_factory=list)
    targets: list[str] = field(default_factory=list)
    allowed: tuple[int, ...] | None = None

    @property
    def hard_label(self) -> int | None:
        label = self.label
        if label is None:
            return self.allowed[0] if self.allowed and len(self.allowed) == 1 else None
        return max(range(3), key=lambda i: label[i])


def held_out(key: str, fraction: float = 0.2, salt: str = "narrascope-toxicity") -> bool:
    """Whether ``key`` belongs to the evaluation split (a stable hash, the same on every machine)."""
    digest = hashlib.blake2b(f"{salt}:{key}".encode(), digest_size=8).digest()
    return int.from_bytes(digest, "big") / 2**64 < fraction


def offsets_to_spans(offsets: list[int] | set[int]) -> list[tuple[int, int]]:
    """Merge a set of character offsets into sorted ``[start, end)`` spans."""
    spans: list[tuple[int, int]] = []
    for o in sorted(set(offsets)):
        if spans and spans[-1][1] == o:
            spans[-1] = (spans[-1][0], o + 1)
        else:
            spans.append((o, o + 1))
    return spans


def load_hatexplain(directory: str | Path) -> list[Example]:
    """HateXplain posts (tokens joined by spaces) with soft labels, rationales and targets."""
    data = json.loads((Path(directory) / "dataset.json").read_text(encoding="utf-8"))
    out = []
    for post_id, post in sorted(data.items()):
        tokens = post["post_tokens"]
        text, starts = "", []
        for tok in tokens:
            if text:
                text += " "
            starts.append(len(text))
            text += tok
        votes = Counter(a["label"] for a in post["annotators"])
        label = [votes[name] / len(post["annotators"]) for name in LABELS]
        rationale: list[tuple[int, int]] = []
        masks = post.get("rationales") or []
        for i, tok in enumerate(tokens):
            if masks and sum(m[i] for m in masks if i < len(m)) * 2 >= len(masks):
                rationale.append((starts[i], starts[i] + len(tok)))
        named = Counter(t for a in post["annotators"] for t in a["target"])
        targets = [t for t in TARGETS if named[t] >= 2]
        out.append(Example(post_id, text, "hatexplain", label, None, rationale, targets))
    return out


def load_toxic_spans(path: str | Path) -> list[Example]:
    """SemEval-2021 toxic-spans posts: text and gold span offsets (all posts are toxic)."""
    out = []
    with open(path, encoding="utf-8", newline="") as fh:
        for i, row in enumerate(csv.DictReader(fh)):
            offsets = ast.literal_eval(row["spans"]) if row["spans"].strip() else []
            out.append(Example(f"{Path(path).stem}-{i}", row["text"], "toxic_spans", None,
                               offsets_to_spans(offsets)))
    return out


def load_davidson(path: str | Path) -> list[Example]:
    """Davidson et al. 2017 tweets with annotator-vote soft labels (hate, offensive, neither)."""
    out = []
    with open(path, encoding="utf-8", newline="") as fh:
        for row in csv.DictReader(fh):
            n = int(row["count"])
            label = [int(row["hate_speech"]) / n, int(row["offensive_language"]) / n, int(row["neither"]) / n]
            out.append(Example(f"davidson-{row['']}", row["tweet"], "davidson", label))
    return out
