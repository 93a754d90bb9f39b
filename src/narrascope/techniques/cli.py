"""Commands: ``narrascope techniques``, ``narrascope train techniques``, ``narrascope eval ptc``."""

from __future__ import annotations

import json
import os
import sys
from collections import defaultdict
from collections.abc import Iterator
from pathlib import Path
from typing import Any, NoReturn

import typer

from narrascope.errors import ReadError
from narrascope.techniques.data import (
    LabelledSpan,
    NotText,
    article_id,
    decode_article,
    label_lines,
    parse_span,
    read_text,
)
from narrascope.techniques.eval import label_spans

STDIN_ID = "stdin"


def _note(message: str) -> None:
    typer.echo(f"narrascope: {message}", err=True)


def _fail(message: str) -> NoReturn:
    _note(message)
    raise typer.Exit(2)


def _walk(top: Path) -> Iterator[Path]:
    """Files under ``top``, recursively, hidden files and directories skipped."""
    for root, dirs, files in os.walk(top):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        yield from (Path(root) / f for f in sorted(files) if not f.startswith("."))


def _inputs(paths: list[str]) -> Iterator[tuple[Path | None, str | None]]:
    """``(path, the directory argument it was found in)`` per input; ``None`` stands for standard input (``-``)."""
    for raw in paths:
        if raw == "-":
            yield None, None
        elif Path(raw).is_dir():
            yield from ((p, raw) for p in _walk(Path(raw)))
        else:
            yield Path(raw), None


def _model(threads: int, threshold: float | None, model_dir: Path | None):  # type: ignore[no-untyped-def]
    from narrascope.techniques.inference import TechniqueModel

    return TechniqueModel(model_dir, threads=threads, threshold=threshold)


def _language(aid: str, text: str) -> dict[str, Any]:
    """``language`` (``None``: too short to tell) and, when the model does not support it, ``unsupported_language``."""
    from narrascope.lang import identify
    from narrascope.pipeline.component import Target, language_note
    from narrascope.techniques.component import SUPPORTED_LANGUAGES

    lang = identify(text)
    return {"language": lang, **language_note(Target(aid, "document", text, lang), SUPPORTED_LANGUAGES)}


def _read_article(directory: Path, aid: str) -> str:
    for name in (f"article{aid}.txt", f"{aid}.txt"):
        if (directory / name).is_file():
            return read_text(directory / name, _note)
    raise ReadError(str(directory), f"no article{aid}.txt or {aid}.txt")


def _lines(numbers: list[int]) -> str:
    return f"line {numbers[0]}" if len(numbers) == 1 else f"lines {', '.join(map(str, numbers))}"


def classify_template(model: Any, template: Path, articles: Path) -> tuple[list[str], int]:
    """The template's lines with the predicted technique in the second column, and how many were skipped.

    Lines whose article has no readable file, or whose span is not inside the article, are reported
    on stderr and left out; extra columns are kept; a malformed line is a :class:`ReadError`.
    """
    lines = list(label_lines(template))
    spans = {n: parse_span(template, n, cols) for n, cols in lines}
    wanted: dict[str, list[int]] = defaultdict(list)
    for n, s in spans.items():
        wanted[s.article].append(n)
    labels: dict[int, str] = {}
    for aid, numbers in wanted.items():
        try:
            text = _read_article(articles, aid)
        except ReadError as exc:
            _note(f"{template}: {_lines(numbers)}: article {aid}: {exc}")
            continue
        inside = []
        for n in numbers:
            s = spans[n]
            if 0 <= s.start <= s.end <= len(text):
                inside.append(n)
            else:
                _note(f"{template}: line {n}: start {s.start}, end {s.end} is not inside article {aid} "
                      f"({len(text)} characters)")
        try:
            labels.update(zip(inside, label_spans(model, text, [(spans[n].start, spans[n].end) for n in inside]),
                              strict=True))
        except Exception as exc:  # noqa: BLE001 - report and go on with the other articles
            _note(f"{template}: {_lines(inside)}: article {aid}: {type(exc).__name__}: {exc}")
    out = [[cols[0], labels[n], *(cols[2:] if len(cols) > 3 else cols[1:])] for n, cols in lines if n in labels]
    return ["\t".join(cols) for cols in out], len(lines) - len(out)


