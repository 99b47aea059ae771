"""The JSON codec: every stored value type survives ``json.dumps``/``json.loads`` unchanged."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from childguard.domain import (
    Account,
    AgeBand,
    AuditEvent,
    Case,
    CaseStatus,
    Category,
    Decision,
    Effect,
    EffectKind,
    Evidence,
    Message,
    Priority,
    Signal,
    SignalScope,
    StageMark,
    Verdict,
)
from childguard.domain.access import ApiKey, ConsoleSession, Scope
from childguard.domain.actions import ActionRecord
from childguard.domain.exemplars import Exemplar, ExemplarLabel
from childguard.storage import codec

from . import builders as b

# No example database: it would leave a .hypothesis folder in the working tree.
examples = settings(max_examples=60, database=None, deadline=None)

texts = st.text(max_size=20)
ids = st.text(alphabet="abcdefghijklmnopqrstuvwxyz0123456789_-", min_size=1, max_size=12)
offsets = st.integers(min_value=-14 * 60, max_value=14 * 60).map(lambda m: dt.timezone(dt.timedelta(minutes=m)))
aware = st.datetimes(min_value=dt.datetime(1971, 1, 1), max_value=dt.datetime(2200, 1, 1), timezones=offsets)
unit = st.floats(min_value=0.0, max_value=1.0, allow_nan=False)
finite = st.floats(allow_nan=False, allow_infinity=False)
json_values = st.recursive(
    st.none() | st.booleans() | st.integers(min_value=-(2**53), max_value=2**53) | finite | texts,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(texts, inner, max_size=3),
    max_leaves=10,
)
json_objects = st.dictionaries(texts, json_values, max_size=4)
scopes = st.frozensets(st.sampled_from(Scope))


def tuples(elements: st.SearchStrategy[Any]) -> st.SearchStrategy[tuple[Any, ...]]:
    return st.lists(elements, max_size=3).map(tuple)


evidence = st.builds(
    Evidence,
    message_id=ids,
    category=st.sampled_from(Category),
    reason=texts,
    cue=st.none() | ids,
    weight=unit,
)
stages = st.builds(StageMark, message_id=ids, category=st.sampled_from(Category), stage=ids)
signals = st.builds(
    Signal,
    detector=ids,
    detector_version=ids,
    category=st.sampled_from(Category),
    score=unit,
    scope=st.sampled_from(SignalScope),
    subject_id=ids,
    evidence=tuples(evidence),
    actor_id=st.none() | ids,
    target_ids=tuples(ids),
    flagged=st.booleans(),
    first_flagged_message_id=st.none() | ids,
    stages=tuples(stages),
    explanation=texts,
)
verdicts = st.builds(
    Verdict,
    conversation_id=ids,
    flagged=st.booleans(),
    category=ids,
    risk_score=unit,
    scores=st.dictionaries(ids, unit, max_size=7),
    first_flagged_message_id=st.none() | ids,
    evidence=tuples(evidence),
    actions=tuples(ids),
    explanation=texts,
    stages=tuples(stages),
    fired_rules=tuples(ids),
    versions=st.dictionaries(ids, ids, max_size=3),
    languages=st.dictionaries(ids, st.integers(min_value=0, max_value=10_000), max_size=4),
    unsupported_languages=tuples(ids),
)
effects = st.builds(
    Effect,
    kind=st.sampled_from(EffectKind),
    params=json_objects,
    rules=tuples(ids),
    category=st.none() | ids,
    actor_id=st.none() | ids,
    target_ids=tuples(ids),
    message_id=st.none() | ids,
)
decisions = st.builds(
    Decision,
    conversation_id=ids,
    effects=tuples(effects),
    fired_rules=tuples(ids),
    policy_name=ids,
    policy_version=ids,
    message_id=st.none() | ids,
    decided_at=st.none() | aware,
)
accounts = st.builds(
    Account,
    account_id=ids,
    age=st.none() | st.integers(min_value=0, max_value=120),
    age_band=st.sampled_from(AgeBand),
    country=st.none() | ids,
    language=st.none() | ids,
    extra=json_objects,
)
messages = st.builds(
    Message,
    conversation_id=ids,
    message_id=ids,
    sender_id=ids,
    recipient_ids=tuples(ids),
    sent_at=aware,
    text=st.text(max_size=200),
    platform=st.none() | ids,
    lang=st.none() | ids,
    seq=st.integers(min_value=0, max_value=2**62),
    extra=json_objects,
)
cases = st.builds(
    Case,
    case_id=ids,
    conversation_id=ids,
    category=ids,
    priority=st.sampled_from(Priority),
    queue=ids,
    status=st.sampled_from(CaseStatus),
    risk_score=unit,
    rules=tuples(ids),
    opened_at=aware,
    updated_at=aware,
    assignee=st.none() | ids,
    escalated=st.booleans(),
)
action_records = st.builds(
    ActionRecord,
    action_id=ids,
    idempotency_key=ids,
    kind=ids,
    conversation_id=ids,
    message_id=st.none() | ids,
    actor_id=st.none() | ids,
    target_ids=tuples(ids),
    params=json_objects,
    rules=tuples(ids),
    decision_id=st.none() | ids,
    case_id=st.none() | ids,
    at=aware,
)
audit_events = st.builds(
    AuditEvent,
    seq=st.integers(min_value=1, max_value=2**62),
    at=aware,
    actor=ids,
    action=ids,
    subject_type=ids,
    subject_id=ids,
    details=json_objects,
    prev_hash=st.text(alphabet="0123456789abcdef", min_size=64, max_size=64),
    hash=st.text(alphabet="0123456789abcdef", min_size=64, max_size=64),
)
api_keys = st.builds(
    ApiKey,
    key_id=ids,
    name=texts,
    scopes=scopes,
    secret_hash=texts,
    created_at=aware,
    revoked_at=st.none() | aware,
)
console_sessions = st.builds(
    ConsoleSession,
    session_id=ids,
    token_hash=texts,
    principal=texts,
    scopes=scopes,
    csrf_token=texts,
    created_at=aware,
    expires_at=aware,
)
exemplars = st.builds(
    Exemplar,
    exemplar_id=ids,
    text=st.text(min_size=1, max_size=20).filter(str.strip),
    category=st.sampled_from(Category),
    label=st.sampled_from(ExemplarLabel),
    language=texts,
    source=texts,
    note=texts,
    case_id=st.none() | ids,
    message_id=st.none() | ids,
    added_by=texts,
    added_at=st.none() | aware,
    seq=st.integers(min_value=0, max_value=2**53),
)
any_value = st.one_of(
    exemplars,
    evidence,
    stages,
    signals,
    verdicts,
    effects,
    decisions,
    accounts,
    messages,
    cases,
    action_records,
    audit_events,
    api_keys,
    console_sessions,
)


def _through_json_text(value: object) -> object:
    return codec.from_json(type(value), json.loads(json.dumps(codec.to_json(value))))


@examples
@given(any_value)
def test_every_value_round_trips_through_json_text(value: object) -> None:
    again = _through_json_text(value)
    assert again == value
    assert type(again) is type(value)


@examples
@given(messages)
def test_datetimes_come_back_in_utc(message: Message) -> None:
    again = codec.message_from_json(json.loads(json.dumps(codec.message_to_json(message))))
    assert again.sent_at == message.sent_at
    assert again.sent_at.tzinfo is dt.UTC


def test_every_stored_type_has_a_codec() -> None:
    assert set(codec.ENCODABLE_TYPES) == {
        Exemplar,
        Evidence,
        StageMark,
        Signal,
        Verdict,
        Effect,
        Decision,
        Account,
        Message,
        Case,
        ActionRecord,
        AuditEvent,
        ApiKey,
        ConsoleSession,
    }


def test_fixed_examples_round_trip() -> None:
    for value in [
        b.message("m1", extra={"nested": {"list": [1, 2.5, None, True]}}),
        b.account("u1"),
        b.signal("m1"),
        b.verdict(),
        b.decision(),
        b.decision(message_id=None, decided_at=None),
        b.case("k1"),
        b.action("a1"),
        b.api_key("k1"),
        b.console_session("s1"),
    ]:
        assert _through_json_text(value) == value


def test_naive_datetimes_are_refused() -> None:
    naive = b.message("m1", sent_at=dt.datetime(2025, 1, 1, 12, 0))
    with pytest.raises(ValueError, match="timezone-aware"):
        codec.message_to_json(naive)
    stored = codec.message_to_json(b.message("m1"))
    with pytest.raises(ValueError, match="timezone-aware"):
        codec.message_from_json({**stored, "sent_at": "2025-01-01T12:00:00"})


def test_optional_fields_may_be_missing_from_older_records() -> None:
    old = {"message_id": "m1", "category": "grooming", "reason": "r"}
    assert codec.evidence_from_json(old) == Evidence(message_id="m1", category=Category.GROOMING, reason="r")
    verdict_before_languages = {
        k: v for k, v in codec.verdict_to_json(b.verdict()).items() if k not in ("languages", "unsupported_languages")
    }
    old_verdict = codec.verdict_from_json(verdict_before_languages)
    assert old_verdict == dataclasses.replace(b.verdict(), languages={}, unsupported_languages=())
    minimal_decision = {"conversation_id": "c1", "policy_name": "p", "policy_version": "1"}
    assert codec.decision_from_json(minimal_decision) == Decision(
        conversation_id="c1", effects=(), fired_rules=(), policy_name="p", policy_version="1"
    )


def test_scopes_are_written_sorted() -> None:
    key = b.api_key("k1")
    assert codec.api_key_to_json(key)["scopes"] == ["ingest", "review"]


def test_unknown_types_are_refused() -> None:
    with pytest.raises(TypeError, match="no JSON codec for str"):
        codec.to_json("text")
    with pytest.raises(TypeError, match="no JSON codec for int"):
        codec.from_json(int, {})
