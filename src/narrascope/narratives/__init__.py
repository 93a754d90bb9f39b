"""Narratives: a versioned taxonomy, a classifier over sentence embeddings, and discovery of new ones.

The ``narratives`` component annotates which taxonomy narratives each sentence, paragraph,
document and comment carries; ``narrascope narratives`` manages the taxonomy.
"""

from __future__ import annotations
