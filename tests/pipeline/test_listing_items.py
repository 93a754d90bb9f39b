"""A listing's items are analysed one by one: no annotation runs from one story into the next."""

from __future__ import annotations

from pathlib import Path

from narrascope import open_corpus
from narrascope.model import item_spans
from narrascope.pipeline.component import text_targets

FRONT_PAGE = """Front page

Traitors and puppets of the West flee the country
The so-called opposition, a gang of foreign-paid thugs, ran to Vilnius after their shameful defeat. Every honest \
citizen knows who pays them.

Brave workers defend the motherland against chaos
Our heroic factory workers will never bow to the criminal mob that wants to destroy everything our grandfathers \
built.

Western media spread monstrous lies about Minsk
The hysterical propaganda machine of Brussels repeats the same disgusting fabrications day after day.

Only the president can save the nation from disaster
Without strong leadership the country would fall into the abyss of civil war, bloodshed and total ruin.
"""


def test_each_item_is_a_target_of_its_own(fixtures: Path) -> None:
    from narrascope.readers import parse

    (doc,) = parse(fixtures / "text" / "aggregator.txt")
    targets = text_targets(doc)
    assert [t.item for t in targets] == list(range(15))
    assert targets[4].text == (
        "Journalists detained at Sunday march released\nFour reporters held overnight were freed without charge, "
        "their editors said, although their cameras and memory cards were kept by the police.")
    assert doc.body[targets[4].start:targets[4].start + len(targets[4].text)] == targets[4].text


def test_technique_spans_stay_inside_their_item(tmp_path: Path) -> None:
    """Through ingest and analysis with the shipped techniques model, read back from the DuckDB store."""
    page = tmp_path / "front.txt"
    page.write_text(FRONT_PAGE, encoding="utf-8")
    with open_corpus(str(tmp_path / "c.duckdb")) as corpus:
        summary = corpus.analyze([str(page)], components=["techniques"])
        assert summary.ok and summary.documents == 1
        (doc,) = corpus.documents(full=True)
        assert (doc.kind, len(doc.items)) == ("listing", 4)
        spans = item_spans(doc.body, doc.items)
        found = [a for a in doc.annotations if a.layer == "techniques"]
        assert len(found) >= 3
        holders = [[n for n, (s, e) in enumerate(spans) if s <= a.start and a.end <= e] for a in found]
        assert all(len(h) == 1 for h in holders), [(a.start, a.end) for a in found]
        assert len({h[0] for h in holders}) >= 3  # found in three stories at least, each within its own


def test_claims_and_narratives_index_the_body_item_by_item(fixtures: Path) -> None:
    """Offsets found in an item are moved to the item's place in the body; a whole-text narrative is the item's."""
    from narrascope.pipeline.component import get_component
    from narrascope.readers import parse

    (doc,) = parse(fixtures / "text" / "aggregator.txt")
    for name in ("claims", "narratives"):
        get_component(name)(doc)
    spans = item_spans(doc.body, doc.items)
    claims = [a for a in doc.annotations if a.layer == "claims"]
    wholes = [a for a in doc.annotations if a.layer == "narratives" and a.data and a.data["level"] == "item"]
    assert len(claims) >= 15 and wholes
    assert [a.data["text"] for a in claims] == [doc.body[a.start:a.end] for a in claims]
    assert "Potash exports fall for a third month" in [a.data["text"] for a in claims]
    assert [(a.start, a.end) for a in wholes] == [spans[a.data["item"]] for a in wholes]
    for a in doc.annotations:
        assert len([n for n, (s, e) in enumerate(spans) if s <= a.start and a.end <= e]) == 1, a
