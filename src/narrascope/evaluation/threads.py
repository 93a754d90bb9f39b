"""Differential test of the text reader: each HTML thread against its plain-text renderings.

For every HTML page, the HTML reader's comments are the reference. Each renderer of
:mod:`narrascope.evaluation.renderings` turns the page into text, the text reader reads it, and
the two threads are aligned in page order on their authors. A page without an HTML thread
scores its renderings for phantom comments (any comment the text reader finds there).

Figures per renderer and platform: reference comments; comments found in the text; comments
matched with the right author, in order; matched comments whose time both sides parse and that
agree; matched comments at the same depth; and ``authors shown``, how many reference authors occur
in the rendering at all (a renderer that drops names, as trafilatura does, cannot be read back).
Overall, renderings that show none of their thread's author names are counted apart, with the
right-author figure over the other renderings beside the figure over all of them.
"""

from __future__ import annotations

import gzip
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import datetime
from difflib import SequenceMatcher
from pathlib import Path

from narrascope.model import Comment


@dataclass
class Page:
    """An HTML page and the thread its HTML shows (``platform``: the extractor that found it)."""

    path: str
    html: str
    platform: str | None
    comments: list[Comment]


@dataclass
class Score:
    """Counts for one renderer on a set of pages (see the module docstring)."""

    pages: int = 0
    comments: int = 0
    found: int = 0
    matched: int = 0
    shown: int = 0
    dated: int = 0
    dates_right: int = 0
    depth_right: int = 0
    phantom_pages: int = 0
    phantom_comments: int = 0
    blind_pages: int = 0  # renderings that show none of their thread's author names
    blind_comments: int = 0
    blind_matched: int = 0
    misses: list[str] = field(default_factory=list)

    def add(self, other: Score) -> None:
        for name in ("pages", "comments", "found", "matched", "shown", "dated", "dates_right", "depth_right",
                     "phantom_pages", "phantom_comments", "blind_pages", "blind_comments", "blind_matched"):
            setattr(self, name, getattr(self, name) + getattr(other, name))
        self.misses += other.misses


def _key(author: str | None) -> str:
    return " ".join((author or "").replace("_", " ").split()).casefold()


def read_pages(paths: Iterable[str | Path]) -> Iterator[Page]:
    """Every ``.html`` / ``.htm`` / ``.html.gz`` file under ``paths`` with its HTML thread."""
    from trafilatura.utils import load_html

    from narrascope.readers.decode import decode
    from narrascope.threads.html import find_thread

    files: list[Path] = []
    for p in map(Path, paths):
        files += sorted(p.rglob("*")) if p.is_dir() else [p]
    for f in files:
        if not f.name.endswith((".html", ".htm", ".html.gz")):
            continue
        data = f.read_bytes()
        html = decode(gzip.decompress(data) if f.name.endswith(".gz") else data)
        platform, comments = find_thread(load_html(html), html)
        yield Page(str(f), html, platform, comments)


def _wall_clock(c: Comment) -> datetime | None:
    """The time the page shows beside the comment: the local clock of an ISO time with an offset
    (``2018-08-08T15:17:21-06:00`` shows as 3:17 pm), else the parsed time."""
    if c.posted_raw:
        try:
            return datetime.fromisoformat(c.posted_raw.strip()).replace(tzinfo=None)
        except ValueError:
            pass
    return c.posted.replace(tzinfo=None) if c.posted else None


def compare(reference: list[Comment], found: list[Comment], rendering: str) -> Score:
    """Align ``found`` with ``reference`` on authors in order and count what agrees."""
    from narrascope.threads.text_dates import posted_time

    s = Score(pages=1, comments=len(reference), found=len(found))
    flat = _key(rendering)
    s.shown = sum(1 for c in reference if not c.author or _key(c.author) in flat)
    want, got = [_key(c.author) for c in reference], [_key(c.author) for c in found]
    blocks = SequenceMatcher(None, want, got, autojunk=False).get_matching_blocks()
    matched = [(a + k, b + k) for a, b, size in blocks for k in range(size)]
    s.matched = len(matched)
    named = [_key(c.author) for c in reference if c.author]
    if named and not any(name in flat for name in named):
        s.blind_pages, s.blind_comments, s.blind_matched = 1, len(reference), s.matched
    for i, j in matched:
        ref, txt = reference[i], found[j]
        want_time = _wall_clock(ref)
        if want_time is not None and txt.posted_raw:
            s.dated += 1
            got_time = posted_time(txt.posted_raw)
            if got_time is not None:
                s.dates_right += abs((got_time.replace(tzinfo=None) - want_time).total_seconds()) < 60
        s.depth_right += ref.depth == txt.depth
    s.misses = [f"#{i + 1} {reference[i].author}" for i in sorted(set(range(len(reference))) - {i for i, _ in matched})]
    return s


