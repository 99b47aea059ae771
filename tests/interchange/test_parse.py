from __future__ import annotations

import datetime as dt
import json

import pytest

from childguard.domain import Account, AgeBand, Message
from childguard.interchange import (
    InvalidEvent,
    LineError,
    StrictModeError,
    load_conversations,
    parse_event,
)

MSG = {
    "type": "message",
    "conversation_id": "c1",
    "message_id": "m1",
    "sender_id": "u1",
    "recipient_ids": ["u2"],
    "sent_at": "2026-03-01T18:00:00Z",
    "text": "hi",
}


def _fields(exc: pytest.ExceptionInfo[InvalidEvent]) -> set[str]:
    return {e.field for e in exc.value.errors}


def test_account_with_age_gets_its_band() -> None:
    acc = parse_event({"type": "account", "account_id": "u1", "age": 13, "country": "VN", "language": "vi"})
    assert isinstance(acc, Account)
    assert acc.age_band is AgeBand.AGE_13_15 and acc.country == "VN"


def test_account_without_age_is_unknown_not_adult() -> None:
    acc = parse_event({"type": "account", "account_id": "u1"})
    assert isinstance(acc, Account) and acc.age_band is AgeBand.UNKNOWN and not acc.is_adult


def test_declared_band_without_age() -> None:
    acc = parse_event({"type": "account", "account_id": "u1", "age_band": "16_17"})
    assert isinstance(acc, Account) and acc.age_band is AgeBand.AGE_16_17 and acc.age is None


@pytest.mark.parametrize(
    ("patch", "field"),
    [
        ({"age": -1}, "age"),
        ({"age": "13"}, "age"),
        ({"age": True}, "age"),
        ({"age_band": "teen"}, "age_band"),
        ({"age": 30, "age_band": "13_15"}, "age_band"),
        ({"country": "vietnam"}, "country"),
        ({"language": "!!"}, "language"),
        ({"account_id": ""}, "account_id"),
        ({"account_id": 5}, "account_id"),
    ],
)
def test_bad_account_fields_are_named(patch: dict[str, object], field: str) -> None:
    with pytest.raises(InvalidEvent) as exc:
        parse_event({"type": "account", "account_id": "u1", **patch})
    assert field in _fields(exc)


def test_message_parses_and_keeps_unknown_fields() -> None:
    msg = parse_event({**MSG, "sent_at": "2026-03-01T19:00:00+01:00", "platform": "dm", "reactions": ["❤"]})
    assert isinstance(msg, Message)
    assert msg.sent_at == dt.datetime(2026, 3, 1, 18, 0, tzinfo=dt.UTC)
    assert msg.extra == {"reactions": ["❤"]}
    assert msg.recipient_ids == ("u2",)


@pytest.mark.parametrize(
    ("patch", "field"),
    [
        ({"sent_at": "yesterday"}, "sent_at"),
        ({"sent_at": "2026-03-01T18:00:00"}, "sent_at"),
        ({"recipient_ids": "u2"}, "recipient_ids"),
        ({"recipient_ids": ["u2", 3]}, "recipient_ids.1"),
        ({"text": None}, "text"),
        ({"text": 5}, "text"),
        ({"text": "x" * 20_001}, "text"),
        ({"message_id": None}, "message_id"),
        ({"lang": "en_US!"}, "lang"),
    ],
)
def test_bad_message_fields_are_named(patch: dict[str, object], field: str) -> None:
    with pytest.raises(InvalidEvent) as exc:
        parse_event({**MSG, **patch})
    assert field in _fields(exc)


def test_every_bad_field_is_reported_at_once() -> None:
    with pytest.raises(InvalidEvent) as exc:
        parse_event({"type": "message", "conversation_id": "c1"})
    assert {"message_id", "sender_id", "recipient_ids", "sent_at", "text"} <= _fields(exc)


@pytest.mark.parametrize("obj", [[], "x", 3, None, {"type": "photo"}, {"no": "type"}])
def test_unknown_shapes_are_rejected_with_a_field(obj: object) -> None:
    with pytest.raises(InvalidEvent) as exc:
        parse_event(obj)
    assert exc.value.errors


def _lines(*objs: object) -> list[str]:
    return [o if isinstance(o, str) else json.dumps(o) for o in objs]


def test_file_groups_orders_and_reports_bad_lines() -> None:
    lines = _lines(
        {**MSG, "message_id": "m2", "sent_at": "2026-03-01T18:05:00Z"},
        {**MSG, "message_id": "m1"},
        "{not json",
        {**MSG, "message_id": "m3", "sent_at": "2026-03-01T18:05:00Z"},
        {"type": "account", "account_id": "u2", "age": 12},
        {**MSG, "message_id": "m1"},
        "",
        {**MSG, "conversation_id": "c0", "message_id": "x1", "recipient_ids": "u2"},
    )
    errors: list[LineError] = []
    cs = load_conversations(lines, errors)
    convs = list(cs.conversations())
    assert [c.conversation_id for c in convs] == ["c1"]
    # sent_at first, then file order for ties
    assert [m.message_id for m in convs[0].messages] == ["m1", "m2", "m3"]
    assert convs[0].account("u2").age == 12
    assert [(e.line, e.field) for e in errors] == [(3, ""), (6, "message_id"), (8, "recipient_ids")]


def test_strict_mode_stops_at_the_first_bad_line() -> None:
    with pytest.raises(StrictModeError) as exc:
        load_conversations(_lines({**MSG}, "oops", {**MSG, "message_id": "m9"}), [], strict=True)
    assert exc.value.error.line == 2
