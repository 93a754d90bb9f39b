"""Near-identical texts in bulk: MinHash signatures of word 3-grams and LSH banding, all in numpy.

:func:`near_copy_groups` gives every text a group number; texts of one group are copies or light
edits of each other (estimated Jaccard similarity of their 3-grams at least ``threshold``, joined
transitively). A million comments take seconds, not the hours that comparing pairs would: every
signature is cut into bands, texts that agree on a whole band are candidates, and each candidate
is checked against its band's first text.
"""

from __future__ import annotations

import re
import zlib
from collections import defaultdict
from collections.abc import Callable, Sequence
from itertools import count

import numpy as np

from narrascope.dedup import _bands

_WORD = re.compile(r"\w+")
_MIX = np.array([0x9E3779B97F4A7C15, 0xC2B2AE3D27D4EB4F, 0x165667B19E3779F9], dtype=np.uint64)
#: the signature of a text too short to have one
NO_SIGNATURE = np.iinfo(np.uint32).max

Pairs = tuple[np.ndarray, np.ndarray]
#: runs the candidate search of every band: ``band_map(signatures, rows, threshold, bands)`` returns
#: ``[band_candidates(signatures, band, rows, threshold) for band in bands]``, wherever it runs them
BandMap = Callable[[np.ndarray, int, float, Sequence[int]], list[Pairs]]


def _permutations(num_perm: int) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(20240501)
    a = rng.integers(1, 2**63, size=num_perm, dtype=np.uint64) | np.uint64(1)
    b = rng.integers(0, 2**63, size=num_perm, dtype=np.uint64)
    return a, b


def signatures(texts: Sequence[str], num_perm: int = 64, min_words: int = 3, chunk: int = 1024) -> np.ndarray:
    """``(len(texts), num_perm)`` uint32 MinHash signatures; texts under ``min_words`` words get a row of
    :data:`NO_SIGNATURE`. Word 3-grams are hashed once per word (crc32), mixed per position."""
    a, b = _permutations(num_perm)
    out = np.full((len(texts), num_perm), NO_SIGNATURE, dtype=np.uint32)
    vocab: defaultdict[str, int] = defaultdict(count().__next__)  # a word's number, given on first sight
    word_hash: list[int] = []
    for start in range(0, len(texts), chunk):
        ids: list[int] = []
        lengths = np.zeros(min(chunk, len(texts) - start), dtype=np.int64)
        for k, text in enumerate(texts[start:start + chunk]):
            words = _WORD.findall(text.lower()) if text else []
            if len(words) >= max(min_words, 3):
                lengths[k] = len(words)
                ids.extend(map(vocab.__getitem__, words))
        if not ids:
            continue
        for w in list(vocab)[len(word_hash):]:
            word_hash.append(zlib.crc32(w.encode("utf-8", "surrogatepass")))
        hashes = np.asarray(word_hash, dtype=np.uint64)[np.asarray(ids, dtype=np.int64)]
        ends = np.cumsum(lengths)
        starts = ends - lengths
        # 3-gram at every position but a text's last two words
        keep = np.ones(len(hashes), dtype=bool)
        has = lengths > 0
        keep[ends[has] - 1] = False
        keep[ends[has] - 2] = False
        pos = np.nonzero(keep)[0]
        with np.errstate(over="ignore"):
            grams = hashes[pos] * _MIX[0] + hashes[pos + 1] * _MIX[1] + hashes[pos + 2] * _MIX[2]
            per_perm = np.multiply(a[:, None], grams[None, :])
            per_perm += b[:, None]
            per_perm >>= np.uint64(32)
            per_perm = per_perm.astype(np.uint32)
        gram_starts = np.searchsorted(pos, starts[has])
        out[start + np.nonzero(has)[0]] = np.minimum.reduceat(per_perm, gram_starts, axis=1).T
    return out


def band_parameters(threshold: float, num_perm: int) -> tuple[int, int]:
    """(bands, rows per band) for ``threshold``; LSH cannot band near 1, so at most 0.9 is banded."""
    bands, rows = _bands(min(threshold, 0.9), num_perm)
    return int(bands), int(rows)


def band_candidates(sig: np.ndarray, band: int, rows: int, threshold: float) -> Pairs:
    """Pairs (text, its band's first text) that agree on ``band`` and pass ``threshold`` on the whole signature."""
    has = np.nonzero(sig[:, 0] != NO_SIGNATURE)[0]
    part = sig[has, band * rows:(band + 1) * rows].astype(np.uint64)
    with np.errstate(over="ignore"):
        keys = (part * np.arange(1, 2 * rows, 2, dtype=np.uint64) * _MIX[0]).sum(axis=1) ^ np.uint64(band)
    order = np.argsort(keys, kind="stable")
    keys = keys[order]
    first = np.r_[True, keys[1:] != keys[:-1]]
    head = np.maximum.accumulate(np.where(first, np.arange(len(keys)), 0))
    member = np.nonzero(~first)[0]
    a, b = has[order[member]], has[order[head[member]]]
    if len(a):
        similar = (sig[a] == sig[b]).mean(axis=1) >= threshold
        a, b = a[similar], b[similar]
    return a, b


def local_map(sig: np.ndarray, rows: int, threshold: float, bands: Sequence[int]) -> list[Pairs]:
    """Every band in this process, one after the other."""
    return [band_candidates(sig, band, rows, threshold) for band in bands]


def _grams(text: str) -> set[tuple[str, ...]]:
    words = _WORD.findall(text.lower())
    return {tuple(words[i:i + 3]) for i in range(len(words) - 2)}


def jaccard(a: str, b: str) -> float:
    """The exact Jaccard similarity of two texts' word 3-grams."""
    x, y = _grams(a), _grams(b)
    return len(x & y) / len(x | y) if x or y else 0.0


def near_copy_groups(texts: Sequence[str], threshold: float = 0.6, num_perm: int = 64, min_words: int = 3,
                     band_map: BandMap | None = None) -> np.ndarray:
    """A group number per text (``-1``: too short to compare); equal numbers are near-identical texts.

    Bands are cut for a threshold 0.15 lower than ``threshold``, so that a pair just above it is a
    candidate in nearly every run; candidates are checked on their signatures first (0.2 below
    ``threshold``, three standard errors), then on their exact 3-gram sets.
    """
    from scipy.sparse import coo_matrix
    from scipy.sparse.csgraph import connected_components

    sig = signatures(texts, num_perm, min_words)
    bands, rows = band_parameters(max(0.3, threshold - 0.15), num_perm)
    found = (band_map or local_map)(sig, rows, threshold - 0.2, range(bands))
    n = len(texts)
    pairs = np.unique(np.concatenate([f[0] * n + f[1] for f in found] or [np.zeros(0, dtype=np.int64)]))
    a, b = pairs // n, pairs % n
    grams: dict[int, set[tuple[str, ...]]] = {}

    def close(i: int, j: int) -> bool:
        x = grams[i] if i in grams else grams.setdefault(i, _grams(texts[i]))
        y = grams[j] if j in grams else grams.setdefault(j, _grams(texts[j]))
        return len(x & y) >= threshold * len(x | y)

    keep = np.array([close(i, j) for i, j in zip(a.tolist(), b.tolist(), strict=True)], dtype=bool)
    a, b = a[keep] if len(a) else a, b[keep] if len(b) else b
    graph = coo_matrix((np.ones(len(a), dtype=np.int8), (a, b)), shape=(n, n))
    _, labels = connected_components(graph, directed=False)
    labels = labels.astype(np.int64)
    labels[sig[:, 0] == NO_SIGNATURE] = -1
    return labels
