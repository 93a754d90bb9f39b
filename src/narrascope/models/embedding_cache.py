"""Sentence embeddings kept on disk between training runs, keyed by the sha256 of each text.

Training a head on the frozen multilingual trunk embeds tens of thousands of sentences; a rerun (another C,
another threshold rule, ``--test``) should not embed them again. :class:`CachedEncoder` wraps an encoder:
texts it has seen come from ``.npz`` files in its directory (``keys``: sha256 hex of the text, ``embeddings``:
``[n, dim]`` float32, no pickle), new ones are embedded in chunks and each chunk is written as it is done, so
an interrupted run loses at most one chunk. One directory per encoder: the cache does not know which model
made its rows. ``NARRASCOPE_E5_CACHE`` names a root for the trainers (``<root>/<layer>/``).
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

CACHE_ENV = "NARRASCOPE_E5_CACHE"


def text_key(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def cache_dir(layer: str, default: Path) -> Path:
    """``$NARRASCOPE_E5_CACHE/<layer>`` when that variable is set, else ``default``."""
    root = os.environ.get(CACHE_ENV)
    return Path(root) / layer if root else Path(default)


class CachedEncoder:
    """``encode(texts)`` of ``encoder``, reading and writing the embeddings of ``directory``."""

    def __init__(self, encoder: Any, directory: str | Path, chunk: int = 2000) -> None:
        self.encoder = encoder
        self.directory = Path(directory)
        self.chunk = chunk
        self._rows: dict[str, np.ndarray] | None = None

    @property
    def version(self) -> str:
        return str(getattr(self.encoder, "version", ""))

    def _load(self) -> dict[str, np.ndarray]:
        if self._rows is None:
            self._rows = {}
            for path in sorted(self.directory.glob("*.npz")):
                with np.load(path, allow_pickle=False) as z:
                    self._rows.update(zip(z["keys"].tolist(), z["embeddings"], strict=True))
        return self._rows

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        """Embeddings ``[len(texts), dim]``, from the cache where it has them."""
        rows = self._load()
        keys = [text_key(t) for t in texts]
        missing = list(dict.fromkeys(k for k in keys if k not in rows))
        if missing:
            first = {k: t for k, t in zip(keys, texts, strict=True)}
            self.directory.mkdir(parents=True, exist_ok=True)
            for at in range(0, len(missing), self.chunk):
                part = missing[at:at + self.chunk]
                emb = np.asarray(self.encoder.encode([first[k] for k in part]), dtype=np.float32)
                name = self.directory / f"{part[0][:16]}-{len(part)}.npz"
                np.savez(name, keys=np.array(part, dtype=str), embeddings=emb)
                rows.update(zip(part, emb, strict=True))
        if not keys:
            return np.zeros((0, int(getattr(self.encoder, "dim", 384))), dtype=np.float32)
        return np.stack([rows[k] for k in keys])
