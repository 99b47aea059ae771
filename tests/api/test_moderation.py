"""POST /v1/moderations: a drop-in for OpenAI's moderation endpoint, judged by childguard's engine."""

from __future__ import annotations

from typing import Any

import pytest

from childguard import __version__
from tests.conftest import Api

OPENAI_KEYS = {
    "harassment",
    "harassment/threatening",
    "hate",
    "hate/threatening",
    "illicit",
    "illicit/violent",
    "self-harm",
    "self-harm/intent",
    "self-harm/instructions",
    "sexual",
    "sexual/minors",
    "violence",
    "violence/graphic",
}
OUR_KEYS = {
    f"childguard/{c}"
    for c in (
        "grooming",
        "sextortion",
        "online_kidnapping",
        "cyberbullying",
        "self_harm",
        "sexual_content",
        "personal_info",
    )
}
MINOR = {"age": 13}


def moderate(api: Api, body: Any, who: str = "ingest") -> Any:
    r = api.client.post("/v1/moderations", json=body, headers=api.headers(who))
    assert r.status_code == 200, r.text
    return r.json()


def test_the_response_has_openais_shape_with_every_key(api: Api) -> None:
    body = moderate(api, {"input": "Here is a fun fact: dolphins sleep with one eye open.", "model": "omni-moderation"})
    assert set(body) == {"id", "model", "results"}
    assert body["id"].startswith("modr-") and body["model"] == f"childguard-{__version__}"
    [result] = body["results"]
    assert {"flagged", "categories", "category_scores", "category_applied_input_types"} <= set(result)
    for field in ("categories", "category_scores", "category_applied_input_types"):
        assert set(result[field]) == OPENAI_KEYS | OUR_KEYS, field
    assert all(isinstance(v, bool) for v in result["categories"].values())
    assert all(isinstance(v, float) and 0.0 <= v <= 1.0 for v in result["category_scores"].values())
    assert all(v in ([], ["text"]) for v in result["category_applied_input_types"].values())
    assert result["flagged"] is False and not any(result["categories"].values())
    assert result["childguard"]["languages"] == {"en": 1}


def test_categories_we_do_not_detect_are_honestly_empty(api: Api) -> None:
    [result] = moderate(api, {"input": "kill yourself, nobody would miss you", "audience": MINOR})["results"]
    for key in ("hate", "hate/threatening", "illicit", "illicit/violent", "self-harm/instructions", "violence/graphic"):
        assert result["categories"][key] is False and result["category_scores"][key] == 0.0
        assert result["category_applied_input_types"][key] == []
    assert result["category_applied_input_types"]["harassment"] == ["text"]


@pytest.mark.parametrize(
    ("text", "keys"),
    [
        (
            "dont tell your parents about our chats, its our little secret. send me a pic of you",
            {"childguard/grooming", "sexual/minors"},
        ),
        ("kill yourself, nobody would miss you", {"harassment", "harassment/threatening", "violence", "self-harm"}),
        ("I want to kill myself tonight, I have the pills ready", {"self-harm", "self-harm/intent"}),
        ("I have your pics and I'll send them to all your friends unless you pay me $500", {"childguard/sextortion"}),
        ("đừng nói với bố mẹ nhé, gửi hình của em cho anh xem đi", {"childguard/grooming", "sexual/minors"}),
        ("dung noi voi bo me nhe, gui hinh cua em cho anh xem di", {"childguard/grooming", "sexual/minors"}),
        ("mày đi chết đi", {"harassment", "harassment/threatening", "childguard/cyberbullying"}),
        ("no le digas a tus padres, mándame una foto tuya", {"childguard/grooming", "sexual/minors"}),
        ("别告诉你爸妈，发张照片给我看看", {"childguard/grooming", "sexual/minors"}),
    ],
)
def test_harmful_replies_to_a_minor_are_flagged(api: Api, text: str, keys: set[str]) -> None:
    [result] = moderate(api, {"input": text, "audience": MINOR})["results"]
    assert result["flagged"]
    flagged = {k for k, v in result["categories"].items() if v}
    assert keys <= flagged, flagged
    assert all(result["category_scores"][k] >= 0.5 for k in flagged)


BENIGN = [
    "Here is a fun fact: dolphins sleep with one eye open.",
    "Great question! Photosynthesis turns sunlight into food for the plant.",
    "Hôm nay em học bài gì? Anh giúp em làm bài tập toán nhé.",
    "Los delfines duermen con un ojo abierto.",
    "海豚睡觉时会睁一只眼。",
    "If someone online asks you to keep secrets from your parents, tell a trusted adult.",
]


def test_benign_replies_are_not_flagged(api: Api) -> None:
    results = moderate(api, {"input": BENIGN, "audience": MINOR})["results"]
    assert len(results) == len(BENIGN)
    assert [r["flagged"] for r in results] == [False] * len(BENIGN)


