from __future__ import annotations

from pathlib import Path

import pytest

from narrascope.errors import NarrascopeError
from narrascope.model import Document
from narrascope.narratives.discovery import Discovery
from narrascope.narratives.discovery_store import discover, load_clusters, promote, uncovered_sentences
from narrascope.narratives.taxonomy import load_taxonomy

WIND = ["Wind turbines are making the farm animals sick in our village.",
        "The wind farm noise is causing illness among local cattle.",
        "Our cows got ill after the new wind turbines were built nearby.",
        "Farmers say wind turbines make their livestock sick every year."]
SCHOOL = ["The school canteen now serves only frozen pizza to the children.",
          "Children at the school are fed frozen pizza every single day.",
          "Parents complain that the school lunch is always frozen pizza.",
          "Frozen pizza is the only meal the school canteen offers our kids."]


def test_discover_is_incremental_and_promotable(store, tmp_path: Path) -> None:
    doc = Document(source="a", body=" ".join(WIND[:3] + SCHOOL[:3]), kind="article")
    doc.assign_ids()
    store.write([doc])
    finder = Discovery(min_cluster_size=3, join_threshold=0.55)
    first = discover(store, finder)
    assert len(first) == 2 and sorted(c.size for c in first) == [3, 3]
    ids = sorted(c.id for c in first)
    assert discover(store, finder) and sorted(c.id for c in load_clusters(store)) == ids  # nothing new: unchanged
    later = Document(source="b", body=" ".join([WIND[3], SCHOOL[3]]), kind="article")
    later.assign_ids()
    store.write([later])
    again = discover(store, finder)
    assert sorted(c.id for c in again) == ids and sorted(c.size for c in again) == [4, 4]
    wind = next(c for c in again if any("wind" in k or "turbines" in k for k in c.keywords))
    user = tmp_path / "mine.yaml"
    promote(store, wind.id, "wind-harm", "Wind farms make animals sick", taxonomy=user)
    assert load_taxonomy(user).narratives["wind-harm"].examples[0] in WIND
    assert next(c for c in load_clusters(store) if c.id == wind.id).promoted_to == "wind-harm"
    with pytest.raises(NarrascopeError, match="already promoted to narrative 'wind-harm'"):
        promote(store, wind.id, "wind-harm-2", "Again", taxonomy=user)
    assert "wind-harm-2" not in load_taxonomy(user).narratives


OTHER = ["The bakery on the corner sells fresh croissants every Tuesday morning.",
         "Our football team lost the regional final after extra time last night."]


def test_rerun_without_new_input_changes_nothing(store) -> None:
    doc = Document(source="a", body=" ".join(WIND[:3] + OTHER + SCHOOL[:3]), kind="article")
    doc.assign_ids()
    store.write([doc])
    finder = Discovery(min_cluster_size=3, join_threshold=0.55)

    def state() -> list[tuple[str, int, list[tuple[str, int, int]]]]:
        return [(c.id, c.size, sorted(m.key for m in c.members)) for c in load_clusters(store)]

    discover(store, finder)
    first = state()
    assert len(first) == 2 and uncovered_sentences(store) == []  # the two noise sentences are recorded too
    discover(store, finder)
    assert state() == first
