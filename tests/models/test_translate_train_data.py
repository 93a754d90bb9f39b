"""The translate-train items (training/translate-train): readable, and apart from the held-out checks."""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

from narrascope.evaluation.translated import CHECKS, Check, read_checks
from narrascope.models.alignment_training import HEADS, parts, validation_item

TRAINING = Path(__file__).resolve().parents[2] / "training" / "translate-train"


def _words(text: str) -> set[str]:
    return set(re.findall(r"\w+", text.casefold().replace("ё", "е")))


def test_every_head_has_items_in_four_languages_and_a_validation_part() -> None:
    checks = read_checks(TRAINING)
    assert set(HEADS) <= set(checks)
    fitting, validation = parts(checks)
    for head in HEADS:
        assert len(checks[head]) >= 150, head
        assert all(set(c.texts) == {"en", "ru", "uk", "be"} for c in checks[head])
        share = len(validation[head]) / len(checks[head])
        assert 0.15 < share < 0.35, (head, share)
        assert {c.id for c in fitting[head]}.isdisjoint(c.id for c in validation[head])


def test_the_split_is_a_fixed_function_of_the_id() -> None:
    assert [validation_item(f"tt-x-{n:03d}") for n in range(8)] == [validation_item(f"tt-x-{n:03d}") for n in range(8)]
    assert 150 < sum(validation_item(f"id-{n}") for n in range(800)) < 250


def test_no_training_item_repeats_or_paraphrases_a_held_out_check() -> None:
    """The checks of evaluation/parallel (and their English paraphrases, evaluation/paraphrases) are the test: no
    training text may be one of them or close to one (more than 70% of the words of the shorter text shared)."""
    training = read_checks(TRAINING)
    held_out = read_checks(CHECKS)
    for head, items in read_checks(CHECKS.with_name("paraphrases")).items():  # the checks' English paraphrases
        held_out[head] = held_out.get(head, []) + [Check(c.id, c.gold, {"en": c.texts["en-paraphrase"]})
                                                   for c in items]
    ids = Counter(c.id for items in [*training.values(), *held_out.values()] for c in items)
    assert max(ids.values()) == 1
    for lang in ("en", "ru", "uk", "be"):
        tests = [_words(c.texts[lang]) for items in held_out.values() for c in items if lang in c.texts]
        for items in training.values():
            for c in items:
                mine = _words(c.texts[lang])
                for other in tests:
                    shared = len(mine & other) / max(1, min(len(mine), len(other)))
                    assert shared <= 0.7 or min(len(mine), len(other)) < 4, (c.id, lang, c.texts[lang])
