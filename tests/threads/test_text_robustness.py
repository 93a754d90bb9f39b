"""The plain-text parser never crashes, keeps its output inside the input, and stays linear."""

from __future__ import annotations

import random
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from narrascope.model import Document
from narrascope.threads.text import parse_text_page

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "text"
FIXTURE_LINES = sorted({line for f in FIXTURES.glob("*.txt") for line in f.read_text(encoding="utf-8").splitlines()})
SIGNATURE_BITS = ["says:", " • 3 years ago", "Posted by: ", " | Oct 27 2020 14:46 utc | ", "[–] ", " points ",
                  "by X » Mon Aug 10, 2020 9:12 am", "#", "@", "  ", "\t", "1. ", "wrote:", "Reply", "\n", "\n\n"]


def check_invariants(page: str, doc: Document) -> None:
    """Every comment line and body line occurs in the page; the tree only points backwards."""
    assert doc.kind in ("article", "listing", "thread", "unknown")
    for line in doc.body.split("\n"):
        assert line in page
    for pos, c in enumerate(doc.comments, start=1):
        assert isinstance(c.text, str) and c.text.strip() == c.text and c.text
        for line in c.text.split("\n"):
            assert line in page
        parent = 0 if c.parent is None else int(c.parent[1:])  # positions count from 1; 0 is "top level"
        assert 0 <= parent < pos
        assert c.depth == (doc.comments[parent - 1].depth + 1 if parent else 0)
        assert [r for r in c.refs if not 0 < int(r[1:]) < pos] == [] and c.parent not in c.refs
    doc.assign_ids()  # positions resolve to ids
    ids = {c.id for c in doc.comments}
    assert [c.parent for c in doc.comments if c.parent is not None and c.parent not in ids] == []


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.one_of(st.sampled_from(FIXTURE_LINES), st.sampled_from(SIGNATURE_BITS), st.text(max_size=40)),
                max_size=80),
       st.lists(st.integers(0, 12), max_size=80))
def test_random_pages_keep_the_invariants(parts: list[str], indents: list[int]) -> None:
    """Fixture lines, signature fragments and noise, re-indented at random (indentation drives nesting)."""
    page = "\n".join(" " * (indents[k] if k < len(indents) else 0) + p.strip() for k, p in enumerate(parts))
    check_invariants(page, parse_text_page(page, "<random>"))


@settings(max_examples=100, deadline=None)
@given(st.text(max_size=2000))
def test_random_text_never_crashes(page: str) -> None:
    check_invariants(page, parse_text_page(page, "<random>"))


def test_shuffled_fixture_lines() -> None:
    rng = random.Random(7)
    for _ in range(30):
        lines = rng.sample(FIXTURE_LINES, k=min(len(FIXTURE_LINES), 120))
        page = "\n".join(lines)
        check_invariants(page, parse_text_page(page, "<shuffled>"))


def test_hostile_inputs_return() -> None:
    """Garbage, a 1 MB paragraph, whitespace-only lines, and long runs of signature characters."""
    rng = random.Random(3)
    garbage = "".join(chr(rng.randrange(0, 0x3000)) for _ in range(200_000))
    pages = [
        garbage,
        "Lukashenko says the protests are over, and the crowd says otherwise. " * 15_000,  # ~1 MB, one line
        " \n\t\n\u00a0\n" * 100_000,
        "",
        "@Anna " * 100_000,
        "#12 " * 100_000,
        "a | " * 100_000 + "\n" + "x • " * 100_000,
        "[–] " * 50_000 + " points ago",
        "1. says\n" * 20_000,
        "Posted by: A | Oct 27 2020 14:46 utc | 1\n" * 10_000,
    ]
    for page in pages:
        doc = parse_text_page(page, "<hostile>")
        check_invariants(page, doc)
    assert parse_text_page("   \n\n  ", "x").kind == "unknown"
