"""Content warnings: flagged text is hidden behind its label unless the analyst asks to see it."""

from __future__ import annotations

FLAGGED_LABELS = ("hatespeech", "offensive")


def mask(text: str, label: str | None, show: bool = False, option: str = "--show-flagged") -> str:
    """``text`` itself when it is not flagged (or ``show``), else ``[LABEL — hidden, OPTION to show]``."""
    if show or label not in FLAGGED_LABELS:
        return text
    return f"[{label} — hidden, {option} to show]"
