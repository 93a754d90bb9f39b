"""Mutation score of the modules where a silent fault corrupts data, each against its own tests.

    .venv/bin/python benchmarks/mutation.py                 # every module below, smallest first
    .venv/bin/python benchmarks/mutation.py dedup decode    # some of them (names as in MODULES)

For each module, mutmut (the ``mutation`` extra) mutates that module alone in a copy of the
project under ``--work`` and runs only the tests listed for it, under ``nice``, one mutant at a
time (``--max-children 1``: the machine's cores are shared). It prints one table row per module
(killed, survived, no tests, timeouts, score = killed and timed out / all mutants) and writes
each surviving mutant's diff to ``WORK/NAME/survivors.txt``; ``benchmarks/README.md`` keeps the
table and what became of each survivor.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
MUTMUT = Path(sys.executable).with_name("mutmut")

# name -> (module, the tests that exercise it), smallest module first
MODULES: dict[str, tuple[str, list[str]]] = {
    "export": ("src/narrascope/store/export.py", ["tests/store/test_export.py"]),
    "extraction": ("src/narrascope/evaluation/extraction.py", ["tests/test_eval_extraction.py", "-m", "not slow"]),
    "dedup": ("src/narrascope/dedup.py", ["tests/test_dedup.py", "tests/store/test_near_duplicates.py"]),
    "eval": ("src/narrascope/techniques/eval.py", ["tests/techniques/test_eval.py"]),
    "decode": ("src/narrascope/readers/decode.py", ["tests/readers/test_decode.py", "tests/readers/test_charsets.py",
                                                   "tests/readers/test_decode_rules.py"]),
    "refs": ("src/narrascope/threads/refs.py", ["tests/threads/test_refs.py", "tests/threads/test_text.py"]),
    "text_formats": ("src/narrascope/threads/text_formats.py",
                     ["tests/threads/test_text_formats.py", "tests/threads/test_text.py",
                      "tests/threads/test_text_format_rules.py", "tests/threads/test_text_listed.py"]),
    # the store's own tests, less test_memory_cap.py (store/memory.py's cap: 10 s of fixtures per mutant)
    "duckdb": ("src/narrascope/store/duckdb.py",
               ["tests/store/test_store_contract.py", "tests/store/test_export.py",
                "tests/store/test_near_duplicates.py", "tests/store/test_migrations.py",
                "tests/store/test_duckdb_connection.py", "tests/store/test_duckdb_paths.py",
                "tests/store/test_duckdb_round_trip.py",
                "tests/store/test_duckdb_batches.py"]),
}
COPIED = ["src", "tests", "docs", "benchmarks", "README.md", "pyproject.toml"]


def prepare(work: Path, module: str, tests: list[str]) -> None:
    if work.exists():
        shutil.rmtree(work)
    work.mkdir(parents=True)
    for name in COPIED:
        source = ROOT / name
        if source.is_dir():
            shutil.copytree(source, work / name, ignore=shutil.ignore_patterns("__pycache__", "mutants"))
        elif source.exists():
            shutil.copy2(source, work / name)
    config = (f'\n[tool.mutmut]\nsource_paths = ["src"]\nonly_mutate = ["{module}"]\n'
              f"pytest_add_cli_args_test_selection = {json.dumps(tests)}\n"
              'pytest_add_cli_args = ["-p", "no:cacheprovider"]\nalso_copy = ["README.md", "docs", "benchmarks"]\n')
    with open(work / "pyproject.toml", "a", encoding="utf-8") as f:
        f.write(config)


def measure(name: str, work_root: Path) -> dict:
    module, tests = MODULES[name]
    work = work_root / name
    prepare(work, module, tests)
    env = {**os.environ, "NARRASCOPE_SHARED": str(ROOT.parent / "shared"), "PYTHONPATH": ""}
    started = time.monotonic()
    run = subprocess.run(["nice", "-n", "10", str(MUTMUT), "run", "--max-children", "1"], cwd=work, env=env,
                         stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    if run.returncode != 0:
        raise SystemExit(f"{name}: mutmut failed ({run.returncode}): {run.stderr[-2000:]}")
    subprocess.run([str(MUTMUT), "export-cicd-stats"], cwd=work, env=env, check=True, capture_output=True)
    stats = json.loads((work / "mutants" / "mutmut-cicd-stats.json").read_text())
    listed = subprocess.run([str(MUTMUT), "results"], cwd=work, env=env, capture_output=True, text=True).stdout
    survivors = [line.strip().split(":")[0] for line in listed.splitlines() if line.strip().endswith(
        ("survived", "no tests"))]
    with open(work / "survivors.txt", "w", encoding="utf-8") as out:
        for mutant in survivors:
            out.write(subprocess.run([str(MUTMUT), "show", mutant], cwd=work, env=env, capture_output=True,
                                     text=True).stdout + "\n")
    detected = stats["killed"] + stats["timeout"]
    return {"module": module, "mutants": stats["total"], "killed": stats["killed"], "survived": stats["survived"],
            "no_tests": stats["no_tests"], "timeout": stats["timeout"],
            "score": detected / stats["total"] if stats["total"] else 1.0,
            "minutes": (time.monotonic() - started) / 60}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("names", nargs="*", metavar="NAME",
                        help=f"modules to measure (default all): {', '.join(MODULES)}")
    parser.add_argument("--work", type=Path, default=Path("/tmp/narrascope-mutation"),
                        help="where the mutated copies go (default /tmp/narrascope-mutation)")
    args = parser.parse_args()
    unknown = [n for n in args.names if n not in MODULES]
    if unknown:
        parser.error(f"unknown module(s) {', '.join(unknown)}; choose from {', '.join(MODULES)}")
    if not MUTMUT.exists():
        raise SystemExit(f"{MUTMUT} is missing: pip install -e '.[mutation]'")
    print("| module | mutants | killed | survived | no tests | timeouts | score | minutes |")
    print("|---|---|---|---|---|---|---|---|")
    for name in args.names or list(MODULES):
        r = measure(name, args.work)
        print(f"| `{r['module'].removeprefix('src/narrascope/')}` | {r['mutants']} | {r['killed']} | {r['survived']} "
              f"| {r['no_tests']} | {r['timeout']} | {r['score']:.1%} | {r['minutes']:.1f} |", flush=True)


if __name__ == "__main__":
    main()
