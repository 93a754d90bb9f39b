from __future__ import annotations

from narrascope import registry
from narrascope.model import Comment, Document
from narrascope.pipeline.component import get_component
from narrascope.toxicity.component import ToxicityComponent


def test_component_is_registered_and_lazy():
    assert "toxicity" in registry.components.names()
    component = get_component("toxicity", threads=1)
    assert isinstance(component, ToxicityComponent) and component._model is None


def test_every_comment_is_annotated(shipped_model):
    doc = Document(source="t", kind="thread", body="A calm article. You are a disgusting stupid idiot.", comments=[
        Comment(text="You are a disgusting stupid idiot", author="a"),
        Comment(text="Thanks for writing this.", author="b"),
        Comment(text="", author="c"),
    ]).assign_ids()
    component = ToxicityComponent(sentences=True)
    component._model = shipped_model
    doc = component(doc)
    whole = {a.target: a for a in doc.annotations if a.target_type == "comment" and a.label != "toxic_span"}
    assert set(whole) == {c.id for c in doc.comments}
    insult, thanks, empty = (whole[c.id] for c in doc.comments)
    assert (insult.start, insult.end) == (0, len(doc.comments[0].text))
    assert set(insult.data["scores"]) == {"hatespeech", "offensive", "normal"}
    assert insult.data["scores"]["normal"] < thanks.data["scores"]["normal"]
    assert empty.label == "unsupported" and empty.data["reason"]
    c1, c2, c3 = (c.id for c in doc.comments)
    # (target, label, start, end): the comment's class over its whole text, its toxic span, and with
    # sentences=True the body's toxic sentence and its span; every annotation is the toxicity layer's
    assert [(a.target, a.label, a.start, a.end) for a in doc.annotations] == [
        (c1, "hatespeech", 0, 33), (c1, "toxic_span", 21, 33), (c2, "normal", 0, 24), (c3, "unsupported", 0, 0),
        (doc.id, "hatespeech", 16, 50), (doc.id, "toxic_span", 37, 49)]
    assert doc.body[37:49] == "stupid idiot"
    assert {(a.producer, a.layer) for a in doc.annotations} == {("toxicity", "toxicity")}
