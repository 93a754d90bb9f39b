"""A generated corpus of comment threads with planted coordinated groups, for tests and benchmarks.

The organic background behaves like a comment section: a few authors write much of it (Zipf), posts
appear by day more than by night, most of a post's comments come in its first hours (log-normal
ages, each thread at its own pace), about 40% of comments answer an earlier one (the first comments
most often), some are stock phrases ("Thanks for sharing this"), and some carry links, mostly to a
few sites' homepages, written with or without ``www.``, ``https`` and tracking parameters.

Each planted group (4-10 accounts, which also write ordinary comments) posts lightly edited copies
of its own messages, or its own link with a varying sentence, within three minutes, in 8-20 threads.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

START = 1_714_521_600.0  # 2024-05-01T00:00:00Z
PHRASES = ["thanks for sharing this", "this is so true", "well said", "i could not agree more",
           "totally agree with you", "great article thanks", "this is the best comment here",
           "so sad to read this", "spot on as always", "who else is reading this in the morning",
           "this needs to be shared", "cannot believe this is happening", "what a time to be alive",
           "same here", "exactly my thoughts", "thank you for the update"]


@dataclass
class GeneratedCorpus:
    """Comments as columns; ``parent`` is the answered comment's row (-1: none); ``groups`` the planted accounts."""

    thread: np.ndarray
    author: list[str]
    time: np.ndarray
    parent: np.ndarray
    text: list[str]
    groups: list[list[str]] = field(default_factory=list)
    group_modes: list[str] = field(default_factory=list)

    def __len__(self) -> int:
        return len(self.text)


def _words(rng: np.random.Generator, n: int) -> np.ndarray:
    syllables = np.array(["ka", "lo", "mi", "ne", "ru", "ta", "vo", "si", "de", "ba", "po", "ge", "an", "or", "el",
                          "is", "um", "ter", "gra", "sto"])
    parts = rng.integers(0, len(syllables), size=(n, 3))
    sizes = rng.integers(1, 4, size=n)
    words = {"".join(syllables[p[:s]]) for p, s in zip(parts, sizes, strict=True)}
    return np.array(sorted(words))


def _rhythm(rng: np.random.Generator, times: np.ndarray) -> np.ndarray:
    """Move night-time moments to daytime with the odds a daily rhythm gives (fewest at 4 in the morning)."""
    for _ in range(6):
        hour = (times % 86400) / 3600
        keep = rng.random(len(times)) < 0.55 + 0.45 * np.cos((hour - 16) / 24 * 2 * np.pi)
        times = np.where(keep, times, times + rng.uniform(0, 86400, len(times)))
    return times


def _link(rng: np.random.Generator, site: str, path: str) -> str:
    url = ("https://" if rng.random() < 0.7 else "http://") + ("www." if rng.random() < 0.5 else "") + site + path
    if rng.random() < 0.3:
        url += f"?utm_source=share{rng.integers(0, 9)}&utm_medium=social"
    elif rng.random() < 0.1:
        url += f"?fbclid=IwAR{rng.integers(10**6, 10**7)}"
    return url


