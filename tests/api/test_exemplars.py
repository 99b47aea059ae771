"""Exemplars over HTTP: reviewers feed decisions back; the index version goes up."""

from __future__ import annotations

from tests.conftest import Api

SCRIPT = "zorblax kwintal: transfer the 900 vouchers to the wallet before midnight"


def test_add_list_and_replay_exemplars(api: Api) -> None:
    body = {"exemplars": [{"text": SCRIPT, "category": "sextortion", "label": "harmful", "id": "t-1", "note": "new"}]}
    r = api.client.post("/v1/exemplars", json=body, headers=api.headers("review"))
    assert r.status_code == 201, r.text
    [stored] = r.json()["exemplars"]
    assert stored["exemplar_id"] == "t-1" and stored["seq"] == 1 and stored["source"] == "api"
    assert stored["added_by"].startswith("api:")
    assert r.json()["index_version"] == 1
    again = api.client.post("/v1/exemplars", json=body, headers=api.headers("review"))
    assert again.status_code == 201 and again.json()["exemplars"] == [stored]
    listed = api.client.get("/v1/exemplars", headers=api.headers("review")).json()
    assert listed["enabled"] and listed["encoder"] == "hashing" and listed["index_version"] == 1
    assert listed["stored"] == 1 and listed["indexed"] > 1000
    assert listed["counts"]["sextortion"]["harmful"] >= 120
    assert [e["exemplar_id"] for e in listed["exemplars"]] == ["t-1"]
    assert api.client.get("/v1/exemplars?after=1", headers=api.headers("review")).json()["exemplars"] == []


def test_a_replay_with_other_content_is_a_conflict(api: Api) -> None:
    first = {"exemplars": [{"text": SCRIPT, "category": "sextortion", "label": "harmful", "id": "t-2"}]}
    assert api.client.post("/v1/exemplars", json=first, headers=api.headers("review")).status_code == 201
    other = {"exemplars": [{"text": SCRIPT, "category": "sextortion", "label": "benign", "id": "t-2"}]}
    r = api.client.post("/v1/exemplars", json=other, headers=api.headers("review"))
    assert r.status_code == 409 and "t-2" in r.json()["detail"]


def test_bad_exemplars_name_the_field(api: Api) -> None:
    bad = {"exemplars": [{"text": "x", "category": "bullying", "label": "harmful"}]}
    r = api.client.post("/v1/exemplars", json=bad, headers=api.headers("review"))
    assert r.status_code == 422
    assert [e["field"] for e in r.json()["detail"]] == ["exemplars.0.category"]
    empty = api.client.post("/v1/exemplars", json={"exemplars": []}, headers=api.headers("review"))
    assert empty.status_code == 422 and empty.json()["detail"][0]["field"] == "exemplars"


def test_exemplars_need_the_review_scope(api: Api) -> None:
    body = {"exemplars": [{"text": SCRIPT, "category": "sextortion", "label": "harmful"}]}
    assert api.client.post("/v1/exemplars", json=body).status_code == 401
    assert api.client.post("/v1/exemplars", json=body, headers=api.headers("ingest")).status_code == 403
    assert api.client.get("/v1/exemplars", headers=api.headers("ingest")).status_code == 403
    feed = api.client.post("/v1/cases/x/exemplars", json={"label": "harmful"}, headers=api.headers("ingest"))
    assert feed.status_code == 403


def test_a_case_is_fed_back(api: Api) -> None:
    events = [
        {"type": "account", "account_id": "kid", "age": 13},
        {"type": "account", "account_id": "man", "age": 40},
    ]
    texts = [
        "how old are u? ur so mature for ur age",
        "are ur parents home? r u alone",
        "dont tell anyone about us, delete our chat",
        "send me a pic just for me",
    ]
    events += [
        {
            "type": "message",
            "conversation_id": "c1",
            "message_id": f"m{i}",
            "sender_id": "man",
            "recipient_ids": ["kid"],
            "sent_at": f"2026-03-01T18:0{i}:00Z",
            "text": t,
        }
        for i, t in enumerate(texts)
    ]
    results = api.client.post("/v1/events", json={"events": events}, headers=api.headers("ingest")).json()["results"]
    case_id = results[-1]["case_id"]
    assert case_id
    r = api.client.post(f"/v1/cases/{case_id}/exemplars", json={"label": "harmful"}, headers=api.headers("review"))
    assert r.status_code == 201, r.text
    added = r.json()["exemplars"]
    assert added and {e["case_id"] for e in added} == {case_id} and {e["category"] for e in added} == {"grooming"}
    missing = api.client.post("/v1/cases/nope/exemplars", json={"label": "benign"}, headers=api.headers("review"))
    assert missing.status_code == 404
    bad = api.client.post(f"/v1/cases/{case_id}/exemplars", json={"label": "maybe"}, headers=api.headers("review"))
    assert bad.status_code == 422 and bad.json()["detail"][0]["field"] == "label"
