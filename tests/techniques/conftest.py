"""A tiny WordPiece tokenizer built in code (letters and digits), so window tests need no model files."""

from __future__ import annotations

import string

import pytest


def make_tokenizer():
    tokenizers = pytest.importorskip("tokenizers")
    from tokenizers import models, normalizers, pre_tokenizers

    vocab = ["[PAD]", "[UNK]", "[CLS]", "[SEP]"]
    chars = string.ascii_lowercase + string.digits
    vocab += list(chars) + ["##" + c for c in chars] + ["the", "##ing", "propaganda"]
    tok = tokenizers.Tokenizer(models.WordPiece({t: i for i, t in enumerate(vocab)}, unk_token="[UNK]",
                                                max_input_chars_per_word=100))
    tok.normalizer = normalizers.BertNormalizer(lowercase=True, strip_accents=True, clean_text=True)
    tok.pre_tokenizer = pre_tokenizers.BertPreTokenizer()
    return tok


@pytest.fixture(scope="session")
def tiny_tokenizer():
    return make_tokenizer()
