"""Whether a short piece of a comment header reads as a commenter's name.

A name is a few words, not a sentence, a control, a date, page furniture or a byline
(``by ...``, ``Posted ...``); the comment grammars of :mod:`text_listed` and
:mod:`text_forums` ask it of the line (or the cell of a table row) where a name stands.
"""

from __future__ import annotations

import re

from narrascope.threads.text_dates import date_line
from narrascope.threads.text_furniture import is_comments_header, is_control, is_page_furniture

_INITIAL = re.compile(r".*\b\w\.")
MAX_NAME_WORDS = 5
_CALENDAR = frozenset("""monday tuesday wednesday thursday friday saturday sunday mon tue wed thu fri sat sun
    today yesterday updated published posted modified date dated released written""".split())
# a byline, a subject or a link is not a commenter's name
_NOT_NAMES = ("by ", "von ", "par ", "por ", "door ", "от ", "автор", "posted ", "published ", "re:", "reply", "http",
              "www.", "tags", "filed ")


def author_name(s: str, said: bool) -> str | None:
    """``s`` if it reads as an author name: a few words, not a sentence, a control or a date."""
    s = s.strip(" \t-–—|•·,")
    if not s or len(s) > 60 or not any(ch.isalpha() for ch in s):
        return None
    words = s.split() if " " in s else s.replace("_", " ").split()
    if len(words) > (MAX_NAME_WORDS + 1 if said else MAX_NAME_WORDS):
        return None
    if s[-1] in ".!?;:," and not ((said or _INITIAL.fullmatch(s)) and s[-1] in ".!"):
        return None
    if ":" in s or words[0].lower().rstrip(",.") in _CALENDAR:
        return None
    low = s.lower()
    if low.startswith(_NOT_NAMES) or "://" in s or s[0] == "[":
        return None
    if date_line(s) or is_control(s) or is_page_furniture(s) or is_comments_header(s):
        return None
    return s
