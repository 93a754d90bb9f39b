from __future__ import annotations

from narrascope import registry
from narrascope.model import Comment, Document
from narrascope.techniques.component import TechniquesComponent
from narrascope.techniques.inference import TechniqueSpan


class FakeModel:
    """Marks the first word of every text; records what it was asked."""

    version = "fake-1"

    def __init__(self) -> None:
        self.calls: list[list[str]] = []

    def spans(self, texts):
        self.calls.append(list(texts))
        out = []
        for t in texts:
            word = t.split()[0]
            start = t.index(word)
            out.append([TechniqueSpan(start, start + len(word), "Loaded_Language", 0.9, 0.7)])
        return out


def make_component(**config):
    component = TechniquesComponent(**config)
    component._model = FakeModel()
    return component


def test_registered_and_configured_without_work():
    cls = registry.components.get("techniques")
    assert cls is TechniquesComponent and cls.layer == "techniques"
    component = cls(threads=2, batch_size=4)
    assert component._model is None
    assert component.get_params()["threads"] == 2


def test_annotates_bodies_and_comments_in_one_batch():
    docs = [Document(source="a", body="  Traitors everywhere.", language="en",
                     comments=[Comment(text="Evil plan", language="en"), Comment(text="   ")]).assign_ids(),
            Document(source="b", body="").assign_ids()]
    component = make_component()
    out = list(component.pipe(docs))
    assert len(component._model.calls) == 1 and len(component._model.calls[0]) == 2
    anns = out[0].annotations
    assert {(a.target_type, a.target) for a in anns} == {("document", docs[0].id), ("comment", docs[0].comments[0].id)}
    body_ann = next(a for a in anns if a.target_type == "document")
    assert docs[0].body[body_ann.start:body_ann.end] == "Traitors"
    assert body_ann.layer == "techniques" and body_ann.producer == "techniques"
    assert body_ann.producer_version == "fake-1" and body_ann.score == 0.9
    assert "unsupported_language" not in body_ann.data
    assert out[1].annotations == []


def test_other_languages_are_marked_unsupported_and_not_read():
    doc = Document(source="x", body="Die korrupten Verräter zerstören unser großes Land, sagen sie.").assign_ids()
    component = make_component()
    [out] = list(component.pipe([doc]))
    assert [(a.label, a.start, a.end, a.data) for a in out.annotations] == [
        ("unsupported", 0, 62, {"language": "de", "reason": "language 'de': the techniques model reads en only"})]
    assert component._model.calls == []  # nothing left to read: the model is not asked


def test_long_text_is_cut_at_max_chars():
    doc = Document(source="x", body="word " * 1000, language="en").assign_ids()
    component = make_component(max_chars=50)
    component(doc)
    assert len(component._model.calls[0][0]) == 50


def test_version_is_the_model_version_so_a_new_model_reannotates():
    import json

    from narrascope.models import crosslingual
    from narrascope.techniques.inference import MODEL_DIR

    shipped = json.loads((MODEL_DIR / "config.json").read_text(encoding="utf-8"))["version"]
    component = TechniquesComponent()
    both = f"{shipped}+multilingual:{crosslingual.version('techniques')}"
    assert TechniquesComponent.version == component.version == both
    assert TechniquesComponent(multilingual=False).version == shipped
    doc = Document(source="x", body="Only the corrupt traitors in Brussels would sell out our great nation.",
                   language="en").assign_ids()
    [out] = list(component.pipe([doc]))
    assert out.annotations and {a.producer_version for a in out.annotations} == {shipped}
