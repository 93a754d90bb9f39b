"""Keep the vocabulary pieces of the scripts the project reads, drop the rest (and their embedding rows).

Most of multilingual-e5-small's 118M parameters are its 250,037 x 384 word embeddings. A piece is
kept when every character of it is allowed (:func:`allowed_char`): a Latin or Cyrillic letter (by
its Unicode name, any block), the ``▁`` word marker, or a character of the blocks that hold digits,
punctuation, symbols and emoji shared by those languages (:data:`SHARED_BLOCKS`); the special
tokens are always kept. A text made only of allowed characters is tokenised exactly as before,
since every piece that could cover any part of it is kept; a word with another script's characters
falls back to shorter pieces or ``<unk>``. ``extra_chars`` adds the characters a corpus needs.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from narrascope.models.e5.tokenizer import METASPACE, special_ids
from narrascope.models.e5.weights import E5Weights, Vocabulary

SCRIPTS = ("LATIN ", "CYRILLIC ", "COMBINING CYRILLIC ")
SHARED_BLOCKS = (
    (0x0000, 0x036F, "Basic Latin to Combining Diacritical Marks: ASCII digits, punctuation, Latin-1 symbols"),
    (0x2000, 0x2BFF, "General Punctuation to Miscellaneous Symbols and Arrows: dashes, quotes, currency, arrows"),
    (0xFE00, 0xFE0F, "Variation Selectors (emoji presentation)"),
    (0x1F000, 0x1FAFF, "the emoji and pictograph blocks"),
)
RULE = ("a piece is kept when each of its characters is a Latin or Cyrillic letter (Unicode name), the word "
        "marker U+2581, or in " + "; ".join(f"U+{a:04X}-U+{b:04X} ({what})" for a, b, what in SHARED_BLOCKS)
        + "; special tokens always; the embedding rows past the last piece are dropped")


def allowed_char(char: str, extra_chars: frozenset[str] = frozenset()) -> bool:
    """Whether a piece may contain ``char`` (see the module's rule)."""
    if char == METASPACE or char in extra_chars:
        return True
    code = ord(char)
    if any(a <= code <= b for a, b, _ in SHARED_BLOCKS):
        return True
    return unicodedata.name(char, "").startswith(SCRIPTS)


@dataclass
class Pruning:
    """Which pieces were kept (their old ids, in order) and the counts the model card records."""

    kept_ids: list[int]
    rows_before: int
    pieces_before: int
    rule: str = RULE
    extra_chars: str = ""
    counts: dict[str, int] = field(default_factory=dict)
    details: dict[str, Any] = field(default_factory=dict)


def kept_piece_ids(vocabulary: Vocabulary, extra_chars: str = "") -> list[int]:
    """Old ids of the pieces the rule keeps, in id order (specials included)."""
    extra = frozenset(extra_chars)
    specials = set(special_ids(vocabulary))
    return [i for i, piece in enumerate(vocabulary.pieces)
            if i in specials or all(allowed_char(c, extra) for c in piece)]


def keep_pieces(weights: E5Weights, kept: list[int]) -> E5Weights:
    """A copy of ``weights`` holding only the pieces ``kept`` (old ids, in order) and their embedding rows."""
    vocab = weights.vocabulary
    new_id = {old: new for new, old in enumerate(kept)}
    vocabulary = Vocabulary([vocab.pieces[i] for i in kept], vocab.scores[kept].copy(), new_id[vocab.bos],
                            new_id[vocab.eos], new_id[vocab.pad], new_id[vocab.unk], dict(vocab.normalization))
    tensors = dict(weights.tensors)
    tensors["emb.word"] = weights.tensors["emb.word"][np.asarray(kept)]
    return E5Weights(dict(weights.config, vocab_rows=len(kept)), vocabulary, tensors)


def script_counts(before: Vocabulary, pieces: list[str]) -> dict[str, int]:
    """The counts ``pruning.json`` records for the kept ``pieces`` out of ``before``."""
    latin = sum(any(unicodedata.name(c, "").startswith("LATIN ") for c in p) for p in pieces)
    cyrillic = sum(any(unicodedata.name(c, "").startswith(("CYRILLIC ", "COMBINING CYRILLIC ")) for c in p)
                   for p in pieces)
    return {"pieces before": len(before.pieces), "pieces kept": len(pieces),
            "pieces dropped": len(before.pieces) - len(pieces), "kept with a Latin letter": latin,
            "kept with a Cyrillic letter": cyrillic, "kept without a letter of either": len(pieces) - latin - cyrillic}


def prune(weights: E5Weights, extra_chars: str = "") -> tuple[E5Weights, Pruning]:
    """A copy of ``weights`` holding only the kept pieces and their embedding rows (ids renumbered in order)."""
    kept = kept_piece_ids(weights.vocabulary, extra_chars)
    pruned = keep_pieces(weights, kept)
    counts = script_counts(weights.vocabulary, pruned.vocabulary.pieces)
    counts["embedding rows before"] = int(weights.config["vocab_rows"])
    pruning = Pruning(kept, int(weights.config["vocab_rows"]), len(weights.vocabulary.pieces),
                      extra_chars=extra_chars, counts=counts)
    return pruned, pruning
