"""Turn interchange-format objects (decoded JSON) into domain events.

The format is a public contract, documented in docs/interchange.md. Unknown fields are
kept in ``extra``; every problem is reported with the field it concerns.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from typing import Any

from childguard.domain import Account, AgeBand, Event, Message
from childguard.domain.ages import DECLARABLE_BANDS
from childguard.interchange.errors import FieldError, InvalidEvent

EVENT_TYPES = ("account", "message")
ACCOUNT_FIELDS = frozenset({"type", "account_id", "age", "age_band", "country", "language"})
MESSAGE_FIELDS = frozenset(
    {"type", "conversation_id", "message_id", "sender_id", "recipient_ids", "sent_at", "text", "platform", "lang"}
)

#: Limits that protect the service from hostile input; generous for real chat.
MAX_ID_LENGTH = 256
MAX_TEXT_LENGTH = 20_000
MAX_RECIPIENTS = 1_000

_COUNTRY = re.compile(r"^[A-Z]{2}$")
# BCP 47, loosely: a 2-3 letter primary subtag, then subtags of 1-8 alphanumerics.
_LANGUAGE = re.compile(r"^[A-Za-z]{2,3}(-[A-Za-z0-9]{1,8})*$")


def parse_event(obj: object, *, seq: int = 0) -> Event:
    """Validate one decoded JSON object and build the event. Raises ``InvalidEvent``."""
    if not isinstance(obj, Mapping):
        raise InvalidEvent([FieldError("", "each event must be a JSON object")])
    kind = obj.get("type")
    if kind == "account":
        return parse_account(obj)
    if kind == "message":
        return parse_message(obj, seq=seq)
    if kind is None:
        raise InvalidEvent([FieldError("type", "is required (one of: account, message)")])
    raise InvalidEvent([FieldError("type", f"unknown event type {kind!r} (expected one of: account, message)")])


def parse_account(obj: Mapping[str, Any]) -> Account:
    errors: list[FieldError] = []
    account_id = _required_id(obj, "account_id", errors)
    age = obj.get("age")
    if age is not None and (isinstance(age, bool) or not isinstance(age, int) or not 0 <= age <= 130):
        errors.append(FieldError("age", "must be a whole number of years between 0 and 130"))
        age = None
    band_raw = obj.get("age_band")
    band: AgeBand | None = None
    if band_raw is not None:
        if band_raw not in DECLARABLE_BANDS:
            errors.append(FieldError("age_band", f"must be one of {', '.join(DECLARABLE_BANDS)}"))
        else:
            band = AgeBand(band_raw)
    if age is not None and band is not None and AgeBand.from_age(age) is not band:
        errors.append(FieldError("age_band", f"{band.value} contradicts age {age}"))
    country = _optional_str(obj, "country", errors)
    if country is not None and not _COUNTRY.match(country):
        errors.append(FieldError("country", "must be an ISO 3166-1 alpha-2 code in capitals, such as VN or GB"))
    language = _optional_str(obj, "language", errors)
    if language is not None and not _LANGUAGE.match(language):
        errors.append(FieldError("language", "must be a BCP 47 language tag, such as vi or en-GB"))
    if errors:
        raise InvalidEvent(errors)
    if band is None:
        band = AgeBand.from_age(age) if age is not None else AgeBand.UNKNOWN
    return Account(
        account_id=account_id,
        age=age,
        age_band=band,
        country=country,
        language=language,
        extra={k: v for k, v in obj.items() if k not in ACCOUNT_FIELDS},
    )


def parse_message(obj: Mapping[str, Any], *, seq: int = 0) -> Message:
    errors: list[FieldError] = []
    conversation_id = _required_id(obj, "conversation_id", errors)
    message_id = _required_id(obj, "message_id", errors)
    sender_id = _required_id(obj, "sender_id", errors)
    recipients = _recipients(obj, errors)
    sent_at = _timestamp(obj, "sent_at", errors)
    text = obj.get("text")
    if text is None:
        errors.append(FieldError("text", "is required (use an empty string for a message without text)"))
    elif not isinstance(text, str):
        errors.append(FieldError("text", "must be a string"))
    elif len(text) > MAX_TEXT_LENGTH:
        errors.append(FieldError("text", f"is longer than {MAX_TEXT_LENGTH} characters"))
    platform = _optional_str(obj, "platform", errors)
    lang = _optional_str(obj, "lang", errors)
    if lang is not None and not _LANGUAGE.match(lang):
        errors.append(FieldError("lang", "must be a BCP 47 language tag, such as vi or zh-Hans"))
    if errors:
        raise InvalidEvent(errors)
    assert isinstance(text, str) and sent_at is not None  # narrowed by the checks above
    return Message(
        conversation_id=conversation_id,
        message_id=message_id,
        sender_id=sender_id,
        recipient_ids=recipients,
        sent_at=sent_at,
        text=text,
        platform=platform,
        lang=lang,
        seq=seq,
        extra={k: v for k, v in obj.items() if k not in MESSAGE_FIELDS},
    )


def _required_id(obj: Mapping[str, Any], name: str, errors: list[FieldError]) -> str:
    value = obj.get(name)
    if value is None:
        errors.append(FieldError(name, "is required"))
        return ""
    if not isinstance(value, str) or not value.strip():
        errors.append(FieldError(name, "must be a non-empty string"))
        return ""
    if len(value) > MAX_ID_LENGTH:
        errors.append(FieldError(name, f"is longer than {MAX_ID_LENGTH} characters"))
    return value


def _optional_str(obj: Mapping[str, Any], name: str, errors: list[FieldError]) -> str | None:
    value = obj.get(name)
    if value is None:
        return None
    if not isinstance(value, str) or not value:
        errors.append(FieldError(name, "must be a non-empty string when present"))
        return None
    return value


def _recipients(obj: Mapping[str, Any], errors: list[FieldError]) -> tuple[str, ...]:
    value = obj.get("recipient_ids")
    if value is None:
        errors.append(FieldError("recipient_ids", "is required (a list of account ids)"))
        return ()
    if not isinstance(value, list):
        errors.append(FieldError("recipient_ids", "must be a list of account ids"))
        return ()
    if len(value) > MAX_RECIPIENTS:
        errors.append(FieldError("recipient_ids", f"has more than {MAX_RECIPIENTS} entries"))
        return ()
    out: list[str] = []
    for i, r in enumerate(value):
        if not isinstance(r, str) or not r.strip():
            errors.append(FieldError(f"recipient_ids.{i}", "must be a non-empty string"))
        else:
            out.append(r)
    return tuple(dict.fromkeys(out))


def _timestamp(obj: Mapping[str, Any], name: str, errors: list[FieldError]) -> dt.datetime | None:
    value = obj.get(name)
    if value is None:
        errors.append(FieldError(name, "is required (an RFC 3339 timestamp such as 2026-03-01T18:00:00Z)"))
        return None
    if not isinstance(value, str):
        errors.append(FieldError(name, "must be an RFC 3339 timestamp string"))
        return None
    try:
        parsed = dt.datetime.fromisoformat(value.replace("z", "Z"))
    except ValueError:
        errors.append(FieldError(name, f"{value!r} is not an RFC 3339 timestamp such as 2026-03-01T18:00:00Z"))
        return None
    if parsed.tzinfo is None:
        errors.append(FieldError(name, "must include a time zone (Z or an offset such as +07:00)"))
        return None
    return parsed.astimezone(dt.UTC)
