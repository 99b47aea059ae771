"""The OpenAI-compatible mapping and request parsing, without HTTP."""

from __future__ import annotations

from typing import Any

import pytest

from childguard.domain import AgeBand, Category, Conversation, Evidence, Signal, SignalScope, Verdict
from childguard.engine import Assessment, Engine
from childguard.moderation import (
    ALL_KEYS,
    CHILDGUARD_CATEGORIES,
    MAX_INPUT_LENGTH,
    MAX_INPUTS,
    NOT_DETECTED,
    OPENAI_CATEGORIES,
    READER_ID,
    UNKNOWN_AUDIENCE,
    Audience,
    InvalidAudience,
    InvalidModerationRequest,
    moderate,
    moderate_one,
    one_message_conversation,
    parse_request,
    to_openai,
)

ENGINE = Engine()
MINOR = Audience.of(age=13)
ADULT = Audience.of(age_band="adult")


def test_every_openai_category_and_ours_is_a_key() -> None:
    assert set(OPENAI_CATEGORIES) == {
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
    assert tuple(f"childguard/{c.value}" for c in Category) == CHILDGUARD_CATEGORIES
    assert ALL_KEYS[: len(OPENAI_CATEGORIES)] == OPENAI_CATEGORIES and len(ALL_KEYS) == 20
    assert set(OPENAI_CATEGORIES) > NOT_DETECTED


# --- the mapping, on hand-made signals -------------------------------------------------------


def _signal(category: Category, score: float, *cues: str, flagged: bool | None = None) -> Signal:
    return Signal(
        detector="conversation_risk",
        detector_version="test",
        category=category,
        score=score,
        scope=SignalScope.CONVERSATION,
        subject_id="moderation",
        evidence=tuple(Evidence(message_id="input", category=category, reason=c, cue=c) for c in cues),
        flagged=score >= 0.5 if flagged is None else flagged,
    )


def _map(*signals: Signal, audience: Audience = UNKNOWN_AUDIENCE) -> Any:
    conv: Conversation = one_message_conversation("text", audience)
    assessment = Assessment(conv, {}, tuple(signals), {READER_ID: audience.band})
    return to_openai(assessment, audience, Verdict.empty("moderation"))


def test_nothing_found_is_all_false_and_zero() -> None:
    r = _map()
    assert not r.flagged
    assert set(r.categories) == set(r.category_scores) == set(r.category_applied_input_types) == set(ALL_KEYS)
    assert not any(r.categories.values()) and not any(r.category_scores.values())


def test_categories_we_do_not_detect_are_present_false_and_applied_to_nothing() -> None:
    every = [_signal(c, 0.99, "violence_threat", "suicidal_intent") for c in Category]
    r = _map(*every, audience=MINOR)
    for key in NOT_DETECTED:
        assert r.categories[key] is False and r.category_scores[key] == 0.0
        assert r.category_applied_input_types[key] == ()
    for key in set(ALL_KEYS) - NOT_DETECTED:
        assert r.category_applied_input_types[key] == ("text",)


def test_bullying_is_harassment_and_only_threats_make_it_threatening() -> None:
    insults = _map(_signal(Category.CYBERBULLYING, 0.6, "insult", "exclusion"))
    assert insults.categories["harassment"] and insults.category_scores["harassment"] == 0.6
    assert not insults.categories["harassment/threatening"] and not insults.categories["violence"]
    threat = _map(_signal(Category.CYBERBULLYING, 0.7, "insult", "violence_threat"))
    assert threat.categories["harassment/threatening"] and threat.categories["violence"]
    assert not threat.categories["self-harm"]
    incitement = _map(_signal(Category.CYBERBULLYING, 0.7, "self_harm_incitement"))
    assert incitement.categories["harassment/threatening"] and incitement.categories["violence"]
    assert incitement.categories["self-harm"] and not incitement.categories["self-harm/intent"]


def test_self_harm_intent_needs_intent_not_hopelessness_alone() -> None:
    hopeless = _map(_signal(Category.SELF_HARM, 0.55, "hopelessness"))
    assert hopeless.categories["self-harm"] and not hopeless.categories["self-harm/intent"]
    intent = _map(_signal(Category.SELF_HARM, 0.8, "hopelessness", "plan"))
    assert intent.categories["self-harm/intent"] and intent.category_scores["self-harm/intent"] == 0.8
    assert intent.categories["childguard/self_harm"]


@pytest.mark.parametrize("category", [Category.SEXUAL_CONTENT, Category.GROOMING, Category.SEXTORTION])
def test_sexual_minors_only_when_the_reader_is_a_minor(category: Category) -> None:
    signal = _signal(category, 0.8, "explicit")
    assert _map(signal, audience=MINOR).categories["sexual/minors"]
    for audience in (UNKNOWN_AUDIENCE, ADULT):
        r = _map(signal, audience=audience)
        assert not r.categories["sexual/minors"] and r.category_scores["sexual/minors"] == 0.0
        assert r.categories[f"childguard/{category.value}"]
    assert _map(signal).categories["sexual"] == (category is Category.SEXUAL_CONTENT)


def test_scores_below_threshold_are_reported_but_not_flagged() -> None:
    r = _map(_signal(Category.GROOMING, 0.42, "secrecy"), audience=MINOR)
    assert not r.flagged and r.category_scores["childguard/grooming"] == 0.42
    assert r.category_scores["sexual/minors"] == 0.42 and not r.categories["sexual/minors"]


def test_online_kidnapping_and_personal_info_have_only_our_keys() -> None:
    r = _map(_signal(Category.ONLINE_KIDNAPPING, 0.9, "ransom_demand"), _signal(Category.PERSONAL_INFO, 0.6, "address"))
    assert r.flagged
    assert [k for k, v in r.categories.items() if v] == ["childguard/online_kidnapping", "childguard/personal_info"]


# --- with the real engine --------------------------------------------------------------------


def test_results_are_the_engines_scores_for_the_ai_talking_to_the_reader() -> None:
    text = "dont tell your parents about our chats, its our little secret. send me a pic of you"
    result = moderate_one(ENGINE, text, MINOR)
    verdict = ENGINE.scan(one_message_conversation(text, MINOR))
    for c in Category:
        assert result.category_scores[f"childguard/{c.value}"] == round(verdict.scores[c.value], 6)
    assert result.flagged and result.categories["childguard/grooming"] and result.categories["sexual/minors"]
    assert "from assistant (adult) toward reader (13)" in result.verdict.explanation


def test_the_audience_changes_the_judgement() -> None:
    text = "Let's meet at the park tomorrow, come alone and don't tell anyone"
    minor, unknown, adult = (moderate_one(ENGINE, text, a) for a in (MINOR, UNKNOWN_AUDIENCE, ADULT))
    assert minor.flagged and not adult.flagged
    scores = [r.category_scores["childguard/grooming"] for r in (minor, unknown, adult)]
    assert scores[0] > scores[1] > scores[2] > 0  # unknown is never treated as an adult


def test_several_texts_are_judged_in_order() -> None:
    results = moderate(ENGINE, ["what a lovely day", "kill yourself, nobody would miss you"], MINOR)
    assert [r.flagged for r in results] == [False, True]


# --- the audience and the request ------------------------------------------------------------


def test_audience_from_age_or_band() -> None:
    assert Audience.of() == UNKNOWN_AUDIENCE and UNKNOWN_AUDIENCE.band is AgeBand.UNKNOWN
    assert Audience.of(age=13) == Audience(13, AgeBand.AGE_13_15)
    assert Audience.of(age=13, age_band="13_15") == Audience(13, AgeBand.AGE_13_15)
    assert Audience.of(age_band="under_13") == Audience(None, AgeBand.UNDER_13)
    assert Audience.of(age=13).reader().is_minor


@pytest.mark.parametrize(
    ("age", "band", "field"),
    [(-1, None, "audience.age"), (131, None, "audience.age"), (None, "kid", "audience.age_band"),
     (None, "unknown", "audience.age_band"), (13, "adult", "audience.age_band")],
)  # fmt: skip
def test_invalid_audiences_name_the_field(age: int | None, band: str | None, field: str) -> None:
    with pytest.raises(InvalidAudience) as exc:
        Audience.of(age, band)
    assert exc.value.field == field


def test_parse_the_three_input_forms() -> None:
    assert parse_request({"input": "hi"}).texts == ("hi",)
    assert parse_request({"input": ["a", "b"], "model": "omni-moderation-latest"}).texts == ("a", "b")
    parts = {"input": [{"type": "text", "text": "a"}, {"type": "text", "text": "b"}]}
    assert parse_request(parts).texts == ("a\nb",)  # the parts of one input make one result, as in OpenAI's API
    req = parse_request({"input": "hi", "audience": {"age": 12}, "user": "ignored"})
    assert req.audience == Audience(12, AgeBand.UNDER_13) and req.model is None


def _fields(payload: object) -> list[str]:
    with pytest.raises(InvalidModerationRequest) as exc:
        parse_request(payload)
    assert not exc.value.too_large
    return [e.field for e in exc.value.errors]


@pytest.mark.parametrize(
    ("payload", "fields"),
    [
        ([], [""]),
        ({}, ["input"]),
        ({"input": 3}, ["input"]),
        ({"input": []}, ["input"]),
        ({"input": ["ok", 3]}, ["input.1"]),
        ({"input": [{"type": "image_url", "image_url": {"url": "https://x/y.png"}}]}, ["input.0"]),
        ({"input": [{"type": "text", "text": 5}]}, ["input.0.text"]),
        ({"input": [{"type": "audio"}]}, ["input.0"]),
        ({"input": "hi", "model": 4}, ["model"]),
        ({"input": "hi", "audience": 13}, ["audience"]),
        ({"input": "hi", "audience": {"age": "13"}}, ["audience.age"]),
        ({"input": "hi", "audience": {"age": True}}, ["audience.age"]),
        ({"input": "hi", "audience": {"age_band": 3}}, ["audience.age_band"]),
        ({"input": "hi", "audience": {"agee": 13}}, ["audience.agee"]),
        ({"input": "x" * (MAX_INPUT_LENGTH + 1)}, ["input"]),
        ({"input": ["ok", "x" * (MAX_INPUT_LENGTH + 1)]}, ["input.1"]),
    ],
)
def test_invalid_requests_name_the_field(payload: object, fields: list[str]) -> None:
    assert _fields(payload) == fields


def test_too_many_inputs_is_too_large() -> None:
    assert len(parse_request({"input": ["x"] * MAX_INPUTS}).texts) == MAX_INPUTS
    with pytest.raises(InvalidModerationRequest) as exc:
        parse_request({"input": ["x"] * (MAX_INPUTS + 1)})
    assert exc.value.too_large and exc.value.errors[0].field == "input"
