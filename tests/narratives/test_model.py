from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from narrascope.narratives.model import NarrativeModel, calibrate
from narrascope.narratives.taxonomy import Narrative, add_narrative, load_taxonomy


@pytest.fixture(scope="module")
def encoder():
    from narrascope.models.sentence import SentenceEncoder

    return SentenceEncoder()


def test_calibrate_maps_threshold_to_half() -> None:
    out = calibrate(np.array([[0.0, 0.2, 0.6, 1.0]]), np.array([0.2, 0.2, 0.2, 0.2]))
    assert np.allclose(out, [[0.0, 0.5, 0.75, 1.0]])


def test_analyst_narrative_works_at_once(tmp_path: Path, encoder) -> None:
    user = tmp_path / "mine.yaml"
    text = "Wind turbines are making the cows on our farms sick. Nothing else happened today."
    before = NarrativeModel(user, encoder=encoder).analyse([text])[0]
    assert "wind-turbines-harm" not in {n["id"] for n in before.narratives}
    add_narrative(Narrative("wind-turbines-harm", "Wind farms harm health", "Wind turbines are said to make "
                            "people and animals ill.", None, [], [],
                            ["Wind turbines cause illness in livestock.", "Living near wind farms makes people sick.",
                             "The noise of wind turbines harms animals."]), user)
    model = NarrativeModel(user, encoder=encoder)
    [res] = model.analyse([text])
    hit = next(n for n in res.narratives if n["id"] == "wind-turbines-harm")
    assert hit["score"] >= 0.5
    assert hit["sentences"] == [[0, text.index(".") + 1]]  # the carrying sentence, not the other one
    shipped = load_taxonomy(include_user=False).version
    assert model.taxonomy.version == shipped + "+1"  # the file add_narrative created starts at version 1
    assert model.version.endswith("/" + shipped + "+1")  # annotations record the overlaid taxonomy


def test_bad_inputs_give_empty_results(encoder) -> None:
    model = NarrativeModel(encoder=encoder, max_chars=2_000)
    empty, word, long = model.analyse(["", "NATO", "The West. " * 30_000])
    assert empty.narratives == [] and empty.keywords == []
    # a one-word text is not scored at all: the name of a topic is not a storyline
    assert word.units is not None and word.units.spans == [] and word.narratives == [] and word.keywords == []
    assert max(e for _, e in long.units.spans) <= model.max_chars
