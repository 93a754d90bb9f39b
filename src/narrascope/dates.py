"""Timestamps as pages show them: keep the raw string, parse to UTC when possible."""

from __future__ import annotations

import re
from datetime import UTC, datetime

from dateutil import parser as _parser
from dateutil import tz as _tz

_ZONES = {
    "utc": _tz.UTC, "gmt": _tz.UTC, "z": _tz.UTC,
    "est": _tz.tzoffset("EST", -5 * 3600), "edt": _tz.tzoffset("EDT", -4 * 3600),
    "cst": _tz.tzoffset("CST", -6 * 3600), "cdt": _tz.tzoffset("CDT", -5 * 3600),
    "mst": _tz.tzoffset("MST", -7 * 3600), "mdt": _tz.tzoffset("MDT", -6 * 3600),
    "pst": _tz.tzoffset("PST", -8 * 3600), "pdt": _tz.tzoffset("PDT", -7 * 3600),
    "cet": _tz.tzoffset("CET", 3600), "cest": _tz.tzoffset("CEST", 7200),
    "bst": _tz.tzoffset("BST", 3600), "msk": _tz.tzoffset("MSK", 3 * 3600),
}
_TZINFOS = {k.upper(): v for k, v in _ZONES.items()}
_RELATIVE = re.compile(r"\b(ago|yesterday|today|just now)\b", re.I)
_DEFAULT = datetime(1900, 1, 1)


def parse_time(raw: str | None) -> datetime | None:
    """Parse ``raw`` to an aware UTC datetime, or ``None`` when it is not an absolute time.

    Times without a zone are taken as UTC. Relative times ("3 years ago") give ``None``:
    they depend on when the page was fetched, and ids must not depend on the clock.
    """
    if not raw:
        return None
    text = raw.strip()
    if not text or len(text) > 80 or _RELATIVE.search(text) or not re.search(r"\d", text):
        return None
    text = re.sub(r"\s+at\s+", " ", text, flags=re.I)
    text = re.sub(r"(\d)(st|nd|rd|th)\b", r"\1", text)
    try:
        value = _parser.parse(text, tzinfos=_TZINFOS, default=_DEFAULT, fuzzy=True)
    except (ValueError, OverflowError, TypeError):
        return None
    if value.year == 1900:
        return None
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    return value.astimezone(UTC)
