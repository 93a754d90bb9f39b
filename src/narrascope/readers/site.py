"""The outlet of a page that does not say it in metadata: the site its text names, or its path's domain.

Extracted text keeps a page's furniture: a copyright line (``© 2020 eastern-ledger.example``), a
"Source:" or "Originally published at" line, a banner with the site's address. A file saved under a
folder named after the site (``pages/eastern-ledger.example/post.txt``) says it too. Only those
places are read: a site named in the article's own sentences is a link, not the outlet.
"""

from __future__ import annotations

import re
from pathlib import PurePath

#: top-level domains an outlet's address ends with (a file name's extension is not one)
TLDS = frozenset(("com", "org", "net", "info", "ru", "by", "ua", "de", "uk", "eu", "fr", "it", "pl", "lt", "lv",
                  "ee", "io", "co", "news", "media", "tv", "online", "site", "blog", "us", "ca", "au", "nl", "be",
                  "ch", "at", "cz", "sk", "hu", "ro", "bg", "rs", "ge", "am", "kz", "md", "su", "example"))
_DOMAIN = re.compile(r"(?<![@\w.-])(?:https?://)?(?:www\.)?((?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+([a-z]{2,12}))"
                     r"(?![\w@-])", re.I)
_CREDIT = re.compile(r"©|\(c\)|copyright|^\s*source\s*:|originally (?:published|appeared)|^\s*via\s", re.I)


def domains(line: str) -> list[str]:
    """The site addresses in ``line`` (lower case, without ``www.``), known top-level domains only."""
    return [m.group(1).lower() for m in _DOMAIN.finditer(line) if m.group(2).lower() in TLDS]


def site_in_text(text: str, lines: int = 12) -> str | None:
    """The site a page's furniture names: a credit line first, else a banner line at the very top."""
    rows = text.splitlines()
    edges = rows[:lines] + rows[-lines:]
    for row in edges:
        if _CREDIT.search(row) and (found := domains(row)):
            return found[0]
    for row in rows[:3]:  # a banner: the address and at most three other words ("Home | News")
        found = domains(row)
        if found and len(_DOMAIN.sub(" ", row).split()) <= 3:
            return found[0]
    return None


def site_in_path(source: str) -> str | None:
    """A folder (or the file name's first part) of ``source`` that is a site address."""
    if "://" in source:
        return None
    parts = PurePath(source).parts
    for part in reversed(parts[:-1]):
        if (found := domains(part)) and found[0] == part.lower().removeprefix("www."):
            return found[0]
    return None


def outlet_fallback(text: str, source: str) -> str | None:
    """The outlet when the page's metadata gives none: the site its text names, else its path's domain."""
    return site_in_text(text) or site_in_path(source)
