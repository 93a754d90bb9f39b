from __future__ import annotations

import math

import pytest

from narrascope.toxicity.bias import bias_table, community_scores, generalised_mean
from narrascope.toxicity.data import Example


def test_generalised_mean_weighs_the_worst_value_most():
    assert generalised_mean([0.8, 0.8]) == pytest.approx(0.8)
    assert generalised_mean([0.5, 1.0]) == pytest.approx((0.5 * (0.5 ** -5 + 1.0) ) ** (-1 / 5))
    assert generalised_mean([0.5, 1.0]) < 0.75
    assert generalised_mean([0.5, float("nan")]) == pytest.approx(0.5)
    assert math.isnan(generalised_mean([]))
    # a subgroup scored 0 (all its posts ranked wrong) is the worst case, not a crash
    assert generalised_mean([0.0, 0.9]) == 0.0
    assert generalised_mean([0.0, 0.9], p=1.0) == pytest.approx(0.45)


def _post(i: int, toxic: bool, targets: list[str]) -> Example:
    label = [1.0, 0.0, 0.0] if toxic else [0.0, 0.0, 1.0]
    return Example(str(i), "text", "hatexplain", label, targets=targets)


def test_subgroup_bpsn_and_bnsp_pick_their_posts():
    posts = [_post(0, True, ["Jewish"]), _post(1, False, ["Jewish"]), _post(2, True, []), _post(3, False, [])]
    # the Jewish normal post scores above the background toxic post: BPSN suffers, BNSP does not
    toxic = [0.9, 0.8, 0.7, 0.1]
    got = community_scores(posts, toxic, ("Jewish", "Women"))
    assert got["Jewish"] == {"posts": 2, "toxic": 1, "subgroup_auc": 1.0, "bpsn_auc": 0.0, "bnsp_auc": 1.0}
    assert got["Women"] == {"posts": 0, "toxic": 0, "subgroup_auc": None, "bpsn_auc": None, "bnsp_auc": None}
    table = bias_table({"communities": got, "gmb_subgroup_auc": 1.0, "gmb_bpsn_auc": 0.0, "gmb_bnsp_auc": 1.0})
    assert "| Jewish | 2 | 1 | 1.000 | 0.000 | 1.000 |" in table
    assert "| Women | 0 | 0 | – | – | – |" in table
