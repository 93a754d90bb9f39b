"""Corrections to Label Studio and back: names not emails, history, review state, config, scores, import."""

from __future__ import annotations

import copy
import json
import sqlite3
import xml.etree.ElementTree as ET

import pytest
from typer.testing import CliRunner

from narrascope.cli import app
from narrascope.web.corrections import span_id


def hostile_doc(client) -> tuple[str, str, list[dict]]:
    doc_id = client.get("/api/documents", params={"outlet": "hostile.example"}).json()["items"][0]["id"]
    doc = client.get(f"/api/documents/{doc_id}").json()
    return doc_id, doc["body"], doc["annotations"]


def correct(client, **body) -> dict:
    r = client.post("/api/corrections", json=body)
    assert r.status_code == 201, r.text
    return r.json()


def techniques(anns: list[dict]) -> list[str]:
    return [a["id"] for a in anns if a["layer"] == "techniques"]


def three_corrections(client) -> tuple[str, str, list[dict]]:
    """Ana relabels a span (with a note) and adds one, Ben rejects another (with a note)."""
    doc_id, body, anns = hostile_doc(client)
    spans = [a for a in anns if a["layer"] == "techniques"]
    correct(client, annotation_id=spans[0]["id"], action="relabel", label="Doubt", author="Ana", note="reads as doubt")
    correct(client, annotation_id=spans[1]["id"], action="reject", author="Ben", note="not loaded")
    correct(client, action="add", target_id=doc_id, layer="techniques", label="Flag-Waving",
            quote="colour revolution", author="Ana")
    return doc_id, body, anns


def export(fresh_db: str, *args: str) -> list[dict]:
    out = CliRunner().invoke(app, ["export", "--db", fresh_db, "--table", "corrections", "--format", "labelstudio",
                                   *args])
    assert out.exit_code == 0, out.output
    return json.loads(out.output)


def regions(annotation: dict, kind: str = "labels") -> dict[str, tuple]:
    return {r["id"]: (r["value"].get("start"), r["value"].get("end"), (r["value"].get("labels")
                      or r["value"].get("choices") or r["value"].get("text"))[0])
            for r in annotation["result"] if r["type"] == kind}


def test_tasks_credit_analysts_by_name_and_carry_the_history(client, fresh_db, tmp_path):
    doc_id, body, anns = three_corrections(client)
    s0, s1, s2 = techniques(anns)
    client.app.state.narrascope.reader.close()
    emails = tmp_path / "annotators.json"
    emails.write_text(json.dumps({"Ana": "ana@desk.example"}), encoding="utf-8")
    task, = export(fresh_db, "--annotators", str(emails))
    data = task["data"]
    assert data["target_id"] == doc_id and data["text"] == body and data["analysts"] == ["Ana", "Ben"]
    assert [(c["author"], c["action"], c["label"], c["note"]) for c in data["corrections"]] == [
        ("Ana", "relabel", "Doubt", "reads as doubt"), ("Ben", "reject", "Name_Calling,Labeling", "not loaded"),
        ("Ana", "add", "Flag-Waving", None)]
    assert all(c["created_at"] for c in data["corrections"]) and len(data["corrections"]) == 3
    assert data["history"].splitlines()[1].endswith('| Ben | techniques: reject Name_Calling,Labeling | 10-40 '
                                                    '"said <script>window.__pwned=1<" | note: not loaded')
    ana, ben = task["annotations"]
    assert ana["completed_by"] == {"email": "ana@desk.example"} and "completed_by" not in ben  # no unknown email
    assert regions(ana, "textarea")["analyst"] == (None, None, "Ana")
    assert regions(ben, "textarea")["analyst"] == (None, None, "Ben")
    added = next(c for c in data["corrections"] if c["action"] == "add")["annotation_id"]
    assert regions(ana) == {s0: (0, 20, "Doubt"), added: (256, 273, "Flag-Waving")}
    assert regions(ana, "textarea")[s0] == (0, 20, "reads as doubt")  # the note, on its region
    assert regions(ben) == {}  # the rejected span is not in Ben's annotation, and the history says why
    assert regions(ana, "choices")["review"][2] == "partial" and regions(ben, "choices")["review"][2] == "partial"
    assert data["review"]["model_regions"] == 10 and data["review"]["reviewed"] == 2
    assert s2 in data["review"]["unreviewed"] and s0 not in data["review"]["unreviewed"]
    predicted = next(p for p in task["predictions"] if p["model_version"] == "techniques test")
    assert predicted["score"] == 0.7  # the mean of 0.6, 0.7 and 0.8
    assert [(r["id"], r["value"]["labels"], r["score"]) for r in predicted["result"]] == [
        (s0, ["Loaded_Language"], 0.6), (s1, ["Name_Calling,Labeling"], 0.7), (s2, ["Doubt"], 0.8)]
    assert all(0 <= p["score"] <= 1 for p in task["predictions"]) and len(task["predictions"]) == 3


