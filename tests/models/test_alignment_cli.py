"""``narrascope train multilingual-align`` through the command line, on a few parallel items written here."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
import yaml
from typer.testing import CliRunner

from narrascope.cli import app
from narrascope.models.alignment import Alignment
from narrascope.models.alignment_training import CANDIDATES, HEADS, validation_item

#: (en, ru, uk, be) written for this test
SENTENCES = [
    ("NATO is moving its troops to our borders.", "НАТО перебрасывает войска к нашим границам.",
     "НАТО перекидає війська до наших кордонів.", "НАТА перакідвае войскі да нашых межаў."),
    ("The city opened a new library on Monday.", "В понедельник в городе открыли новую библиотеку.",
     "У понеділок у місті відкрили нову бібліотеку.", "У панядзелак у горадзе адкрылі новую бібліятэку."),
    ("You are a pathetic liar and a coward.", "Ты жалкий лжец и трус.", "Ти жалюгідний брехун і боягуз.",
     "Ты жаласны хлус і баязлівец."),
    ("Only traitors doubt our great army!", "Только предатели сомневаются в нашей великой армии!",
     "Тільки зрадники сумніваються в нашій великій армії!", "Толькі здраднікі сумняваюцца ў нашым вялікім войску!"),
    ("Prices for bread rose by five percent in May.", "Цены на хлеб в мае выросли на пять процентов.",
     "Ціни на хліб у травні зросли на п'ять відсотків.", "Цэны на хлеб у траўні выраслі на пяць працэнтаў."),
]
GOLD = {"toxicity": "normal", "narratives": "none", "techniques": "none"}


def ids(head: str, validation: int, fitting: int) -> list[str]:
    """Item ids of ``head`` that the salted hash puts ``validation`` in the validation part, ``fitting`` not."""
    out: dict[bool, list[str]] = {True: [], False: []}
    n = 0
    while len(out[True]) < validation or len(out[False]) < fitting:
        name = f"cli-{head}-{n}"
        part = out[validation_item(name)]
        if len(part) < (validation if validation_item(name) else fitting):
            part.append(name)
        n += 1
    return out[True] + out[False]


@pytest.mark.slow
def test_the_command_fits_chooses_and_writes_the_alignment_and_its_report(tmp_path: Path) -> None:
    parallel = tmp_path / "parallel"
    parallel.mkdir()
    for head in HEADS:
        items = [{"id": name, "gold": GOLD[head], **dict(zip(("en", "ru", "uk", "be"), SENTENCES[k % 5], strict=True))}
                 for k, name in enumerate(ids(head, 2, 4))]
        spec = {"head": head, "languages": ["en", "ru", "uk", "be"], "items": items}
        (parallel / f"{head}.yaml").write_text(yaml.safe_dump(spec, allow_unicode=True), encoding="utf-8")
    out = tmp_path / "out"
    result = CliRunner().invoke(app, ["train", "multilingual-align", "--parallel", str(parallel), "--out", str(out),
                                      "--threads", "1"])
    assert result.exit_code == 0, result.output
    report = json.loads((out / "alignment.json").read_text(encoding="utf-8"))
    assert report == json.loads(result.output)
    assert report["items"] == {head: {"fit": 4, "validation": 2} for head in HEADS}
    assert set(report["tried"]) == {name for name, *_ in CANDIDATES}
    for tried in report["tried"].values():  # 2 validation items per head in Russian and Ukrainian: at most 12
        assert 0 <= tried["score"] <= 12
        assert all(tried["by_head"][head]["ru_items"] == 2 for head in HEADS)
    assert report["chosen"] in report["tried"]
    assert set(report["heads"]) == set(HEADS)
    assert set(report["toxicity_on"]) == {"same_as_english", "flagged_english_normal", "texts",
                                          "english_normal_texts", "on"}
    if (out / "alignment.npz").exists():  # written only when a map gains on some head
        written = Alignment.load(out / "alignment.npz")
        assert written.languages == ("be", "ru", "uk") and set(written.layers) == set(report["layers"])
        assert all(np.isfinite(written.weights[lang]).all() for lang in written.languages)
    else:
        assert report["chosen"] == "none" or not report["layers"]
    assert not list(out.glob("candidate-*"))
