"""Commands: ``narrascope techniques``, ``narrascope train techniques``, ``narrascope eval ptc``."""

from __future__ import annotations

import json
import sys
from collections import defaultdict
from pathlib import Path

import typer

from narrascope.readers.decode import decode, looks_binary
from narrascope.techniques.data import LabelledSpan, article_id


def _text_files(paths: list[str]) -> list[Path]:
    files: list[Path] = []
    for raw in paths:
        p = Path(raw)
        if p.is_dir():
            files += sorted(f for f in p.rglob("*.txt") if f.is_file() and not f.name.startswith("."))
        else:
            files.append(p)
    return files


def _model(threads: int, threshold: float | None, model_dir: Path | None):  # type: ignore[no-untyped-def]
    from narrascope.techniques.inference import TechniqueModel

    return TechniqueModel(model_dir, threads=threads, threshold=threshold)


def read_text(path: Path) -> str:
    """A text file as the official scorer reads it (UTF-8, a BOM kept, so offsets agree); other
    encodings decoded like pages; binary data refused."""
    data = path.read_bytes()
    if looks_binary(data[:8192]):
        raise ValueError(f"{path}: binary data, not a text file")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return decode(data)


def _read_article(directory: Path, aid: str) -> str:
    for name in (f"article{aid}.txt", f"{aid}.txt"):
        if (directory / name).is_file():
            return read_text(directory / name)
    raise FileNotFoundError(f"{directory}: no article{aid}.txt or {aid}.txt")


def classify_template(model, template: Path, articles: Path) -> tuple[list[LabelledSpan], int]:  # type: ignore[no-untyped-def]
    """Label every template line; the k-th copy of one span gets the k-th ranked technique."""
    from narrascope.techniques.data import read_labels

    lines = read_labels(template)
    wanted: dict[str, list[tuple[int, int]]] = defaultdict(list)
    for s in lines:
        wanted[s.article].append((s.start, s.end))
    ranked: dict[tuple[str, int, int], list[str]] = {}
    failed = 0
    for aid, spans in wanted.items():
        try:
            text = _read_article(articles, aid)
        except (OSError, ValueError) as exc:
            typer.echo(f"narrascope: {exc}", err=True)
            failed += 1
            continue
        for (start, end), ranks in zip(spans, model.classify(text, spans), strict=True):
            ranked[(aid, start, end)] = [t for t, _ in ranks]
    out: list[LabelledSpan] = []
    seen: defaultdict[tuple[str, int, int], int] = defaultdict(int)
    for s in lines:
        key = (s.article, s.start, s.end)
        choices = ranked.get(key) or ["Loaded_Language"]
        out.append(LabelledSpan(s.article, choices[min(seen[key], len(choices) - 1)], s.start, s.end))
        seen[key] += 1
    return out, failed


def techniques(paths: list[str] | None = typer.Argument(None, help="Text files or directories of .txt files."),
               format: str = typer.Option("ptc", "--format", help="ptc (article_id, technique, start, end) or jsonl."),
               classify: Path | None = typer.Option(None, "--classify", help="TC: label the spans of this "
                                                       "template (article_id<TAB>anything<TAB>start<TAB>end)."),
               articles: Path | None = typer.Option(None, "--articles", help="Article directory for --classify."),
               threads: int = typer.Option(1, "--threads", help="onnxruntime intra-op threads."),
               threshold: float | None = typer.Option(None, "--threshold", help="SI probability a token needs."),
               model_dir: Path | None = typer.Option(None, "--model", help="Model directory (default: shipped).")
               ) -> None:
    """Print the propaganda-technique spans of each text file (or label given spans with --classify)."""
    if format not in ("ptc", "jsonl"):
        raise typer.BadParameter("use ptc or jsonl", param_hint="--format")
    model = _model(threads, threshold, model_dir)
    if classify is not None:
        if articles is None:
            raise typer.BadParameter("--classify needs --articles DIR", param_hint="--articles")
        labelled, failed = classify_template(model, classify, articles)
        for s in labelled:
            sys.stdout.write(f"{s.article}\t{s.technique}\t{s.start}\t{s.end}\n")
        raise typer.Exit(1 if failed else 0)
    if not paths:
        raise typer.BadParameter("name text files or directories, or use --classify", param_hint="PATH")
    failed = 0
    for path in _text_files(paths):
        try:
            text = read_text(path)
        except (OSError, ValueError) as exc:  # the message names the file
            typer.echo(f"narrascope: {exc}", err=True)
            failed += 1
            continue
        try:
            [spans] = model.spans([text])
        except Exception as exc:  # noqa: BLE001 - report and go on with the batch
            typer.echo(f"narrascope: {path}: {type(exc).__name__}: {exc}", err=True)
            failed += 1
            continue
        aid = article_id(path)
        for s in spans:
            if format == "ptc":
                sys.stdout.write(f"{aid}\t{s.technique}\t{s.start}\t{s.end}\n")
            else:
                sys.stdout.write(json.dumps({"article_id": aid, "file": str(path), "technique": s.technique,
                                             "start": s.start, "end": s.end, "score": round(s.score, 4),
                                             "technique_score": round(s.technique_score, 4),
                                             "text": text[s.start:s.end]}, ensure_ascii=False) + "\n")
    raise typer.Exit(1 if failed else 0)