def test_the_labeling_config_holds_every_layer_and_label(tmp_path, usage_error):
    from narrascope.narratives.taxonomy import load_taxonomy
    from narrascope.techniques import TECHNIQUES
    from narrascope.techniques.inference import MODEL_DIR

    out = tmp_path / "config.xml"
    result = CliRunner().invoke(app, ["export", "--format", "labelstudio", "--config", "--out", str(out)])
    assert result.exit_code == 0, result.output
    root = ET.fromstring(out.read_text(encoding="utf-8"))
    controls = {c.get("name"): [x.get("value") for x in c] for c in root if c.tag in ("Labels", "Choices")}
    assert controls["techniques"] == list(TECHNIQUES)
    shipped = json.loads((MODEL_DIR / "config.json").read_text(encoding="utf-8"))["labels"]
    assert controls["techniques"] == shipped  # the component's declared labels are the shipped model's
    assert controls["narratives"] == [n.id for n in load_taxonomy()] == controls["narratives_text"]
    assert controls["toxicity"] == ["hatespeech", "offensive", "normal", "toxic_span"]
    assert controls["toxicity_text"] == ["hatespeech", "offensive", "normal", "unsupported"]
    assert controls["claims"] == ["claim"] and controls["review"] == ["partial", "complete"]
    assert {t.get("name") for t in root if t.tag == "TextArea"} == {"note", "analyst"}
    refused = CliRunner().invoke(app, ["export", "--format", "jsonl", "--config"], env={"COLUMNS": "400"})
    assert usage_error(refused) == "Invalid value for --format: --annotators and --config are for --format labelstudio"


def as_label_studio_export(tasks: list[dict]) -> list[dict]:
    """What Label Studio 1.23 gives back for imported tasks (Export -> JSON): ids added, completed_by as the
    importing user's id, predictions as ids, each result item with its origin."""
    out = []
    for n, task in enumerate(copy.deepcopy(tasks)):
        for k, a in enumerate(task["annotations"]):
            a.pop("completed_by", None)
            a.update({"id": 100 * n + k + 1, "completed_by": 1, "task": n + 1, "project": 1, "lead_time": 3.2,
                      "created_at": "2026-12-06T10:00:00.123456Z", "updated_at": "2026-12-06T10:00:00.123456Z",
                      "last_action": "imported", "import_id": None})
            for r in a["result"]:
                r["origin"] = "manual"
        out.append({"id": n + 1, "data": task["data"], "annotations": task["annotations"], "drafts": [],
                    "predictions": list(range(1, len(task["predictions"]) + 1)), "meta": {}, "inner_id": n + 1,
                    "total_annotations": len(task["annotations"]), "file_upload": "tasks.json",
                    "created_at": "2026-12-06T09:59:00Z", "updated_at": "2026-12-06T10:00:00Z"})
    return out


def import_file(fresh_db: str, path, *args: str):
    return CliRunner().invoke(app, ["import", "labelstudio", str(path), "--db", fresh_db, *args])


def corrections_of(fresh_db: str) -> list[tuple]:
    db = sqlite3.connect(f"{fresh_db}.web.sqlite")
    try:
        return db.execute("SELECT annotation_id, action, label, author, note, start_char, end_char FROM corrections "
                          "ORDER BY id").fetchall()
    finally:
        db.close()


def test_an_untouched_export_comes_back_as_it_went(client, fresh_db, tmp_path):
    three_corrections(client)
    client.app.state.narrascope.reader.close()
    before = corrections_of(fresh_db)
    path = tmp_path / "project.json"
    path.write_text(json.dumps(as_label_studio_export(export(fresh_db))), encoding="utf-8")
    out = import_file(fresh_db, path)
    assert out.exit_code == 0, out.output
    assert "1 of 1 tasks imported, 0 corrections written" in out.output
    assert corrections_of(fresh_db) == before


