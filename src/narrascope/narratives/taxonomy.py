"""The narrative taxonomy: a versioned YAML file shipped with the package, plus the analyst's own file.

A taxonomy is a list of :class:`Narrative` entries (id, name, description, parent, EUvsDisinfo
keyword tags, VoxCheck diary narratives, example sentences). :func:`load_taxonomy` reads the
shipped file and overlays an analyst file (``narrascope narratives add`` writes there); every
problem is reported as a :class:`TaxonomyError` naming the file and line.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from functools import partial
from pathlib import Path
from typing import Any

from narrascope.errors import NarrascopeError

SHIPPED = Path(__file__).resolve().parent / "taxonomy.yaml"
#: the analyst's taxonomy file when no path is given (``NARRASCOPE_TAXONOMY`` overrides it)
USER_DEFAULT = "narratives.yaml"
REQUIRED = ("id", "name", "description")
ID_PATTERN = re.compile(r"^[a-z0-9][a-z0-9-]*$")


class TaxonomyError(NarrascopeError):
    """A taxonomy file is malformed; ``problems`` lists ``file:line: message`` strings."""

    def __init__(self, problems: list[str], heading: str = "invalid narrative taxonomy",
                 hint: str = "fix the file (or remove the narrative) and run `narrascope narratives validate`"
                 ) -> None:
        self.problems = problems
        super().__init__(f"{heading}:\n  " + "\n  ".join(problems) + f"\n{hint}")


@dataclass
class Narrative:
    """One storyline. ``keywords``/``diary`` tie it to training labels; ``examples`` enable few-shot use."""

    id: str
    name: str
    description: str
    parent: str | None = None
    keywords: list[str] = field(default_factory=list)
    diary: list[str] = field(default_factory=list)
    examples: list[str] = field(default_factory=list)
    origin: str = "shipped"
    line: int = 0
    #: the line of each field written in the file (``line`` stands in for a field that is not)
    field_lines: dict[str, int] = field(default_factory=dict, repr=False, compare=False)

    def at(self, key: str) -> int:
        """The line of field ``key`` in its file (the narrative's first line when the field is absent)."""
        return self.field_lines.get(key, self.line)

    def to_yaml_dict(self) -> dict[str, Any]:
        data = asdict(self)
        for k in ("origin", "line", "field_lines"):
            data.pop(k)
        return {k: v for k, v in data.items() if v not in ([], None) or k == "parent"}


@dataclass
class Taxonomy:
    """Narratives by id, in file order, with the version string(s) of the files they came from."""

    version: str
    narratives: dict[str, Narrative]

    def __iter__(self):  # type: ignore[no-untyped-def]
        return iter(self.narratives.values())

    def __len__(self) -> int:
        return len(self.narratives)

    def ancestors(self, nid: str) -> list[str]:
        """Parent, grandparent, ... of ``nid`` (the taxonomy is validated acyclic)."""
        out, cur = [], self.narratives[nid].parent
        while cur and cur in self.narratives and cur not in out:
            out.append(cur)
            cur = self.narratives[cur].parent
        return out


def user_taxonomy_path(path: str | Path | None = None) -> Path:
    """The analyst's taxonomy file: ``path``, else ``$NARRASCOPE_TAXONOMY``, else ``./narratives.yaml``."""
    return Path(path or os.environ.get("NARRASCOPE_TAXONOMY") or USER_DEFAULT)


def _check_types(entry: dict[str, Any], where: Callable[[str], str]) -> list[str]:
    """Problems with the value types of one narrative entry (ids, names and parents are strings)."""
    nid = entry.get("id", "?")
    problems = []
    for k in ("id", "name", "description", "parent"):
        value = entry.get(k)
        if value is not None and not isinstance(value, str):
            problems.append(f"{where(k)}: {k} of narrative {nid!r} must be a string, not {type(value).__name__} "
                            f"{value!r}" + (" (write one parent id)" if k == "parent" else ""))
    return problems


def _where(path: Path, line: int, keys: dict[str, int], key: str | None = None) -> str:
    """``file:line`` of field ``key`` of the narrative starting at ``line`` (that line when the field is absent)."""
    return f"{path}:{keys.get(key, line) if key else line}"


def _parse(path: Path, origin: str, text: str | None = None) -> tuple[str, list[Narrative], list[str]]:
    """Version, narratives and problems of the file at ``path`` (or of ``text``, reported as ``path``)."""
    import yaml  # type: ignore[import-untyped]

    problems: list[str] = []
    text = path.read_text(encoding="utf-8") if text is None else text
    try:
        root = yaml.compose(text)
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 1 if mark else 0
        return "", [], [f"{path}:{line}: not valid YAML ({getattr(exc, 'problem', exc)})"]
    if root is None:
        return "", [], []
    if not isinstance(data, dict) or not isinstance(data.get("narratives") or [], list):
        return "", [], [f"{path}:1: expected a mapping with a `narratives:` list"]
    nodes = next((v for k, v in root.value if k.value == "narratives"), None)
    out: list[Narrative] = []
    for entry, node in zip(data.get("narratives") or [], nodes.value if nodes is not None else [], strict=False):
        line = node.start_mark.line + 1
        keys = {str(k.value): k.start_mark.line + 1 for k, _ in node.value} if node.id == "mapping" else {}
        where = partial(_where, path, line, keys)
        if not isinstance(entry, dict):
            problems.append(f"{where()}: a narrative must be a mapping with {', '.join(REQUIRED)}")
            continue
        wrong = _check_types(entry, where)
        if wrong:
            problems += wrong
            continue
        missing = [k for k in REQUIRED if not str(entry.get(k) or "").strip()]
        if missing:  # an empty field has a line, an absent one has the narrative's
            problems.append(f"{where(missing[0])}: narrative {entry.get('id', '?')!r} is missing {', '.join(missing)}")
            continue
        unknown = set(entry) - {"id", "name", "description", "parent", "keywords", "diary", "examples"}
        if unknown:
            first = min(unknown, key=lambda k: keys.get(str(k), line))
            problems.append(f"{where(str(first))}: narrative {entry['id']!r} has unknown fields {sorted(unknown)}")
        if not ID_PATTERN.match(str(entry["id"])):
            problems.append(f"{where('id')}: id {entry['id']!r} must be lowercase letters, digits and dashes")
        lists = {k: entry.get(k) or [] for k in ("keywords", "diary", "examples")}
        for k, v in sorted(lists.items(), key=lambda kv: keys.get(kv[0], line)):  # reported in file order
            if not isinstance(v, list) or not all(isinstance(x, str) for x in v):
                problems.append(f"{where(k)}: {k} of {entry['id']!r} must be a list of strings")
                lists[k] = []
        out.append(Narrative(str(entry["id"]), str(entry["name"]).strip(), str(entry["description"]).strip(),
                             entry.get("parent") or None, lists["keywords"], lists["diary"], lists["examples"],
                             origin, line, keys))
    return str(data.get("version") or ""), out, problems


def validate(narratives: list[Narrative], paths: dict[str, Path]) -> list[str]:
    """Problems of a merged narrative list: duplicate ids, unknown parents, cycles; each names file and line."""
    problems: list[str] = []
    seen: dict[str, Narrative] = {}
    for n in narratives:
        if n.id in seen:
            first = seen[n.id]
            problems.append(f"{paths[n.origin]}:{n.at('id')}: duplicate narrative id {n.id!r} (first defined at "
                            f"{paths[first.origin]}:{first.at('id')})")
            continue
        seen[n.id] = n
    for n in seen.values():
        if n.parent and n.parent not in seen:
            problems.append(f"{paths[n.origin]}:{n.at('parent')}: parent {n.parent!r} of {n.id!r} is not a narrative")
    reported: set[str] = set()
    for n in seen.values():
        chain, cur = [n.id], n.parent
        while cur and cur in seen:
            if cur in chain:
                cycle = chain[chain.index(cur):] + [cur]
                if not reported & set(cycle):
                    problems.append(f"{paths[n.origin]}:{n.at('parent')}: parent cycle {' -> '.join(cycle)}")
                    reported |= set(cycle)
                break
            chain.append(cur)
            cur = seen[cur].parent
    return problems


def load_taxonomy(user_path: str | Path | None = None, shipped: str | Path = SHIPPED,
                  include_user: bool = True, user_text: str | None = None) -> Taxonomy:
    """The shipped taxonomy overlaid with the analyst's file (if it exists); raises :class:`TaxonomyError`.

    ``user_text``, when given, is checked as if it were the analyst's file (errors still name that file).
    """
    paths = {"shipped": Path(shipped)}
    version, narratives, problems = _parse(Path(shipped), "shipped")
    user = user_taxonomy_path(user_path)
    if include_user and (user_text is not None or user.is_file()) and user.resolve() != Path(shipped).resolve():
        paths["user"] = user
        user_version, extra, more = _parse(user, "user", user_text)
        narratives += extra
        problems += more
        version = f"{version}+{user_version or 'user'}"
    problems += validate(narratives, paths)
    if problems:
        raise TaxonomyError(problems)
    return Taxonomy(version, {n.id: n for n in narratives})


def fingerprint(user_path: str | Path | None = None, shipped: str | Path = SHIPPED) -> str:
    """A short hash of the shipped and the analyst's taxonomy files as they are now (cheap: nothing is parsed)."""
    import hashlib

    digest = hashlib.sha256(Path(shipped).read_bytes())
    user = user_taxonomy_path(user_path)
    if user.is_file():
        digest.update(b"\0" + user.read_bytes())
    return digest.hexdigest()[:10]


def add_narrative(narrative: Narrative, user_path: str | Path | None = None) -> Path:
    """Append ``narrative`` to the analyst's taxonomy file (created if absent) after checking the merged
    taxonomy stays valid; the file's comments and layout are kept. See :mod:`narratives.taxonomy_edit`."""
    from narrascope.narratives.taxonomy_edit import append_narrative

    return append_narrative(narrative, user_taxonomy_path(user_path))