def techniques(paths: list[str] | None = typer.Argument(None, help="Text files, directories (every non-hidden "
                                                         "text file in them) or - for standard input."),
               format: str = typer.Option("ptc", "--format", help="ptc (article_id, technique, start, end) or jsonl."),
               classify: Path | None = typer.Option(None, "--classify", help="TC: label the spans of this "
                                                       "template (article_id<TAB>anything<TAB>start<TAB>end, "
                                                       "or SI lines article_id<TAB>start<TAB>end); prints its "
                                                       "lines with the technique as the second column."),
               articles: Path | None = typer.Option(None, "--articles", help="Article directory (needed by "
                                                    "--classify, only used by it)."),
               threads: int = typer.Option(1, "--threads", help="onnxruntime intra-op threads."),
               threshold: float | None = typer.Option(None, "--threshold", help="SI probability a token needs."),
               model_dir: Path | None = typer.Option(None, "--model", help="Model directory (default: shipped).")
               ) -> None:
    """Print the propaganda-technique spans of each text file (or label given spans with --classify)."""
    if format not in ("ptc", "jsonl"):
        raise typer.BadParameter("use ptc or jsonl", param_hint="--format")
    if classify is not None:
        if paths:
            _fail(f"--classify labels the spans of {classify} and reads no PATH arguments ({paths[0]}): "
                  "run techniques on the files in a separate call")
        if format != "ptc":
            _fail("--classify prints the template's lines: --format does not apply")
        if articles is None or not articles.is_dir():
            _fail(f"--classify needs --articles DIR{'' if articles is None else f' ({articles} is not a directory)'}"
                  ": the directory of the template's article<ID>.txt files")
        try:
            labelled, skipped = classify_template(_model(threads, threshold, model_dir), classify, articles)
        except ReadError as exc:
            _fail(str(exc))
        sys.stdout.write("".join(line + "\n" for line in labelled))
        raise typer.Exit(1 if skipped else 0)
    if not paths:
        raise typer.BadParameter("name text files or directories, or use --classify", param_hint="PATH")
    if articles is not None:
        _fail("--articles is only used with --classify")
    model = _model(threads, threshold, model_dir)
    failed, read_in = 0, set()
    for path, top in _inputs(paths):
        name, walked = "-" if path is None else str(path), top is not None
        try:
            text = read_text(path, _note) if path else decode_article(sys.stdin.buffer.read(), name, _note)
            read_in.add(top)
            [spans] = model.spans([text])
        except NotText as exc:
            _note(f"{exc}: skipped" if walked else str(exc))
            failed += not walked
            continue
        except Exception as exc:  # noqa: BLE001 - report and go on with the batch
            _note(str(exc) if isinstance(exc, ReadError) else f"{name}: {type(exc).__name__}: {exc}")
            failed += 1
            continue
        aid = STDIN_ID if path is None else article_id(path)
        language = _language(aid, text)
        if format == "ptc":
            if "unsupported_language" in language:
                _note(f"{name}: language {language['language']}: the model knows English news only, "
                      "its spans are unreliable here")
            sys.stdout.write("".join(f"{aid}\t{s.technique}\t{s.start}\t{s.end}\n" for s in spans))
            continue
        for s in spans:
            sys.stdout.write(json.dumps({"article_id": aid, "file": name, "technique": s.technique,
                                         "start": s.start, "end": s.end, "score": round(s.score, 4),
                                         "technique_score": round(s.technique_score, 4),
                                         "text": text[s.start:s.end], **language}, ensure_ascii=False) + "\n")
        if not spans:
            sys.stdout.write(json.dumps({"article_id": aid, "file": name, "spans": 0, **language},
                                        ensure_ascii=False) + "\n")
    for empty in [raw for raw in paths if raw not in read_in and raw != "-" and Path(raw).is_dir()]:
        _note(f"no text files in {empty} (hidden and binary files are skipped)")
        failed += 1
    raise typer.Exit(1 if failed else 0)