def test_work_done_in_label_studio_returns(client, fresh_db, tmp_path):
    doc_id, body, anns = three_corrections(client)
    s0, s1, s2 = techniques(anns)
    client.app.state.narrascope.reader.close()
    before = corrections_of(fresh_db)
    project = as_label_studio_export(export(fresh_db))
    task = project[0]
    ana = task["annotations"][0]
    ana["updated_at"] = "2026-12-07T08:30:00Z"
    for r in ana["result"]:
        if r["id"] == s0 and r["type"] == "labels":
            r["value"]["labels"] = ["Loaded_Language"]  # Ana takes her relabel back: the model was right
        if r["id"] == s0 and r["type"] == "textarea":
            r["value"]["text"] = ["on second reading, loaded"]
    start = body.index("Critics answered")
    ana["result"].append({"id": "Xy12AbCd34", "from_name": "techniques", "to_name": "text", "type": "labels",
                          "origin": "manual", "value": {"start": start, "end": start + 16, "text": "Critics answered",
                                                        "labels": ["Appeal_to_Authority"]}})
    added = next(r for r in ana["result"] if r["id"].startswith("add-"))
    ana["result"].remove(added)  # Ana drops the span she had added
    # Cleo, in Label Studio, reviews every region from the model's prediction: keeps s2, moves s1, drops
    # the rest, and says the text is a hostile-west one as a whole (not colour-revolution)
    cleo = {"id": 9, "completed_by": 2, "was_cancelled": False, "updated_at": "2026-12-07T09:00:00Z", "result": [
        {"id": s2, "from_name": "techniques", "to_name": "text", "type": "labels",
         "value": {"start": 50, "end": 80, "text": body[50:80], "labels": ["Doubt"]}},
        {"id": s1, "from_name": "techniques", "to_name": "text", "type": "labels",
         "value": {"start": 15, "end": 48, "text": body[15:48], "labels": ["Name_Calling,Labeling"]}},
        {"id": "narratives_text", "from_name": "narratives_text", "to_name": "text", "type": "choices",
         "value": {"choices": ["hostile-west"]}},
        {"id": "analyst", "from_name": "analyst", "to_name": "text", "type": "textarea", "value": {"text": ["Cleo"]}},
        {"id": "review", "from_name": "review", "to_name": "text", "type": "choices",
         "value": {"choices": ["complete"]}}]}
    skipped = {"id": 10, "completed_by": 3, "was_cancelled": True, "result": []}
    task["annotations"] += [cleo, skipped]
    path = tmp_path / "project.json"
    path.write_text(json.dumps(project), encoding="utf-8")
    out = import_file(fresh_db, path)
    assert out.exit_code == 0, out.output
    new = corrections_of(fresh_db)[len(before):]
    moved = span_id(doc_id, "techniques", 15, 48, "Name_Calling,Labeling")
    by_model = {a["id"]: a for a in anns}
    whole = {a["id"] for a in anns if a["layer"] == "narratives" and (a["start_char"], a["end_char"]) == (0, len(body))}
    rest = sorted(a["id"] for a in anns if a["id"] not in {s1, s2} | whole)
    ana_new = [n for n in new if n[3] == "Ana"]
    cleo_new = [n for n in new if n[3] == "Cleo"]
    assert ana_new[0] == (s0, "confirm", "Loaded_Language", "Ana", "on second reading, loaded", 0, 20)
    assert ana_new[1][1:] == ("add", "Appeal_to_Authority", "Ana", None, start, start + 16)
    assert ana_new[2] == (before[2][0], "reject", "Flag-Waving", "Ana", None, 256, 273)
    assert len(ana_new) == 3
    assert (s2, "confirm", "Doubt", "Cleo", None, 50, 80) in cleo_new
    assert (s1, "reject", "Name_Calling,Labeling", "Cleo", None, 10, 40) in cleo_new  # moved: old rejected,
    assert (moved, "add", "Name_Calling,Labeling", "Cleo", None, 15, 48) in cleo_new  # new one added
    assert sorted(n[0] for n in cleo_new if n[1] == "reject" and n[0] in rest) == rest  # complete: the rest is wrong
    hostile = [n for n in cleo_new if n[0] in whole and n[2] == "hostile-west"]
    assert [n[1] for n in hostile] == ["confirm"] and by_model[hostile[0][0]]["label"] == "hostile-west"
    assert sorted(n[0] for n in cleo_new if n[0] in whole and n[1] == "reject") == sorted(
        a for a in whole if by_model[a]["label"] == "colour-revolution")
    assert len(cleo_new) == 3 + len(rest) + len(whole)
    rows = sqlite3.connect(f"{fresh_db}.web.sqlite").execute(
        "SELECT DISTINCT created_at FROM corrections WHERE author = 'Cleo'").fetchall()
    assert rows == [("2026-12-07T09:00:00+00:00",)]  # the time of the work in Label Studio
    again = import_file(fresh_db, path)
    assert again.exit_code == 0 and "0 corrections written" in again.output
    assert len(corrections_of(fresh_db)) == len(before) + len(new)


