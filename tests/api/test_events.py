from __future__ import annotations

from typing import Any

import pytest

from tests.conftest import Api


def msg(i: int, sender: str, text: str, conv: str = "c1", to: str | None = None) -> dict[str, Any]:
    recipient = to or ("kid" if sender != "kid" else "adult")
    return {
        "type": "message",
        "conversation_id": conv,
        "message_id": f"{conv}-m{i}",
        "sender_id": sender,
        "recipient_ids": [recipient],
        "sent_at": f"2026-03-01T18:{i:02d}:00Z",
        "text": text,
    }


ACCOUNTS = [
    {"type": "account", "account_id": "adult", "age": 34, "country": "GB"},
    {"type": "account", "account_id": "kid", "age": 13, "country": "GB", "language": "en"},
]
GROOMING = [
    msg(1, "adult", "hey how old are u"),
    msg(2, "kid", "13"),
    msg(3, "adult", "ur so mature for ur age"),
    msg(4, "adult", "dont tell your parents we talk ok, our secret"),
    msg(5, "adult", "add me on snap and send me a pic of u"),
]


def test_a_batch_is_decided_and_opens_one_case(api: Api) -> None:
    r = api.client.post("/v1/events", json={"events": ACCOUNTS + GROOMING}, headers=api.headers("ingest"))
    assert r.status_code == 200, r.text
    results = r.json()["results"]
    assert [x["status"] for x in results] == ["accepted"] * 7
    assert results[0]["decision"] is None and results[0]["type"] == "account"
    last = results[-1]
    assert last["verdict"]["flagged"] and last["verdict"]["category"] == "grooming"
    assert "open_case" in last["decision"]["actions"]
    hold = [e for e in last["decision"]["effects"] if e["kind"] == "hold_message"]
    assert hold and hold[0]["message_id"] == "c1-m5" and hold[0]["rules"] == ["grooming_toward_minor"]
    cases = api.client.get("/v1/cases", headers=api.headers("review")).json()
    assert cases["total"] == 1
    case = cases["cases"][0]
    assert case["conversation_id"] == "c1" and case["priority"] == "p0" and case["category"] == "grooming"
    assert last["case_id"] == case["case_id"]


def test_single_event_and_array_forms_are_accepted(api: Api) -> None:
    one = api.client.post("/v1/events", json=ACCOUNTS[0], headers=api.headers("ingest"))
    many = api.client.post("/v1/events", json=ACCOUNTS, headers=api.headers("ingest"))
    assert one.status_code == many.status_code == 200
    assert len(one.json()["results"]) == 1 and len(many.json()["results"]) == 2


def test_replay_returns_the_same_decision_and_no_second_case(api: Api) -> None:
    first = api.client.post("/v1/events", json=ACCOUNTS + GROOMING, headers=api.headers("ingest")).json()
    again = api.client.post("/v1/events", json=GROOMING, headers=api.headers("ingest")).json()
    assert [x["status"] for x in again["results"]] == ["duplicate"] * 5
    assert again["results"][-1]["decision"]["decision_id"] == first["results"][-1]["decision"]["decision_id"]
    assert api.client.get("/v1/cases", headers=api.headers("review")).json()["total"] == 1


def test_same_id_with_different_content_is_a_conflict(api: Api) -> None:
    api.client.post("/v1/events", json=GROOMING[:2], headers=api.headers("ingest"))
    changed = {**GROOMING[0], "text": "something else"}
    r = api.client.post("/v1/events", json=[changed, GROOMING[2]], headers=api.headers("ingest"))
    assert r.status_code == 409
    statuses = [x["status"] for x in r.json()["results"]]
    assert statuses == ["conflict", "accepted"]
    assert "message_id" in r.json()["results"][0]["error"]


def test_invalid_event_in_a_batch_stores_nothing_and_names_index_and_field(api: Api) -> None:
    bad = {**GROOMING[1], "sent_at": "yesterday"}
    r = api.client.post("/v1/events", json=[GROOMING[0], bad], headers=api.headers("ingest"))
    assert r.status_code == 422
    assert r.json()["detail"] == [{"index": 1, "field": "sent_at", "message": r.json()["detail"][0]["message"]}]
    assert api.client.get("/v1/conversations/c1", headers=api.headers("review")).status_code == 404


@pytest.mark.parametrize(
    ("body", "field"),
    [
        (b"{not json", ""),
        (b"[]", "events"),
        (b'{"events": 3}', "events"),
        (b"42", ""),
        (b'{"type": "photo"}', "type"),
        (b'{"type": "message"}', "message_id"),
    ],
)
def test_malformed_bodies_get_422_naming_the_field(api: Api, body: bytes, field: str) -> None:
    r = api.client.post(
        "/v1/events", content=body, headers={**api.headers("ingest"), "Content-Type": "application/json"}
    )
    assert r.status_code == 422
    assert field in {d["field"] for d in r.json()["detail"]}


