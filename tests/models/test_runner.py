"""The one runner of every int8 graph over tokens (sentence encoder, toxicity, techniques)."""

from __future__ import annotations

import numpy as np
import pytest

pytest.importorskip("onnxruntime")

from narrascope.models.runner import Runner  # noqa: E402
from narrascope.models.sentence import MODEL_DIR, MODEL_FILE  # noqa: E402
from narrascope.toxicity.inference import MODEL_DIR as TOXICITY_DIR  # noqa: E402

LONG = "The committee met on Tuesday and published the budget after a long debate. " * 40


def test_nothing_loads_before_the_first_call_and_threads_follow_the_batch_size():
    side = Runner(MODEL_DIR / MODEL_FILE, threads=2)
    assert not side.loaded and side.side_by_side
    side.load()
    assert side.inputs == {"input_ids", "attention_mask", "token_type_ids"}
    assert side._session.get_session_options().intra_op_num_threads == 1  # two one-item calls side by side
    batched = Runner(MODEL_DIR / MODEL_FILE, threads=2, batch_size=8)
    batched.load()
    assert batched._session.get_session_options().intra_op_num_threads == 2


def test_windows_of_a_long_text_cover_every_token_and_side_by_side_calls_change_nothing():
    path = TOXICITY_DIR / "toxicity.int8.onnx"
    one = Runner(path)
    toks = one.tokenize([LONG, "", "you are a stupid idiot"])
    parts = one.run_windows(toks, 64, 16)
    assert [len(p) for p in parts][1:] == [0, 1] and len(parts[0]) == -(-(len(toks[0]) - 62) // 46) + 1
    owned = sum(w.own_end - w.own_start for w, _ in parts[0])
    assert owned == len(toks[0]) > 62
    scores, spans, targets = parts[2][0][1]  # the graph's outputs in its order, one row per window
    assert scores.shape == (3,) and spans.shape == (len(toks[2]) + 2,) and targets.shape == (10,)
    two = Runner(path, threads=2).run_windows(toks, 64, 16)
    for a, b in zip(parts, two, strict=True):
        assert [w for w, _ in a] == [w for w, _ in b]
        for (_, xs), (_, ys) in zip(a, b, strict=True):
            assert [np.array_equal(x, y) for x, y in zip(xs, ys, strict=True)] == [True, True, True]


def test_rows_in_groups_come_back_per_group_and_inputs_the_graph_lacks_are_left_out():
    runner = Runner(TOXICITY_DIR / "toxicity.int8.onnx")  # takes no token_type_ids
    rows = [[101, 7592, 102], [101, 102]]
    [(first,), (second,)] = runner.run_rows(rows, [[0], [1]], ["scores"])
    assert first.shape == (1, 3) and second.shape == (1, 3) and not np.array_equal(first, second)
    [(both,)] = runner.run_rows(rows, [[1, 0]], ["scores"])
    assert both.shape == (2, 3)
