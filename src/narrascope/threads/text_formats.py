"""Comment renderings in extracted text: the detector protocol, its registry and the walk.

Each rendering (WordPress, Typepad, Disqus, Reddit, phpBB, ...) is a small
:class:`TextFormat` registered by name in :data:`FORMATS`. A format recognises its
signature line (a header such as ``Anna says:`` or a footer such as ``Posted by: Anna |
Oct 27 2020 14:46 utc | 12``); :func:`choose_format` counts signature lines and keeps the
format with most of them. :meth:`TextFormat.parse` then cuts the thread into
:class:`RawComment` objects: header, nesting (from indentation, or from restarting
numbers), text lines, and headers pasted inside a reply (kept as text and as references).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import ClassVar

from narrascope.threads.text_dates import date_line, posted_time
from narrascope.threads.text_furniture import is_control, is_thread_end

# lynx's link numbers "[12]" (before the link's text), w3m's image labels "[svg]", "[a]" or "[31de74]";
# a label glued to the end of a word is part of a name ("Anonymous[412]")
_LABEL = r"\[(?:\d{1,5}|[A-Za-z]{1,5}|[0-9a-f]{4,16})\]"
_LINK_LABEL = re.compile(rf"(?<![^\s\]]){_LABEL}|{_LABEL}(?=\S)")


def plain(s: str) -> str:
    """A stripped line without the labels text browsers put before links and images
    (lynx ``[12]``, w3m ``[a]``, ``[svg]``): for reading a header, never for a body."""
    return _LINK_LABEL.sub("", s).strip() if "[" in s else s


@dataclass
class Lines:
    """A page split into lines: ``raw`` as in the input, ``text`` stripped, ``indent`` widths."""

    raw: list[str]
    text: list[str]
    indent: list[int]

    @classmethod
    def split(cls, page: str) -> Lines:
        raw = page.splitlines()
        text = [r.strip() for r in raw]
        indent = []
        for r, t in zip(raw, text, strict=True):
            n = r.find(t[:1]) if t else 0
            indent.append(n + 3 * r.count("\t", 0, n))
        return cls(raw, text, indent)

    def __len__(self) -> int:
        return len(self.text)


@dataclass
class Header:
    """What a signature line says about its comment."""

    author: str | None
    number: int | None = None
    posted_raw: str | None = None
    size: int = 1  # lines the signature takes (a header line and its date line: 2)
    reply_to: str | None = None  # author named as the one replied to (Disqus "A → B")
    inline: str | None = None  # a nameless comment's first text, on its number line ("5. Never paid ...")


@dataclass
class RawComment:
    """A comment as cut from the page, before ids: positions are 0-based indexes."""

    header: Header
    line: int  # index of the signature line
    indent: int
    signature: str
    lines: list[int] = field(default_factory=list)  # indexes of text lines ('' marks a paragraph break)
    depth: int = 0
    parent: int | None = None
    pasted: list[Header] = field(default_factory=list)  # earlier signatures pasted into the text


class TextFormat:
    """One rendering of a comment thread in plain text.

    ``numbered``: the page shows running numbers; ``restarts``: replies number their own
    1., 2. (numbered WordPress variants); ``positional``: a post number means the N-th
    post when no number is shown (forums); ``thread_only``: a forum page, where the text
    before the first post is title and furniture, not an article.
    """

    name: ClassVar[str] = ""
    numbered: ClassVar[bool] = False
    restarts: ClassVar[bool] = False
    positional: ClassVar[bool] = False
    thread_only: ClassVar[bool] = False
    min_count: ClassVar[int] = 1

    def quick(self, s: str) -> bool:
        """A cheap test that the stripped line ``s`` could be a signature line."""
        return True

    def header(self, text: list[str], i: int) -> Header | None:
        """The signature starting at line ``i`` (``text`` holds stripped lines), or None."""
        return None

    def is_subject(self, s: str) -> bool:
        """True for a post-subject line printed just before a header (phpBB ``Re: ...``)."""
        return False

    def page_meta(self, lines: Lines) -> tuple[str, str | None] | None:
        """The post's (author, time) when the rendering prints them apart from the article top."""
        return None

    def signatures(self, lines: Lines) -> list[tuple[int, Header]]:
        """Every signature line of the page, in order (pasted ones included)."""
        text = lines.text
        found = []
        i, n = 0, len(text)
        while i < n:
            s = text[i]
            if s and len(s) <= 300 and self.quick(s):
                h = self.header(text, i)
                if h is not None:
                    last = text[i + h.size - 1] if h.size > 1 and i + h.size - 1 < n else ""
                    if (h.author and "_" in h.author and " " not in h.author and "_" in plain(last)
                            and " " not in plain(last) and date_line(plain(last))):
                        h.author = h.author.replace("_", " ")  # html2text draws a linked name like the linked time
                    found.append((i, h))
                    i += h.size
                    continue
            i += 1
        return found

    def count(self, lines: Lines) -> int:
        """How many signature lines the page has: the score for choosing a format."""
        self._seen = (lines, self.signatures(lines))
        return len(self._seen[1])

    def found(self, lines: Lines) -> list[tuple[int, Header]]:
        """:meth:`signatures`, reusing what :meth:`count` found on the same lines."""
        seen = getattr(self, "_seen", None)
        return seen[1] if seen is not None and seen[0] is lines else self.signatures(lines)

    def parse(self, lines: Lines) -> tuple[int, list[RawComment]]:
        """Cut the thread: (index of the first thread line, comments in page order)."""
        sigs = self.found(lines)
        if not sigs:
            return len(lines), []
        tree = Tree(self, lines, sigs)
        comments: list[RawComment] = []
        for i, h in sigs:
            place = tree.place(i, h, comments)
            if place is None:  # a pasted header: text of the comment it sits in
                if comments:
                    comments[-1].pasted.append(h)
                continue
            depth, parent = place
            comments.append(RawComment(h, i, lines.indent[i], lines.text[i], depth=depth, parent=parent))
        _assign_text(self, lines, comments)
        start = comments[0].line if comments else len(lines)
        if comments and start > 0 and self.is_subject(lines.text[start - 1]):
            start -= 1
        return start, comments


