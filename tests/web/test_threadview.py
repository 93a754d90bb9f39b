"""Threads made scannable and text cut for display: pure functions, exact outputs."""

from __future__ import annotations

from narrascope.web import text, threadview


def ann(i: int, layer: str, label: str, score: float, level: str | None = None) -> dict:
    return {"id": f"a{i}", "layer": layer, "label": label, "score": score, "data": {"level": level} if level else {}}


def test_labels_are_grouped_by_layer_and_deduplicated():
    groups = threadview.label_groups([
        ann(1, "narratives", "hostile-west", 0.6, "sentence"), ann(2, "narratives", "hostile-west", 0.8, "paragraph"),
        ann(3, "narratives", "hostile-west", 0.7, "comment"), ann(4, "techniques", "Doubt", 0.3),
        ann(5, "toxicity", "offensive", 0.9), ann(6, "techniques", "Doubt", 0.5)])
    assert [g["layer"] for g in groups] == ["toxicity", "techniques", "narratives"]
    narrative = groups[2]["chips"]
    assert len(narrative) == 1 and narrative[0]["count"] == 3 and narrative[0]["a"]["id"] == "a2"
    assert narrative[0]["a"]["levels"] == ["sentence", "paragraph", "comment"]
    assert [(c["a"]["id"], c["count"]) for c in groups[1]["chips"]] == [("a6", 2)]


def test_a_burst_is_explained_against_the_threads_pace():
    signal = {"kind": "burst", "authors": ["a", "b"], "comment_ids": ["c"] * 17,
              "evidence": {"start": "2020-08-16T19:00:00+00:00", "end": "2020-08-16T22:05:00+00:00", "comments": 17,
                           "expected_per_window": 3.65, "window_seconds": 10800.0}}
    words = threadview.explain(signal, {"dated": 73, "span": 3 * 86400.0, "median_gap": 2400.0})
    assert words == ("17 comments in 3 h 5 min (2020-08-16 19:00–22:05 UTC). At this age of the thread, the normal "
                     "pace of a thread's comments (learnt from the corpus) and this thread's neighbouring hours "
                     "predict 3.6 comments per 3 h: this window holds 4.7 times that. The thread's median gap "
                     "between comments is 40 min (73 dated comments over 3 days).")


def test_signals_that_cannot_be_explained_are_counted_not_shown():
    baseline = {"dated": 0, "span": 0.0, "median_gap": None}
    shown, hidden = threadview.explained_signals([
        {"kind": "burst", "evidence": {"comments": 5}}, {"kind": "network_cluster", "evidence": {}},
        {"kind": "repeated_by_author", "authors": ["ann"], "comment_ids": ["x", "y", "z"], "evidence": {}}], baseline)
    assert [s["words"] for s in shown] == ["ann posted the same text 3 times; most authors say a thing once."]
    assert hidden == {"burst": 1, "network_cluster": 1}


def test_quotes_are_cut_at_word_boundaries_with_an_ellipsis():
    assert text.quote("The minister said the figures were wrong", 25) == "The minister said the…"
    assert text.quote("short one", 25) == "short one"
    assert text.quote("A" * 50, 20) == "A" * 20 + "…"  # one huge word is cut where it must be
    assert text.first_words("   \n ") == "(empty document)"


def test_toxic_words_are_masked_in_place():
    comment = "You are idiots and scum."
    assert text.masked(comment, [(8, 14), (19, 23)]) == [("You are ", False), ("i•••••", True), (" and ", False),
                                                         ("s•••", True), (".", False)]
    assert text.mask_word("'idiot'") == "'i••••'"


def test_a_narrative_passage_is_listed_once():
    from narrascope.web.views import distinct_passages

    spans = [{"target_id": "d1", "start": 0, "end": 120, "score": 0.9}, {"target_id": "d1", "start": 0, "end": 40,
                                                                           "score": 0.8},
             {"target_id": "d1", "start": 130, "end": 170, "score": 0.7}, {"target_id": "d2", "start": 0, "end": 40,
                                                                           "score": 0.6}]
    assert [(s["target_id"], s["start"], s["end"]) for s in distinct_passages(spans)] == [
        ("d1", 0, 120), ("d1", 130, 170), ("d2", 0, 40)]