def test_limits_give_413(api: Api) -> None:
    too_many = [msg(i % 60, "adult", "hi", conv=f"c{i}") for i in range(51)]
    assert api.client.post("/v1/events", json=too_many, headers=api.headers("ingest")).status_code == 413
    huge = b'{"events": ["' + b"x" * 250_000 + b'"]}'
    r = api.client.post(
        "/v1/events", content=huge, headers={**api.headers("ingest"), "Content-Type": "application/json"}
    )
    assert r.status_code == 413


def test_conversation_view_has_the_verdict_shape_and_detail(api: Api) -> None:
    api.client.post("/v1/events", json=ACCOUNTS + GROOMING, headers=api.headers("ingest"))
    body = api.client.get("/v1/conversations/c1", headers=api.headers("review")).json()
    assert list(body)[:9] == [
        "conversation_id",
        "flagged",
        "category",
        "risk_score",
        "scores",
        "first_flagged_message_id",
        "evidence",
        "actions",
        "explanation",
    ]
    assert body["first_flagged_message_id"] == "c1-m4"
    assert body["stages"] and body["case_id"] and body["versions"]["conversation_risk"]
    assert set(body["scores"]) == {
        "grooming",
        "sextortion",
        "online_kidnapping",
        "cyberbullying",
        "self_harm",
        "sexual_content",
        "personal_info",
    }


def test_an_account_arriving_late_makes_the_conversation_reassessed(api: Api) -> None:
    no_age_in_chat = [GROOMING[0], {**GROOMING[1], "text": "lol why"}, *GROOMING[2:]]
    api.client.post("/v1/events", json=no_age_in_chat, headers=api.headers("ingest"))
    before = api.client.get("/v1/conversations/c1", headers=api.headers("review")).json()
    assert before["scores"]["grooming"] < 0.5  # both ages unknown: not enough to flag
    api.client.post("/v1/events", json=ACCOUNTS, headers=api.headers("ingest"))
    after = api.client.get("/v1/conversations/c1", headers=api.headers("review")).json()
    assert after["flagged"] and after["category"] == "grooming"
    assert api.client.get("/v1/cases", headers=api.headers("review")).json()["total"] == 1


def test_cases_filter_and_validation(api: Api) -> None:
    api.client.post("/v1/events", json=ACCOUNTS + GROOMING, headers=api.headers("ingest"))
    h = api.headers("review")
    assert api.client.get("/v1/cases?status=resolved", headers=h).json()["total"] == 0
    r = api.client.get("/v1/cases?status=nope", headers=h)
    assert r.status_code == 422 and r.json()["detail"][0]["field"] == "status.0"
    assert api.client.get("/v1/cases?limit=0", headers=h).status_code == 422
    case_id = api.client.get("/v1/cases", headers=h).json()["cases"][0]["case_id"]
    assert api.client.get(f"/v1/cases/{case_id}", headers=h).json()["case_id"] == case_id
    assert api.client.get("/v1/cases/nope", headers=h).status_code == 404


def test_openapi_and_health(api: Api) -> None:
    assert api.client.get("/docs").status_code == 200
    spec = api.client.get("/openapi.json").json()
    assert "/v1/events" in spec["paths"] and "AccountIn" in spec["components"]["schemas"]
    assert api.client.get("/healthz").json() == {"status": "ok"}
    assert api.client.get("/readyz").json() == {"status": "ready"}


def test_conversation_view_lists_languages_and_those_without_a_lexicon(api: Api) -> None:
    arabic = [
        msg(1, "adult", "مرحبا كيف حالك"),
        msg(2, "kid", "hey whats up, who is this?"),
        msg(3, "adult", "أين تسكن"),
    ]
    api.client.post("/v1/events", json=ACCOUNTS + arabic, headers=api.headers("ingest"))
    body = api.client.get("/v1/conversations/c1", headers=api.headers("review")).json()
    assert body["languages"] == {"ar": 2, "en": 1}
    assert body["unsupported_languages"] == ["ar"]
    assert body["explanation"].endswith(
        "2 messages in Arabic (ar) were checked only by language-independent detectors."
    )
    schema = api.client.get("/openapi.json").json()["components"]["schemas"]["VerdictDetailPublic"]
    assert {"languages", "unsupported_languages"} <= set(schema["properties"])
