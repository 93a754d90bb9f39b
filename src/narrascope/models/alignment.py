"""Cross-lingual alignment: moving the trunk's Russian, Ukrainian and Belarusian embeddings towards English.

The heads on the multilingual trunk were fitted on English embeddings. The trunk puts a Russian sentence
near its English translation, but not on it: the same head then decides differently on the two
(issue 26's translated checks). An alignment is an affine map per language, fitted on parallel sentences
(:mod:`narrascope.models.alignment_training`, data ``training/translate-train``): for an embedding ``e`` of a
text in language ``L``

    e' = normalise(e + shift_L + (e - centre_L) @ W_L)

``shift_L`` is the mean difference between the English embeddings and their ``L`` translations, ``W_L`` a ridge
regression of what the shift leaves (``W_L = 0``: the mean shift alone). A text keeps its embedding when
:func:`narrascope.lang.sentence_language` does not name one of the map's languages (English, another script,
too short to tell): the taxonomy's English examples, for one, are never moved. A Cyrillic text the identifier
gives another language (short Russian texts are often called Serbian) takes ``meta["cyrillic_fallback"]``'s map.

The map is shipped as ``models/multilingual/alignment.npz`` (plain arrays and a JSON ``meta``, loaded without
pickle); ``meta["layers"]`` names the layers whose heads read aligned embeddings.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from narrascope.errors import NarrascopeError

FILE = "alignment.npz"


@dataclass(frozen=True)
class Alignment:
    """Per language: ``shift [d]``, ``centre [d]`` and ``weights [d, d]`` (see the module's docstring)."""

    shift: dict[str, np.ndarray]
    centre: dict[str, np.ndarray]
    weights: dict[str, np.ndarray]
    meta: dict[str, Any]

    @property
    def languages(self) -> tuple[str, ...]:
        return tuple(sorted(self.shift))

    @property
    def layers(self) -> tuple[str, ...]:
        return tuple(self.meta.get("layers", ()))

    @property
    def version(self) -> str:
        return str(self.meta.get("version", "alignment"))

    def move(self, language: str, emb: np.ndarray) -> np.ndarray:
        """``emb`` (rows of ``language``) mapped and brought back to unit length; zero rows stay zero."""
        if language not in self.shift or not len(emb):
            return emb
        moved = emb + self.shift[language] + (emb - self.centre[language]) @ self.weights[language]
        norms = np.linalg.norm(moved, axis=1, keepdims=True)
        blank = ~emb.any(axis=1)
        moved = np.where(norms > 0, moved / np.maximum(norms, 1e-12), 0.0).astype(np.float32)
        moved[blank] = 0.0
        return moved

    def save(self, path: str | Path) -> None:
        arrays = {f"{part}_{lang}": getattr(self, part)[lang].astype(np.float32)
                  for lang in self.languages for part in ("shift", "centre", "weights")}
        np.savez(path, meta=np.array(json.dumps(self.meta, ensure_ascii=False)), **arrays)  # type: ignore[arg-type]

    @classmethod
    def load(cls, path: str | Path) -> Alignment:
        try:
            with np.load(path, allow_pickle=False) as npz:
                meta = json.loads(str(npz["meta"]))
                parts: dict[str, dict[str, np.ndarray]] = {"shift": {}, "centre": {}, "weights": {}}
                for name in npz.files:
                    part, _, lang = name.partition("_")
                    if part in parts:
                        parts[part][lang] = np.asarray(npz[name], dtype=np.float32)
        except (OSError, KeyError, ValueError) as err:
            raise NarrascopeError(f"{path}: not an alignment file (meta, shift_, centre_, weights_ arrays): {err}") \
                from err
        if set(parts["shift"]) != set(parts["centre"]) or set(parts["shift"]) != set(parts["weights"]):
            raise NarrascopeError(f"{path}: every language needs a shift, a centre and weights")
        return cls(parts["shift"], parts["centre"], parts["weights"], meta)


def fit(own: np.ndarray, english: np.ndarray, ridge: float | None) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """``(shift, centre, weights)`` taking the rows of ``own`` towards the parallel rows of ``english``;
    ``ridge`` None: the mean shift alone (weights zero)."""
    if own.shape != english.shape or len(own) < 2:
        raise NarrascopeError(f"an alignment needs at least two parallel pairs of equal width, got {own.shape} "
                              f"and {english.shape}")
    delta = english - own
    shift = delta.mean(axis=0)
    centre = own.mean(axis=0)
    d = own.shape[1]
    if ridge is None:
        return shift, centre, np.zeros((d, d), dtype=np.float32)
    x = own - centre
    weights = np.linalg.solve(x.T @ x + ridge * np.eye(d), x.T @ (delta - shift))
    return shift, centre, weights.astype(np.float32)


class AlignedEncoder:
    """An encoder whose texts in the alignment's languages come back moved (:meth:`Alignment.move`)."""

    def __init__(self, encoder: Any, alignment: Alignment) -> None:
        self.encoder = encoder
        self.alignment = alignment

    def __getattr__(self, name: str) -> Any:  # threads, version, ... of the wrapped encoder
        return getattr(self.encoder, name)

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        from narrascope.lang import script, sentence_language

        emb = np.array(self.encoder.encode(texts), dtype=np.float32, copy=True)
        by_language: dict[str, list[int]] = {}
        fallback = self.alignment.meta.get("cyrillic_fallback")
        for i, text in enumerate(texts):
            language = sentence_language(text) if text and text.strip() else None
            if language not in self.alignment.shift and fallback and script(text) == "cyrillic":
                language = fallback  # a short Cyrillic text the identifier calls Serbian or Bulgarian
            if language in self.alignment.shift:
                by_language.setdefault(language, []).append(i)
        for language, rows in by_language.items():
            emb[rows] = self.alignment.move(language, emb[rows])
        return emb
