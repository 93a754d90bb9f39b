"""Every promise of README.md has a test: each command it names, each option it gives a command,
each reader of its table and each environment variable it mentions is exercised somewhere in tests/.

A command counts as exercised when a test passes its words in a row (``["eval", "extraction", ...]``,
``run("techniques", path)``); an option when a test file that exercises the command also names the
option; a reader when a test forces it (``reader="feed"``, ``--reader feed``) or has a test module of
its name (``tests/readers/test_warc.py``). The failure names what has no test.
"""

from __future__ import annotations

import ast
import re
from functools import cache
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
README = (ROOT / "README.md").read_text(encoding="utf-8")
TESTS = ROOT / "tests"
_MENTION = re.compile(r"(?:`|^ {4})(?:\.venv/bin/)?narrascope ([a-z][a-z-]*)(?: ([a-z][a-z-]*))?", re.M)
_OPTION = re.compile(r"(?<![\w-])(--[a-z][a-z-]*|-c)\b")
# promises too slow to run through the command line (fine-tuning the shipped encoder takes minutes): each
# names the test file that runs the same code on a tiny model and a call that file must make
RUN_BELOW_THE_COMMAND = {
    ("train", "checkworthy", "--finetune"): ("claims/test_finetune.py", "finetune(debates("),
    ("train", "checkworthy", "--holdout"): ("claims/test_finetune.py", "holdout=False"),
    ("train", "checkworthy", "--no-holdout"): ("claims/test_finetune.py", "holdout=False"),
}


@cache
def cli() -> dict[tuple[str, ...], dict[str, frozenset[str]]]:
    """Command path -> {option: all spellings of that option}, from the command line itself."""
    from typer.main import get_command

    from narrascope.cli import app

    out: dict[tuple[str, ...], dict[str, frozenset[str]]] = {}

    def walk(command, path: tuple[str, ...]) -> None:
        subcommands = getattr(command, "commands", None)
        if subcommands:
            for name, sub in subcommands.items():
                walk(sub, (*path, name))
            return
        options: dict[str, frozenset[str]] = {}
        for param in command.params:
            spellings = frozenset(o for o in [*param.opts, *param.secondary_opts] if o.startswith("-"))
            for o in spellings:
                options[o] = spellings
        out[path] = options

    walk(get_command(app), ())
    return out


def readme_promises(readme: str = README) -> tuple[dict[tuple[str, ...], set[str]], list[str]]:
    """(command path -> the options README gives it, README mentions of commands that do not exist)."""
    commands, unknown = {}, []
    groups = {path[0] for path in cli() if len(path) > 1}
    mentions = list(_MENTION.finditer(readme))
    for k, m in enumerate(mentions):
        first, second = m.group(1), m.group(2)
        path = (first, second) if first in groups else (first,)
        if path not in cli():
            unknown.append(" ".join(p for p in path if p))
            continue
        context = readme[m.end():mentions[k + 1].start() if k + 1 < len(mentions) else len(readme)]
        options = commands.setdefault(path, set())
        options.update(o for o in _OPTION.findall(context) if o in cli()[path])
    return commands, unknown


@cache
def suite_files() -> dict[Path, tuple[list[list[str]], set[str]]]:
    """Per test file: runs of string constants passed together (list, tuple, call arguments), and all strings."""
    out = {}
    for path in sorted(TESTS.rglob("*.py")):
        if path.name == Path(__file__).name:
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        runs, strings = [], set()
        for node in ast.walk(tree):
            if isinstance(node, ast.Constant) and isinstance(node.value, str):
                strings.add(node.value)
            items = node.elts if isinstance(node, ast.List | ast.Tuple) else \
                node.args if isinstance(node, ast.Call) else None
            if not items:
                continue
            run: list[str] = []
            for item in items:
                if isinstance(item, ast.Constant) and isinstance(item.value, str):
                    run.append(item.value)
                    continue
                if run:
                    runs.append(run)
                run = []
            if run:
                runs.append(run)
        out[path] = (runs, strings)
    return out


def exercising(path: tuple[str, ...]) -> list[Path]:
    """The test files that pass the command's words in a row."""
    n = len(path)
    return [f for f, (runs, _) in suite_files().items()
            if any(tuple(run[i:i + n]) == path for run in runs for i in range(len(run) - n + 1))]


def readers_in_the_table() -> list[str]:
    table = README.split("## What it reads", 1)[1].split("\n## ", 1)[0]
    return [name for row in re.findall(r"^\| (`[^|]+`) \|", table, re.M) for name in re.findall(r"`([a-z-]+)`", row)]


def test_the_readme_names_only_commands_that_exist():
    _, unknown = readme_promises()
    assert unknown == [], f"README.md names commands the CLI does not have: {sorted(set(unknown))}"


def test_every_command_and_option_in_the_readme_is_exercised_by_a_test():
    commands, _ = readme_promises()
    assert len(commands) >= 25 and "--compare" in commands[("eval", "extraction")]
    missing = []
    for path, options in sorted(commands.items()):
        files = exercising(path)
        if not files:
            missing.append(f"narrascope {' '.join(path)}")
            continue
        named = set().union(*(suite_files()[f][1] for f in files))
        for option in sorted(options):
            below = RUN_BELOW_THE_COMMAND.get((*path, option))
            if below is not None:
                if below[1] not in (TESTS / below[0]).read_text(encoding="utf-8"):
                    missing.append(f"narrascope {' '.join(path)} {option} (tests/{below[0]} no longer runs it)")
            elif not cli()[path][option] & named:
                missing.append(f"narrascope {' '.join(path)} {option}")
    assert missing == [], "README.md promises these, and no test runs them:\n" + "\n".join(missing)


def test_every_reader_in_the_readme_table_is_registered_and_exercised():
    from narrascope import registry

    names = readers_in_the_table()
    assert {"html", "text", "warc", "feed", "jsonl", "csv", "parquet", "platform-json"} <= set(names)
    assert [n for n in names if n not in registry.readers.names()] == []
    text = "\n".join(f.read_text(encoding="utf-8") for f in suite_files())
    missing = [n for n in names if f'reader="{n}"' not in text and f'"--reader", "{n}"' not in text
               and not list(TESTS.rglob(f"test_{n.replace('-', '_')}*.py"))]
    assert missing == [], f"readers in README.md's table that no test forces or has a test module for: {missing}"


def test_every_environment_variable_in_the_readme_is_exercised():
    variables = sorted(set(re.findall(r"\$(NARRASCOPE_[A-Z0-9_]+)", README)))
    assert "NARRASCOPE_TAXONOMY" in variables
    named = set().union(*(strings for _, strings in suite_files().values()))
    assert [v for v in variables if v not in named] == []


def test_the_check_reads_commands_and_their_options_as_a_reader_would():
    text = ("- `narrascope eval threads PAGE --renderer lynx [--misses]` scores; `narrascope frobnicate --db` and\n"
            "  `narrascope eval nothing` do not exist.\n\n"
            "    narrascope export --db c.duckdb --table documents --bogus\n")
    commands, unknown = readme_promises(text)
    assert commands == {("eval", "threads"): {"--renderer", "--misses"}, ("export",): {"--db", "--table"}}
    assert unknown == ["frobnicate", "eval nothing"]
    assert exercising(("no-such-command",)) == []
    assert Path(TESTS / "techniques" / "test_cli.py") in exercising(("eval", "ptc"))
    assert readme_promises()[0][("export",)] >= {"--db", "--table", "--format", "--out"}
