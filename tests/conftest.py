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