def mostly_outdented(lines: Lines, sigs: list[tuple[int, Header]], item: re.Pattern[str]) -> bool:
    """True when after most headers the text starts left of the header: a text browser prints a
    comment's text under its list marker, so this is a list of stories with captions or bylines
    (``6. Novak Djokovic trains with his coach`` / time / the headline back at the margin), not a
    thread. A next header (a line that ``item`` matches) is no text; a single header pasted into a
    reply may be followed by the reply's text further left, hence "most"."""
    out = 0
    for i, h in sigs:
        j = i + h.size
        while j < len(lines) and not lines.text[j]:
            j += 1
        out += j < len(lines) and lines.indent[j] < lines.indent[i] and not item.fullmatch(lines.text[j])
    return out > len(sigs) / 2


FORMATS: dict[str, type[TextFormat]] = {}
MAX_DEPTH = 32  # numbering that restarts deeper than this is not nesting


def register(cls: type[TextFormat]) -> type[TextFormat]:
    """Class decorator: add a rendering to :data:`FORMATS` under its ``name``."""
    FORMATS[cls.name] = cls
    return cls


def choose_format(lines: Lines) -> TextFormat | None:
    """The registered format with most signature lines (at least its ``min_count``), unless
    those lines are the bylines of a list of stories (:func:`story_bylines`)."""
    best, best_count = None, 0
    for cls in FORMATS.values():
        fmt = cls()
        n = fmt.count(lines)
        if n >= fmt.min_count and n > best_count and not story_bylines(fmt, lines.text, fmt.found(lines)):
            best, best_count = fmt, n
    return best


def story_bylines(fmt: TextFormat, text: list[str], sigs: list[tuple[int, Header]]) -> bool:
    """True when most signatures follow a headline: a list of stories (headline, byline, time,
    teaser), not a thread, whose comments follow the text of the comment before (or a subject
    line that the format prints, such as phpBB's ``Re: ...``)."""
    if len(sigs) < 2:
        return False
    after_headline = 0
    for i, _ in sigs:
        j = i - 1
        while j >= 0 and j >= i - 2 and not text[j]:
            j -= 1
        if j == i - 1:  # right after text, as a comment follows the comment before; a byline stands apart,
            # or under html2text's "** Headline **" (not a user title such as "** Well-known member **")
            after_headline += text[j][:2] == "**" and text[j][-2:] == "**" and not is_control(text[j].strip("* "))
            continue
        block: list[str] = []  # the lines just before, a headline wrapped over up to three of them
        while j >= 0 and text[j] and len(block) < 4:
            block.insert(0, text[j])
            j -= 1
        if block and len(block) <= 3 and _headline_like(_BULLET.sub("", " ".join(block))) \
                and not fmt.is_subject(block[-1]):
            after_headline += 1
    return after_headline > 0.6 * len(sigs)


_BULLET = re.compile(r"^(?:[*+o•◦▪□-]|\d{1,3}\.)\s+")


_SENTENCE_END = re.compile(r"[a-z]{2}[.!?]\s[A-Z]")


def _headline_like(s: str) -> bool:
    """A headline: a few words, capitalised, no final full stop and one sentence at most."""
    words = s.split()
    return (3 <= len(words) <= 25 and (s[0].isupper() or s[0] in "'‘\"“«") and s[-1] not in ".!…:;,\"”)»"
            and not _SENTENCE_END.search(s) and not is_control(s) and not is_thread_end(s))


