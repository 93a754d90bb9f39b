"""``--executor ray`` for coordination networks: the LSH bands of the near-copy search as Ray tasks.

The signatures go to Ray's object store once; each band's candidate search is one task. On one
two-core machine this is no faster than in-process (Ray takes seconds to start); it is for a
cluster, where bands run on several nodes.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from typing import Any

import numpy as np

from narrascope.coordination.near_copies import Pairs, band_candidates
from narrascope.errors import NarrascopeError


def _ray() -> Any:
    try:
        import ray
    except ImportError:
        raise NarrascopeError("--executor ray needs the [ray] extra: pip install 'narrascope[ray]'") from None
    if not ray.is_initialized():
        ray.init(num_cpus=os.cpu_count() or 1, include_dashboard=False, log_to_driver=False,
                 configure_logging=False)
    return ray


def ray_map(sig: np.ndarray, rows: int, threshold: float, bands: Sequence[int]) -> list[Pairs]:
    """:func:`narrascope.coordination.near_copies.local_map`, one Ray task per band."""
    ray = _ray()
    task = ray.remote(num_cpus=1)(band_candidates)
    shared = ray.put(sig)
    return list(ray.get([task.remote(shared, band, rows, threshold) for band in bands]))
