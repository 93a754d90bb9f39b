from __future__ import annotations

import json

import duckdb

from narrascope.toxicity.masking import calibrate, mask, mask_sql, masked, offensive_threshold


def test_hatespeech_is_always_masked_offensive_only_from_the_threshold():
    assert masked("hatespeech", 0.4, 0.9)
    assert masked("offensive", 0.7, 0.7)
    assert not masked("offensive", 0.69, 0.7)
    assert not masked("normal", 0.99, 0.0)
    assert not masked("unsupported", None, 0.0)
    assert mask("you idiot", "offensive", score=0.8, threshold=0.6) == "[offensive — hidden, --show-flagged to show]"
    assert mask("you idiot", "offensive", score=0.5, threshold=0.6) == "you idiot"
    assert mask("you idiot", "offensive", show=True, score=0.8, threshold=0.6) == "you idiot"


def test_the_sql_condition_says_what_masked_says():
    db = duckdb.connect()
    db.execute("CREATE TABLE t (id INT, label VARCHAR, score DOUBLE)")
    rows = [(1, "hatespeech", 0.4), (2, "offensive", 0.7), (3, "offensive", 0.5), (4, "normal", 0.9),
            (5, "offensive", None)]
    db.executemany("INSERT INTO t VALUES (?, ?, ?)", rows)
    got = [r[0] for r in db.execute(f"SELECT id FROM t WHERE {mask_sql(0.6)} ORDER BY id").fetchall()]
    assert got == [i for i, label, score in rows if masked(label, score, 0.6)] == [1, 2]


def test_calibration_picks_the_threshold_that_agrees_most_with_the_gold_flags():
    labels = ["offensive", "offensive", "offensive", "hatespeech", "normal"]
    scores = [0.40, 0.55, 0.80, 0.6, 0.9]
    toxic = [False, False, True, True, False]
    assert calibrate(labels, scores, toxic) == 0.8  # 0.6 .. 0.8 all agree 5 of 5: the highest wins
    assert calibrate(labels, scores, [True, True, True, True, False]) == 0.4  # the lowest score masked: 0.40


def test_the_threshold_comes_from_the_models_config(tmp_path):
    (tmp_path / "config.json").write_text(json.dumps({"offensive_mask_threshold": 0.65}))
    assert offensive_threshold(tmp_path) == 0.65
    (tmp_path / "config.json").write_text(json.dumps({}))
    assert offensive_threshold(tmp_path) == 0.0