def test_a_toxic_span_added_in_a_comments_form_goes_to_label_studio_and_back(client, fresh_db, tmp_path):
    doc_id, _, _ = hostile_doc(client)
    cid = f"{doc_id}-c1"  # "You are all idiots <img ...> and scum.", flagged offensive by the model (0-10)
    r = client.post("/spans", data={"target_id": cid, "layer": "toxicity", "label": "toxic_span", "quote": "scum",
                                    "author": "Ana", "note": "a slur"}, follow_redirects=False)
    assert r.status_code == 303
    client.app.state.narrascope.reader.close()
    before = corrections_of(fresh_db)
    added = span_id(cid, "toxicity", 62, 66, "toxic_span")
    assert before == [(added, "add", "toxic_span", "Ana", "a slur", 62, 66)]
    task, = export(fresh_db)
    assert (task["data"]["target_id"], task["data"]["target_type"]) == (cid, "comment")
    assert task["data"]["history"].endswith('| Ana | toxicity: add toxic_span | 62-66 "scum" | note: a slur')
    ana, = task["annotations"]
    assert regions(ana) == {added: (62, 66, "toxic_span")}
    assert next(r for r in ana["result"] if r["id"] == added)["from_name"] == "toxicity"
    assert regions(ana, "textarea")[added] == (62, 66, "a slur")
    path = tmp_path / "project.json"
    path.write_text(json.dumps(as_label_studio_export([task])), encoding="utf-8")
    out = import_file(fresh_db, path)
    assert out.exit_code == 0, out.output
    assert "1 of 1 tasks imported, 0 corrections written" in out.output
    assert corrections_of(fresh_db) == before


@pytest.mark.parametrize("content, message", [
    ("not json at all", "not a Label Studio JSON export (not JSON"),
    ('{"data": {"text": "x"}}', "not a Label Studio JSON export (expected a list of tasks, found a dict)"),
])
def test_a_file_that_is_not_an_export_is_refused(fresh_db, tmp_path, content, message):
    path = tmp_path / "weird.json"
    path.write_text(content, encoding="utf-8")
    out = import_file(fresh_db, path)
    assert out.exit_code == 1 and f"{path}: {message}" in out.output


def test_bad_tasks_are_refused_one_by_one_and_the_rest_imported(client, fresh_db, tmp_path):
    three_corrections(client)
    client.app.state.narrascope.reader.close()
    good = as_label_studio_export(export(fresh_db))[0]
    good["annotations"][0]["result"].append({"id": "new1", "from_name": "claims", "to_name": "text",
                                             "type": "labels", "value": {"start": 0, "end": 9, "labels": ["claim"]}})
    unknown = copy.deepcopy(good) | {"id": 2}
    unknown["data"] = {**unknown["data"], "target_id": "no-such-document"}
    outside = copy.deepcopy(good) | {"id": 3}
    outside["annotations"][0]["result"].append({"id": "far", "from_name": "techniques", "to_name": "text",
                                                "type": "labels", "value": {"start": 270, "end": 9000,
                                                                            "labels": ["Doubt"]}})
    wrong_label = copy.deepcopy(good) | {"id": 4}
    wrong_label["annotations"][0]["result"][0]["value"]["labels"] = ["Sarcasm"]
    foreign = {"id": 5, "data": {"text": "a task of another project"}, "annotations": []}
    path = tmp_path / "project.json"
    path.write_text(json.dumps([unknown, outside, foreign, wrong_label, good]), encoding="utf-8")
    out = import_file(fresh_db, path)
    assert out.exit_code == 1
    assert f"{path}: task 2 (no-such-document): the store holds no document or comment 'no-such-document'" \
        in out.output
    assert f"{path}: task 3 ({good['data']['target_id']}): region 'far' at characters 270-9000 is outside the " \
           "text (274 characters)" in out.output
    assert f"{path}: task 5: not a narrascope task (its data has no target_id)" in out.output
    assert "task 4" in out.output and "'Sarcasm' is not a techniques label" in out.output
    assert "1 of 5 tasks imported, 1 corrections written, 4 tasks refused" in out.output
    assert corrections_of(fresh_db)[-1][1:4] == ("add", "claim", "Ana")  # only the good task's new region


