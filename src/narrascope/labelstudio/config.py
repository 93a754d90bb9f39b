"""The Label Studio labeling config of narrascope's tasks (``narrascope export --format labelstudio --config``).

Each layer with labels gets a ``Labels`` control of its name for spans (``techniques``,
``toxicity``, ``narratives``, ``claims``); a label of a whole text (a comment's toxicity class,
a document's or comment's narrative) is a ``Choices`` control named ``LAYER_text``. ``note``
holds an analyst's note on one span (per region), ``analyst`` the analyst's name and ``review``
whether the annotation is ``complete`` (every region the model found was reviewed: a model region
missing from it is wrong) or ``partial`` (only the regions it holds were reviewed). The labels are read from the
registered components, never from a list kept here.
"""

from __future__ import annotations

from xml.sax.saxutils import quoteattr

from narrascope import registry
from narrascope.web.corrections import layer_labels

#: layers whose labels can cover a whole text, and whether one text takes one label or several
WHOLE_TEXT = {"toxicity": "single", "narratives": "multiple"}
REVIEW = {"partial": "Only the regions in this annotation were reviewed; the others are not judged.",
          "complete": "Every region the model found in the text was reviewed: one missing here is wrong."}


def vocabularies() -> dict[str, tuple[str, ...]]:
    """Layer -> its labels, for every registered component that declares a layer with labels."""
    out: dict[str, tuple[str, ...]] = {}
    for name in registry.components.names():
        layer = getattr(registry.components.get(name), "layer", "")
        labels = layer_labels(layer) if layer else ()
        if labels:
            out[layer] = labels
    return dict(sorted(out.items()))


def text_labels(layer: str, labels: tuple[str, ...]) -> tuple[str, ...]:
    """The labels of ``layer`` that can cover a whole text (toxic spans never do)."""
    if layer == "toxicity":  # a comment the model could not read is labelled unsupported
        return tuple(dict.fromkeys([*[label for label in labels if label != "toxic_span"], "unsupported"]))
    return labels


def labeling_config(layers: dict[str, tuple[str, ...]] | None = None) -> str:
    """The XML of the labeling config: one control per layer (and per whole-text layer), note, analyst, review."""
    layers = vocabularies() if layers is None else layers
    lines = ["<View>", '  <Header value="$title"/>', '  <Text name="text" value="$text"/>']
    for layer, labels in layers.items():
        lines.append(f'  <Labels name={quoteattr(layer)} toName="text" choice="single">')
        lines += [f"    <Label value={quoteattr(label)}/>" for label in labels]
        lines.append("  </Labels>")
    for layer, labels in layers.items():
        if layer in WHOLE_TEXT:
            lines.append(f'  <Header value={quoteattr(f"{layer} of the whole text")}/>')
            lines.append(f'  <Choices name={quoteattr(f"{layer}_text")} toName="text" '
                         f'choice={quoteattr(WHOLE_TEXT[layer])} showInline="true">')
            lines += [f"    <Choice value={quoteattr(label)}/>" for label in text_labels(layer, labels)]
            lines.append("  </Choices>")
    lines += ['  <TextArea name="note" toName="text" perRegion="true" editable="true" rows="2" '
              'placeholder="note on the selected span"/>',
              '  <Header value="analyst (your name in narrascope)"/>',
              '  <TextArea name="analyst" toName="text" maxSubmissions="1" editable="true" required="true"/>',
              '  <Header value="review"/>',
              '  <Choices name="review" toName="text" choice="single" required="true" showInline="true">']
    lines += [f"    <Choice value={quoteattr(k)} hint={quoteattr(v)}/>" for k, v in REVIEW.items()]
    lines += ["  </Choices>", '  <Header value="corrections made in narrascope"/>',
              '  <Text name="history" value="$history"/>', "</View>"]
    return "\n".join(lines) + "\n"
