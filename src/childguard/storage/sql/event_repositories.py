"""Accounts, messages, cached signals, verdicts and decisions in SQL."""

from __future__ import annotations

import dataclasses
import datetime as dt
import uuid
from collections.abc import Sequence

from sqlalchemy import func, select

from childguard.domain import Account, AgeBand, Decision, Message, Signal, Verdict
from childguard.storage import codec
from childguard.storage.errors import AlreadyExists
from childguard.storage.interfaces import StoredDecision
from childguard.storage.sql._base import SqlRepositoryBase
from childguard.storage.sql.models import (
    AccountRow,
    ConversationParticipantRow,
    DecisionRow,
    MessageRow,
    MessageSignalsRow,
    VerdictRow,
)

# Stays well under SQLite's and PostgreSQL's limits on bound parameters per statement.
_IN_CHUNK = 500


class SqlEventRepositories(SqlRepositoryBase):
    # --- accounts ---------------------------------------------------------------------

    def upsert_account(self, account: Account) -> None:
        values = {
            "age": account.age,
            "age_band": account.age_band.value,
            "country": account.country,
            "language": account.language,
            "extra": dict(account.extra),
        }
        statement = self._insert(AccountRow).values(account_id=account.account_id, **values)
        self._run(statement.on_conflict_do_update(index_elements=[AccountRow.account_id], set_=values))

    def get_account(self, account_id: str) -> Account | None:
        row = self._one_or_none(select(AccountRow).where(AccountRow.account_id == account_id))
        return None if row is None else _account(row)

    def get_accounts(self, account_ids: Sequence[str]) -> dict[str, Account]:
        wanted = list(dict.fromkeys(account_ids))
        found: dict[str, Account] = {}
        for start in range(0, len(wanted), _IN_CHUNK):
            chunk = wanted[start : start + _IN_CHUNK]
            for row in self._all(select(AccountRow).where(AccountRow.account_id.in_(chunk))):
                found[row.account_id] = _account(row)
        return found

    # --- messages ---------------------------------------------------------------------

    def add_message(self, message: Message) -> Message:
        # A decision stored before its message (replays after a crash) still marks it processed.
        existing_decision = (
            select(DecisionRow.decision_id).where(DecisionRow.message_id == message.message_id).scalar_subquery()
        )
        statement = (
            self._insert(MessageRow)
            .values(
                message_id=message.message_id,
                conversation_id=message.conversation_id,
                sender_id=message.sender_id,
                recipient_ids=list(message.recipient_ids),
                sent_at=message.sent_at,
                text=message.text,
                platform=message.platform,
                lang=message.lang,
                extra=dict(message.extra),
                decision_id=existing_decision,
            )
            .on_conflict_do_nothing()
            .returning(MessageRow.seq)
        )
        seq = self._one_or_none(statement)
        if seq is None:
            raise AlreadyExists(f"message {message.message_id!r} is already stored")
        participants = [
            {"conversation_id": message.conversation_id, "account_id": account_id}
            for account_id in dict.fromkeys((message.sender_id, *message.recipient_ids))
        ]
        self._run(self._insert(ConversationParticipantRow).values(participants).on_conflict_do_nothing())
        return dataclasses.replace(message, seq=seq)

    def get_message(self, message_id: str) -> Message | None:
        row = self._one_or_none(select(MessageRow).where(MessageRow.message_id == message_id))
        return None if row is None else _message(row)

    def conversation_messages(self, conversation_id: str) -> list[Message]:
        statement = (
            select(MessageRow)
            .where(MessageRow.conversation_id == conversation_id)
            .order_by(MessageRow.sent_at, MessageRow.seq)
        )
        return [_message(row) for row in self._all(statement)]

    def conversation_ids(self) -> list[str]:
        # In order of each conversation's first message, like the input they came from.
        statement = (
            select(MessageRow.conversation_id).group_by(MessageRow.conversation_id).order_by(func.min(MessageRow.seq))
        )
        return self._all(statement)

    def conversation_ids_for_account(self, account_id: str) -> list[str]:
        statement = (
            select(ConversationParticipantRow.conversation_id)
            .where(ConversationParticipantRow.account_id == account_id)
            .order_by(self._by_code_point(ConversationParticipantRow.conversation_id))
        )
        return self._all(statement)

    def unprocessed_message_ids(self, limit: int = 1000) -> list[str]:
        statement = (
            select(MessageRow.message_id).where(MessageRow.decision_id.is_(None)).order_by(MessageRow.seq).limit(limit)
        )
        return self._all(statement)

    # --- signals and verdicts ---------------------------------------------------------

    def put_message_signals(
        self, message_id: str, conversation_id: str, signature: str, signals: Sequence[Signal]
    ) -> None:
        values = {
            "conversation_id": conversation_id,
            "signature": signature,
            "signals": [codec.signal_to_json(s) for s in signals],
        }
        statement = self._insert(MessageSignalsRow).values(message_id=message_id, **values)
        self._run(statement.on_conflict_do_update(index_elements=[MessageSignalsRow.message_id], set_=values))

    def conversation_message_signals(self, conversation_id: str, signature: str) -> dict[str, list[Signal]]:
        statement = select(MessageSignalsRow).where(
            MessageSignalsRow.conversation_id == conversation_id,
            MessageSignalsRow.signature == signature,
        )
        return {row.message_id: [codec.signal_from_json(s) for s in row.signals] for row in self._all(statement)}

    def put_verdict(self, verdict: Verdict, at: dt.datetime) -> None:
        values = {"updated_at": at, "verdict": codec.verdict_to_json(verdict)}
        statement = self._insert(VerdictRow).values(conversation_id=verdict.conversation_id, **values)
        self._run(statement.on_conflict_do_update(index_elements=[VerdictRow.conversation_id], set_=values))

    def get_verdict(self, conversation_id: str) -> Verdict | None:
        row = self._one_or_none(select(VerdictRow).where(VerdictRow.conversation_id == conversation_id))
        return None if row is None else codec.verdict_from_json(row.verdict)

    # --- decisions --------------------------------------------------------------------

    def add_decision(self, decision: Decision) -> str:
        decision_id = uuid.uuid4().hex
        statement = (
            self._insert(DecisionRow)
            .values(
                decision_id=decision_id,
                conversation_id=decision.conversation_id,
                message_id=decision.message_id,
                policy_name=decision.policy_name,
                policy_version=decision.policy_version,
                decided_at=decision.decided_at,
                decision=codec.decision_to_json(decision),
            )
            .on_conflict_do_nothing()
            .returning(DecisionRow.seq)
        )
        if self._one_or_none(statement) is None:
            raise AlreadyExists(f"message {decision.message_id!r} already has a decision")
        if decision.message_id is not None:
            self._run(
                self._update(MessageRow)
                .where(MessageRow.message_id == decision.message_id)
                .values(decision_id=decision_id)
            )
        return decision_id

    def decision_for_message(self, message_id: str) -> StoredDecision | None:
        row = self._one_or_none(select(DecisionRow).where(DecisionRow.message_id == message_id))
        return None if row is None else _stored_decision(row)

    def decisions_for_conversation(self, conversation_id: str) -> list[StoredDecision]:
        statement = select(DecisionRow).where(DecisionRow.conversation_id == conversation_id).order_by(DecisionRow.seq)
        return [_stored_decision(row) for row in self._all(statement)]


def _account(row: AccountRow) -> Account:
    return Account(
        account_id=row.account_id,
        age=row.age,
        age_band=AgeBand(row.age_band),
        country=row.country,
        language=row.language,
        extra=row.extra,
    )


def _message(row: MessageRow) -> Message:
    return Message(
        conversation_id=row.conversation_id,
        message_id=row.message_id,
        sender_id=row.sender_id,
        recipient_ids=tuple(row.recipient_ids),
        sent_at=row.sent_at,
        text=row.text,
        platform=row.platform,
        lang=row.lang,
        seq=row.seq,
        extra=row.extra,
    )


def _stored_decision(row: DecisionRow) -> StoredDecision:
    return StoredDecision(decision_id=row.decision_id, decision=codec.decision_from_json(row.decision))
