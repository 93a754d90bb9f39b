from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

from typer.testing import CliRunner

from narrascope.cli import app
from narrascope.coordination import detect, stored_signals
from narrascope.coordination.signals import CommentRow, bursts, co_appearing_authors, near_duplicates
from narrascope.model import Annotation, Comment, Document

T0 = datetime(2024, 5, 1, 12, tzinfo=UTC)
PASTE = "The election was stolen by the elites and the newspapers are hiding it from all of us"


def row(i, doc, author, text, minutes=0.0):
    return CommentRow(f"c{i}", doc, author, T0 + timedelta(minutes=minutes), text)


def test_near_identical_comments_under_several_names():
    rows = [row(1, "d1", "a", PASTE), row(2, "d2", "b", PASTE + "!!"), row(3, "d3", "c", "Unrelated thought here"),
            row(4, "d1", "d", "The election was stolen by the elites and the newspapers are hiding it from all of you")]
    found = near_duplicates(rows, threshold=0.5)
    dup = [s for s in found if s.kind == "near_duplicate"]
    assert len(dup) == 1 and sorted(dup[0].comment_ids) == ["c1", "c2", "c4"]
    assert dup[0].authors == ["a", "b", "d"] and dup[0].document_ids == ["d1", "d2"]
    assert not [s for s in near_duplicates(rows, threshold=0.99) if set(s.comment_ids) == {"c1", "c4"}]


def test_one_author_repeating_is_not_a_crowd():
    rows = [row(i, f"d{i}", "solo", PASTE) for i in range(3)] + [row(9, "d9", "x", "short")]
    found = near_duplicates(rows)
    assert [s.kind for s in found] == ["repeated_by_author"]
    assert found[0].authors == ["solo"] and found[0].score == 3


def test_burst_relative_to_the_thread_pace():
    steady = [row(i, "d", f"u{i}", f"comment {i}", minutes=60 * i) for i in range(20)]
    burst = [row(100 + k, "d", f"b{k}", f"wave {k}", minutes=600 + 0.2 * k) for k in range(8)]
    found = bursts(steady + burst)
    assert len(found) == 1
    assert {f"c{100 + k}" for k in range(8)} <= set(found[0].comment_ids)
    assert found[0].evidence["comments"] >= 8
    assert bursts(steady) == []
    assert bursts(steady + burst, factor=100) == []


def test_authors_appearing_together_across_threads():
    rows = []
    for t in range(12):  # two regulars comment everywhere; the pair together in 4 of 12 threads
        rows += [row(100 * t, f"d{t}", "regular1", "x"), row(100 * t + 1, f"d{t}", "regular2", "y"),
                 row(100 * t + 2, f"d{t}", f"once{t}", "z")]
        if t < 4:
            rows += [row(100 * t + 3, f"d{t}", "pair1", "x"), row(100 * t + 4, f"d{t}", "pair2", "y")]
    found = co_appearing_authors(rows, min_threads=3)
    assert [s.authors for s in found] == [["pair1", "pair2"]]  # not the regulars: Jaccard 1, but lift 1
    assert found[0].evidence["shared_threads"] == 4 and found[0].evidence["expected_by_activity"] == 1.33
    assert co_appearing_authors(rows, min_threads=5) == []
    # with neither the lift nor the chance of the overlap asked for, the regulars are a pair, as before
    unweighed = co_appearing_authors(rows, min_threads=3, min_lift=0, alpha=float("inf"))
    assert co_appearing_authors(rows, min_threads=3, alpha=float("inf")) == found  # the lift alone drops them
    assert sorted(s.authors for s in unweighed) == [["pair1", "pair2"], ["regular1", "regular2"]]


def test_a_post_s_opening_rush_is_no_burst_but_a_crowd_at_once_is():
    from narrascope.coordination.generated import generate

    corpus = generate(6_000, groups=0, seed=5)
    rows = [CommentRow(f"c{i}", f"d{corpus.thread[i]}", corpus.author[i],
                       datetime.fromtimestamp(corpus.time[i], UTC), corpus.text[i]) for i in range(len(corpus))]
    threads = {r.document_id for r in rows}
    quiet = bursts(rows)
    assert len({s.document_ids[0] for s in quiet}) < 0.05 * len(threads)
    target = max(threads, key=lambda d: sum(r.document_id == d for r in rows))
    late = max(r.posted for r in rows if r.document_id == target) - timedelta(hours=1)
    crowd = [CommentRow(f"x{k}", target, f"sock{k}", late + timedelta(seconds=15 * k), "now") for k in range(8)]
    found = [s for s in bursts(rows + crowd) if s.document_ids == [target]]
    assert len(found) == 1 and {f"x{k}" for k in range(8)} <= set(found[0].comment_ids)


def _store_corpus(store):
    docs = []
    for d in range(3):
        cs = [Comment(text=PASTE, author=f"sock{d}", posted=T0),
              Comment(text="Nice weather for the parade today, everyone", author="local", posted=T0)]
        docs.append(Document(source=f"p{d}", kind="thread", title=f"T{d}", comments=cs).assign_ids())
    docs[0].annotations.append(Annotation(docs[0].comments[0].id, "comment", 0, len(PASTE), "toxicity",
                                          "hatespeech", 0.9, "toxicity", "1"))
    store.write(docs)
    return docs


