"""Tokens per second of the shipped int8 ONNX technique model against the same fine-tuned model in torch.

Each backend runs in its own subprocess (so one's imports and memory do not count against the
other) on the same texts, with the same windows and the same number of threads; the table gives
tokens/s, peak RSS and the speed-up. ``onnx int8`` is what narrascope runs (up to 16 windows of
one text a model call, so a text's spans do not depend on the other texts); ``onnx int8 across
texts`` batches 16 windows of one length from any texts a call, as torch does here. The torch
side is the fine-tuned model of ``--checkpoint`` (a training output with ``weights.pt``) or,
without one, the shipped graph's own weights dequantized into the same architecture
(``narrascope.techniques.from_onnx``): the same fine-tuned model up to int8 rounding, so the
comparison runs on any machine with the ``[train]`` extra. Texts: the PTC training articles when
../shared/data is present (``--articles``), otherwise generated English-like text.

    .venv/bin/python benchmarks/techniques_speed.py --threads 2
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import random
import resource
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_ARTICLES = ROOT.parent / "shared" / "data" / "ptc" / "train" / "articles"
NAMES = {"onnx": "onnx int8", "onnx16": "onnx int8 across texts", "torch": "torch fp32"}


def load_texts(articles: Path | None, n: int) -> list[str]:
    if articles and articles.is_dir():
        return [p.read_text(encoding="utf-8") for p in sorted(articles.glob("*.txt"))[:n]]
    rng = random.Random(0)
    words = "the government said people would lose their jobs because of this terrible corrupt plan".split()
    return [" ".join(rng.choice(words) for _ in range(600)) + "." for _ in range(n)]


def run_backend(backend: str, texts: list[str], threads: int, checkpoint: Path | None) -> dict:
    from narrascope.techniques.inference import MODEL_FILE, TechniqueModel

    model = TechniqueModel(threads=threads, batch_size=16)
    model._load()
    from narrascope.models.windows import per_token_outputs

    if backend == "torch":
        import torch

        from narrascope.techniques.from_onnx import tagger_from_onnx
        from narrascope.techniques.training import load_checkpoint, torch_runner

        torch.set_num_threads(threads)
        tagger = load_checkpoint(checkpoint) if checkpoint else tagger_from_onnx(model.model_dir / MODEL_FILE)
        run = torch_runner(tagger, bf16=False)

        def logits(batch):  # noqa: ANN001, ANN202
            # the same windows in the same batches as the ONNX side (one window length per batch
            # when the shipped graph has no attention mask)
            return per_token_outputs(batch, model._tokenizer, run, max_tokens=int(model.config["max_tokens"]),
                                     stride=model.stride, batch_size=16, equal_lengths=not model.masked)
    elif backend == "onnx16":
        def logits(batch):  # noqa: ANN001, ANN202
            return per_token_outputs(batch, model._tokenizer, model._run, max_tokens=int(model.config["max_tokens"]),
                                     stride=model.stride, batch_size=16, equal_lengths=not model.masked)
    else:
        logits = model.token_logits
    logits(texts[:2])  # warm-up
    start = time.perf_counter()
    outputs = logits(texts)
    seconds = time.perf_counter() - start
    tokens = sum(len(tok) for tok, _ in outputs)
    rss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return {"backend": backend, "tokens": tokens, "seconds": seconds, "tokens_per_s": tokens / seconds,
            "peak_rss_mb": rss_mb}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--texts", type=int, default=60)
    parser.add_argument("--articles", type=Path, default=DEFAULT_ARTICLES)
    parser.add_argument("--checkpoint", type=Path, default=None,
                        help="Training output (weights.pt) for the torch side; omitted: the shipped graph's "
                             "weights, dequantized.")
    parser.add_argument("--backend", choices=list(NAMES), help=argparse.SUPPRESS)
    args = parser.parse_args()
    texts = load_texts(args.articles, args.texts)
    if args.backend:
        print(json.dumps(run_backend(args.backend, texts, args.threads, args.checkpoint)))
        return
    rows = []
    has_torch = importlib.util.find_spec("torch") is not None
    if not has_torch:
        print("torch is not installed (pip install -e '.[train]'): the torch side is left out")
    for backend in ["onnx", "onnx16"] + (["torch"] if has_torch else []):
        cmd = [sys.executable, __file__, "--backend", backend, "--threads", str(args.threads), "--texts",
               str(args.texts), "--articles", str(args.articles)]
        if args.checkpoint:
            cmd += ["--checkpoint", str(args.checkpoint)]
        out = subprocess.run(cmd, capture_output=True, text=True, check=True).stdout
        rows.append(json.loads(out.strip().splitlines()[-1]))
    onnx_rate = rows[0]["tokens_per_s"]
    print(f"{len(texts)} texts, {rows[0]['tokens']} tokens; onnx: one session, intra_op_num_threads={args.threads}; "
          f"torch: torch.set_num_threads({args.threads})")
    print(f"{'backend':<24}{'seconds':>10}{'tokens/s':>12}{'peak RSS MB':>14}{'vs torch':>10}")
    torch_rate = rows[2]["tokens_per_s"] if len(rows) > 2 else None
    for r in rows:
        name = NAMES[r["backend"]]
        ratio = f"{r['tokens_per_s'] / torch_rate:.2f}x" if torch_rate else "-"
        print(f"{name:<24}{r['seconds']:>10.2f}{r['tokens_per_s']:>12.0f}{r['peak_rss_mb']:>14.0f}{ratio:>10}")
    if torch_rate:
        print(f"speed-up onnx int8 / torch: {onnx_rate / torch_rate:.2f}x")


if __name__ == "__main__":
    main()