def generate(comments: int, groups: int = 10, days: int = 60, seed: int = 0) -> GeneratedCorpus:
    """About ``comments`` comments (the planted ones included) with ``groups`` planted groups."""
    rng = np.random.default_rng(seed)
    vocab = _words(rng, 12000)
    zipf = 1.0 / np.arange(1, len(vocab) + 1)
    zipf /= zipf.sum()
    n_threads = max(20, comments // 90)
    sizes = rng.lognormal(0, 1.0, n_threads)
    sizes = np.maximum(2, np.round(sizes / sizes.sum() * comments)).astype(np.int64)
    thread = np.repeat(np.arange(n_threads), sizes)
    n = len(thread)
    starts = _rhythm(rng, START + rng.uniform(0, days * 86400, n_threads))
    pace = rng.lognormal(np.log(2 * 3600), 0.7, n_threads)  # a thread's median comment age
    time = _rhythm(rng, starts[thread] + rng.lognormal(np.log(pace[thread]), 1.1))
    order = np.lexsort((time, thread))
    thread, time = thread[order], np.round(time[order])
    first = np.r_[0, np.cumsum(sizes)[:-1]]
    rank = np.arange(n) - first[thread]
    answers = (rank > 0) & (rng.random(n) < 0.4)
    parent = np.where(answers, first[thread] + np.floor(rank * rng.random(n) ** 3).astype(np.int64), -1)
    n_authors = max(50, comments // 12)
    weights = 1.0 / (np.arange(n_authors) + 5) ** 1.05
    author_ids = rng.choice(n_authors, size=n, p=weights / weights.sum())
    lengths = np.clip(rng.lognormal(np.log(16), 0.8, n), 1, 150).astype(np.int64)
    word_ids = rng.choice(len(vocab), size=int(lengths.sum()), p=zipf)
    ends = np.cumsum(lengths)
    kind = rng.random(n)
    sites = [f"{w}-news.com" for w in rng.choice(vocab, 300, replace=False)]
    site_p = 1.0 / np.arange(1, 301)
    texts = []
    for i in range(n):
        words = " ".join(vocab[word_ids[ends[i] - lengths[i]:ends[i]]])
        if kind[i] < 0.04:
            words = PHRASES[min(int(rng.zipf(1.6)) - 1, len(PHRASES) - 1)]
        elif kind[i] < 0.07:
            words = PHRASES[int(rng.integers(0, len(PHRASES)))] + " " + words
        elif kind[i] < 0.14:
            site = sites[int(rng.choice(300, p=site_p / site_p.sum()))]
            path = "/" if rng.random() < 0.35 else f"/news/{int(rng.zipf(1.3)) % 500}-story"
            words = words + " " + _link(rng, site, path)
        texts.append(words)
    names = rng.permutation(n_authors + 10 * groups)  # planted accounts look like everyone else
    author = [f"user{names[a]}" for a in author_ids]
    corpus = GeneratedCorpus(thread, author, time, parent, texts)
    for g in range(groups):
        _plant(rng, corpus, [f"user{names[n_authors + 10 * g + m]}" for m in range(int(rng.integers(4, 11)))],
               "text" if g % 5 < 3 else "link", vocab, starts, f"campaign{g}-daily.com")
    return corpus


def _plant(rng: np.random.Generator, corpus: GeneratedCorpus, members: list[str], mode: str, vocab: np.ndarray,
           starts: np.ndarray, site: str) -> None:
    """One group: its accounts' ordinary comments, then its campaign in 8-20 threads."""
    n = len(corpus.text)
    for m in members:  # ordinary comments taken over by the account
        for i in rng.choice(n, size=int(rng.integers(5, 30)), replace=False):
            corpus.author[i] = m
    messages = [list(rng.choice(vocab, int(rng.integers(18, 35)))) for _ in range(3)]
    rows: dict[str, list] = {"thread": [], "author": [], "time": [], "text": []}
    for _ in range(int(rng.integers(8, 21))):
        t = int(rng.integers(0, len(starts)))
        at = starts[t] + rng.lognormal(np.log(3600), 0.8)
        message = messages[int(rng.integers(0, 3))]
        for m in members:
            if rng.random() > 0.9:
                continue
            if mode == "text":
                words = list(message)
                for _ in range(int(rng.integers(0, 2))):
                    words[int(rng.integers(0, len(words)))] = str(rng.choice(vocab))
                text = " ".join(words)
            else:
                intro = " ".join(rng.choice(vocab, int(rng.integers(3, 12))))
                text = intro + " " + _link(rng, site, "/exclusive/truth")
            rows["thread"].append(t)
            rows["author"].append(m)
            rows["time"].append(round(at + rng.uniform(0, 180)))
            rows["text"].append(text)
    corpus.thread = np.r_[corpus.thread, np.array(rows["thread"], dtype=np.int64)]
    corpus.time = np.r_[corpus.time, np.array(rows["time"], dtype=np.float64)]
    corpus.parent = np.r_[corpus.parent, np.full(len(rows["thread"]), -1)]
    corpus.author += rows["author"]
    corpus.text += rows["text"]
    corpus.groups.append(sorted(members))
    corpus.group_modes.append(mode)


def to_documents(corpus: GeneratedCorpus) -> list:  # list[Document]
    """One thread document per thread, comments in time order, answers pointing at their parents."""
    from datetime import UTC, datetime

    from narrascope.model import Comment, Document

    rows_of: dict[int, list[int]] = {}
    for i in np.lexsort((corpus.time, corpus.thread)).tolist():
        rows_of.setdefault(int(corpus.thread[i]), []).append(i)
    docs = []
    for t, rows in rows_of.items():
        position = {r: p + 1 for p, r in enumerate(rows)}
        comments = [Comment(text=corpus.text[r], author=corpus.author[r],
                            posted=datetime.fromtimestamp(float(corpus.time[r]), UTC),
                            parent=f"#{position[int(corpus.parent[r])]}" if corpus.parent[r] in position else None,
                            depth=1 if corpus.parent[r] in position else 0) for r in rows]
        docs.append(Document(source=f"generated/thread{t}", kind="thread", title=f"Thread {t}",
                             comments=comments).assign_ids())
    return docs