def score_page(page: Page, render: Callable[[str], str]) -> tuple[Score, str]:
    """One page under one renderer: its score and the rendering."""
    from narrascope.threads.text import parse_text_page

    text = render(page.html)
    found = parse_text_page(text, page.path).comments
    if page.comments:
        return compare(page.comments, found, text), text
    return Score(pages=1, found=len(found), phantom_pages=int(bool(found)), phantom_comments=len(found)), text


def evaluate(pages: Iterable[Page], renderers: list[str]) -> dict[tuple[str, str], Score]:
    """Scores keyed by (renderer, platform); pages without a thread under platform ``none``."""
    from narrascope.evaluation.renderings import RENDERERS

    table: dict[tuple[str, str], Score] = {}
    for page in pages:
        for name in renderers:
            score, _ = score_page(page, RENDERERS[name])
            if score.misses:
                score.misses = [f"{Path(page.path).name}: {m}" for m in score.misses]
            table.setdefault((name, page.platform or "none"), Score()).add(score)
    return table


def _pct(a: int, b: int) -> str:
    return f"{100 * a / b:.1f}%" if b else "-"


def format_table(table: dict[tuple[str, str], Score]) -> str:
    """A Markdown table: one row per renderer and platform, a total per renderer, and the overall figures."""
    head = ("| renderer | platform | pages | comments | found | right author | authors shown | "
            "right author / shown | dates right | depth right | phantom pages | phantom comments |")
    rows = [head, "|" + "---|" * 12]
    totals: dict[str, Score] = {}
    for (renderer, platform), s in sorted(table.items()):
        totals.setdefault(renderer, Score()).add(s)
        rows.append(_row(renderer, platform, s))
    everything = Score()
    for renderer, s in totals.items():
        everything.add(s)
        rows.append(_row(f"**{renderer}**", "all", s))
    rows.append(_row("**all**", "all", everything))
    precision = everything.matched / everything.found if everything.found else 1.0
    pages_clean = 1 - everything.phantom_pages / max(1, _no_thread_pages(table))
    rows.append("")
    rows.append(f"comments matched with the right author: {everything.matched} of {everything.comments} "
                f"({_pct(everything.matched, everything.comments)}); of those whose author the rendering shows: "
                f"{_pct(everything.matched, everything.shown)}; precision {precision:.3f}; "
                f"renderings of pages without comments that yield none: {pages_clean:.3f}")
    seen = everything.comments - everything.blind_comments
    rows.append(f"renderings that show none of their thread's author names: {everything.blind_pages} of "
                f"{everything.pages - _no_thread_pages(table)} ({everything.blind_comments} comments); right author "
                f"in the others: {everything.matched - everything.blind_matched} of {seen} "
                f"({_pct(everything.matched - everything.blind_matched, seen)})")
    return "\n".join(rows)


def _no_thread_pages(table: dict[tuple[str, str], Score]) -> int:
    return sum(s.pages for (_, platform), s in table.items() if platform == "none")


def _row(renderer: str, platform: str, s: Score) -> str:
    if platform == "none":
        return (f"| {renderer} | (no thread) | {s.pages} | 0 | {s.found} | - | - | - | - | - | "
                f"{s.phantom_pages} | {s.phantom_comments} |")
    return (f"| {renderer} | {platform} | {s.pages} | {s.comments} | {s.found} | {s.matched} "
            f"({_pct(s.matched, s.comments)}) | {s.shown} | {_pct(s.matched, s.shown)} | "
            f"{s.dates_right}/{s.dated} | {s.depth_right}/{s.matched} | {s.phantom_pages} | {s.phantom_comments} |")
