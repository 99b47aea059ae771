"""An in-memory ``Store`` for tests and offline scans.

Values are passed through their JSON form (``codec``) on the way in, so the memory
store accepts and returns exactly what the SQL store does (aware UTC datetimes, JSON
values in free-form mappings) and callers cannot change stored values by mutating
what they passed in. Values handed out are the stored ones: treat them as read-only,
as their frozen dataclasses ask.

Rollback replays an undo journal, so a unit of work costs what it changes, not what
the store holds.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import threading
import uuid
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from typing import Any, NamedTuple, TypeVar

from childguard.domain import Account, AuditEvent, Case, CaseStatus, Decision, Message, Signal, Verdict
from childguard.domain.access import ApiKey, ConsoleSession
from childguard.domain.actions import ActionRecord
from childguard.domain.audit import GENESIS_HASH
from childguard.domain.exemplars import Exemplar
from childguard.storage import codec
from childguard.storage._audit import next_audit_event
from childguard.storage.errors import AlreadyExists, NotFound
from childguard.storage.interfaces import Store, StoredDecision, UnitOfWork

K = TypeVar("K")
V = TypeVar("V")
T = TypeVar("T")


def _copy(value: T) -> T:
    """An equal, unshared copy of ``value`` made through its JSON text, as a database would."""
    return codec.from_json(type(value), json.loads(json.dumps(codec.to_json(value))))


class _CachedSignals(NamedTuple):
    signature: str
    signals: tuple[Signal, ...]


class _Tables:
    """All the state. Only a unit of work holding the store's lock touches it."""

    def __init__(self) -> None:
        self.counters: dict[str, int] = {"message_seq": 0, "exemplar_seq": 0}
        self.accounts: dict[str, Account] = {}
        self.messages: dict[str, Message] = {}
        self.conversation_message_ids: dict[str, list[str]] = {}
        self.account_conversations: dict[str, dict[str, None]] = {}  # sent or received in; a set
        self.unprocessed: dict[str, int] = {}  # message id -> seq, for messages without a decision
        # By conversation, so that reading one conversation's cache does not scan them all.
        self.conversation_signals: dict[str, dict[str, _CachedSignals]] = {}
        self.signal_conversation: dict[str, str] = {}  # message id -> conversation id
        self.verdicts: dict[str, Verdict] = {}
        self.decisions: dict[str, StoredDecision] = {}
        self.decision_by_message: dict[str, str] = {}
        self.conversation_decision_ids: dict[str, list[str]] = {}
        self.cases: dict[str, Case] = {}
        self.active_case_by_conversation: dict[str, str] = {}
        self.action_ids: dict[str, str] = {}  # action id -> idempotency key
        self.actions_by_key: dict[str, ActionRecord] = {}
        self.conversation_actions: dict[str, list[ActionRecord]] = {}
        self.audit: list[AuditEvent] = []
        self.api_keys: dict[str, ApiKey] = {}
        self.sessions: dict[str, ConsoleSession] = {}
        self.exemplars: dict[str, Exemplar] = {}  # insertion (seq) order


class _Journal:
    """Undo steps for every change made by one unit of work, replayed backwards on rollback.

    Undoing costs as much as the changes did, where copying the state per unit of
    work would cost as much as the whole state (quadratic over an offline scan).
    """

    def __init__(self) -> None:
        self._undo: list[Callable[[], object]] = []

    def put(self, table: dict[K, V], key: K, value: V) -> None:
        if key in table:
            old = table[key]
            self._undo.append(lambda: table.__setitem__(key, old))
        else:
            self._undo.append(lambda: table.pop(key))
        table[key] = value

    def remove(self, table: dict[K, V], key: K) -> None:
        if key in table:
            old = table.pop(key)
            self._undo.append(lambda: table.__setitem__(key, old))

    def append(self, items: list[T], item: T) -> None:
        items.append(item)
        self._undo.append(items.pop)

    def rollback(self) -> None:
        while self._undo:
            self._undo.pop()()