def eval_ptc(articles: Path | None = typer.Option(None, "--articles", help="Directory of article<ID>.txt files; "
                                                  "with both prediction files only used to check offsets."),
             labels: Path = typer.Option(..., "--labels", help="Gold TC label file (article_id, technique, start, "
                                         "end)."),
             predictions: Path | None = typer.Option(None, "--predictions", help="Score this SI prediction file "
                                                        "instead of running the model (a span that cannot be in "
                                                        "its article stops the run: exit 2)."),
             tc_predictions: Path | None = typer.Option(None, "--tc-predictions", help="Score this TC prediction "
                                                        "file (exactly the gold spans) instead of running the "
                                                        "model."),
             threads: int = typer.Option(1, "--threads", help="onnxruntime intra-op threads."),
             model_dir: Path | None = typer.Option(None, "--model", help="Model directory (default: shipped).")
             ) -> None:
    """SemEval-2020 Task 11 scores: SI (partial-overlap F1) and TC (micro-F1 on the gold spans)."""
    from narrascope.techniques.data import impossible_spans, read_articles, read_labels
    from narrascope.techniques.eval import SpanMismatch, classify_gold, si_score, tc_score

    try:
        gold = read_labels(labels)
        si_pred = read_labels(predictions) if predictions else None
        tc_pred = read_labels(tc_predictions) if tc_predictions else None
        untagged = sum(not g.technique for g in gold)
        needs = [need for need, wanted in ((("find their spans (SI)", "--predictions"), si_pred is None),
                                           (("label their gold spans (TC)", "--tc-predictions"),
                                            tc_pred is None and not untagged)) if wanted]
        without = (f"without their text the model cannot {' or '.join(n[0] for n in needs)}; "
                   f"to score prediction files instead, give {' and '.join(n[1] for n in needs)}")
        if articles is None and needs:
            _fail(f"give --articles DIR, the articles of {labels}: {without}")
        texts = read_articles(articles, _note) if articles else {}
        impossible = [*impossible_spans(labels, texts), *(impossible_spans(predictions, texts) if predictions else [])]
    except ReadError as exc:
        _fail(str(exc))
    if not texts and articles:
        (_fail if needs else _note)(f"{articles}: no readable .txt article files" +
                                    ("" if needs else "; scored from the label files alone, offsets not checked"))
    if untagged:
        _note(f"{labels}: {untagged} of {len(gold)} lines have no technique column (an SI label file?): "
              "TC is not scored")
    for line in impossible[:20]:
        _note(line)
    if impossible:
        more = " (first 20 above)" if len(impossible) > 20 else ""
        _fail(f"{len(impossible)} span(s) cannot be in their article{more}: fix or remove those lines; nothing scored")
    missing = sorted({g.article for g in gold} - set(texts)) if texts else []
    if missing:
        message = (f"{articles}: no readable file for {len(missing)} gold article(s): {', '.join(missing[:10])}"
                   f"{', ...' if len(missing) > 10 else ''}")
        if needs:
            _fail(f"{message}: add them; {without}")
        _note(f"{message}; their gold and predicted spans are scored all the same, offsets not checked")
    model: Any = _model(threads, None, model_dir) if needs else None
    if si_pred is None:  # one article a call, as ``techniques`` runs: int8 scales depend on the batch
        si_pred = [LabelledSpan(a, s.technique, s.start, s.end) for a in sorted(texts)
                   for s in model.spans([texts[a]])[0]]
    tc: dict[str, float] | None = None
    if not untagged:
        try:
            tc = tc_score(tc_pred if tc_pred is not None else classify_gold(model, texts, gold), gold).as_dict()
        except SpanMismatch as exc:
            _fail(f"{tc_predictions}: {exc}")
    scores = {"articles": len(set(texts) | {g.article for g in gold}), "gold_spans": len(gold),
              "si": si_score(si_pred, gold).as_dict(), "tc": tc}
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
    """Fine-tune the technique tagger on PTC, export int8 ONNX, cross-validate (needs the \\[train] extra)."""
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
