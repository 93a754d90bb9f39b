"""One head's rows for real, on ../shared/data (the check-worthiness head: under a minute on 2 cores)."""

from __future__ import annotations

import pytest

pytestmark = [pytest.mark.shared, pytest.mark.slow]


def test_claims_rows_on_the_claimbuster_test_debates_and_unseen_checkthat_debates(shared_data):
    from narrascope.claims.scores import rows

    f1, average_precision = rows(shared_data)
    assert (f1["data"], f1["metric"]) == ("ClaimBuster test debates (5 debates, 3776 sentences, 846 check-worthy)",
                                          "F1 check-worthy")
    assert (average_precision["data"], average_precision["metric"]) == (
        "CheckThat! 2019 debates sharing no training sentence (12 debates, 7332 sentences)", "MAP")
    # TF-IDF + LR fitted on the fit debates, threshold on the validation debates, in this run
    assert round(f1["baseline"], 4) == 0.6479 and round(average_precision["baseline"], 4) == 0.2858
    assert f1["narrascope"] > f1["baseline"] and average_precision["narrascope"] > average_precision["baseline"]