class MemoryUnitOfWork(UnitOfWork):
    """Every repository over the shared tables; valid only inside its ``with`` block."""

    def __init__(self, tables: _Tables) -> None:
        self._t = tables
        self._journal = _Journal()
        self._open = True

    def _tables(self) -> _Tables:
        if not self._open:
            raise RuntimeError("this unit of work has ended; open a new one")
        return self._t

    # --- accounts ---------------------------------------------------------------------

    def upsert_account(self, account: Account) -> None:
        self._journal.put(self._tables().accounts, account.account_id, _copy(account))

    def get_account(self, account_id: str) -> Account | None:
        return self._tables().accounts.get(account_id)

    def get_accounts(self, account_ids: Sequence[str]) -> dict[str, Account]:
        accounts = self._tables().accounts
        return {a: accounts[a] for a in account_ids if a in accounts}

    # --- messages ---------------------------------------------------------------------

    def add_message(self, message: Message) -> Message:
        t = self._tables()
        if message.message_id in t.messages:
            raise AlreadyExists(f"message {message.message_id!r} is already stored")
        seq = t.counters["message_seq"] + 1
        stored = _copy(dataclasses.replace(message, seq=seq))
        self._journal.put(t.counters, "message_seq", seq)
        self._journal.put(t.messages, stored.message_id, stored)
        if stored.conversation_id not in t.conversation_message_ids:
            self._journal.put(t.conversation_message_ids, stored.conversation_id, [])
        self._journal.append(t.conversation_message_ids[stored.conversation_id], stored.message_id)
        for account_id in (stored.sender_id, *stored.recipient_ids):
            if account_id not in t.account_conversations:
                self._journal.put(t.account_conversations, account_id, {})
            self._journal.put(t.account_conversations[account_id], stored.conversation_id, None)
        if stored.message_id not in t.decision_by_message:
            self._journal.put(t.unprocessed, stored.message_id, seq)
        return stored

    def get_message(self, message_id: str) -> Message | None:
        return self._tables().messages.get(message_id)

    def conversation_messages(self, conversation_id: str) -> list[Message]:
        t = self._tables()
        found = [t.messages[m] for m in t.conversation_message_ids.get(conversation_id, ())]
        return sorted(found, key=lambda m: m.sort_key)

    def conversation_ids(self) -> list[str]:
        return list(self._tables().conversation_message_ids)

    def conversation_ids_for_account(self, account_id: str) -> list[str]:
        return sorted(self._tables().account_conversations.get(account_id, ()))

    def unprocessed_message_ids(self, limit: int = 1000) -> list[str]:
        waiting = sorted(self._tables().unprocessed.items(), key=lambda item: item[1])
        return [message_id for message_id, _ in waiting[:limit]]

    # --- signals and verdicts ---------------------------------------------------------

    def put_message_signals(
        self, message_id: str, conversation_id: str, signature: str, signals: Sequence[Signal]
    ) -> None:
        t = self._tables()
        cached = _CachedSignals(signature, tuple(_copy(s) for s in signals))
        previous = t.signal_conversation.get(message_id)
        if previous is not None and previous != conversation_id:
            self._journal.remove(t.conversation_signals[previous], message_id)
        self._journal.put(t.signal_conversation, message_id, conversation_id)
        if conversation_id not in t.conversation_signals:
            self._journal.put(t.conversation_signals, conversation_id, {})
        self._journal.put(t.conversation_signals[conversation_id], message_id, cached)

    def conversation_message_signals(self, conversation_id: str, signature: str) -> dict[str, list[Signal]]:
        cache = self._tables().conversation_signals.get(conversation_id, {})
        return {message_id: list(c.signals) for message_id, c in cache.items() if c.signature == signature}

    def put_verdict(self, verdict: Verdict, at: dt.datetime) -> None:
        codec.require_aware(at, "verdict time")
        self._journal.put(self._tables().verdicts, verdict.conversation_id, _copy(verdict))

    def get_verdict(self, conversation_id: str) -> Verdict | None:
        return self._tables().verdicts.get(conversation_id)

    # --- decisions --------------------------------------------------------------------

    def add_decision(self, decision: Decision) -> str:
        t = self._tables()
        if decision.message_id is not None and decision.message_id in t.decision_by_message:
            raise AlreadyExists(f"message {decision.message_id!r} already has a decision")
        stored = StoredDecision(decision_id=uuid.uuid4().hex, decision=_copy(decision))
        self._journal.put(t.decisions, stored.decision_id, stored)
        if decision.conversation_id not in t.conversation_decision_ids:
            self._journal.put(t.conversation_decision_ids, decision.conversation_id, [])
        self._journal.append(t.conversation_decision_ids[decision.conversation_id], stored.decision_id)
        if decision.message_id is not None:
            self._journal.put(t.decision_by_message, decision.message_id, stored.decision_id)
            self._journal.remove(t.unprocessed, decision.message_id)
        return stored.decision_id

    def decision_for_message(self, message_id: str) -> StoredDecision | None:
        t = self._tables()
        decision_id = t.decision_by_message.get(message_id)
        return None if decision_id is None else t.decisions[decision_id]

    def decisions_for_conversation(self, conversation_id: str) -> list[StoredDecision]:
        t = self._tables()
        return [t.decisions[d] for d in t.conversation_decision_ids.get(conversation_id, ())]

    # --- cases ------------------------------------------------------------------------

    def add_case(self, case: Case) -> None:
        t = self._tables()
        if case.case_id in t.cases:
            raise AlreadyExists(f"case {case.case_id!r} already exists")
        stored = _copy(case)
        self._check_may_be_active(stored)
        if stored.is_active:
            self._journal.put(t.active_case_by_conversation, stored.conversation_id, stored.case_id)
        self._journal.put(t.cases, stored.case_id, stored)

    def update_case(self, case: Case) -> None:
        t = self._tables()
        old = t.cases.get(case.case_id)
        if old is None:
            raise NotFound(f"no case {case.case_id!r}")
        stored = _copy(case)
        self._check_may_be_active(stored)
        if t.active_case_by_conversation.get(old.conversation_id) == old.case_id:
            self._journal.remove(t.active_case_by_conversation, old.conversation_id)
        if stored.is_active:
            self._journal.put(t.active_case_by_conversation, stored.conversation_id, stored.case_id)
        self._journal.put(t.cases, stored.case_id, stored)

    def _check_may_be_active(self, case: Case) -> None:
        holder = self._t.active_case_by_conversation.get(case.conversation_id)
        if case.is_active and holder is not None and holder != case.case_id:
            raise AlreadyExists(f"conversation {case.conversation_id!r} already has active case {holder!r}")

    def get_case(self, case_id: str) -> Case | None:
        return self._tables().cases.get(case_id)

    def active_case_for_conversation(self, conversation_id: str) -> Case | None:
        t = self._tables()
        case_id = t.active_case_by_conversation.get(conversation_id)
        return None if case_id is None else t.cases[case_id]

    def list_cases(
        self, *, statuses: Sequence[CaseStatus] | None = None, limit: int = 50, offset: int = 0
    ) -> list[Case]:
        cases = sorted(self._matching_cases(statuses), key=lambda c: (c.priority.rank, c.opened_at, c.case_id))
        return cases[offset : offset + limit]

    def count_cases(self, *, statuses: Sequence[CaseStatus] | None = None) -> int:
        return len(self._matching_cases(statuses))

    def _matching_cases(self, statuses: Sequence[CaseStatus] | None) -> list[Case]:
        cases = self._tables().cases.values()
        if statuses is None:
            return list(cases)
        wanted = set(statuses)
        return [c for c in cases if c.status in wanted]

    # --- actions ----------------------------------------------------------------------

    def record_action(self, record: ActionRecord) -> bool:
        t = self._tables()
        if record.idempotency_key in t.actions_by_key:
            return False
        if record.action_id in t.action_ids:
            raise AlreadyExists(f"action {record.action_id!r} is already recorded under another key")
        stored = _copy(record)
        self._journal.put(t.action_ids, stored.action_id, stored.idempotency_key)
        self._journal.put(t.actions_by_key, stored.idempotency_key, stored)
        if stored.conversation_id not in t.conversation_actions:
            self._journal.put(t.conversation_actions, stored.conversation_id, [])
        self._journal.append(t.conversation_actions[stored.conversation_id], stored)
        return True

    def actions_for_conversation(self, conversation_id: str) -> list[ActionRecord]:
        return list(self._tables().conversation_actions.get(conversation_id, ()))

    # --- audit ------------------------------------------------------------------------

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
        audit = self._tables().audit
        last = audit[-1] if audit else None
        event = next_audit_event(
            last_seq=last.seq if last else 0,
            last_hash=last.hash if last else GENESIS_HASH,
            at=at,
            actor=actor,
            action=action,
            subject_type=subject_type,
            subject_id=subject_id,
            details=details,
        )
        self._journal.append(audit, event)
        return event

    def audit_events(self, *, after_seq: int = 0) -> Iterator[AuditEvent]:
        # Sequence numbers start at 1 and have no gaps, so the position is seq - 1.
        return iter(self._tables().audit[max(after_seq, 0) :])

    # --- access -----------------------------------------------------------------------

    def add_api_key(self, key: ApiKey) -> None:
        t = self._tables()
        if key.key_id in t.api_keys:
            raise AlreadyExists(f"API key {key.key_id!r} already exists")
        self._journal.put(t.api_keys, key.key_id, _copy(key))

    def get_api_key(self, key_id: str) -> ApiKey | None:
        return self._tables().api_keys.get(key_id)

    def list_api_keys(self) -> list[ApiKey]:
        return sorted(self._tables().api_keys.values(), key=lambda k: (k.created_at, k.key_id))

    def revoke_api_key(self, key_id: str, at: dt.datetime) -> None:
        t = self._tables()
        key = t.api_keys.get(key_id)
        if key is None:
            raise NotFound(f"no API key {key_id!r}")
        at = codec.require_aware(at, "revocation time")
        if key.revoked_at is None:  # the first revocation is the one that counts
            self._journal.put(t.api_keys, key_id, dataclasses.replace(key, revoked_at=at))

    def add_session(self, session: ConsoleSession) -> None:
        t = self._tables()
        if session.session_id in t.sessions:
            raise AlreadyExists(f"session {session.session_id!r} already exists")
        self._journal.put(t.sessions, session.session_id, _copy(session))

    def get_session(self, session_id: str) -> ConsoleSession | None:
        return self._tables().sessions.get(session_id)

    def delete_session(self, session_id: str) -> None:
        self._journal.remove(self._tables().sessions, session_id)

    # --- exemplars --------------------------------------------------------------------

    def add_exemplar(self, exemplar: Exemplar) -> Exemplar:
        t = self._tables()
        if exemplar.exemplar_id in t.exemplars:
            raise AlreadyExists(f"exemplar {exemplar.exemplar_id!r} already exists")
        seq = t.counters["exemplar_seq"] + 1
        stored = _copy(dataclasses.replace(exemplar, seq=seq))
        self._journal.put(t.counters, "exemplar_seq", seq)
        self._journal.put(t.exemplars, stored.exemplar_id, stored)
        return stored

    def list_exemplars(self, *, after_seq: int = 0, limit: int = 1000) -> list[Exemplar]:
        found = [e for e in self._tables().exemplars.values() if e.seq > after_seq]
        return found[:limit]

    # --- transaction ------------------------------------------------------------------

    def _end(self, *, commit: bool) -> None:
        if not commit:
            self._journal.rollback()
        self._open = False


class MemoryStore(Store):
    """A ``Store`` in process memory. One unit of work runs at a time (a single lock).

    Units of work do not nest: opening one inside another on the same thread raises
    ``RuntimeError`` (on SQLite it would wait for itself).
    """

    def __init__(self) -> None:
        self._tables = _Tables()
        self._lock = threading.Lock()
        self._local = threading.local()
        self._closed = False

    @contextmanager
    def unit_of_work(self, *, lock: str | None = None) -> Iterator[MemoryUnitOfWork]:
        # ``lock`` needs nothing more: the store lock already serialises every unit of work.
        if self._closed:
            raise RuntimeError("the store is closed")
        if getattr(self._local, "active", False):
            raise RuntimeError("units of work do not nest; finish the open one first")
        self._local.active = True
        try:
            with self._lock:
                uow = MemoryUnitOfWork(self._tables)
                try:
                    yield uow
                except BaseException:
                    uow._end(commit=False)
                    raise
                uow._end(commit=True)
        finally:
            self._local.active = False

    def close(self) -> None:
        self._closed = True
