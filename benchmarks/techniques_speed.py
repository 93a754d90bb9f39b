"""Tokens per second of the shipped int8 ONNX technique model against the same fine-tuned model in torch.

Each backend runs in its own subprocess (so one's imports and memory do not count against the
other) on the same texts, with the same windows and the same number of threads; the table gives
tokens/s, peak RSS and the speed-up over torch with the same batches. ``onnx int8`` is what
narrascope runs (up to 16 windows of one text a model call, so a text's spans do not depend on the
other texts); ``across texts`` batches up to 16 windows of one length from any texts a call. The torch
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
NAMES = {"onnx": "onnx int8", "torch": "torch fp32", "onnx16": "onnx int8 across texts",
         "torch16": "torch fp32 across texts"}


def load_texts(articles: Path | None, n: int) -> list[str]:
    if articles and articles.is_dir():
        return [p.read_text(encoding="utf-8") for p in sorted(articles.glob("*.txt"))[:n]]
    rng = random.Random(0)
    words = "the government said people would lose their jobs because of this terrible corrupt plan".split()
    return [" ".join(rng.choice(words) for _ in range(600)) + "." for _ in range(n)]


def run_backend(backend: str, texts: list[str], threads: int, checkpoint: Path | None) -> dict:
    from narrascope.models.windows import per_token_outputs
    from narrascope.techniques.inference import MODEL_FILE, TechniqueModel

    model = TechniqueModel(threads=threads, batch_size=16)
    runner = model.runner

    def run(batch):  # noqa: ANN001, ANN202
        return runner.call(batch, ["logits"])[0]

    if backend.startswith("torch"):
        import torch

        from narrascope.techniques.from_onnx import tagger_from_onnx
        from narrascope.techniques.training import load_checkpoint, torch_runner

        torch.set_num_threads(threads)
        tagger = load_checkpoint(checkpoint) if checkpoint else tagger_from_onnx(model.model_dir / MODEL_FILE)
        run = torch_runner(tagger, bf16=False)

    def windows_of(batch):  # noqa: ANN001, ANN202 - the same windows and batches on both sides
        return per_token_outputs(batch, runner.tokenizer, run, max_tokens=int(model.config["max_tokens"]),
                                 stride=model.stride, batch_size=16, equal_lengths=not model.masked)

    if backend.endswith("16"):  # up to 16 windows of one length from any texts a call
        logits = windows_of
    else:  # what narrascope runs: the windows of one text a call (TechniqueModel.token_logits)
        def logits(batch):  # noqa: ANN001, ANN202
            return [windows_of([text])[0] for text in batch]
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
    for backend in [b for b in NAMES if has_torch or not b.startswith("torch")]:
        cmd = [sys.executable, __file__, "--backend", backend, "--threads", str(args.threads), "--texts",
               str(args.texts), "--articles", str(args.articles)]
        if args.checkpoint:
            cmd += ["--checkpoint", str(args.checkpoint)]
        out = subprocess.run(cmd, capture_output=True, text=True, check=True).stdout
        rows.append(json.loads(out.strip().splitlines()[-1]))
    rate = {r["backend"]: r["tokens_per_s"] for r in rows}
    print(f"{len(texts)} texts, {rows[0]['tokens']} tokens; onnx: one session, intra_op_num_threads={args.threads}; "
          f"torch: torch.set_num_threads({args.threads})")
    print(f"{'backend':<26}{'seconds':>10}{'tokens/s':>12}{'peak RSS MB':>14}{'vs torch, same batches':>24}")
    for r in rows:
        torch_rate = rate.get("torch16" if r["backend"].endswith("16") else "torch")
        ratio = f"{r['tokens_per_s'] / torch_rate:.2f}x" if torch_rate else "-"
        print(f"{NAMES[r['backend']]:<26}{r['seconds']:>10.2f}{r['tokens_per_s']:>12.0f}{r['peak_rss_mb']:>14.0f}"
              f"{ratio:>24}")
    if "torch" in rate:
        print(f"speed-up onnx int8 / torch fp32: {rate['onnx'] / rate['torch']:.2f}x one text a call, "
              f"{rate['onnx16'] / rate['torch16']:.2f}x across texts, "
              f"{rate['onnx'] / max(rate['torch'], rate['torch16']):.2f}x narrascope's calls against torch's faster")


if __name__ == "__main__":
    main()
