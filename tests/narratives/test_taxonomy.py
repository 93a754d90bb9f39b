from __future__ import annotations

from pathlib import Path

import pytest

from narrascope.narratives.taxonomy import Narrative, TaxonomyError, add_narrative, load_taxonomy


def write(path: Path, body: str) -> Path:
    path.write_text(body, encoding="utf-8")
    return path


def test_shipped_taxonomy_is_valid_and_seeded(tmp_path: Path) -> None:
    tax = load_taxonomy(tmp_path / "none.yaml")
    assert tax.version
    keywords = {k for n in tax for k in n.keywords}
    for tag in ("Colour revolutions", "Coup", "Puppets", "Encircling Russia", "Russophobia", "George Soros",
                "Secret elites / global elites", "Migration crisis", "Sanctions", "Historical revisionism"):
        assert tag in keywords
    assert len({d for n in tax for d in n.diary}) >= 13
    assert all(n.examples and n.description for n in tax)


def test_duplicate_id_names_both_lines(tmp_path: Path) -> None:
    user = write(tmp_path / "n.yaml", "version: '1'\nnarratives:\n  - id: coup\n    name: x\n    description: y\n")
    with pytest.raises(TaxonomyError) as err:
        load_taxonomy(user)
    message = str(err.value)
    assert f"{user}:3: duplicate narrative id 'coup'" in message
    assert "taxonomy.yaml:" in message


def test_cycle_and_unknown_parent_are_reported_with_lines(tmp_path: Path) -> None:
    user = write(tmp_path / "n.yaml", """version: '1'
narratives:
  - id: a-one
    name: A
    description: first
    parent: b-two
  - id: b-two
    name: B
    description: second
    parent: a-one
  - id: c-three
    name: C
    description: third
    parent: nowhere
""")
    with pytest.raises(TaxonomyError) as err:
        load_taxonomy(user)
    problems = err.value.problems
    assert any(p.startswith(f"{user}:3: parent cycle a-one -> b-two -> a-one") for p in problems)
    assert any(p.startswith(f"{user}:11:") and "'nowhere'" in p for p in problems)


def test_missing_fields_and_bad_yaml(tmp_path: Path) -> None:
    user = write(tmp_path / "n.yaml", "narratives:\n  - id: lonely\n    name: only a name\n")
    with pytest.raises(TaxonomyError, match=r"n.yaml:2: narrative 'lonely' is missing description"):
        load_taxonomy(user)
    broken = write(tmp_path / "b.yaml", "narratives:\n  - id: [unclosed\n")
    with pytest.raises(TaxonomyError, match=r"b.yaml:\d+: not valid YAML"):
        load_taxonomy(broken)


def test_add_writes_user_file_and_rejects_duplicates(tmp_path: Path) -> None:
    user = tmp_path / "mine.yaml"
    add_narrative(Narrative("grain-deal", "The grain deal only feeds Europe", "desc", "hostile-west", [], [],
                            ["Ukrainian grain goes to rich countries, not to Africa."]), user)
    tax = load_taxonomy(user)
    assert tax.narratives["grain-deal"].origin == "user"
    assert tax.ancestors("grain-deal") == ["hostile-west"]
    with pytest.raises(TaxonomyError, match="duplicate"):
        add_narrative(Narrative("grain-deal", "again", "d"), user)
    assert load_taxonomy(user).narratives["grain-deal"].name == "The grain deal only feeds Europe"
