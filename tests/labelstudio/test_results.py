"""Reading Label Studio 1.23.2's own JSON export (a real one: benchmarks/labelstudio_live.py wrote it from
narrascope's demo corpus) into analysts' views of each text."""

from __future__ import annotations

from pathlib import Path

import pytest

from narrascope.labelstudio.config import vocabularies
from narrascope.labelstudio.results import TaskError, author, read_tasks, read_view, when

EXPORT = Path(__file__).resolve().parents[1] / "fixtures" / "labelstudio" / "demo-project-export.json"


def views() -> list[tuple[str, list[tuple[str, object]]]]:
    layers = vocabularies()
    out = []
    for task in read_tasks(str(EXPORT)):
        read = [read_view(a, task["data"]["text"], layers) for a in task["annotations"]]
        out.append((task["data"]["target_id"], [(author(a, v, {}), v) for a, v in
                                                 zip(task["annotations"], read, strict=True)]))
    return out


def test_every_annotation_of_a_real_export_reads_with_its_analyst_and_regions():
    (doc, [ana, ben, cleo]), (comment, [ben_on_comment]) = views()
    assert (doc, comment) == ("d1fb5fb8eef247e68", "d8bbd11071691a07e-c1")
    assert [ana[0], ben[0], cleo[0], ben_on_comment[0]] == ["Ana", "Ben", "Cleo", "Ben"]  # completed_by: 2, 1, 1, 1
    assert ana[1].spans == {"add-7033b1efad4f85bc": ("techniques", 6, 14, "Slogans"),  # region ids survive Label Studio
                            "a5436b607dc61a6f2": ("techniques", 15, 19, "Loaded_Language")}
    assert ana[1].notes == {"a5436b607dc61a6f2": "reads as Appeal_to_Authority"} and ana[1].review == "partial"
    assert ben[1].spans == {} and ben[1].review == "partial"  # his rejection: nothing kept
    assert cleo[1].spans == {"ae0e04d05f1f47c67": ("claims", 47, 133, "claim"),
                             "cleoMoved1": ("techniques", 15, 24, "Loaded_Language")}
    assert cleo[1].notes == {"cleoMoved1": "the span goes on"} and cleo[1].review == "complete"
    assert ben_on_comment[1].choices == {"toxicity": ["normal"]}


def test_times_and_credit_come_from_label_studio():
    task = read_tasks(str(EXPORT))[0]
    assert when(task["annotations"][2]).endswith("+00:00") and when({}) is None
    assert when({"updated_at": "2026-12-07T09:00:00.123456Z"}) == "2026-12-07T09:00:00+00:00"
    nameless = {"completed_by": {"id": 2, "email": "ana@desk.example"}, "result": []}
    view = read_view(nameless, task["data"]["text"], vocabularies())
    assert author(nameless, view, {"ana@desk.example": "Ana"}) == "Ana"  # the --annotators map, read backwards
    assert author(nameless, view, {}) == "ana@desk.example"
    with pytest.raises(TaskError, match="names no analyst"):
        author({"completed_by": 2, "result": []}, view, {})


@pytest.mark.parametrize("region, message", [
    ({"from_name": "techniques", "value": {"start": 5, "end": 3, "labels": ["Doubt"]}}, "is outside the text"),
    ({"from_name": "techniques", "value": {"start": 0, "end": 4, "text": "nope", "labels": ["Doubt"]}},
     "its offsets do not fit the stored text"),
    ({"from_name": "techniques", "value": {"start": 0, "end": 4, "labels": ["Doubt", "Slogans"]}}, "has 2 labels"),
    ({"from_name": "sentiment", "value": {"choices": ["good"]}}, "not a control of narrascope's labeling config"),
    ({"from_name": "toxicity_text", "value": {"choices": ["spam"]}}, "'spam' is not a toxicity label"),
])
def test_a_region_that_cannot_come_back_is_named(region, message):
    with pytest.raises(TaskError, match=message):
        read_view({"result": [{"id": "r1", "to_name": "text", "type": "labels", **region}]}, "some text here",
                  vocabularies())


def test_a_relation_drawn_in_label_studio_is_passed_over():
    relation = {"from_id": "r1", "to_id": "r2", "type": "relation", "direction": "right"}
    view = read_view({"result": [relation]}, "some text here", vocabularies())
    assert (view.spans, view.choices, view.notes) == ({}, {}, {})
