"""Adding a narrative to the analyst's taxonomy file as text, so that their comments and layout survive.

The new entry is inserted right after the last narrative of the file's ``narratives:`` list (or
fills an empty list), and a top-level ``version`` is bumped in place. The whole new text is
checked with the shipped taxonomy before anything is written; the file is then replaced
atomically, so a failed ``add`` leaves it exactly as it was. Errors name the analyst's file.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path
from typing import Any

from narrascope.narratives.taxonomy import Narrative, TaxonomyError, _parse, load_taxonomy


def _entry(narrative: Narrative, indent: int, nl: str) -> str:
    import yaml  # type: ignore[import-untyped]

    block = yaml.safe_dump([narrative.to_yaml_dict()], sort_keys=False, allow_unicode=True, width=100)
    return nl.join(" " * indent + line for line in block.rstrip("\n").split("\n"))


def _last_end(node: Any) -> Any:
    """The end mark of the last scalar inside ``node`` (where the text of its last line ends)."""
    while getattr(node, "value", None) and isinstance(node.value, list):
        last = node.value[-1]
        node = last[1] if isinstance(last, tuple) else last
    return node.end_mark


def _insert_after(text: str, mark: Any, entry: str, nl: str) -> tuple[int, int, str]:
    """The edit that puts ``entry`` on the line(s) after the one ``mark`` lies on (or before the line it starts)."""
    if mark.column == 0 and mark.index > 0:  # a block scalar ends at the start of the next line
        return mark.index, mark.index, entry + nl
    eol = text.find("\n", mark.index)
    eol = len(text) if eol < 0 else eol - (eol > 0 and text[eol - 1] == "\r")
    return eol, eol, nl + entry


def _bumped(version: str) -> str:
    return str(int(version) + 1) if version.isdigit() else version + ".1"


def new_text(text: str, narrative: Narrative, path: Path) -> str:
    """``text`` (the analyst's file, already valid) with ``narrative`` added; raises :class:`TaxonomyError`."""
    import yaml  # type: ignore[import-untyped]

    nl = "\r\n" if "\r\n" in text else "\n"
    root = yaml.compose(text)
    if root is None:  # empty, or only comments
        sep = "" if not text or text.endswith("\n") else nl
        return f"{text}{sep}version: '1'{nl}narratives:{nl}{_entry(narrative, 0, nl)}{nl}"
    keys = {k.value: (k, v) for k, v in root.value}
    edits: list[tuple[int, int, str]] = []  # (start, end, replacement), applied from the end
    if "version" in keys and isinstance(keys["version"][1], yaml.ScalarNode):
        v = keys["version"][1]
        edits.append((v.start_mark.index, v.end_mark.index, f"'{_bumped(str(v.value))}'"))
    if "narratives" not in keys:
        sep = "" if text.endswith("\n") else nl
        edits.append((len(text), len(text), f"{sep}narratives:{nl}{_entry(narrative, 0, nl)}{nl}"))
    else:
        key, seq = keys["narratives"]
        if isinstance(seq, yaml.SequenceNode) and seq.value and not seq.flow_style:
            first = seq.value[0].start_mark
            line = text[first.index - first.column:first.index]
            edits.append(_insert_after(text, _last_end(seq), _entry(narrative, line.rfind("-"), nl), nl))
        elif (isinstance(seq, yaml.ScalarNode) and seq.value in ("", "~", "null")) or \
                (isinstance(seq, yaml.SequenceNode) and not seq.value):
            if isinstance(seq, yaml.SequenceNode):  # `narratives: []` becomes `narratives:`
                edits.append((text.rfind(":", 0, seq.start_mark.index) + 1, seq.end_mark.index, ""))
            entry = _entry(narrative, key.start_mark.column, nl)
            edits.append(_insert_after(text, key.end_mark, entry, nl))
        else:
            raise TaxonomyError([f"{path}:{seq.start_mark.line + 1}: the `narratives:` list is written inline "
                                 "([...]); write one `- id: ...` entry per line to add narratives to it"])
    for start, end, replacement in sorted(edits, key=lambda e: -e[0]):
        text = text[:start] + replacement + text[end:]
    return text


def _entry_lines(text: str) -> range:
    """The lines of the last entry of the ``narratives:`` list of ``text`` (the one just added)."""
    import yaml  # type: ignore[import-untyped]

    root = yaml.compose(text)
    seq = next(v for k, v in root.value if k.value == "narratives")
    end = seq.value[-1].end_mark
    return range(seq.value[-1].start_mark.line + 1, end.line + 1 + (end.column > 0))


def _not_added(narrative: Narrative, path: Path, problems: list[str]) -> TaxonomyError:
    return TaxonomyError(problems, heading=f"narrative {narrative.id!r} not added",
                         hint=f"nothing was written to {path}")


def _check_new(narrative: Narrative, path: Path, text: str) -> None:
    """Validate ``text`` (the file with ``narrative`` added); problems of the new entry name no line of the file
    (the entry is not in it), the others keep theirs."""
    try:
        load_taxonomy(path, user_text=text)
    except TaxonomyError as exc:
        lines, prefix = _entry_lines(text), f"{path}:"
        problems = []
        for p in exc.problems:
            number, _, message = p[len(prefix):].partition(": ") if p.startswith(prefix) else ("", "", "")
            problems.append(f"{path}: {message}" if number.isdigit() and int(number) in lines else p)
        raise _not_added(narrative, path, problems) from None


def append_narrative(narrative: Narrative, path: Path) -> Path:
    """Add ``narrative`` to the analyst's file at ``path`` (created if absent); returns ``path``."""
    from narrascope.narratives.taxonomy import SHIPPED

    old = ""
    if path.exists():
        if not path.is_file():
            raise TaxonomyError([f"{path}: not a file; give a taxonomy file with --taxonomy"])
        with open(path, encoding="utf-8", newline="") as fh:
            old = fh.read()
    current = load_taxonomy(path, user_text=old)  # the file as it is must be valid first
    if narrative.id in current.narratives:
        there = current.narratives[narrative.id]
        where = f"{path}:{there.at('id')}" if there.origin == "user" else f"{SHIPPED}:{there.at('id')} (shipped)"
        raise _not_added(narrative, path, [f"{path}: id {narrative.id!r} already exists at {where}; choose another "
                                           "id"])
    text = new_text(old, narrative, path)
    _, before, _ = _parse(path, "user", old) if old else ("", [], [])
    _check_new(narrative, path, text)
    _, after, _ = _parse(path, "user", text)
    if [n.id for n in after] != [n.id for n in before] + [narrative.id]:
        raise TaxonomyError([f"{path}: could not add {narrative.id!r} without changing the rest of the file; "
                             "add it by hand and run `narrascope narratives validate`"])
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as fh:
            fh.write(text)
        if path.is_file():
            os.chmod(tmp, path.stat().st_mode & 0o777)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return path
