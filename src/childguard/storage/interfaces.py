"""The narrow storage interfaces the service depends on.

A store hands out units of work; everything read and written through one unit of
work commits together or not at all. ``Store.unit_of_work(lock=conversation_id)``
also serialises work on one conversation across threads and processes (a row lock
on PostgreSQL, a write transaction on SQLite, a mutex in memory), so two messages of
the same conversation never race to open two cases.

Implementations: ``memory.MemoryStore`` (tests, offline scans) and
``sql.SqlStore`` (SQLite by default, PostgreSQL in production). The contract tests
in ``tests/storage/test_contract.py`` run against all of them.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Mapping, Sequence
from contextlib import AbstractContextManager
from dataclasses import dataclass
from typing import Any, Protocol

from childguard.domain import Account, AuditEvent, Case, CaseStatus, Decision, Message, Signal, Verdict
from childguard.domain.access import ApiKey, ConsoleSession
from childguard.domain.actions import ActionRecord
from childguard.domain.exemplars import Exemplar


@dataclass(frozen=True, kw_only=True)
class StoredDecision:
    decision_id: str
    decision: Decision


class AccountRepository(Protocol):
    def upsert_account(self, account: Account) -> None:
        """Insert or replace the account (the newest declaration wins)."""

    def get_account(self, account_id: str) -> Account | None: ...

    def get_accounts(self, account_ids: Sequence[str]) -> dict[str, Account]:
        """The known accounts among ``account_ids``; unknown ids are simply absent."""


class MessageRepository(Protocol):
    def add_message(self, message: Message) -> Message:
        """Store a new message and return it with its arrival ``seq`` assigned.

        Raises ``AlreadyExists`` when a message with the same ``message_id`` is stored.
        """

    def get_message(self, message_id: str) -> Message | None: ...

    def conversation_messages(self, conversation_id: str) -> list[Message]:
        """All messages of the conversation ordered by ``sent_at``, then ``seq``."""

    def conversation_ids(self) -> list[str]: ...

    def conversation_ids_for_account(self, account_id: str) -> list[str]:
        """Conversations in which the account sent or received a message, sorted."""

    def unprocessed_message_ids(self, limit: int = 1000) -> list[str]:
        """Messages stored but without a decision yet (a crash between the two steps)."""


class SignalRepository(Protocol):
    def put_message_signals(
        self, message_id: str, conversation_id: str, signature: str, signals: Sequence[Signal]
    ) -> None:
        """Replace the cached message-level signals of a message. ``signature`` names the detector versions."""

    def conversation_message_signals(self, conversation_id: str, signature: str) -> dict[str, list[Signal]]:
        """Cached signals by message id, only for messages cached under ``signature``."""


class VerdictRepository(Protocol):
    def put_verdict(self, verdict: Verdict, at: dt.datetime) -> None: ...

    def get_verdict(self, conversation_id: str) -> Verdict | None: ...


class DecisionRepository(Protocol):
    def add_decision(self, decision: Decision) -> str:
        """Store a decision and return its id. A message has at most one decision (``AlreadyExists``)."""

    def decision_for_message(self, message_id: str) -> StoredDecision | None: ...

    def decisions_for_conversation(self, conversation_id: str) -> list[StoredDecision]: ...


class CaseRepository(Protocol):
    def add_case(self, case: Case) -> None:
        """Raises ``AlreadyExists`` if the conversation already has an active case or the id is taken."""

    def update_case(self, case: Case) -> None:
        """Raises ``NotFound`` for an unknown case id."""

    def get_case(self, case_id: str) -> Case | None: ...

    def active_case_for_conversation(self, conversation_id: str) -> Case | None: ...

    def list_cases(
        self, *, statuses: Sequence[CaseStatus] | None = None, limit: int = 50, offset: int = 0
    ) -> list[Case]:
        """Cases ordered by priority (p0 first), then by how long they have waited (oldest first)."""

    def count_cases(self, *, statuses: Sequence[CaseStatus] | None = None) -> int: ...


class ActionRepository(Protocol):
    def record_action(self, record: ActionRecord) -> bool:
        """Store a carried-out effect. Returns False (and stores nothing) if its idempotency key exists."""

    def actions_for_conversation(self, conversation_id: str) -> list[ActionRecord]: ...


class AuditRepository(Protocol):
    def append_audit(
        self,
        *,
        at: dt.datetime,
        actor: str,
        action: str,
        subject_type: str,
        subject_id: str,
        details: Mapping[str, Any] | None = None,
    ) -> AuditEvent:
        """Append an entry chained to the last one. Appends are serialised across writers."""

    def audit_events(self, *, after_seq: int = 0) -> Iterator[AuditEvent]:
        """Entries in chain order."""


class AccessRepository(Protocol):
    def add_api_key(self, key: ApiKey) -> None: ...

    def get_api_key(self, key_id: str) -> ApiKey | None: ...

    def list_api_keys(self) -> list[ApiKey]: ...

    def revoke_api_key(self, key_id: str, at: dt.datetime) -> None:
        """Raises ``NotFound`` for an unknown key."""

    def add_session(self, session: ConsoleSession) -> None: ...

    def get_session(self, session_id: str) -> ConsoleSession | None: ...

    def delete_session(self, session_id: str) -> None: ...


class ExemplarRepository(Protocol):
    def add_exemplar(self, exemplar: Exemplar) -> Exemplar:
        """Store a new exemplar and return it with its ``seq`` assigned (``AlreadyExists`` for a taken id)."""

    def list_exemplars(self, *, after_seq: int = 0, limit: int = 1000) -> list[Exemplar]:
        """Exemplars with ``seq`` greater than ``after_seq``, in ``seq`` order."""


class UnitOfWork(
    AccountRepository,
    MessageRepository,
    SignalRepository,
    VerdictRepository,
    DecisionRepository,
    CaseRepository,
    ActionRepository,
    AuditRepository,
    AccessRepository,
    ExemplarRepository,
    Protocol,
):
    """Every repository, bound to one transaction."""


class Store(Protocol):
    def unit_of_work(self, *, lock: str | None = None) -> AbstractContextManager[UnitOfWork]:
        """A transaction: commits when the block ends normally, rolls back on an exception.

        With ``lock`` set to a conversation id, holds that conversation's lock until the end.
        """

    def close(self) -> None: ...
