"""Events a platform sends: accounts and messages (images, profiles and user reports to come).

These are plain values. Parsing and validation of the wire format lives in
``childguard.interchange``; by the time an event exists here it is valid.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from childguard.domain.ages import AgeBand


@dataclass(frozen=True, kw_only=True)
class Account:
    """A platform account as far as childguard knows it.

    ``age_band`` is always set: from the declared band, else derived from ``age``,
    else ``UNKNOWN``. ``extra`` keeps fields childguard does not know, unchanged.
    """

    account_id: str
    age: int | None = None
    age_band: AgeBand = AgeBand.UNKNOWN
    country: str | None = None
    language: str | None = None
    extra: Mapping[str, Any] = field(default_factory=dict)

    @classmethod
    def unknown(cls, account_id: str) -> Account:
        """An account we have never been told about: age unknown, never assumed adult."""
        return cls(account_id=account_id)

    @property
    def is_minor(self) -> bool:
        return self.age_band.is_minor

    @property
    def is_adult(self) -> bool:
        return self.age_band.is_adult

    def describe(self) -> str:
        """Short, human form used in explanations: ``u1 (13)``, ``u2 (adult)``, ``u3 (age unknown)``."""
        if self.age is not None:
            return f"{self.account_id} ({self.age})"
        if self.age_band is AgeBand.UNKNOWN:
            return f"{self.account_id} (age unknown)"
        return f"{self.account_id} ({self.age_band.value.replace('_', '-')})"


@dataclass(frozen=True, kw_only=True)
class Message:
    """One chat message. ``seq`` is the arrival (file) order, used to break ``sent_at`` ties."""

    conversation_id: str
    message_id: str
    sender_id: str
    recipient_ids: tuple[str, ...]
    sent_at: dt.datetime
    text: str
    platform: str | None = None
    lang: str | None = None
    seq: int = 0
    extra: Mapping[str, Any] = field(default_factory=dict)

    @property
    def sort_key(self) -> tuple[dt.datetime, int]:
        return (self.sent_at, self.seq)

    def same_content(self, other: Message) -> bool:
        """True when ``other`` is a replay of this message (``seq`` and unknown fields aside)."""
        return (
            self.conversation_id == other.conversation_id
            and self.sender_id == other.sender_id
            and self.recipient_ids == other.recipient_ids
            and self.sent_at == other.sent_at
            and self.text == other.text
        )


Event = Account | Message


@dataclass(frozen=True)
class Conversation:
    """A conversation's messages in order (``sent_at``, then arrival) and the accounts involved."""

    conversation_id: str
    messages: tuple[Message, ...]
    accounts: Mapping[str, Account]

    @classmethod
    def build(
        cls,
        conversation_id: str,
        messages: Iterable[Message],
        accounts: Mapping[str, Account],
    ) -> Conversation:
        ordered = tuple(sorted(messages, key=lambda m: m.sort_key))
        return cls(conversation_id, ordered, dict(accounts))

    def account(self, account_id: str) -> Account:
        return self.accounts.get(account_id) or Account.unknown(account_id)

    @property
    def participant_ids(self) -> tuple[str, ...]:
        seen: dict[str, None] = {}
        for m in self.messages:
            seen.setdefault(m.sender_id, None)
            for r in m.recipient_ids:
                seen.setdefault(r, None)
        return tuple(seen)

    @property
    def participants(self) -> tuple[Account, ...]:
        return tuple(self.account(a) for a in self.participant_ids)

    def index_of(self, message_id: str) -> int:
        for i, m in enumerate(self.messages):
            if m.message_id == message_id:
                return i
        raise KeyError(message_id)
