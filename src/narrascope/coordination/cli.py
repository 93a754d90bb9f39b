"""``narrascope threads``: reply-graph statistics and coordination signals, as rich tables or JSON Lines."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import typer


def _short(text: str, width: int = 90) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= width else flat[:width - 1] + "…"


def report_rows(store: Any, threshold: float = 0.8, show_flagged: bool = False, top: int = 5,
                save: bool = True, offensive_threshold: float | None = None,
                **options: Any) -> tuple[list[Any], list[Any], dict[str, str]]:
    """Thread statistics and coordination signals with masked text hidden unless ``show_flagged``.

    A comment is masked when labelled hatespeech, or offensive with a score at or above
    ``offensive_threshold`` (default: the shipped model's calibrated threshold).
    """
    from narrascope.coordination import detect
    from narrascope.coordination.clusters import mask_cluster
    from narrascope.threads.graph import masked_comments, thread_stats
    from narrascope.toxicity.masking import mask
    from narrascope.toxicity.masking import offensive_threshold as calibrated

    flagged = masked_comments(store, calibrated() if offensive_threshold is None else offensive_threshold)
    threads = thread_stats(store, top=top)
    for t in threads:
        for c in t.most_answered:
            c["text"] = mask(c["text"], flagged.get(c["comment_id"]), show_flagged)
    signals = detect(store, threshold, save=save, **options)
    for s in signals:
        if s.kind == "network_cluster":  # what the members shared, in the summary and in every co-action
            mask_cluster(s.evidence, flagged, show_flagged)
            continue
        # a repeat's text is masked when any near-identical comment (of any author) was flagged
        group = [*s.comment_ids, *s.evidence.get("near_copies", [])]
        label = next((flagged[c] for c in group if c in flagged), None)
        if "text" in s.evidence:
            s.evidence["text"] = mask(s.evidence["text"], label, show_flagged)
            s.evidence["label"] = label
    return threads, signals, flagged


def print_report(threads: list[Any], signals: list[Any], top: int) -> None:
    """Rich tables: threads, who answers whom, most-answered comments, flagged authors, signals."""
    from rich.console import Console
    from rich.table import Table

    from narrascope.cli_output import terminal_text as escape  # corpus text: markup and control characters

    console = Console()
    table = Table(title=f"threads ({len(threads)})")
    for col in ("thread", "lang", "comments", "authors", "depth", "replies", "references", "flagged"):
        table.add_column(col, overflow="fold")
    for t in threads:
        flagged = sum(a["flagged"] for a in t.flagged_by_author)
        table.add_row(escape(_short(t.title or t.document_id, 50)), escape(t.language or "?"), str(t.comments),
                      str(t.authors),
                      str(t.max_depth), str(t.replies), str(t.references), str(flagged))
    console.print(table)
    for t in threads[:top]:
        name = escape(_short(t.title or t.document_id, 50))
        if t.answers:
            pairs = Table(title=f"who answers whom — {name}")
            for col in ("author", "answers", "times"):
                pairs.add_column(col)
            for p in t.answers:
                pairs.add_row(escape(p["author"]), escape(p["answers"]), str(p["times"]))
            console.print(pairs)
        if t.most_answered:
            most = Table(title=f"most-answered comments — {name}")
            for col in ("answers", "author", "comment"):
                most.add_column(col, overflow="fold")
            for c in t.most_answered:
                most.add_row(str(c["answers"]), escape(c["author"] or ""), escape(_short(c["text"])))
            console.print(most)
        if t.flagged_by_author:
            authors = Table(title=f"flagged comments by author — {name}")
            for col in ("author", "flagged", "comments", "share"):
                authors.add_column(col)
            for a in t.flagged_by_author:
                authors.add_row(escape(a["author"]), str(a["flagged"]), str(a["comments"]), f"{a['share']:.0%}")
            console.print(authors)
    sig = Table(title=f"coordination signals ({len(signals)})")
    for col in ("kind", "score", "summary", "authors", "evidence"):
        sig.add_column(col, overflow="fold")
    shown: dict[str, int] = {}
    for s in signals:
        shown[s.kind] = shown.get(s.kind, 0) + 1
        if shown[s.kind] > 2 * top:
            continue
        shared = (s.evidence.get("shared") or [{}])[0].get("what")  # a network cluster's
        evidence = s.evidence.get("text") or shared or ", ".join(f"{k}={v}" for k, v in s.evidence.items()
                                                       if k in ("start", "end", "shared_threads"))
        sig.add_row(s.kind, f"{s.score:g}", escape(s.summary), escape(", ".join(s.authors[:6])),
                    escape(_short(str(evidence), 70)))
    console.print(sig)
    hidden = sum(max(0, n - 2 * top) for n in shown.values())
    if hidden:
        console.print(f"... and {hidden} more: narrascope threads --format jsonl (or --top N)")


def bad_option(threshold: float, top: int, burst_factor: float, min_threads: int) -> str | None:
    """What is wrong with the settings, naming the option, or ``None``."""
    if not 0 < threshold <= 1:
        return f"--threshold {threshold:g}: not a Jaccard similarity; give one above 0 and at most 1 (default 0.8)"
    if not burst_factor > 0:
        return (f"--burst-factor {burst_factor:g}: a burst holds this many times the thread's pace; give a number "
                "above 0 (default 4)")
    if top < 1:
        return f"--top {top}: give at least 1 row per table (default 5)"
    if min_threads < 1:
        return f"--min-shared-threads {min_threads}: give at least 1 shared thread (default 3)"
    return None


def register(groups: dict[str, typer.Typer]) -> None:
    """Add ``narrascope threads`` to the top-level commands."""

    @groups[""].command("threads")
    def threads(
        db: Path = typer.Option(..., "--db", help="DuckDB file written by narrascope ingest / analyze."),
        format: str = typer.Option("table", "--format", help="table (rich) or jsonl."),
        show_flagged: bool = typer.Option(False, "--show-flagged", help="Show text the toxicity layer masked."),
        offensive_threshold: float | None = typer.Option(
            None, "--offensive-threshold", min=0.0, max=1.0,
            help="Mask comments labelled offensive from this score on (default: the model card's calibrated "
                 "threshold); hatespeech is always masked."),
        threshold: float = typer.Option(0.8, "--threshold", help="MinHash Jaccard for near-identical comments."),
        top: int = typer.Option(5, "--top", help="Rows per table (and threads detailed)."),
        burst_factor: float = typer.Option(4.0, "--burst-factor", help="A burst holds this many times the "
                                           "comments the thread's pace predicts for its window."),
        min_threads: int = typer.Option(3, "--min-shared-threads", help="Threads two authors must share."),
    ) -> None:
        """Reply graphs per thread and coordination signals (stored in the signals table)."""
        from narrascope.errors import NarrascopeError
        from narrascope.store import open_store

        if format not in ("table", "jsonl"):
            raise typer.BadParameter(f"{format!r}: choose table or jsonl", param_hint="--format")
        problem = bad_option(threshold, top, burst_factor, min_threads)
        if problem:  # before anything is read or the stored signals are replaced
            typer.echo(f"narrascope: {problem}", err=True)
            raise typer.Exit(2)
        if not db.exists():
            raise typer.BadParameter(f"{db}: no such database; create it with narrascope analyze", param_hint="--db")
        try:
            with open_store(str(db)) as store:
                found_threads, signals, _ = report_rows(store, threshold, show_flagged, top,
                                                         offensive_threshold=offensive_threshold,
                                                         burst_factor=burst_factor, min_threads=min_threads)
        except NarrascopeError as exc:
            typer.echo(f"narrascope: {exc}", err=True)
            raise typer.Exit(2) from None
        if format == "jsonl":
            for t in found_threads:
                sys.stdout.write(json.dumps(t.to_dict(), ensure_ascii=False, default=str) + "\n")
            for s in signals:
                sys.stdout.write(json.dumps({"record": "signal", **s.to_dict()}, ensure_ascii=False) + "\n")
        else:
            print_report(found_threads, signals, top)
