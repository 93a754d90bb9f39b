from __future__ import annotations

import pytest

from narrascope.debunks.io import read_debunks

pytestmark = pytest.mark.shared


def test_reads_both_shared_euvsdisinfo_layouts(shared_data) -> None:
    posts, _ = read_debunks(shared_data / "euvsdisinfo" / "euvsdisinfo_cases_2015-01-06_to_2020-06-04.csv")
    review, _ = read_debunks(shared_data / "euvsdisinfo" / "euvsdisinfo_cases_with_summary_disproof_2015-2017.csv")
    assert len(posts) == 8710 and {d.format for d in posts} == {"euvsdisinfo-posts"}
    assert len(review) == 3071 and sum(bool(d.review) for d in review) >= 3000
    assert [d.id for d in posts if not (d.url or "").startswith("https://euvsdisinfo.eu/report/")] == []
    assert sum("NATO" in d.keywords for d in posts) > 500
