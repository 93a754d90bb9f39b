"""Corrections through a real Label Studio server and back (not run by CI: the server installs apart).

    python3 -m venv /tmp/ls && /tmp/ls/bin/pip install label-studio==1.23.2
    .venv/bin/python benchmarks/labelstudio_live.py --label-studio /tmp/ls/bin/label-studio

Analyses the demo corpus into a temporary store, records analysts' corrections (a relabel with a
note, a reject with a note, an added span, a comment's toxicity relabel), exports the labeling
config and the tasks (Ana's name mapped to a Label Studio user's email with ``--annotators``),
starts Label Studio on a loopback port with prediction validation on, creates a project with the
config, imports the tasks through the REST API, then works there as an annotator would: Ana
changes a label in her annotation, Cleo makes a new complete annotation from scratch (keeps one
model span, moves another, drops the rest). It exports the project as JSON through the API,
imports that file with ``narrascope import labelstudio`` and prints what Label Studio accepted
and which corrections came back, checking each against what was done there.
"""

from __future__ import annotations

import argparse
import json
import os
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
TOKEN = "narrascope-live-token-0123456789"


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "narrascope", *args], capture_output=True, text=True, check=False,
                          env={**os.environ, "PYTHONPATH": str(ROOT / "src")})


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def corrected_store(base: Path) -> tuple[str, dict[str, Any]]:
    """The demo corpus analysed, with four corrections by three analysts."""
    from narrascope.web import corrections, views
    from narrascope.web.reader import StoreReader
    from narrascope.web.sidefile import connect

    db = str(base / "demo.duckdb")
    done = run("demo", "--db", db)
    assert done.returncode == 0, done.stderr
    reader, side = StoreReader(db), connect(db)
    with reader.cursor() as cur:
        doc, body = cur.execute(
            "SELECT d.id, d.body FROM documents d WHERE EXISTS (SELECT 1 FROM annotations a WHERE a.target_id = d.id "
            "AND a.layer = 'techniques') AND (SELECT count(*) FROM annotations a WHERE a.target_id = d.id AND "
            "a.layer = 'claims') >= 2 ORDER BY d.id LIMIT 1").fetchone()
        anns = views.document(cur, doc)["annotations"]
        tech = next(a for a in anns if a["layer"] == "techniques")
        claims = [a for a in anns if a["layer"] == "claims"]
        comment = cur.execute("SELECT a.id FROM annotations a WHERE a.layer = 'toxicity' AND a.label IN "
                              "('offensive', 'hatespeech') AND a.target_type = 'comment' ORDER BY a.id LIMIT 1"
                              ).fetchone()
        tox = views.annotation(cur, comment[0])
        other = next(t for t in corrections.layer_labels("techniques") if t != tech["label"])
        corrections.add(side, tech, "relabel", "Ana", other, "reads as " + other)
        corrections.add(side, claims[0], "reject", "Ben", None, "an opinion, not a claim")
        words = next(w for w in body.split() if len(w) > 6 and body.count(w) == 1)
        at = body.index(words)
        added = corrections.add_span(side, (doc, "document", body), "techniques", at, at + len(words), "Slogans",
                                     "Ana")
        corrections.add(side, tox, "relabel", "Ben", "normal", "irony")
    reader.close()
    side.close()
    return db, {"doc": doc, "body": body, "tech": tech, "claims": claims, "relabelled": other, "added": added}