def test_add_a_span_through_the_api(client):
    doc_id, body, _ = hostile_doc(client)
    base = {"action": "add", "target_id": doc_id, "layer": "techniques", "label": "Flag-Waving", "author": "Ana"}
    row = correct(client, **base, quote="the", occurrence=2, note="second one")
    at = body.index("the", body.index("the") + 1)
    assert (row["start_char"], row["end_char"], row["action"], row["model_label"]) == (at, at + 3, "add", None)
    by_offsets = correct(client, **base, start=0, end=9)
    assert (by_offsets["start_char"], by_offsets["end_char"]) == (0, 9)
    assert by_offsets["annotation_id"].startswith("add-") and by_offsets["annotation_id"] != row["annotation_id"]
    cases = [({"quote": "the"}, 400, "appear 2 times"), ({"quote": "not in it"}, 400, "are not in the text"),
             ({"start": 270, "end": 9000}, 400, "is not inside the text (274 characters)"),
             ({"quote": "West", "label": "Sarcasm"}, 400, "'Sarcasm' is not a techniques label"),
             ({"quote": "West", "target_id": "nope"}, 404, "no document or comment 'nope'"),
             ({"quote": "West", "layer": "weather"}, 400, "no layer 'weather'")]
    for extra, status, message in cases:
        r = client.post("/api/corrections", json={**base, **extra})
        assert r.status_code == status and message in r.json()["detail"], (extra, r.text)
    listed = client.get(f"/api/documents/{doc_id}").json()["added"]
    assert [(a["id"], a["label"], a["start_char"], a["correction"]["action"]) for a in listed] == [
        (by_offsets["annotation_id"], "Flag-Waving", 0, "add"), (row["annotation_id"], "Flag-Waving", at, "add")]
    relabel = correct(client, annotation_id=row["annotation_id"], action="relabel", label="Slogans", author="Ben")
    assert (relabel["model_label"], relabel["label"], relabel["start_char"]) == (None, "Slogans", at)
    html = client.get(f"/documents/{doc_id}").text
    assert f'id="a-{row["annotation_id"]}"' in html and "added by an analyst" in html
    assert "analyst: <b>relabel</b> → <bdi>Slogans</bdi> by <bdi>Ben</bdi>" in html


