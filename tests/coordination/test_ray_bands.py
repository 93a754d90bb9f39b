"""``--executor ray`` for networks: the LSH bands as Ray tasks give the local groups (the [ray] extra)."""

from __future__ import annotations

import json

import pytest

from narrascope.coordination.generated import generate
from narrascope.coordination.near_copies import near_copy_groups

ray = pytest.importorskip("ray", reason="--executor ray needs the [ray] extra")
pytestmark = [pytest.mark.ray, pytest.mark.slow]


def test_bands_on_ray_find_the_groups_found_in_process(tmp_path):
    from typer.testing import CliRunner

    from narrascope.cli import app
    from narrascope.coordination.generated import to_documents
    from narrascope.coordination.ray_bands import ray_map
    from narrascope.store import open_store

    corpus = generate(3_000, groups=2, seed=11)
    local = near_copy_groups(corpus.text)
    assert (near_copy_groups(corpus.text, band_map=ray_map) == local).all()
    assert len(set(local[local >= 0].tolist())) < (local >= 0).sum()  # some texts were grouped
    db = tmp_path / "r.duckdb"
    with open_store(str(db)) as store:
        store.write(to_documents(corpus))
    runs = [CliRunner().invoke(app, ["networks", "--db", str(db), "--executor", executor])
            for executor in ("local", "ray")]
    assert [r.exit_code for r in runs] == [0, 0], runs[1].output
    edges = [[json.loads(x) for x in r.stdout.splitlines()] for r in runs]
    assert edges[0] == edges[1] and len(edges[0]) >= 6
