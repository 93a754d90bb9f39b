"""Corrections: stored beside the store with author and time, shown in the view, exported, token-guarded."""

from __future__ import annotations

import json

from typer.testing import CliRunner


def technique_span(client, outlet: str = "hostile.example") -> tuple[str, dict]:
    doc_id = client.get("/api/documents", params={"outlet": outlet}).json()["items"][0]["id"]
    spans = [a for a in client.get(f"/api/documents/{doc_id}").json()["annotations"] if a["layer"] == "techniques"]
    return doc_id, spans[0]


def test_reject_is_kept_beside_the_model_annotation(client, fresh_db):
    doc_id, span = technique_span(client)
    r = client.post("/corrections", data={"annotation_id": span["id"], "action": "reject", "author": "Ana <b>"},
                    follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"].endswith(f"#a-{span['id']}")
    html = client.get(f"/documents/{doc_id}").text
    assert "analyst: <b>reject</b>" in html and "Ana &lt;b&gt;" in html
    assert f'title="{span["label"]} 0.60"' not in html  # no longer highlighted
    doc = client.get(f"/api/documents/{doc_id}").json()
    same = next(a for a in doc["annotations"] if a["id"] == span["id"])
    assert same["label"] == span["label"] and same["correction"]["action"] == "reject"  # the model row is intact


def test_relabel_and_exports(client, fresh_db, tmp_path):
    from narrascope.cli import app

    doc_id, span = technique_span(client)
    r = client.post("/api/corrections", json={"annotation_id": span["id"], "action": "relabel", "label": "Doubt",
                                              "author": "Ana", "note": "reads as doubt"})
    assert r.status_code == 201 and r.json()["label"] == "Doubt" and r.json()["model_label"] == span["label"]
    assert client.post("/api/corrections", json={"annotation_id": span["id"], "action": "relabel",
                                                 "author": "Ana"}).status_code == 400
    assert client.post("/api/corrections", json={"annotation_id": "nope", "action": "confirm",
                                                 "author": "Ana"}).status_code == 404
    client.app.state.narrascope.reader.close()  # one process cannot hold the file read-only and read-write
    runner = CliRunner()
    out = runner.invoke(app, ["export", "--db", fresh_db, "--table", "corrections", "--format", "jsonl"])
    assert out.exit_code == 0, out.output
    rows = [json.loads(line) for line in out.output.splitlines()]
    assert rows[0]["action"] == "relabel" and rows[0]["author"] == "Ana" and rows[0]["created_at"]
    parquet = tmp_path / "c.parquet"
    assert runner.invoke(app, ["export", "--db", fresh_db, "--table", "corrections", "--format", "parquet",
                               "--out", str(parquet)]).exit_code == 0
    assert parquet.read_bytes()[:4] == b"PAR1"
    out = runner.invoke(app, ["export", "--db", fresh_db, "--table", "corrections", "--format", "labelstudio"])
    tasks = json.loads(out.output)
    assert tasks[0]["data"]["target_id"] == doc_id
    labels = {r["id"]: r["value"]["labels"] for r in tasks[0]["annotations"][0]["result"]}
    assert labels[span["id"]] == ["Doubt"]
    assert {r["id"]: r["value"]["labels"] for r in tasks[0]["predictions"][0]["result"]}[span["id"]] == [span["label"]]
    assert client.get("/api/export/labelstudio").json() == tasks
    assert "relabel" in client.get("/api/export/corrections.csv").text


def test_writes_need_the_token_and_this_origin(fresh_db):
    from fastapi.testclient import TestClient

    from narrascope.web.app import create_app

    with TestClient(create_app(fresh_db, token="s3cret")) as c:
        _, span = technique_span(c)
        body = {"annotation_id": span["id"], "action": "confirm", "author": "Ana"}
        assert c.post("/api/corrections", json=body).status_code == 403
        assert c.post("/api/corrections", json=body, headers={"X-Narrascope-Token": "wrong"}).status_code == 403
        assert c.post("/api/corrections", json=body, headers={"X-Narrascope-Token": "s3cret"}).status_code == 201
        c.get("/?token=s3cret")  # sets the cookie the pages' forms then send
        assert c.post("/corrections", data=body, follow_redirects=False).status_code == 303
        assert c.post("/api/corrections", json=body, headers={"Origin": "https://evil.example"}).status_code == 403


def test_serve_refuses_an_open_address_without_token(fresh_db):
    from narrascope.cli import app

    out = CliRunner().invoke(app, ["serve", "--db", fresh_db, "--host", "0.0.0.0"])
    assert out.exit_code != 0 and "--token" in out.output
