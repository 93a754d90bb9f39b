"""The analysis-component contract.

A component is a small class registered by name (``@registry.components.register``,
or the ``narrascope.components`` entry-point group for plugins); built-in components
list their module in ``narrascope.registry.BUILTINS["component"]`` so that it is imported
when the registry is first read. Constructor
arguments are its configuration; ``__init__`` stores them and does no work; models
load lazily on first use. ``pipe`` takes a batch of documents and returns them with
annotations (and, for some layers, fields) added. Components never touch a store.

Components that run a model over many texts at once derive from :class:`BatchComponent`, which
owns the batching loop and says only what differs: which texts of a document they read, how one
batch of texts is scored and what annotations one result becomes.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, replace
from typing import Any, ClassVar, NamedTuple

from narrascope import registry
from narrascope.lang import blanked, described, unreadable
from narrascope.model import Annotation, Document, TargetType, item_spans


@dataclass(frozen=True)
class Label:
    """One label a component gives: what it means, a short example of it and where the definition comes from."""

    name: str
    definition: str
    example: str = ""
    source: str = ""
    #: how analysts call it when that is not the label itself (a narrative's name)
    title: str = ""


#: what a layer says of the sentences in a language its model does not read
UNSUPPORTED = Label("unsupported", "Not analysed: the text is in a language the layer's model does not read "
                    "(the annotation says which); the language of each sentence decides.", "")


class Component:
    """Base class for analysis components.

    Subclasses set ``name``, ``version`` and ``layer``, and implement ``__call__``
    (one document) or ``pipe`` (a batch, for models that batch). They declare their labels once
    (``labels``, or ``describe_labels`` when the labels come from a file) and their model in words
    (``model_name``); the glossary, the web app and the report read them from the registry.
    """

    name: ClassVar[str] = ""
    version: ClassVar[str] = "0"
    layer: ClassVar[str] = ""
    #: what the layer finds, in one sentence
    summary: ClassVar[str] = ""
    #: the model behind the labels, in words (the version is ``version``)
    model_name: ClassVar[str] = ""
    labels: ClassVar[tuple[Label, ...]] = ()
    #: run by ``narrascope analyze`` unless the user names components explicitly
    default: ClassVar[bool] = True

    def __call__(self, doc: Document) -> Document:
        raise NotImplementedError(f"component {self.name!r} implements neither __call__ nor pipe")

    def pipe(self, docs: Iterable[Document], batch_size: int = 32) -> Iterator[Document]:
        for doc in docs:
            yield self(doc)

    def get_params(self) -> dict[str, Any]:
        return dict(vars(self))

    @classmethod
    def describe_labels(cls) -> tuple[Label, ...]:
        """The labels this component gives, with their definitions."""
        return cls.labels


class ModelVersion:
    """A component's ``version`` that is its model's, read without loading the model
    (:func:`narrascope.models.version.model_version`).

    ``read(component)`` gets the instance (``None`` on the class: the shipped model's); the value is
    fixed on an instance's first use, like the model it describes. ``analyze`` runs a component again
    over stored documents it analysed at another version, so installing a new model (or, for
    narratives, changing the taxonomy) is all it takes to bring a store up to date.
    """

    def __init__(self, read: Callable[[Any], str]) -> None:
        self.read = read

    def __get__(self, component: Any, owner: type | None = None) -> str:
        if component is None:
            return self.read(None)
        if "_version" not in vars(component):
            component._version = self.read(component)
        return str(component._version)


class Target(NamedTuple):
    """One text a component reads: the document body (or a part of it starting at ``start``) or a comment.

    ``item`` is the position of the listing item the text is (``None``: not an item). Annotations
    index the whole body or comment: a component adds ``start`` to offsets within ``text``.
    """

    id: str
    type: TargetType
    text: str
    language: str | None = None
    start: int = 0
    item: int | None = None


def body_targets(doc: Document) -> list[Target]:
    """The body as one text, or a listing's items each as a text of its own (spans never cross two stories)."""
    if not doc.body.strip():
        return []
    spans = item_spans(doc.body, doc.items) if doc.items else []
    if not spans:
        return [Target(doc.id, "document", doc.body, doc.language)]
    return [Target(doc.id, "document", doc.body[s:e], doc.language, s, n) for n, (s, e) in enumerate(spans)
            if doc.body[s:e].strip()]


def text_targets(doc: Document) -> list[Target]:
    """The body (or each listing item) and each comment, when not blank."""
    return body_targets(doc) + [Target(c.id, "comment", c.text, c.language) for c in doc.comments if c.text.strip()]


def language_note(target: Target, supported: tuple[str, ...]) -> dict[str, str]:
    """``{"unsupported_language": code}`` when the target's language (given, else identified) is not ``supported``."""
    from narrascope.lang import identify

    lang = target.language or identify(target.text)
    return {"unsupported_language": lang} if lang and lang not in supported else {}


class BatchComponent(Component):
    """A component that scores the texts of a batch of documents with one model call.

    Subclasses implement ``load_model`` (called once, on first use), ``score`` (one result per
    text) and ``annotations`` (what one target's result becomes); they may narrow ``targets``
    (default: the body and the non-blank comments) or ``batch_full`` (default: ``batch_size``
    documents). ``get_params`` returns the configuration, not the loaded model.
    """

    _model: Any = None

    def get_params(self) -> dict[str, Any]:
        return {k: v for k, v in vars(self).items() if not k.startswith("_")}

    @property
    def model(self) -> Any:
        if self._model is None:
            self._model = self.load_model()
        return self._model

    def load_model(self) -> Any:
        raise NotImplementedError(f"component {self.name!r} does not say how to load its model")

    def targets(self, doc: Document) -> list[Target]:
        return text_targets(doc)

    def score(self, texts: list[str]) -> list[Any]:
        return self.score_with(self.model, texts)

    def score_with(self, model: Any, texts: list[str]) -> list[Any]:
        """One result per text from ``model`` (the layer's own, or its multilingual one)."""
        raise NotImplementedError(f"component {self.name!r} does not say how to score texts")

    def second_languages(self) -> tuple[str, ...]:
        """The languages a second, multilingual model of this layer reads: their sentences are scored by it
        (:meth:`load_second_model`, through :meth:`score_with`) instead of said ``unsupported``. By default those
        of the layer's head on the multilingual trunk (:mod:`narrascope.models.crosslingual`) when the component's
        ``multilingual`` parameter is on, else none."""
        from narrascope.models import crosslingual

        return crosslingual.languages(self.layer) if getattr(self, "multilingual", False) else ()

    def load_second_model(self) -> Any:
        raise NotImplementedError(f"component {self.name!r} has no multilingual model")

    @property
    def second_model(self) -> Any:
        if getattr(self, "_second", None) is None:
            self._second = self.load_second_model()
        return self._second

    def second_version(self) -> str:
        """The version that the second model's annotations record."""
        return str(self.second_model.version)

    def annotations(self, target: Target, result: Any, version: str) -> list[Annotation]:
        raise NotImplementedError(f"component {self.name!r} does not say what a result becomes")

    def batch_full(self, batch: list[Document], batch_size: int) -> bool:
        return len(batch) >= batch_size

    def __call__(self, doc: Document) -> Document:
        return next(self.pipe([doc]))

    def pipe(self, docs: Iterable[Document], batch_size: int = 32) -> Iterator[Document]:
        batch: list[Document] = []
        for doc in docs:
            batch.append(doc)
            if self.batch_full(batch, batch_size):
                yield from self.annotate(batch)
                batch = []
        if batch:
            yield from self.annotate(batch)

    def supported_languages(self) -> tuple[str, ...] | None:
        """The languages this layer's model reads (``None``: any). A sentence in another one is not analysed;
        the layer says ``unsupported`` for it instead (see :meth:`annotate`)."""
        return None

    def annotate(self, docs: list[Document]) -> list[Document]:
        """Score every target of ``docs`` in one call and add the annotations to their documents.

        The language of each sentence decides what the model reads: sentences in a language the layer does
        not support are blanked out of the text it scores and get one ``unsupported`` annotation per run
        (``data``: ``language`` and ``reason``); a target with nothing left is not scored at all."""
        jobs = [(doc, t) for doc in docs for t in self.targets(doc)]
        if not jobs:
            return docs
        languages = self.supported_languages()
        runs = [unreadable(t.text, languages, t.language) if languages else () for _, t in jobs]
        read = [t._replace(text=blanked(t.text, r)) for (_, t), r in zip(jobs, runs, strict=True)]
        scored = [i for i, (t, r) in enumerate(zip(read, runs, strict=True))
                  if not r or any(ch.isalnum() for ch in t.text)]
        results = dict(zip(scored, self.score([read[i].text for i in scored]), strict=True)) if scored else {}
        version = self.model.version if scored else self.version
        second = self.second_languages() if languages else ()
        foreign = [tuple(run for run in r if run[2] in second) for r in runs]
        other = [complement(t.text, f) for (_, t), f in zip(jobs, foreign, strict=True)]
        read2 = [t._replace(text=blanked(t.text, o)) for (_, t), o in zip(jobs, other, strict=True)]
        scored2 = [i for i, f in enumerate(foreign) if f and any(ch.isalnum() for ch in read2[i].text)]
        results2 = (dict(zip(scored2, self.score_with(self.second_model, [read2[i].text for i in scored2]),
                             strict=True)) if scored2 else {})
        version2 = self.second_version() if scored2 else ""
        for i, (doc, target) in enumerate(jobs):
            out = self.annotations(read[i], results[i], version) if i in results else []
            skipped = [(target.start + s, target.start + e, lang) for s, e, lang in runs[i]]
            doc.annotations += [piece for a in out for piece in outside(a, skipped, target)]
            if i in results2:
                kept = [(target.start + s, target.start + e, lang) for s, e, lang in other[i]]
                out2 = self.annotations(read2[i], results2[i], version2)
                doc.annotations += [marked_multilingual(piece, foreign[i])
                                    for a in out2 for piece in outside(a, kept, target)]
            doc.annotations += [self.unsupported(target, s, e, lang, languages or (), version)
                                for s, e, lang in skipped if (s - target.start, e - target.start, lang)
                                not in foreign[i]]
        return docs

    def unsupported(self, target: Target, start: int, end: int, language: str, languages: tuple[str, ...],
                    version: str) -> Annotation:
        """The annotation saying that ``[start, end)`` of ``target`` is in a ``language`` this layer cannot read."""
        reason = f"language {described(language)}: the {self.layer} model reads {', '.join(languages)} only"
        return Annotation(target.id, target.type, start, end, self.layer, "unsupported", None, self.name, version,
                          {"reason": reason, "language": language})


def complement(text: str, runs: tuple[tuple[int, int, str], ...]) -> tuple[tuple[int, int, str], ...]:
    """The stretches of ``text`` outside ``runs`` (sorted, not overlapping): what a second model must not read."""
    out, at = [], 0
    for start, end, _ in runs:
        if start > at:
            out.append((at, start, ""))
        at = max(at, end)
    if at < len(text):
        out.append((at, len(text), ""))
    return tuple(out)


def marked_multilingual(a: Annotation, runs: tuple[tuple[int, int, str], ...]) -> Annotation:
    """``a``, made by the multilingual model over ``runs``, saying so in its ``data`` (``language``: the runs')."""
    found = sorted({lang for _, _, lang in runs})
    return replace(a, data={**(a.data or {}), "language": "+".join(found), "model": "multilingual"})


def outside(a: Annotation, runs: list[tuple[int, int, str]], target: Target) -> list[Annotation]:
    """``a`` without the ``runs`` its layer did not read: a span the model drew across one (it never saw
    the blanked words) becomes the pieces around it that hold words; a label of the whole text stays."""
    end = target.start + len(target.text)
    if a.start <= target.start and a.end >= end or not any(s < a.end and a.start < e for s, e, _ in runs):
        return [a]
    text = f"{' ' * target.start}{target.text}"
    pieces, at = [], a.start
    for s, e, _ in sorted(runs):
        if s < a.end and a.start < e:
            pieces.append((at, max(at, s)))
            at = max(at, e)
    pieces.append((at, a.end))
    out = []
    for s, e in pieces:
        while s < e and not text[s].isalnum():
            s += 1
        while e > s and not text[e - 1].isalnum() and text[e - 1] not in ".!?»\"'”)":
            e -= 1
        if any(ch.isalnum() for ch in text[s:e]):
            out.append(replace(a, start=s, end=e, id=""))  # a new id: it hashes the offsets
    return out


def get_component(name: str, **config: Any) -> Component:
    """Build the component registered as ``name`` with ``config`` as constructor arguments."""
    return registry.components.get(name)(**config)


def default_components() -> list[str]:
    """Names of the registered components ``analyze`` runs when none are named."""
    return [n for n in registry.components.names() if getattr(registry.components.get(n), "default", True)]