class Tree:
    """Places each header in the thread, or says it is a paste (``None``).

    Depth comes from indentation when the headers are indented differently; otherwise,
    for formats whose replies restart their numbering, from the numbers (a ``1.`` after
    ``3.`` opens replies to 3; a later ``4.`` closes them). A header that repeats an
    earlier (author, absolute time), whose running number goes backwards, or that lacks the
    time most other headers show, is a paste.
    """

    def __init__(self, fmt: TextFormat, lines: Lines, sigs: list[tuple[int, Header]]) -> None:
        self.fmt = fmt
        self.by_indent = len({lines.indent[i] for i, _ in sigs}) > 1
        self.stack: list[tuple[int, int, int | None]] = []  # (indent, comment index, number)
        self.seen: set[tuple[str, str]] = set()
        self.max_number = 0
        self.indent = lines.indent
        self.latest: dict[str, int] = {}  # author -> index of their latest comment (for "A → B")
        self.latest_by_author: list[str] = []
        # where most headers carry a time, an undated one is a quote of an earlier header
        dated = sum(1 for _, h in sigs if h.posted_raw)
        self.dated = dated >= 2 and dated > 0.6 * len(sigs)

    def place(self, i: int, h: Header, comments: list[RawComment]) -> tuple[int, int | None] | None:
        key = (h.author or "", h.posted_raw or "")
        running = self.fmt.numbered and not self.fmt.restarts and h.number is not None
        if running:  # a running number decides alone
            if h.number <= self.max_number:  # type: ignore[operator]
                return None
        elif key in self.seen or (self.dated and not h.posted_raw and comments and h.inline is None):
            return None
        if self.by_indent:
            placed = self._by_indent(self.indent[i], h.number)
        elif self.fmt.restarts and h.number is not None:
            placed = self._by_number(h.number)
        else:
            placed = self._flat(h, comments)
        if placed is None:
            return None
        keep, depth, parent = placed
        del self.stack[keep:]
        self.stack.append((self.indent[i], len(comments), h.number))
        if h.posted_raw and posted_time(h.posted_raw) is not None:
            self.seen.add(key)
        if h.number is not None and not self.fmt.restarts:
            self.max_number = h.number
        return depth, parent

    # each placement returns (stack entries kept, depth, parent index); the stack changes
    # only once the header is known not to be a paste

    def _by_indent(self, x: int, number: int | None) -> tuple[int, int, int | None] | None:
        stack = self.stack
        keep = len(stack)
        while keep and stack[keep - 1][0] > x:
            keep -= 1
        if keep and stack[keep - 1][0] == x:
            prev = stack[keep - 1]
            keep -= 1
            if self.fmt.restarts and number is not None and prev[2] is not None and number <= prev[2]:
                return None
        elif keep and self.fmt.restarts and number is not None and number != 1:
            return None  # a first reply is numbered 1; anything else is quoted text
        return keep, keep, stack[keep - 1][1] if keep else None

    def _by_number(self, n: int) -> tuple[int, int, int | None] | None:
        stack = self.stack
        if stack and n == 1 and len(stack) < MAX_DEPTH:
            return len(stack), len(stack), stack[-1][1]
        gap = None  # the innermost level this number could continue after a gap
        for d in range(len(stack) - 1, -1, -1):
            last = stack[d][2]
            if last is not None and n > last:
                if n == last + 1:
                    return d, d, stack[d - 1][1] if d else None
                gap = d if gap is None else gap
        if gap is not None:
            return gap, gap, stack[gap - 1][1] if gap else None
        return (0, 0, None) if not stack else None

    def _flat(self, h: Header, comments: list[RawComment]) -> tuple[int, int, int | None]:
        for c in comments[len(self.latest_by_author):]:
            self.latest_by_author.append((c.header.author or "").casefold())
            self.latest[self.latest_by_author[-1]] = len(self.latest_by_author) - 1
        j = self.latest.get(h.reply_to.casefold()) if h.reply_to else None
        return (0, comments[j].depth + 1, j) if j is not None else (0, 0, None)


def _assign_text(fmt: TextFormat, lines: Lines, comments: list[RawComment]) -> None:
    """Give each comment the lines between its signature and the next one."""
    text = lines.text
    for k, c in enumerate(comments):
        end = comments[k + 1].line if k + 1 < len(comments) else len(text)
        if k + 1 < len(comments) and end > 0 and fmt.is_subject(text[end - 1]):
            end -= 1
        last = k + 1 == len(comments)
        c.lines = collect(text, c.line + c.header.size, end, stop=is_thread_end if last else None)


def collect(text: list[str], start: int, end: int, stop: Callable[[str], bool] | None = None,
            skip: Callable[[str], object] | None = None) -> list[int]:
    """Indexes of the content lines in ``[start, end)``, -1 marking a paragraph break;
    controls and lines for which ``skip`` is true are left out, ``stop`` ends the text."""
    out: list[int] = []
    gap = False
    for j in range(start, end):
        s = text[j]
        if not s:
            gap = True
            continue
        if stop is not None and stop(s):
            break
        if is_control(s) or (skip is not None and skip(s)):
            continue
        if gap and out:
            out.append(-1)
        gap = False
        out.append(j)
    return out


def join(text: list[str], indexes: list[int]) -> str:
    """The lines at ``indexes`` joined by newlines, a blank line where -1 marks a break."""
    parts = []
    for j in indexes:
        parts.append("" if j < 0 else text[j])
    return "\n".join(parts)
