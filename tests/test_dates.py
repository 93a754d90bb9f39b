from __future__ import annotations

from datetime import UTC, datetime

import pytest

from narrascope.dates import parse_time

UTC = UTC


@pytest.mark.parametrize(("raw", "expected"), [
    ("October 27, 2020 at 2:46 pm", datetime(2020, 10, 27, 14, 46, tzinfo=UTC)),
    ("Oct 27 2020 14:46 utc", datetime(2020, 10, 27, 14, 46, tzinfo=UTC)),
    ("Tue Oct 27, 2020 2:46 pm", datetime(2020, 10, 27, 14, 46, tzinfo=UTC)),
    ("2020-10-27T14:46:00+02:00", datetime(2020, 10, 27, 12, 46, tzinfo=UTC)),
    ("27 Oct 2020 14:46 MSK", datetime(2020, 10, 27, 11, 46, tzinfo=UTC)),
    ("October 27th, 2020", datetime(2020, 10, 27, tzinfo=UTC)),
])
def test_absolute_times_parse_to_utc(raw, expected):
    assert parse_time(raw) == expected


@pytest.mark.parametrize("raw", ["3 years ago", "yesterday", "", None, "Reply", "x" * 500])
def test_relative_or_missing_times_give_none(raw):
    assert parse_time(raw) is None