def test_the_audience_decides_what_is_harmful(api: Api) -> None:
    text = "Let's meet at the park tomorrow, come alone and don't tell anyone"
    kid = moderate(api, {"input": text, "audience": {"age_band": "13_15"}})["results"][0]
    adult = moderate(api, {"input": text, "audience": {"age_band": "adult"}})["results"][0]
    unknown = moderate(api, {"input": text})["results"][0]
    assert kid["flagged"] and kid["categories"]["sexual/minors"]
    assert not adult["flagged"]
    grooming = [r["category_scores"]["childguard/grooming"] for r in (kid, unknown, adult)]
    assert grooming[0] > grooming[1] > grooming[2]  # an unknown reader is never treated as an adult


def test_a_list_of_strings_gets_one_result_each_and_content_parts_one_in_all(api: Api) -> None:
    two = moderate(api, {"input": ["what a lovely day", "kill yourself, nobody would miss you"], "audience": MINOR})
    assert [r["flagged"] for r in two["results"]] == [False, True]
    parts = [{"type": "text", "text": "what a lovely day"}, {"type": "text", "text": "kill yourself, loser"}]
    one = moderate(api, {"input": parts, "audience": MINOR})
    assert len(one["results"]) == 1 and one["results"][0]["flagged"]


def test_an_unsupported_language_is_said_not_hidden(api: Api) -> None:
    [result] = moderate(api, {"input": "مرحبا كيف حالك اليوم"})["results"]
    assert result["childguard"]["unsupported_languages"] == ["ar"]
    assert (
        "1 message in Arabic (ar) was checked only by language-independent detectors"
        in (result["childguard"]["explanation"])
    )


def test_nothing_is_stored(api: Api) -> None:
    moderate(api, {"input": "kill yourself, nobody would miss you", "audience": MINOR})
    assert api.client.get("/v1/cases", headers=api.headers("review")).json()["total"] == 0
    assert api.client.get("/v1/conversations/moderation", headers=api.headers("review")).status_code == 404


def test_auth_needs_the_ingest_scope(api: Api) -> None:
    body = {"input": "hello"}
    assert api.client.post("/v1/moderations", json=body).status_code == 401
    bad = {"Authorization": "Bearer cgk_nope_nope"}
    assert api.client.post("/v1/moderations", json=body, headers=bad).status_code == 401
    assert api.client.post("/v1/moderations", json=body, headers=api.headers("review")).status_code == 403
    for who in ("ingest", "admin"):
        assert api.client.post("/v1/moderations", json=body, headers=api.headers(who)).status_code == 200


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"input": [{"type": "image_url", "image_url": {"url": "https://example.com/a.png"}}]}, "input.0"),
        ({"input": [{"type": "text", "text": "hi"}, {"type": "image_url", "image_url": {"url": "x"}}]}, "input.1"),
        ({"model": "omni-moderation-latest"}, "input"),
        ({"input": 42}, "input"),
        ({"input": "hi", "audience": {"age": 13, "age_band": "adult"}}, "audience.age_band"),
        ({"input": "hi", "audience": {"age": 200}}, "audience.age"),
        ({"input": "x" * 20_001}, "input"),
        ({"input": ["fine", "x" * 20_001]}, "input.1"),
    ],
)
def test_bad_input_gets_422_naming_the_field(api: Api, body: Any, field: str) -> None:
    r = api.client.post("/v1/moderations", json=body, headers=api.headers("ingest"))
    assert r.status_code == 422
    assert field in {d["field"] for d in r.json()["detail"]}


def test_invalid_json_gets_422(api: Api) -> None:
    headers = {**api.headers("ingest"), "Content-Type": "application/json"}
    assert api.client.post("/v1/moderations", content=b"{nope", headers=headers).status_code == 422


def test_limits(api: Api) -> None:
    assert len(moderate(api, {"input": ["hi"] * 100})["results"]) == 100
    r = api.client.post("/v1/moderations", json={"input": ["hi"] * 101}, headers=api.headers("ingest"))
    assert r.status_code == 413 and r.json()["detail"][0]["field"] == "input"
    assert moderate(api, {"input": "a" * 20_000})["results"][0]["flagged"] is False


def test_openapi_documents_the_route_and_its_shapes(api: Api) -> None:
    spec = api.client.get("/openapi.json").json()
    route = spec["paths"]["/v1/moderations"]["post"]
    assert route["requestBody"]["content"]["application/json"]["schema"] == {
        "$ref": "#/components/schemas/ModerationIn"
    }
    schemas = spec["components"]["schemas"]
    assert {"ModerationIn", "ModerationAudienceIn", "ModerationsPublic", "ModerationResultPublic"} <= set(schemas)
    assert set(schemas["ModerationCategoriesPublic"]["properties"]) == OPENAI_KEYS | OUR_KEYS
