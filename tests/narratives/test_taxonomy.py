from __future__ import annotations

import re
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
    assert [n.id for n in tax if not (n.examples and n.description)] == [] and len(tax) >= 13


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
    assert any(p.startswith(f"{user}:6: parent cycle a-one -> b-two -> a-one") for p in problems)  # parent: lines
    assert any(p.startswith(f"{user}:14:") and "'nowhere'" in p for p in problems)


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
    with pytest.raises(TaxonomyError, match=f"id 'grain-deal' already exists at {user}:3"):
        add_narrative(Narrative("grain-deal", "again", "d"), user)
    assert load_taxonomy(user).narratives["grain-deal"].name == "The grain deal only feeds Europe"


def test_wrong_value_types_are_reported_with_lines(tmp_path: Path) -> None:
    user = write(tmp_path / "n.yaml", """narratives:
  - id: 123
    name: A
    description: first
  - id: b-two
    name: [B]
    description: second
    parent: [a-one]
  - id: c-three
    name: C
    description: 7
    keywords: Coup
""")
    with pytest.raises(TaxonomyError) as err:
        load_taxonomy(user)
    problems = err.value.problems
    assert any(p.startswith(f"{user}:2: id of narrative 123 must be a string") for p in problems)
    assert any(p.startswith(f"{user}:6: name of narrative 'b-two' must be a string") for p in problems)
    assert any(p.startswith(f"{user}:8: parent of narrative 'b-two' must be a string") for p in problems)
    assert any(p.startswith(f"{user}:11: description of narrative 'c-three' must be a string") for p in problems)


def test_field_problems_cite_the_field_line(tmp_path: Path) -> None:
    user = write(tmp_path / "n.yaml", """narratives:
  - name: A
    description: first
    id: Bad Id
    examples: one example
    colour: red
    keywords: Coup
  - id: b-two
    name: B
    description: ''
  - id: c-three
    name: C
    description: third
  - name: D
    id: c-three
    description: again
""")
    with pytest.raises(TaxonomyError) as err:
        load_taxonomy(user)
    assert err.value.problems == [
        f"{user}:6: narrative 'Bad Id' has unknown fields ['colour']",
        f"{user}:4: id 'Bad Id' must be lowercase letters, digits and dashes",
        f"{user}:5: examples of 'Bad Id' must be a list of strings",
        f"{user}:7: keywords of 'Bad Id' must be a list of strings",
        f"{user}:10: narrative 'b-two' is missing description",
        f"{user}:15: duplicate narrative id 'c-three' (first defined at {user}:11)"]


def test_add_errors_cite_the_existing_narrative_never_the_appended_text(tmp_path: Path) -> None:
    body = COMMENTED.replace("  - id: grain-deal\n    name:", "  - name:").replace("\n    description:",
                                                                              "\n    id: grain-deal\n    description:")
    user = write(tmp_path / "mine.yaml", body)
    with pytest.raises(TaxonomyError) as err:
        add_narrative(Narrative("grain-deal", "again", "d", None, [], [], ["x"]), user)
    assert err.value.problems == [f"{user}: id 'grain-deal' already exists at {user}:6; choose another id"]
    with pytest.raises(TaxonomyError, match=r"taxonomy\.yaml:\d+ \(shipped\)"):
        add_narrative(Narrative("coup", "again", "d"), user)
    for bad, says in ((Narrative("wind-harm", "W", "d", "nowhere"), "parent 'nowhere' of 'wind-harm' is not a"),
                      (Narrative("wind-harm", "W", "d", "wind-harm"), "parent cycle wind-harm -> wind-harm"),
                      (Narrative("Wind", "W", "d"), "id 'Wind' must be lowercase"),
                      (Narrative("wind-harm", "", "d"), "'wind-harm' is missing name")):
        with pytest.raises(TaxonomyError) as err:
            add_narrative(bad, user)
        assert says in str(err.value) and f"narrative {bad.id!r} not added" in str(err.value)
        assert not re.search(re.escape(str(user)) + r":\d", str(err.value))
    assert user.read_text(encoding="utf-8") == body


COMMENTED = """# Our team's narratives -- keep the examples short.
version: '3'  # bumped by every add
narratives:
  # seen in March
  - id: grain-deal
    name: The grain deal only feeds Europe  # the wording used in posts
    description: |
      Ukrainian grain is said to go to rich countries.
    examples:
      - Ukrainian grain goes to rich countries, not to Africa.

# more to come
"""


def test_add_appends_text_and_keeps_comments(tmp_path: Path) -> None:
    user = write(tmp_path / "mine.yaml", COMMENTED)
    add_narrative(Narrative("wind-harm", "Wind farms harm animals", "d", None, [], [], ["Turbines make cows ill."]),
                  user)
    text = user.read_text(encoding="utf-8")
    assert text.replace("version: '4'", "version: '3'").startswith(COMMENTED.split("\n# more")[0])
    assert "# more to come" in text and "# the wording used in posts" in text
    assert [n.id for n in load_taxonomy(user) if n.origin == "user"] == ["grain-deal", "wind-harm"]
    assert load_taxonomy(user).version.endswith("+4")


def test_add_to_a_broken_file_names_it_and_changes_nothing(tmp_path: Path) -> None:
    user = write(tmp_path / "mine.yaml", COMMENTED + "  - id: [unclosed\n")
    with pytest.raises(TaxonomyError) as err:
        add_narrative(Narrative("wind-harm", "Wind farms harm animals", "d"), user)
    assert str(err.value).count(f"{user}:") == 1 and "not valid YAML" in str(err.value)
    with pytest.raises(TaxonomyError) as err:
        add_narrative(Narrative("grain-deal", "again", "d"), write(user, COMMENTED))
    assert f"{user}:" in str(err.value) and ".tmp" not in str(err.value)
    assert user.read_text(encoding="utf-8") == COMMENTED and [p.name for p in tmp_path.iterdir()] == ["mine.yaml"]