def test_signals_are_stored_with_evidence(store):
    _store_corpus(store)
    found = detect(store)
    stored = stored_signals(store)
    assert {s.id for s in stored} == {s.id for s in found}
    dup = next(s for s in stored if s.kind == "near_duplicate")
    assert len(dup.comment_ids) == 3 and dup.evidence["text"].startswith("The election")
    detect(store)
    assert len(stored_signals(store)) == len(found)  # replaced, not appended


def test_threads_command_masks_flagged_text(tmp_path, usage_error):
    from narrascope.store import open_store

    db = tmp_path / "c.duckdb"
    with open_store(str(db)) as store:
        _store_corpus(store)
    runner = CliRunner()
    table = runner.invoke(app, ["threads", "--db", str(db)], env={"COLUMNS": "300"})
    assert table.exit_code == 0, table.output
    assert "hatespeech — hidden" in table.stdout and "The election" not in table.stdout
    shown = runner.invoke(app, ["threads", "--db", str(db), "--format", "jsonl", "--show-flagged"])
    records = [json.loads(x) for x in shown.stdout.splitlines()]
    assert {r["record"] for r in records} == {"thread", "signal"}
    dup = next(r for r in records if r.get("kind") == "near_duplicate")
    assert dup["evidence"]["text"].startswith("The election") and dup["evidence"]["label"] == "hatespeech"
    missing = runner.invoke(app, ["threads", "--db", str(tmp_path / "none.duckdb")], env={"COLUMNS": "400"})
    assert usage_error(missing) == (f"Invalid value for --db: {tmp_path / 'none.duckdb'}: no such database; "
                                    "create it with narrascope analyze")


def test_threads_shows_control_characters_instead_of_sending_them(tmp_path):
    from narrascope.store import open_store

    db = tmp_path / "e.duckdb"
    evil = "Totally normal comment about the harbour vote \x1b]0;PWNED\x07\x1b[2J\x9b31m red text and more"
    with open_store(str(db)) as store:
        store.write([Document(source="p", kind="thread", title="esc \x1b[31mtitle", comments=[
            Comment(text=evil, author=f"esc{i}\x1b[5m", posted=T0) for i in range(2)]).assign_ids()])
    out = CliRunner().invoke(app, ["threads", "--db", str(db)], env={"COLUMNS": "300"})
    assert out.exit_code == 0, out.output
    assert not any(ch in out.stdout for ch in "\x1b\x07\x9b")
    assert "\\x1b]0;PWNED\\x07" in out.stdout and "esc0\\x1b[5m" in out.stdout and "esc \\x1b[31mtitle" in out.stdout


def test_a_repeat_is_masked_when_a_near_copy_by_someone_else_was_flagged(tmp_path):
    from narrascope.store import open_store

    base = "The council vote on the harbour deal was rigged from the start and everyone involved knows it, you"
    doc = Document(source="p", kind="thread", title="mask", comments=[
        Comment(text=base + " fucking idiots", author="xavier", posted=T0),
        Comment(text=base + " people", author="yvonne", posted=T0 + timedelta(hours=1)),
        Comment(text=base + " people", author="yvonne", posted=T0 + timedelta(hours=2))]).assign_ids()
    first = doc.comments[0]
    doc.annotations.append(Annotation(first.id, "comment", 0, len(first.text), "toxicity", "offensive", 0.9,
                                      "toxicity", "1"))
    db = tmp_path / "m.duckdb"
    with open_store(str(db)) as store:
        store.write([doc])
    runner = CliRunner()
    masked = [json.loads(x) for x in runner.invoke(app, ["threads", "--db", str(db), "--format", "jsonl"]).stdout
              .splitlines()]
    repeat = next(r for r in masked if r.get("kind") == "repeated_by_author")
    assert repeat["authors"] == ["yvonne"] and repeat["evidence"]["text"].startswith("[offensive — hidden")
    shown = [json.loads(x) for x in runner.invoke(app, ["threads", "--db", str(db), "--format", "jsonl",
                                                        "--show-flagged"]).stdout.splitlines()]
    repeat = next(r for r in shown if r.get("kind") == "repeated_by_author")
    assert repeat["evidence"]["text"] == base + " people"  # yvonne's own words, not xavier's
    # offensive at 0.9 is below an analyst's threshold of 0.95: shown, and the signal says no label
    above = [json.loads(x) for x in runner.invoke(app, ["threads", "--db", str(db), "--format", "jsonl",
                                                        "--offensive-threshold", "0.95"]).stdout.splitlines()]
    repeat = next(r for r in above if r.get("kind") == "repeated_by_author")
    assert repeat["evidence"]["text"] == base + " people" and repeat["evidence"]["label"] is None


def test_threads_refuses_bad_settings_before_replacing_signals(tmp_path):
    from narrascope.store import open_store

    db = tmp_path / "c.duckdb"
    with open_store(str(db)) as store:
        _store_corpus(store)
        before = {s.id for s in detect(store)}
    assert before
    runner = CliRunner()
    for option in (["--threshold", "-1"], ["--threshold", "1.5"], ["--threshold", "0"], ["--burst-factor", "0"],
                   ["--burst-factor", "-1"], ["--top", "-1"], ["--top", "0"], ["--min-shared-threads", "0"]):
        result = runner.invoke(app, ["threads", "--db", str(db), *option])
        assert result.exit_code == 2, (option, result.output)
        assert result.stderr.startswith(f"narrascope: {option[0]} ") and len(result.stderr.strip().splitlines()) == 1
        assert "Traceback" not in result.output
    with open_store(str(db)) as store:
        assert {s.id for s in stored_signals(store)} == before
