"""Notes for ``narrascope predict narratives`` and ``predict checkworthy`` on the JSON Lines contract.

The contract itself (``{"id", "text"}`` in, one JSON object per line out, a bad line answered with
``"error"`` naming its line number) is :mod:`narrascope.predict`. Texts that are empty, one word,
very long or not English are answered here with a ``"note"`` saying so.
"""

from __future__ import annotations

from typing import IO, Any

from narrascope.predict import Predict, answer_lines
from narrascope.sentences import MIN_WORDS, scored_sentences


def notes(text: str, max_chars: int, what: str = "a narrative") -> list[str]:
    """Why a prediction for ``text`` may be weak: empty, one word, cut, or another language.

    ``what`` the command looks for ("a narrative", "a claim"): a text with no sentence of two words
    or more carries none, and the note says so.
    """
    from narrascope.lang import identify

    words = len(text.split())
    out = []
    if words == 0:
        out.append("empty text")
    elif words < MIN_WORDS:
        out.append(f"one-word text: too short to carry {what} (none is reported)")
    elif not scored_sentences(text[:max_chars]):
        out.append(f"no sentence of {MIN_WORDS} words or more: too short to carry {what} (none is reported)")
    if len(text) > max_chars:
        out.append(f"text longer than {max_chars} characters: only the beginning was analysed")
    lang = identify(text[:2000]) if words >= 3 else None
    if lang and lang != "en":
        out.append(f"language {lang!r}: the models were trained on English; scores are unreliable")
    return out


def predict_lines(stream: IO[str], out: IO[str], predict: Predict, failed_row: dict[str, Any], max_chars: int,
                  batch: int = 64) -> int:
    """Answer each input line with ``{"id", **predict(...)}`` and its notes; returns the number of bad lines."""
    return answer_lines(stream, out, predict, failed_row, lambda text: notes(text, max_chars), batch)
