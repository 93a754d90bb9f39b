from __future__ import annotations

from narrascope import registry
from narrascope.model import Comment, Document
from narrascope.pipeline.component import get_component
from narrascope.toxicity.component import ToxicityComponent, sentences


def test_component_is_registered_and_lazy():
    assert "toxicity" in registry.components.names()
    component = get_component("toxicity", threads=1)
    assert isinstance(component, ToxicityComponent) and component._model is None


def test_sentences_split_with_offsets():
    body = "First one. Second one!\nThird"
    assert [body[s:e] for s, e in sentences(body)] == ["First one.", "Second one!", "Third"]


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
    for span in (a for a in doc.annotations if a.label == "toxic_span" and a.target_type == "comment"):
        parent = whole[span.target]
        assert parent.label in ("hatespeech", "offensive") and 0 <= span.start < span.end <= parent.end
    assert all(a.producer == "toxicity" and a.layer == "toxicity" for a in doc.annotations)
    for a in doc.annotations:
        if a.target_type == "document":
            assert a.label != "normal" and doc.body[a.start:a.end].strip()
