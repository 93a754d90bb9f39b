"""Documentation is tested: the JSON form and the command line are documented as they are."""

from __future__ import annotations

import re
from pathlib import Path

from narrascope.model import Annotation, Comment, Document, Item

ROOT = Path(__file__).resolve().parents[1]


def _documented(section: str) -> list[str]:
    text = (ROOT / "docs" / "json-format.md").read_text()
    part = text.split(f"## {section}", 1)[1].split("\n## ", 1)[0]
    return re.findall(r"^\| `(\w+)` \|", part, flags=re.M)


def test_every_json_field_is_documented_and_nothing_else():
    assert _documented("Document") == list(Document(source="x").to_dict())
    assert _documented("Comment") == list(Comment(text="x").to_dict())
    assert _documented("Item (a story on a listing page)") == list(Item("t").to_dict())
    assert _documented("Annotation") == ["id", *[k for k in Annotation("t", "document", 0, 1, "l", "x").to_dict()
                                                 if k != "id"]]


def test_every_command_is_in_the_readme():
    from typer.main import get_command

    from narrascope.cli import app

    readme = (ROOT / "README.md").read_text()
    group = get_command(app)
    missing = []
    for name, command in group.commands.items():
        subcommands = getattr(command, "commands", None)
        for full in ([f"{name} {sub}" for sub in subcommands] if subcommands is not None else [name]):
            if f"narrascope {full}" not in readme:
                missing.append(full)
    assert not missing, f"commands missing from README.md: {missing}"
