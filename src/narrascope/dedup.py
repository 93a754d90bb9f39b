"""Exact and near-duplicate detection: MinHash LSH over word shingles (datasketch)."""

from __future__ import annotations

import hashlib
import re
import zlib
from functools import lru_cache
from typing import Any

import numpy as np

_WORD = re.compile(r"\w+")
SCHEME = "affine32"  # stored signatures must be rebuilt with the scheme and hash that made them


def shingles(text: str, size: int = 3) -> list[bytes]:
    words = _WORD.findall(text.lower())
    if len(words) < size:
        return [" ".join(words).encode()] if words else []
    return [" ".join(words[i:i + size]).encode() for i in range(len(words) - size + 1)]


def paragraph_hashes(body: str, min_chars: int = 80) -> list[tuple[int, int, str]]:
    """(start, end, hash) of every paragraph long enough to be worth tracking."""
    out, pos = [], 0
    for para in body.split("\n"):
        start, pos = pos, pos + len(para) + 1
        stripped = para.strip()
        if len(stripped) >= min_chars:
            key = hashlib.blake2b(" ".join(stripped.lower().split()).encode(), digest_size=12).hexdigest()
            lead = len(para) - len(para.lstrip())
            out.append((start + lead, start + lead + len(stripped), key))
    return out


@lru_cache(maxsize=16)
def _bands(threshold: float, num_perm: int) -> tuple[int, int]:
    from datasketch.lsh import _optimal_param  # numerical integration: about 10 ms, so computed once

    return tuple(_optimal_param(threshold, num_perm, 0.5, 0.5))


class NearDuplicates:
    """An LSH index of MinHash signatures; ``query`` finds bodies at Jaccard >= ``threshold``.

    ``min_words`` keeps very short texts out: "Thanks!" under two stories is not syndication.
    """

    def __init__(self, threshold: float = 0.8, num_perm: int = 64, min_words: int = 40) -> None:
        self.threshold = threshold
        self.num_perm = num_perm
        self.min_words = min_words
        self._lsh: Any = None
        self._sigs: dict[str, Any] = {}

    def _index(self) -> Any:
        if self._lsh is None:
            from datasketch import MinHashLSH

            self._lsh = MinHashLSH(threshold=self.threshold, num_perm=self.num_perm)
        return self._lsh

    def signature(self, text: str) -> Any:
        from datasketch import MinHash

        grams = shingles(text)
        if len(grams) < self.min_words:
            return None
        m = MinHash(num_perm=self.num_perm, seed=1, scheme=SCHEME, hashfunc=zlib.crc32)
        m.update_batch(grams)
        return m

    def add(self, key: str, sig: Any) -> None:
        if sig is not None and key not in self._sigs:
            self._index().insert(key, sig)
            self._sigs[key] = sig

    def query(self, sig: Any) -> tuple[str, float] | None:
        """The closest indexed key and its estimated Jaccard similarity, if any passes."""
        if sig is None or not self._sigs:
            return None
        hits = [(k, self.similarity(sig, self._sigs[k])) for k in self._index().query(sig)]
        hits = [h for h in hits if h[1] >= self.threshold]
        return max(hits, key=lambda h: (h[1], h[0])) if hits else None

    @property
    def bands(self) -> tuple[int, int]:
        """(bands, rows per band) that datasketch's LSH would pick for this threshold and size."""
        return _bands(self.threshold, self.num_perm)

    def band_keys(self, sig: Any) -> list[int]:
        """One signed 64-bit key per LSH band: bodies sharing a key are candidate copies.

        A store keeps these keys beside the signatures and finds candidates with one query, so
        the index lives on disk and memory does not grow with the corpus.
        """
        bands, rows = self.bands
        values = np.asarray(sig.hashvalues, dtype=np.uint64)
        return [int.from_bytes(hashlib.blake2b(bytes([band]) + values[band * rows:(band + 1) * rows].tobytes(),
                                               digest_size=8).digest(), "little", signed=True)
                for band in range(bands)]

    @staticmethod
    def similarity(a: Any, b: Any) -> float:
        """Estimated Jaccard similarity of two signatures."""
        return float(np.mean(np.asarray(a.hashvalues) == np.asarray(b.hashvalues)))

    @staticmethod
    def to_bytes(sig: Any) -> bytes:
        return np.asarray(sig.hashvalues, dtype=np.uint64).tobytes()

    def from_bytes(self, data: bytes) -> Any:
        from datasketch import MinHash

        return MinHash(num_perm=self.num_perm, seed=1, hashvalues=np.frombuffer(data, dtype=np.uint64),
                       scheme=SCHEME, hashfunc=zlib.crc32)
