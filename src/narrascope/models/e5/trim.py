"""Vocabulary trimming by use: keep the pieces a corpus needs, on top of the Latin+Cyrillic rule.

After :mod:`~narrascope.models.e5.prune`'s rule, a piece stays when it is a special token, one
character the rule allows (so any Latin or Cyrillic text still tokenises without ``<unk>``: the
Unigram model re-segments a word whose long pieces were dropped into shorter kept ones), a piece of
the ``query: `` prefix, or used at least ``min_count`` times when the corpus is tokenised with the
whole vocabulary; ``max_pieces`` then caps the used ones, most frequent first, and ``fill_script``
spends what is left of it on that script's most probable pieces. The held-out texts
(:func:`~narrascope.models.e5.corpus.held_out`) are never counted.
"""

from __future__ import annotations

import unicodedata
from collections import Counter
from collections.abc import Iterable

import numpy as np

from narrascope.models.e5.corpus import HELD_OUT_RULE, held_out
from narrascope.models.e5.prune import Pruning, allowed_char, keep_pieces, script_counts
from narrascope.models.e5.tokenizer import build_tokenizer, special_ids
from narrascope.models.e5.weights import E5Weights, Vocabulary

QUERY_PREFIX = "query: "
REASONS = ("special", "character", "prefix", "used", "score")


def piece_counts(vocabulary: Vocabulary, texts: Iterable[str], batch: int = 4096) -> Counter[int]:
    """How often each piece id occurs when ``texts`` are tokenised with ``vocabulary`` (specials not counted)."""
    tokenizer = build_tokenizer(vocabulary)
    counts: Counter[int] = Counter()
    chunk: list[str] = []
    for text in texts:
        chunk.append(text)
        if len(chunk) == batch:
            counts.update(i for e in tokenizer.encode_batch(chunk, add_special_tokens=False) for i in e.ids)
            chunk = []
    counts.update(i for e in tokenizer.encode_batch(chunk, add_special_tokens=False) for i in e.ids)
    return counts


def kept_by_use(vocabulary: Vocabulary, counts: Counter[int], min_count: int = 1, max_pieces: int | None = None,
                extra_chars: str = "", fill_script: str | None = None) -> dict[int, str]:
    """Old id -> why it is kept (:data:`REASONS`), for the pieces the module's rule keeps.

    With ``max_pieces`` and ``fill_script`` (a Unicode name prefix such as ``CYRILLIC``), the pieces
    left in the budget go to the rule's pieces holding a letter of that script, highest score first
    (the score is the piece's log-probability in XLM-R's training corpus).
    """
    extra = frozenset(extra_chars)
    reasons = dict.fromkeys(special_ids(vocabulary), "special")
    for i, piece in enumerate(vocabulary.pieces):
        if len(piece) == 1 and i not in reasons and allowed_char(piece, extra):
            reasons[i] = "character"
    for i in build_tokenizer(vocabulary).encode(QUERY_PREFIX, add_special_tokens=False).ids:
        reasons.setdefault(i, "prefix")
    used = [(n, i) for i, n in counts.items() if n >= min_count and i not in reasons
            and all(allowed_char(c, extra) for c in vocabulary.pieces[i])]
    used.sort(key=lambda item: (-item[0], item[1]))
    if max_pieces is not None:
        used = used[:max(0, max_pieces - len(reasons))]
    reasons.update((i, "used") for _, i in used)
    if max_pieces is not None and fill_script:
        script = fill_script.upper() + " "
        fill = [i for i in np.argsort(-vocabulary.scores, kind="stable").tolist() if i not in reasons
                and any(unicodedata.name(c, "").startswith(script) for c in vocabulary.pieces[i])
                and all(allowed_char(c, extra) for c in vocabulary.pieces[i])]
        reasons.update((i, "score") for i in fill[:max(0, max_pieces - len(reasons))])
    return reasons


def trim(weights: E5Weights, texts: Iterable[str], min_count: int = 1, max_pieces: int | None = None,
         extra_chars: str = "", sources: dict[str, int] | None = None,
         fill_script: str | None = None) -> tuple[E5Weights, Pruning]:
    """``weights`` keeping only the pieces :func:`kept_by_use` chooses on ``texts`` (held-out texts skipped)."""
    counts = piece_counts(weights.vocabulary, (t for t in texts if not held_out(t)))
    reasons = kept_by_use(weights.vocabulary, counts, min_count, max_pieces, extra_chars, fill_script)
    kept = sorted(reasons)
    trimmed = keep_pieces(weights, kept)
    tally = Counter(reasons.values())
    summary = script_counts(weights.vocabulary, trimmed.vocabulary.pieces)
    summary.update({f"kept as {r}": tally[r] for r in REASONS})
    summary["embedding rows before"] = int(weights.config["vocab_rows"])
    summary["pieces the corpus used"] = len(counts)
    rule = (f"trimmed by use: special tokens, every single-character piece the Latin+Cyrillic rule allows, the "
            f"pieces of {QUERY_PREFIX!r}, and the pieces used at least {min_count} times (whole-vocabulary "
            f"tokenisation of the corpus, {HELD_OUT_RULE} and not counted)"
            + (f", at most {max_pieces} pieces in all, most used first" if max_pieces else "")
            + (f", the rest of them the highest-scoring pieces with a {fill_script} letter" if fill_script else ""))
    details = {"mode": "used", "min_count": min_count, "max_pieces": max_pieces, "fill_script": fill_script,
               "corpus": sources or {},
               "held_out": HELD_OUT_RULE, "reasons": [reasons[i] for i in kept],
               "uses": [int(counts.get(i, 0)) for i in kept]}
    pruning = Pruning(kept, int(weights.config["vocab_rows"]), len(weights.vocabulary.pieces), rule=rule,
                      extra_chars=extra_chars, counts=summary, details=details)
    return trimmed, pruning