def eval_ptc(articles: Path = typer.Option(..., "--articles", help="Directory of article<ID>.txt files."),
             labels: Path = typer.Option(..., "--labels", help="Gold TC label file (article_id, technique, start, "
                                         "end)."),
             predictions: Path | None = typer.Option(None, "--predictions", help="Score this SI prediction file "
                                                        "instead of running the model."),
             tc_predictions: Path | None = typer.Option(None, "--tc-predictions", help="Score this TC prediction "
                                                        "file instead of running the model."),
             threads: int = typer.Option(1, "--threads", help="onnxruntime intra-op threads."),
             model_dir: Path | None = typer.Option(None, "--model", help="Model directory (default: shipped).")
             ) -> None:
    """SemEval-2020 Task 11 scores: SI (partial-overlap F1) and TC (micro-F1 on the gold spans)."""
    from narrascope.techniques.data import read_articles, read_labels
    from narrascope.techniques.eval import si_score, tc_score

    gold = read_labels(labels)
    texts = read_articles(articles)
    gold = [g for g in gold if g.article in texts]
    model = _model(threads, None, model_dir)
    if predictions is not None:
        si_pred = read_labels(predictions)
    else:
        ids = sorted(texts)
        si_pred = [LabelledSpan(a, s.technique, s.start, s.end) for a, spans in zip(ids, model.spans(
            [texts[a] for a in ids]), strict=True) for s in spans]
    if tc_predictions is not None:
        tc_pred = read_labels(tc_predictions)
    else:
        tc_pred, _ = classify_template(model, labels, articles)
    scores = {"articles": len(texts), "gold_spans": len(gold), "si": si_score(si_pred, gold).as_dict(),
              "tc": tc_score([p for p in tc_pred if p.article in texts], gold).as_dict()}
    sys.stdout.write(json.dumps(scores, indent=2) + "\n")


def train(data: Path = typer.Option(..., "--data", help="PTC train folder (articles/ and *-task-flc-tc.labels)."),
          out: Path = typer.Option(Path("techniques-model"), "--out", help="Where weights, ONNX and metrics go."),
          folds: int = typer.Option(5, "--folds", help="Cross-validation folds by article; fold 1 selects the "
                                    "shipped model (0: a --val-fraction split, no CV)."),
          epochs: int = typer.Option(2, "--epochs"), threads: int = typer.Option(2, "--threads"),
          seed: int = typer.Option(13, "--seed"),
          limit: int | None = typer.Option(None, "--limit", help="Use only the first N articles (smoke tests)."),
          max_tokens: int = typer.Option(256, "--max-tokens", help="Window length in tokens."),
          cv: bool = typer.Option(True, "--cv/--no-cv", help="After the shipped model, train and score folds 2..k."),
          install: bool = typer.Option(False, "--install", help="Copy the exported model into the package.")) -> None:
    """Fine-tune the technique tagger on PTC, export int8 ONNX, cross-validate (needs the [train] extra)."""
    try:
        from narrascope.techniques.training import TrainConfig, train_techniques
    except ImportError as exc:
        typer.echo(f"narrascope: {exc}; install the training extra: pip install 'narrascope[train]'", err=True)
        raise typer.Exit(2) from None
    cfg = TrainConfig(epochs=epochs, threads=threads, seed=seed, max_tokens=max_tokens)
    summary = train_techniques(data, out, cfg, folds=folds, limit=limit, cv=cv, log=lambda m: typer.echo(m, err=True))
    if install:
        import shutil

        from narrascope.techniques.inference import MODEL_DIR, MODEL_FILE

        for name in (MODEL_FILE, "tokenizer.json", "config.json"):
            shutil.copy(out / name, MODEL_DIR / name)
    sys.stdout.write(json.dumps(summary, indent=2, default=str) + "\n")


def register(groups: dict[str, typer.Typer]) -> None:
    """Add the techniques commands to the ``narrascope`` command groups."""
    groups[""].command("techniques")(techniques)
    groups["train"].command("techniques")(train)
    groups["eval"].command("ptc")(eval_ptc)
