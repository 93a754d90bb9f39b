"""Known debunks: import EUvsDisinfo cases and ClaimReview JSON-LD, match claims to them in the store."""

from __future__ import annotations
