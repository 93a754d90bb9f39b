"""Russian toxic and neutral comments for the multilingual toxicity head (optional, kept outside the repository).

The set: the development part of the RUSSE-2022 detoxification shared task (s-nlp/russe_detox_2022,
``data/input/dev.tsv``: 800 toxic Russian comments from Odnoklassniki, Pikabu and Twitter, each with one to
three neutral rewrites written and checked by crowd workers; the same authors publish these data as
``s-nlp/ru_paradetox`` under OpenRAIL++; the GitHub repository itself carries no licence file). Its rows are
``toxic_comment<TAB>neutral_comment1<TAB>neutral_comment2<TAB>neutral_comment3``. The file is read from
the path in ``NARRASCOPE_RUSSIAN_TOXICITY``; without it the head is trained on English alone.

A toxic comment and its rewrites stay together: a salted hash of the toxic comment puts the whole group
in the test part (a fifth, carved off first) or the training part. The set is binary, toxic or not; in
the head's three classes a toxic comment counts as ``offensive`` (most are insults and swearing, few
attack a group) and a rewrite as ``normal``. A rewrite identical to its toxic comment is dropped.
"""

from __future__ import annotations

import csv
import hashlib
import os
from pathlib import Path
from typing import Any

from narrascope.toxicity.data import LABELS, Example, held_out

ENV = "NARRASCOPE_RUSSIAN_TOXICITY"
SOURCE = "RUSSE-2022 detoxification development set (s-nlp/russe_detox_2022 dev.tsv; OpenRAIL++ as s-nlp/ru_paradetox)"
SALT = "narrascope-russian-toxicity"


def _one_hot(label: str) -> list[float]:
    return [1.0 if name == label else 0.0 for name in LABELS]


def load_russe(path: str | Path) -> list[tuple[str, list[Example]]]:
    """``(group key, [toxic comment, its distinct rewrites])`` per row of a RUSSE-2022 ``.tsv`` file."""
    from narrascope.errors import NarrascopeError

    with open(path, encoding="utf-8", newline="") as fh:
        rows = list(csv.reader(fh, delimiter="\t"))
    if not rows or rows[0][:2] != ["toxic_comment", "neutral_comment1"]:
        raise NarrascopeError(f"{path}: not a RUSSE-2022 detoxification file (toxic_comment, neutral_comment1, ...)")
    groups = []
    for number, row in enumerate(rows[1:], 2):
        toxic = row[0].strip() if row else ""
        if not toxic:
            continue
        key = hashlib.sha256(toxic.encode("utf-8")).hexdigest()[:16]
        examples = [Example(f"russe-{key}", toxic, "russian", _one_hot("offensive"))]
        seen = {toxic}
        for k, neutral in enumerate(row[1:], 1):
            if neutral.strip() and neutral.strip() not in seen:
                seen.add(neutral.strip())
                examples.append(Example(f"russe-{key}-{k}", neutral.strip(), "russian", _one_hot("normal")))
        groups.append((f"{path}:{number}:{key}", examples))
    return groups


def russian_parts(path: str | Path | None = None) -> dict[str, Any]:
    """``{"train", "test", "source"}`` from ``path`` (default: ``$NARRASCOPE_RUSSIAN_TOXICITY``), or ``{}``."""
    path = path or os.environ.get(ENV)
    if not path:
        return {}
    train: list[Example] = []
    test: list[Example] = []
    for _, examples in load_russe(path):
        (test if held_out(examples[0].text, 0.2, salt=SALT) else train).extend(examples)
    return {"train": train, "test": test, "source": SOURCE}
