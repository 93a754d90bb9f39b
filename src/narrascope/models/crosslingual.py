"""The multilingual trunk's heads: how a layer reads the languages its English model does not.

The trunk (``models/multilingual/``: multilingual-e5-small, vocabulary trimmed, int8; see its
``MODEL_CARD.md``) embeds a passage; a layer's head there (``models/multilingual/<layer>.npz``) turns
the embedding into the layer's result. A layer with such a head scores its sentences in the trunk's
``languages`` (Russian, Ukrainian, Belarusian) with it instead of saying ``unsupported``; its English
sentences still go to its English model (:meth:`narrascope.pipeline.component.BatchComponent.annotate`).
"""

from __future__ import annotations

import functools
import json
from pathlib import Path
from typing import Any

from narrascope.models.version import CONFIG_FILE, meta

TRUNK = Path(__file__).resolve().parent / "multilingual"


#: layer -> a head file read instead of the shipped one (while training compares candidates)
HEAD_OVERRIDES: dict[str, Path] = {}


def heads_file(layer: str) -> Path:
    """Where the multilingual head of ``layer`` is shipped (it may not be)."""
    return HEAD_OVERRIDES.get(layer) or TRUNK / f"{layer}.npz"


def trunk_config() -> dict[str, Any]:
    return dict(json.loads((TRUNK / CONFIG_FILE).read_text(encoding="utf-8")))


def languages(layer: str) -> tuple[str, ...]:
    """The languages ``layer`` reads through the trunk: none when no head of it is shipped."""
    if not heads_file(layer).is_file():
        return ()
    return tuple(str(code) for code in trunk_config().get("languages", ()))


def version(layer: str) -> str:
    """``trunk/head`` versions of ``layer``'s multilingual model, read without loading it ("" without a head)."""
    if not heads_file(layer).is_file():
        return ""
    return head_version(heads_file(layer))


def head_version(heads: Path) -> str:
    """``trunk/head``: the trunk's version and that of the head file ``heads`` (``trunk/head+ALIGNMENT`` when the
    head reads through the shipped alignment: its layer is the head file's name)."""
    aligned = alignment_version(heads.stem) if heads.resolve().parent == TRUNK else ""
    return f"{trunk_config().get('version', 'trunk')}/{meta(heads).get('version', 'heads')}" + \
        (f"+{aligned}" if aligned else "")


@functools.lru_cache(maxsize=4)
def encoder(threads: int = 1) -> Any:
    """The trunk's sentence encoder (``query: `` before each text, from its config), one per ``threads`` in a
    process: every layer's head reads through the same onnxruntime session, loaded once on first use, and a
    sentence that another layer's head has read already is not run again (it remembers the embeddings)."""
    from narrascope.models.sentence import REMEMBERED, SentenceEncoder

    return SentenceEncoder(TRUNK, threads=threads, remember=REMEMBERED)


#: the cross-lingual alignment the heads read through (:mod:`narrascope.models.alignment`): the shipped file,
#: which may be absent; None or another file while training compares candidates
ALIGNMENT: Path | None = TRUNK / "alignment.npz"


@functools.lru_cache(maxsize=2)
def _alignment(path: Path | None) -> Any:
    from narrascope.models.alignment import Alignment

    return Alignment.load(path) if path is not None and path.is_file() else None


def layer_encoder(layer: str, threads: int = 1) -> Any:
    """The trunk's encoder as ``layer``'s head reads it: through the alignment (:data:`ALIGNMENT`) when that
    names the layer, else the trunk's own (:func:`encoder`)."""
    from narrascope.models.alignment import AlignedEncoder

    found = _alignment(ALIGNMENT)
    base = encoder(threads)
    return AlignedEncoder(base, found) if found is not None and layer in found.layers else base


def alignment_version(layer: str) -> str:
    """The version of the shipped alignment when it names ``layer`` ("" otherwise)."""
    found = _alignment(ALIGNMENT)
    return found.version if found is not None and layer in found.layers else ""


class UsesTrunk:
    """For a layer's model over the trunk: ``encoder`` is the one given (``self._encoder``), else the trunk's
    as the layer ``self.layer`` reads it (:func:`layer_encoder`) with the model's ``threads``, built on first use."""

    threads: int
    layer: str
    _encoder: Any

    @property
    def encoder(self) -> Any:
        if self._encoder is None:
            self._encoder = layer_encoder(self.layer, self.threads)
        return self._encoder


def versioned(primary: str, layer: str, enabled: bool = True) -> str:
    """A layer's version with its multilingual model's appended (``primary+multilingual:trunk/head``) when it
    has one and it is ``enabled``: installing a new multilingual head makes ``analyze`` read stored documents again."""
    second = version(layer) if enabled else ""
    return f"{primary}+multilingual:{second}" if second else primary
