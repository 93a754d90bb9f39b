"""Check-worthy claims: sentences worth fact-checking, as ``claims`` annotations."""

from __future__ import annotations
