"""Corrections: stored beside the store with author and time, shown in the view, exported, token-guarded."""

from __future__ import annotations

import json

import pytest
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
    labels = {r["id"]: r["value"]["labels"] for r in tasks[0]["annotations"][0]["result"] if r["type"] == "labels"}
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


def test_serve_refuses_an_open_address_without_token(fresh_db, usage_error):
    from narrascope.cli import app

    out = CliRunner().invoke(app, ["serve", "--db", fresh_db, "--host", "0.0.0.0"], env={"COLUMNS": "400"})
    assert usage_error(out) == ("Invalid value for --token: binding to 0.0.0.0 exposes the app to the network: "
                                "give --token so that every write needs it")
    beyond = CliRunner().invoke(app, ["serve", "--db", fresh_db, "--offensive-threshold", "1.5"],
                                env={"COLUMNS": "400"})
    assert usage_error(beyond) == "Invalid value for '--offensive-threshold': Input should be less than or equal to 1"


def comment_annotation(client) -> tuple[str, dict]:
    doc_id = client.get("/api/documents", params={"outlet": "hostile.example"}).json()["items"][0]["id"]
    found = client.get("/api/annotations", params={"target_id": f"{doc_id}-c1", "layer": "toxicity"}).json()["items"]
    return doc_id, next(a for a in found if a["label"] != "toxic_span")


@pytest.mark.parametrize("author", ["Олег", "Łukasz", "😀 Ana"])
def test_an_author_outside_latin1_is_saved_once_and_remembered(client, author):
    doc_id, span = technique_span(client)
    r = client.post("/corrections", data={"annotation_id": span["id"], "action": "confirm", "author": author},
                    follow_redirects=False)
    assert r.status_code == 303 and "narrascope_author=%" in r.headers["set-cookie"]
    rows = client.get("/api/corrections", params={"target_id": doc_id}).json()
    assert [x["author"] for x in rows] == [author]
    assert f'name="author" value="{author}"' in client.get(f"/documents/{doc_id}").text  # the cookie decoded


def test_nothing_is_written_when_the_response_fails(fresh_db, monkeypatch):
    from fastapi.testclient import TestClient
    from starlette.responses import Response

    from narrascope.web.app import create_app

    def broken(self, *args, **kwargs):
        raise UnicodeEncodeError("latin-1", "x", 0, 1, "cannot encode")

    with TestClient(create_app(fresh_db, index_every=0), raise_server_exceptions=False) as c:
        doc_id, span = technique_span(c)
        monkeypatch.setattr(Response, "set_cookie", broken)
        r = c.post("/corrections", data={"annotation_id": span["id"], "action": "confirm", "author": "Ana"},
                   follow_redirects=False)
        monkeypatch.undo()
        assert r.status_code == 500
        assert c.get("/api/corrections", params={"target_id": doc_id}).json() == []


def test_a_lone_surrogate_is_refused(client):
    doc_id, span = technique_span(client)
    body = '{"annotation_id": "' + span["id"] + '", "action": "confirm", "author": "\\ud800"}'
    r = client.post("/api/corrections", content=body, headers={"content-type": "application/json"})
    assert r.status_code == 422 and "surrogate" in r.text
    body = '{"annotation_id": "\\udfff", "action": "confirm", "author": "Ana"}'
    r = client.post("/api/corrections", content=body, headers={"content-type": "application/json"})
    assert r.status_code == 422
    assert client.get("/api/corrections").json() == []


def test_relabel_keeps_to_the_layer_vocabulary(client):
    from narrascope.techniques import TECHNIQUES

    _, span = technique_span(client)
    doc_id, tox = comment_annotation(client)
    narrative = client.get("/api/annotations", params={"layer": "narratives", "limit": 1}).json()["items"][0]
    claim = client.get("/api/annotations", params={"layer": "claims", "limit": 1}).json()["items"][0]

    def relabel(a: dict, label: str):
        return client.post("/api/corrections", json={"annotation_id": a["id"], "action": "relabel", "label": label,
                                                     "author": "Ana"})

    r = relabel(span, "Totally_Made_Up")
    assert r.status_code == 400 and [t for t in TECHNIQUES if t not in r.json()["detail"]] == []
    assert relabel(span, "Slogans").status_code == 201
    assert relabel(tox, "spam").status_code == 400 and "hatespeech" in relabel(tox, "spam").json()["detail"]
    assert relabel(tox, "normal").status_code == 201
    assert relabel(narrative, "nope").status_code == 400 and "colour-revolution" in relabel(narrative, "x").text
    assert relabel(narrative, "colour-revolution").status_code == 201
    r = relabel(claim, "not-claim")
    assert r.status_code == 400 and "reject" in r.json()["detail"]
    form = client.post("/corrections", data={"annotation_id": span["id"], "action": "relabel", "label": "<b>x",
                                             "author": "Ana"}, follow_redirects=False)
    assert form.status_code == 400 and "Slogans" in form.text and "<b>x" not in form.text


def test_a_comment_correction_shows_in_the_thread_with_its_note(client):
    doc_id, tox = comment_annotation(client)
    r = client.post("/corrections", data={"annotation_id": tox["id"], "action": "relabel", "label": "normal",
                                          "author": "Ana", "note": "sarcasm <i>, not abuse"}, follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"] == f"/threads/{doc_id}#a-{tox['id']}"
    html = client.get(f"/threads/{doc_id}").text
    assert f'id="a-{tox["id"]}"' in html  # the anchor the redirect points at
    assert "analyst: <b>relabel</b> → <bdi>normal</bdi>" in html and "sarcasm &lt;i&gt;, not abuse" in html
    assert f'href="/comments/{doc_id}-c1/fix"' in html  # the thread links each comment's correction form
    form = client.get(f"/comments/{doc_id}-c1/fix", headers={"HX-Request": "true"}).text
    assert 'name="annotation_id"' in form  # the comment has a correction form
    _, span = technique_span(client)
    client.post("/corrections", data={"annotation_id": span["id"], "action": "confirm", "author": "Ana",
                                      "note": "clear case"})
    assert "clear case" in client.get(f"/documents/{doc_id}").text