class LabelStudio:
    """``label-studio start`` on a loopback port, with its own data folder, spoken to through its REST API."""

    def __init__(self, exe: str, data: Path) -> None:
        import httpx

        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        env = {**os.environ, "fflag_feat_utc_210_prediction_validation_15082025": "true",
               "LABEL_STUDIO_DISABLE_SIGNUP_WITHOUT_LINK": "true"}
        self.log = open(data / "server.log", "w")  # noqa: SIM115 - closed in stop()
        started = time.monotonic()
        self.proc = subprocess.Popen([exe, "start", "--no-browser", "--data-dir", str(data), "--port", str(self.port),
                                      "--host", "127.0.0.1", "--username", "admin@desk.example",
                                      "--password", "live-pass-123", "--user-token", TOKEN,
                                      "--enable-legacy-api-token"], stdout=self.log, stderr=subprocess.STDOUT, env=env)
        self.http = httpx.Client(base_url=self.url, headers={"Authorization": f"Token {TOKEN}"}, timeout=120)
        while True:
            if self.proc.poll() is not None:
                raise RuntimeError(f"label-studio exited; see {data / 'server.log'}")
            try:
                if self.http.get("/health").status_code == 200 and self.http.get("/api/projects").status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            if time.monotonic() - started > 600:
                raise RuntimeError("label-studio did not answer within 10 minutes")
            time.sleep(2)
        self.started_in = time.monotonic() - started

    def call(self, method: str, path: str, **kwargs: Any) -> Any:
        r = self.http.request(method, path, **kwargs)
        if r.status_code >= 400:
            raise RuntimeError(f"{method} {path}: {r.status_code} {r.text[:2000]}")
        try:
            return r.json()  # an export comes back as a JSON attachment
        except ValueError:
            return r

    def stop(self) -> None:
        self.proc.terminate()
        try:
            self.proc.wait(20)
        except subprocess.TimeoutExpired:
            self.proc.kill()
        self.log.close()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--label-studio", required=True, help="the label-studio command of its own venv")
    args = parser.parse_args()
    sys.path.insert(0, str(ROOT / "src"))
    base = Path(tempfile.mkdtemp(prefix="narrascope-ls-"))
    db, made = corrected_store(base)
    (base / "annotators.json").write_text(json.dumps({"Ana": "ana@desk.example"}), encoding="utf-8")
    config = run("export", "--format", "labelstudio", "--config", "--out", str(base / "config.xml"))
    tasks = run("export", "--db", db, "--table", "corrections", "--format", "labelstudio", "--annotators",
                str(base / "annotators.json"), "--out", str(base / "tasks.json"))
    assert config.returncode == 0 and tasks.returncode == 0, (config.stderr, tasks.stderr)
    exported = json.loads((base / "tasks.json").read_text(encoding="utf-8"))
    (base / "ls").mkdir()
    ls = LabelStudio(args.label_studio, base / "ls")
    try:
        print(f"label-studio answered after {ls.started_in:.0f} s on {ls.url}")
        ana_user = ls.call("POST", "/api/users", json={"email": "ana@desk.example", "username": "ana",
                                                        "first_name": "Ana"})
        project = ls.call("POST", "/api/projects", json={"title": "narrascope corrections",
                                                          "label_config": (base / "config.xml").read_text()})
        print(f"project {project['id']} created with narrascope's labeling config "
              f"({len(project['parsed_label_config'])} controls)")
        got = ls.call("POST", f"/api/projects/{project['id']}/import", json=exported)
        print(f"import: {got['task_count']} tasks, {got['annotation_count']} annotations, "
              f"{got['prediction_count']} predictions accepted (prediction validation on)")
        assert (got["task_count"], got["annotation_count"]) == (len(exported),
                                                                sum(len(t["annotations"]) for t in exported))
        untouched = ls.call("GET", f"/api/projects/{project['id']}/export", params={"exportType": "JSON"})
        (base / "untouched.json").write_text(json.dumps(untouched), encoding="utf-8")
        doc_task = next(t for t in untouched if t["data"]["target_id"] == made["doc"])
        credited = {a["completed_by"] for a in doc_task["annotations"]}
        print(f"annotations credited to Label Studio users {sorted(credited)} (Ana is user {ana_user['id']})")
        assert ana_user["id"] in credited
        scores = [p["score"] for p in ls.call("GET", "/api/predictions", params={"task": doc_task["id"]})]
        print(f"prediction scores kept by Label Studio: {scores}")
        back = run("import", "labelstudio", str(base / "untouched.json"), "--db", db)
        print("untouched project back:", back.stdout.strip())
        assert back.returncode == 0 and "0 corrections written" in back.stdout, back.stdout + back.stderr
        work_there(ls, doc_task, made)
        edited = ls.call("GET", f"/api/projects/{project['id']}/export", params={"exportType": "JSON"})
        (base / "edited.json").write_text(json.dumps(edited), encoding="utf-8")
    finally:
        ls.stop()
    back = run("import", "labelstudio", str(base / "edited.json"), "--db", db, "--annotators",
               str(base / "annotators.json"))
    print("edited project back:", back.stdout.strip(), back.stderr.strip())
    assert back.returncode == 0, back.stderr
    return check_corrections(db, made)


