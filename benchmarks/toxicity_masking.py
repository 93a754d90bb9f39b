"""Share of comments the toxicity layer masks on the shared thread pages, for several models.

The pages: the demo corpus, the repository's thread fixtures (``tests/fixtures/html`` and
``json``) and the comment sections of the extraction benchmark's pages (``--shared``). Each
model masks what it labels ``hatespeech``, or ``offensive`` at or above its own calibrated
``offensive_mask_threshold`` (``narrascope.toxicity.masking``), as the web app and ``threads`` do.
Prints one table (comments, answered unsupported, masked, share) and, with ``--list``, every
masked comment with its label and score, for reading.

    .venv/bin/python benchmarks/toxicity_masking.py --model shipped --model /path/to/candidate
"""

from __future__ import annotations

import argparse
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def comments(shared: Path | None) -> list[tuple[str, str]]:
    """(page, comment text) of every comment on the shared thread pages, in a stable order."""
    from narrascope.readers import parse

    paths = sorted((ROOT / "src" / "narrascope" / "demo" / "corpus").rglob("*"))
    for fixtures in ("html", "json"):
        paths += sorted((ROOT / "tests" / "fixtures" / fixtures).glob("*"))
    if shared and (shared / "data" / "extraction" / "html").is_dir():
        paths += sorted((shared / "data" / "extraction" / "html").glob("*"))
    out = []
    for path in paths:
        if not path.is_file():
            continue
        try:
            docs = parse(path)
        except Exception:  # a fixture that is a broken page on purpose: no comments to count
            continue
        for doc in docs:
            out += [(path.name, c.text) for c in doc.comments if c.text.strip()]
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--model", action="append", default=[], help="'shipped' or a model directory (repeat)")
    parser.add_argument("--shared", type=Path, default=ROOT.parent / "shared")
    parser.add_argument("--list", action="store_true", help="print every masked comment")
    args = parser.parse_args()
    from narrascope.toxicity.inference import ToxicityModel
    from narrascope.toxicity.masking import masked, offensive_threshold

    items = comments(args.shared)
    rows = []
    for name in args.model or ["shipped"]:
        model_dir = None if name == "shipped" else Path(name)
        threshold = offensive_threshold(model_dir)
        results = ToxicityModel(model_dir).predict([text for _, text in items])
        hidden = [(page, text, r) for (page, text), r in zip(items, results, strict=True)
                  if masked(r.label, (r.scores or {}).get(r.label or "", 0.0), threshold)]
        unsupported = sum(r.label is None for r in results)
        rows.append((name, len(items), unsupported, threshold, len(hidden)))
        if args.list:
            for page, text, r in hidden:
                print(f"{name}\t{page}\t{r.label}\t{(r.scores or {}).get(r.label or '', 0.0):.2f}\t{text[:100]!r}")
    print("| model | comments | unsupported | offensive threshold | masked | share |")
    print("|---|---|---|---|---|---|")
    for name, n, unsupported, threshold, hidden_n in rows:
        print(f"| {name} | {n} | {unsupported} | {threshold:.2f} | {hidden_n} | {hidden_n / max(1, n):.1%} |")


if __name__ == "__main__":
    main()
