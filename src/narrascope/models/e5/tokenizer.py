"""A ``tokenizers`` Unigram tokenizer from the file's SentencePiece pieces, built as XLM-R's is.

transformers builds XLM-R's fast tokenizer (and multilingual-e5's) from the SentencePiece model as:
Unigram over the pieces (``<unk>`` id 3, no byte fallback), SentencePiece's precompiled ``nmt_nfkc``
normaliser, whitespace split then ``▁`` prepended to every word, ``<s> $A </s>`` around a text. This
does the same from the pieces and the normalisation map of ``e5-small-q4.bin``, so inference needs
only ``tokenizers`` (no sentencepiece, no transformers).
"""

from __future__ import annotations

from typing import Any

from narrascope.models.e5.charsmap import precompiled_charsmap
from narrascope.models.e5.weights import Vocabulary

METASPACE = "\u2581"
MASK = "<mask>"


def special_ids(vocabulary: Vocabulary) -> list[int]:
    """Ids of ``<s>``, ``<pad>``, ``</s>``, ``<unk>`` and ``<mask>`` (those the vocabulary has)."""
    ids = {vocabulary.bos, vocabulary.pad, vocabulary.eos, vocabulary.unk}
    ids.update(i for i, piece in enumerate(vocabulary.pieces) if piece == MASK)
    return sorted(ids)


def build_tokenizer(vocabulary: Vocabulary) -> Any:
    """A ``tokenizers.Tokenizer`` over ``vocabulary`` (ids are positions in ``vocabulary.pieces``)."""
    from tokenizers import AddedToken, Tokenizer, decoders, normalizers, pre_tokenizers, processors
    from tokenizers.models import Unigram

    pieces = vocabulary.pieces
    model = Unigram(list(zip(pieces, vocabulary.scores.tolist(), strict=True)), unk_id=vocabulary.unk,
                    byte_fallback=False)
    tokenizer = Tokenizer(model)
    tokenizer.normalizer = normalizers.Precompiled(precompiled_charsmap(vocabulary.normalization))
    tokenizer.pre_tokenizer = pre_tokenizers.Sequence(
        [pre_tokenizers.WhitespaceSplit(), pre_tokenizers.Metaspace(replacement=METASPACE, prepend_scheme="always")])
    tokenizer.decoder = decoders.Metaspace(replacement=METASPACE, prepend_scheme="always")
    bos, eos = pieces[vocabulary.bos], pieces[vocabulary.eos]
    tokenizer.post_processor = processors.TemplateProcessing(
        single=f"{bos} $A {eos}", pair=f"{bos} $A {eos} {eos} $B {eos}",
        special_tokens=[(bos, vocabulary.bos), (eos, vocabulary.eos)])
    specials = [AddedToken(pieces[i], special=True, normalized=False) for i in special_ids(vocabulary)]
    tokenizer.add_special_tokens(specials)
    return tokenizer
