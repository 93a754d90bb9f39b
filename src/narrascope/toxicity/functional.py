"""Functional test cases for the toxicity model, generated from a templates file.

A functionality (derogation, threats, counter-speech, spelling variants, ...) is a set of short
templates with one gold label; each template expands over the groups, slurs, objects or names it
names. The templates, not the cases, are split into ``train``, ``validation`` and ``test``, so no
test case is a re-filled training template; validation templates are never trained on either (a
candidate model is chosen on them, so they are not test data). A case is right when the model
flags it (``hatespeech`` or ``offensive``) and its gold is hatespeech or offensive, or leaves it
``normal`` and its gold is ``normal``. The file's format is described at its top
(``tests/toxicity/functional/templates.txt``).
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from narrascope.toxicity.data import LABELS, TARGETS, Example

_PLACEHOLDER = re.compile(r"\{(group|Group|member|adj|slur|reclaimed|thing|name)\}")
SPLITS = ("train", "validation", "test")
_FILLS = {"group": "group", "Group": "group", "member": "group", "adj": "group", "slur": "slur",
          "reclaimed": "reclaimed", "thing": "thing", "name": "name"}


@dataclass
class Functionality:
    name: str
    gold: str
    description: str
    templates: dict[str, list[str]] = field(default_factory=lambda: {part: [] for part in SPLITS})


@dataclass
class Case:
    """One generated comment, its functionality, gold label, split and targeted group (if any)."""

    text: str
    functionality: str
    gold: str
    split: str
    template: str
    target: str | None = None

    @property
    def flagged(self) -> bool:
        return self.gold != "normal"


@dataclass
class Suite:
    functionalities: list[Functionality]
    fills: dict[str, list[tuple[str, ...]]]


def parse(path: str | Path) -> Suite:
    """Read a templates file; a line it cannot read is an error naming the file and line."""
    fills: dict[str, list[tuple[str, ...]]] = defaultdict(list)
    funcs: list[Functionality] = []
    for number, raw in enumerate(Path(path).read_text(encoding="utf-8").splitlines(), 1):
        line = raw.strip()
        if not line or (line.startswith("#") and not line.startswith("## ")):
            continue
        if line.startswith("@"):
            kind, _, rest = line[1:].partition(" ")
            fills[kind].append(tuple(p.strip() for p in rest.split("|")))
        elif line.startswith("## "):
            name, gold, description = (p.strip() for p in line[3:].split("|", 2))
            if gold not in LABELS:
                raise ValueError(f"{path}:{number}: gold label {gold!r} is not one of {', '.join(LABELS)}")
            funcs.append(Functionality(name, gold, description))
        else:
            split, _, template = line.partition(":")
            if split not in SPLITS or not funcs:
                raise ValueError(f"{path}:{number}: expected 'train: TEMPLATE', 'validation: TEMPLATE' or "
                                 "'test: TEMPLATE' "
                                 f"under a '## NAME | GOLD | description' line, got {line[:60]!r}")
            funcs[-1].templates[split].append(template.strip())
    return Suite(funcs, dict(fills))


def _expand(template: str, fills: dict[str, list[tuple[str, ...]]]) -> list[tuple[str, str | None]]:
    """Every filling of ``template`` with its targeted group (TARGETS name, ``Other`` or ``None``)."""
    kinds = {_FILLS[m] for m in _PLACEHOLDER.findall(template)}
    if not kinds:
        return [(template, None)]
    if len(kinds) > 1:
        raise ValueError(f"template {template!r} mixes placeholders of {sorted(kinds)}; use one kind")
    kind = kinds.pop()
    out: list[tuple[str, str | None]] = []
    for row in fills[kind]:
        if kind == "group":
            plural, member, adj, target = row
            values = {"group": plural, "Group": plural[0].upper() + plural[1:], "member": member, "adj": adj}
            text = _PLACEHOLDER.sub(lambda m: values[m.group(1)], template)  # noqa: B023 (used at once)
            out.append((text, target))
        else:
            out.append((template.replace("{" + kind + "}", row[0]), row[1] if len(row) > 1 else None))
    return out


def cases(suite: Suite, split: str | None = None) -> list[Case]:
    """The suite's cases in file order, of one split (``train`` / ``validation`` / ``test``) or all."""
    out = []
    for func in suite.functionalities:
        for part in SPLITS:
            if split and part != split:
                continue
            for template in func.templates[part]:
                for text, target in _expand(template, suite.fills):
                    out.append(Case(text, func.name, func.gold, part, template, target))
    return out


def training_examples(path: str | Path, split: str = "train") -> list[Example]:
    """The train templates' cases as training examples (one-hot labels, targets where named);
    ``split="validation"``: the validation templates' cases, to choose an epoch on, never to train."""
    out = []
    for i, case in enumerate(cases(parse(path), split)):
        label = [1.0 if name == case.gold else 0.0 for name in LABELS]
        targets = [case.target] if case.flagged and case.target in TARGETS else []
        prefix = "functional" if split == "train" else f"functional-{split}"
        out.append(Example(f"{prefix}-{i}", case.text, "functional", label, targets=targets))
    return out


def score(model: Any, suite_cases: list[Case]) -> dict[str, dict[str, float]]:
    """Accuracy per functionality (and ``overall``) of ``model.predict`` on the cases.

    A case answered ``unsupported`` counts as wrong.
    """
    results = model.predict([c.text for c in suite_cases])
    right: dict[str, list[bool]] = defaultdict(list)
    for case, r in zip(suite_cases, results, strict=True):
        ok = r.label is not None and (r.label != "normal") == case.flagged
        right[case.functionality].append(ok)
        right["overall"].append(ok)
    right["overall"] = right.pop("overall")  # last
    return {name: {"cases": len(v), "accuracy": sum(v) / len(v)} for name, v in right.items()}


def table(scores: dict[str, dict[str, float]]) -> str:
    """A Markdown table of :func:`score`'s result, functionalities in order, overall last."""
    lines = ["| functionality | cases | accuracy |", "|---|---|---|"]
    for name, s in scores.items():
        if name != "overall":
            lines.append(f"| {name} | {s['cases']:.0f} | {s['accuracy']:.3f} |")
    lines.append(f"| **overall** | {scores['overall']['cases']:.0f} | **{scores['overall']['accuracy']:.3f}** |")
    return "\n".join(lines)
