"""Shared fixtures: paths to bundled fixtures and to ../shared/data (skipped when absent)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = ROOT / "tests" / "fixtures"
SHARED = Path(os.environ.get("NARRASCOPE_SHARED", ROOT.parent / "shared"))


@pytest.fixture(scope="session")
def fixtures() -> Path:
    return FIXTURES


@pytest.fixture(scope="session")
def shared_data() -> Path:
    """``../shared/data``; tests that need it are skipped with the reason when it is absent."""
    data = SHARED / "data"
    if not data.is_dir():
        pytest.skip(f"{data} is absent: these tests need the shared training and benchmark data")
    return data


@pytest.fixture()
def store(tmp_path: Path):
    from narrascope.store import open_store

    s = open_store(str(tmp_path / "test.duckdb"))
    yield s
    s.close()