def test_a_span_added_to_a_comment_shows_in_its_thread_and_can_be_corrected(client):
    doc_id, _, _ = hostile_doc(client)
    cid = f"{doc_id}-c1"
    row = correct(client, action="add", target_id=cid, layer="toxicity", label="toxic_span", quote="scum",
                  author="Ana", note="missed slur")
    assert (row["target_type"], row["layer"], row["end_char"] - row["start_char"]) == ("comment", "toxicity", 4)
    html = client.get(f"/threads/{doc_id}").text
    assert "analyst: <b>add</b> by <bdi>Ana</bdi>" in html and "missed slur" in html
    form = client.get(f"/comments/{cid}/fix", headers={"HX-Request": "true"}).text
    assert f'<option value="{row["annotation_id"]}">toxicity: toxic_span {row["start_char"]}–{row["end_char"]}' \
        in form
    r = client.post("/corrections", data={"annotation_id": row["annotation_id"], "action": "reject", "author": "Ben"},
                    follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"].startswith(f"/threads/{doc_id}#a-add-")
    assert [x["action"] for x in client.get("/api/corrections", params={"target_id": cid}).json()] == [
        "add", "reject"]


def test_the_form_adds_a_span_and_refuses_an_ambiguous_quote(client):
    doc_id, body, _ = hostile_doc(client)
    form = {"target_id": doc_id, "layer": "techniques", "label": "Doubt", "author": "Ana", "quote": "staged"}
    r = client.post("/spans", data=form, follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"].startswith(f"/documents/{doc_id}#a-add-")
    rows = client.get("/api/corrections", params={"target_id": doc_id}).json()
    assert [(x["action"], x["label"], body[x["start_char"]:x["end_char"]]) for x in rows] == [
        ("add", "Doubt", "staged")]
    r = client.post("/spans", data={**form, "quote": "the"}, follow_redirects=False)
    assert r.status_code == 400 and "appear 2 times" in r.text


def test_an_old_side_file_is_upgraded_with_its_corrections(fresh_db):
    from narrascope.web.sidefile import connect

    old = sqlite3.connect(f"{fresh_db}.web.sqlite")
    old.executescript("""CREATE TABLE corrections (
        id INTEGER PRIMARY KEY AUTOINCREMENT, annotation_id TEXT NOT NULL, target_id TEXT NOT NULL,
        target_type TEXT NOT NULL, layer TEXT NOT NULL, start_char INTEGER NOT NULL, end_char INTEGER NOT NULL,
        model_label TEXT NOT NULL, model_score REAL,
        action TEXT NOT NULL CHECK (action IN ('confirm', 'reject', 'relabel')), label TEXT NOT NULL,
        author TEXT NOT NULL, note TEXT, created_at TEXT NOT NULL);
        INSERT INTO corrections VALUES (7, 'a1', 'd1', 'document', 'techniques', 0, 5, 'Doubt', 0.5, 'reject',
        'Doubt', 'Ana', 'old note', '2026-01-01T00:00:00+00:00');""")
    old.close()
    db = connect(fresh_db)
    db.execute("INSERT INTO corrections (annotation_id, target_id, target_type, layer, start_char, end_char, "
               "model_label, action, label, author, created_at) VALUES ('add-1', 'd1', 'document', 'techniques', "
               "0, 3, NULL, 'add', 'Doubt', 'Ben', 'now')")
    assert db.execute("SELECT id, action, note FROM corrections ORDER BY id").fetchall() == [
        (7, "reject", "old note"), (8, "add", None)]
    db.close()


SDK = "label-studio-sdk==2.1.2"  # the SDK Label Studio 1.23.2 pins; its dependencies (numpy < 2.3, opencv) would
# downgrade this project's numpy, so it lives in a virtual environment of its own


def sdk_python(root) -> str:
    """The interpreter of a virtual environment holding the Label Studio SDK (made once, then reused)."""
    import os
    import subprocess
    import sys

    venv = type(root)(os.environ.get("NARRASCOPE_LABELSTUDIO_VENV", root / ".venv-labelstudio"))
    python, marker = venv / "bin" / "python", venv / "installed.txt"
    if not (marker.exists() and marker.read_text() == SDK):
        subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
        done = subprocess.run([str(python), "-m", "pip", "install", "-q", SDK], capture_output=True, text=True,
                              timeout=900)
        if done.returncode:
            pytest.skip(f"pip could not install {SDK}: {done.stderr.strip().splitlines()[-1:]}")
        marker.write_text(SDK)
    return str(python)


@pytest.mark.slow
def test_label_studio_sdk_validates_the_config_and_every_task(client, fresh_db, tmp_path):
    import subprocess
    from pathlib import Path

    three_corrections(client)
    doc_id, body, anns = hostile_doc(client)
    tox = client.get("/api/annotations", params={"target_id": f"{doc_id}-c1", "layer": "toxicity"}).json()["items"]
    correct(client, annotation_id=next(a["id"] for a in tox if a["label"] != "toxic_span"), action="relabel",
            label="normal", author="Ben", note="sarcasm")
    client.app.state.narrascope.reader.close()
    config, tasks = tmp_path / "config.xml", tmp_path / "tasks.json"
    made = CliRunner().invoke(app, ["export", "--format", "labelstudio", "--config", "--out", str(config)])
    assert made.exit_code == 0, made.output
    found = export(fresh_db)
    wrong = copy.deepcopy(found[0])  # a region the config does not allow, to show that the validator is live
    wrong["predictions"][0]["result"][0]["value"]["labels"] = ["Sarcasm"]
    tasks.write_text(json.dumps([*found, wrong]), encoding="utf-8")
    root = Path(__file__).resolve().parents[2]
    out = subprocess.run([sdk_python(root), str(root / "tests" / "web" / "labelstudio_sdk_check.py"), str(config),
                          str(tasks)], capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr
    report = json.loads(out.stdout)
    assert report["objects"] == {"text": "text", "history": "history"}
    *good, bad = report["tasks"]
    assert len(good) == 2 and {t["data"] for t in good} == {True}  # the document and the comment
    assert [t["data_types"] for t in good] == [{"text": "str", "history": "str"}] * 2  # what <Text> accepts
    assert [errors for t in good for errors in t["predictions"] + t["annotations"]] == [[]] * sum(
        len(t["predictions"]) + len(t["annotations"]) for t in good)
    assert {v for t in good for v in t["annotations_valid"]} == {True}
    assert "Sarcasm" in " ".join(bad["predictions"][0])
    # what Label Studio's import accepts as completed_by: nothing, or an email it knows
    annotations = [a for task in found for a in task["annotations"]]
    assert annotations and [a for a in annotations if "completed_by" in a] == []
