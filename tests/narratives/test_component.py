from __future__ import annotations

from pathlib import Path

from narrascope.model import Comment, Document
from narrascope.pipeline.component import get_component

BODY = ("The weather in Minsk was mild on Sunday. NATO keeps moving its bases and missiles closer to the "
        "Russian border to surround Russia.\n\nThe concert starts at eight.")


def test_document_narratives_link_to_their_sentences(tmp_path: Path) -> None:
    doc = Document(source="x", body=BODY, kind="article",
                   comments=[Comment(text="Soros-funded networks are behind these riots, as always.")])
    doc.assign_ids()
    comp = get_component("narratives", taxonomy=str(tmp_path / "none.yaml"))
    [out] = list(comp.pipe([doc]))
    ann = [a for a in out.annotations if a.layer == "narratives"]
    whole = {a.label: a for a in ann if a.data["level"] == "document"}
    assert "encircling-russia" in whole
    sent = BODY.index("NATO"), BODY.index("Russia.") + len("Russia.")
    assert whole["encircling-russia"].data["sentences"] == [list(sent)]
    per_sentence = [a for a in ann if a.data["level"] == "sentence" and a.label == "encircling-russia"]
    assert [(a.start, a.end) for a in per_sentence] == [sent]
    assert not any(a.target_type == "document" and a.data["level"] == "sentence" and a.start == 0 for a in ann)
    comment = {a.label for a in ann if a.target_type == "comment" and a.data["level"] == "comment"}
    assert "global-elites" in comment
    assert {(a.producer, bool(a.producer_version)) for a in ann} == {("narratives", True)}
    # the one-sentence comment carries its narrative at every level, each an annotation of its own
    levels = [a.data["level"] for a in ann if a.target_type == "comment" and a.label == "global-elites"]
    assert len(levels) >= 2 and len({a.id for a in ann}) == len(ann)


def test_taxonomy_change_makes_analyze_score_stored_documents_again(store, tmp_path: Path) -> None:
    from narrascope.narratives.taxonomy import Narrative, add_narrative
    from narrascope.pipeline.executor import RunSummary, analyse_pending

    user = tmp_path / "mine.yaml"
    doc = Document(source="x", kind="article", body="The new wind turbines near our village make all the cows sick. "
                   "NATO keeps moving its bases and missiles closer to the Russian border to surround Russia.")
    doc.assign_ids()
    store.write([doc])
    before = get_component("narratives", taxonomy=str(user))
    analyse_pending(store, [before], RunSummary(), 8)
    assert "wind-harm" not in {a.label for a in store.annotations(layer="narratives")}
    add_narrative(Narrative("wind-harm", "Wind farms harm animals", "Wind turbines are said to make livestock sick",
                            examples=["Wind turbines make the cows sick."]), user)
    after = get_component("narratives", taxonomy=str(user))  # the next `narrascope analyze`
    assert after.version != before.version and "/taxonomy-" in after.version
    summary = RunSummary()
    analyse_pending(store, [after], summary, 8)
    stored = list(store.annotations(target=doc.id, layer="narratives"))
    assert "wind-harm" in {a.label for a in stored} and "encircling-russia" in {a.label for a in stored}
    # the earlier run's narratives are replaced, not kept beside the new ones (counts would double)
    keys = [(a.start, a.end, a.label, a.data["level"]) for a in stored]
    assert len(keys) == len(set(keys)) and summary.annotations["narratives"] == len(stored)


def test_a_one_word_comment_or_sentence_carries_no_narrative(tmp_path: Path) -> None:
    body = "NATO.\n\nNATO keeps moving its bases and missiles closer to the Russian border to surround Russia."
    doc = Document(source="x", body=body, kind="article", comments=[Comment(text="Soros"), Comment(text="NATO!")])
    doc.assign_ids()
    [out] = list(get_component("narratives", taxonomy=str(tmp_path / "none.yaml")).pipe([doc]))
    ann = [a for a in out.annotations if a.layer == "narratives"]
    assert not [a for a in ann if a.target_type == "comment"]  # each would carry a narrative at 0.99
    sentences = {(a.start, a.end) for a in ann if a.data["level"] == "sentence"}
    assert sentences == {(body.index("NATO keeps"), len(body))}