def work_there(ls: LabelStudio, task: dict[str, Any], made: dict[str, Any]) -> None:
    """Ana takes her relabel back in her annotation; Cleo annotates the text from scratch, completely: she keeps
    the second claim, moves the technique span's end and drops every other model region."""
    body, tech, keep = made["body"], made["tech"], made["claims"][1]
    ana = next(a for a in task["annotations"] if any(r.get("from_name") == "analyst" and r["value"]["text"] == ["Ana"]
                                                      for r in a["result"]))
    result = ana["result"]
    for r in result:
        if r["id"] == tech["id"] and r["type"] == "labels":
            r["value"]["labels"] = [tech["label"]]
    ls.call("PATCH", f"/api/annotations/{ana['id']}", json={"result": result})
    end = min(len(body), tech["end_char"] + 5)
    cleo = [{"id": keep["id"], "from_name": "claims", "to_name": "text", "type": "labels",
             "value": {"start": keep["start_char"], "end": keep["end_char"], "labels": ["claim"],
                       "text": body[keep["start_char"]:keep["end_char"]]}},
            {"id": "cleoMoved1", "from_name": "techniques", "to_name": "text", "type": "labels",
             "value": {"start": tech["start_char"], "end": end, "labels": [tech["label"]],
                       "text": body[tech["start_char"]:end]}},
            {"id": "cleoMoved1", "from_name": "note", "to_name": "text", "type": "textarea",
             "value": {"start": tech["start_char"], "end": end, "text": ["the span goes on"]}},
            {"id": "a1", "from_name": "analyst", "to_name": "text", "type": "textarea", "value": {"text": ["Cleo"]}},
            {"id": "r1", "from_name": "review", "to_name": "text", "type": "choices",
             "value": {"choices": ["complete"]}}]
    made["cleo_end"] = end
    ls.call("POST", f"/api/tasks/{task['id']}/annotations", json={"result": cleo, "lead_time": 42.0})


def check_corrections(db: str, made: dict[str, Any]) -> int:
    import sqlite3

    rows = sqlite3.connect(f"{db}.web.sqlite").execute(
        "SELECT annotation_id, action, label, author, note, start_char, end_char FROM corrections ORDER BY id"
    ).fetchall()
    tech, claims = made["tech"], made["claims"]
    new = rows[4:]
    print(f"{len(rows)} corrections in all, {len(new)} from Label Studio:")
    for r in new:
        print("  ", r)
    expected = [(tech["id"], "confirm", tech["label"], "Ana", f"reads as {made['relabelled']}", tech["start_char"],
                 tech["end_char"]),
                (claims[1]["id"], "confirm", "claim", "Cleo", None, claims[1]["start_char"], claims[1]["end_char"]),
                (tech["id"], "reject", tech["label"], "Cleo", None, tech["start_char"], tech["end_char"]),
                (claims[0]["id"], "reject", "claim", "Cleo", None, claims[0]["start_char"], claims[0]["end_char"])]
    missing = [e for e in expected if e not in new]
    moved = [r for r in new if r[1] == "add" and r[3] == "Cleo"]
    ok = not missing and [(r[2], r[4], r[5], r[6]) for r in moved] == [
        (tech["label"], "the span goes on", tech["start_char"], made["cleo_end"])]
    ok = ok and not [r for r in new if r[3] == "Ana" and r[0] != tech["id"]]  # nothing else of Ana's changed
    print("corrections as done in Label Studio:", "yes" if ok else f"NO (missing {missing})")
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
