"""The SQL schema as typed ORM mappings. ``migrations/versions`` must build exactly this.

Rows are converted to domain values at the repository boundary and never leave the
``sql`` package. Columns hold what is queried or constrained; nested values
(signals, verdicts, decisions) are kept as their ``codec`` JSON form.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import JSON, Boolean, Double, Index, Integer, MetaData, String, Text
from sqlalchemy import text as sql_text
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from childguard.storage.sql.types import BigIntKey, UtcDateTime

#: Constraint names are spelled out so that migrations can refer to them on every backend.
NAMING_CONVENTION = {
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


class AccountRow(Base):
    __tablename__ = "accounts"

    account_id: Mapped[str] = mapped_column(String, primary_key=True)
    age: Mapped[int | None] = mapped_column(Integer)
    age_band: Mapped[str] = mapped_column(String(16))
    country: Mapped[str | None] = mapped_column(String)
    language: Mapped[str | None] = mapped_column(String)
    extra: Mapped[dict[str, Any]] = mapped_column(JSON)


class MessageRow(Base):
    __tablename__ = "messages"
    __table_args__ = (
        Index("ix_messages_conversation_order", "conversation_id", "sent_at", "seq"),
        # Only messages still waiting for a decision: small, and what recovery scans.
        Index(
            "ix_messages_unprocessed",
            "seq",
            sqlite_where=sql_text("decision_id IS NULL"),
            postgresql_where=sql_text("decision_id IS NULL"),
        ),
        {"sqlite_autoincrement": True},  # never reuse a seq: it is the arrival order
    )

    seq: Mapped[int] = mapped_column(BigIntKey, primary_key=True, autoincrement=True)
    message_id: Mapped[str] = mapped_column(String, unique=True)
    conversation_id: Mapped[str] = mapped_column(String)
    sender_id: Mapped[str] = mapped_column(String)
    recipient_ids: Mapped[list[str]] = mapped_column(JSON)
    sent_at: Mapped[dt.datetime] = mapped_column(UtcDateTime)
    text: Mapped[str] = mapped_column(Text)
    platform: Mapped[str | None] = mapped_column(String)
    lang: Mapped[str | None] = mapped_column(String)
    extra: Mapped[dict[str, Any]] = mapped_column(JSON)
    # Set by add_decision: NULL means stored but not yet decided (see ix_messages_unprocessed).
    decision_id: Mapped[str | None] = mapped_column(String)


class ConversationParticipantRow(Base):
    """An account that sent or received a message in a conversation (filled by add_message)."""

    __tablename__ = "conversation_participants"
    __table_args__ = (Index("ix_conversation_participants_account", "account_id", "conversation_id"),)

    conversation_id: Mapped[str] = mapped_column(String, primary_key=True)
    account_id: Mapped[str] = mapped_column(String, primary_key=True)


class MessageSignalsRow(Base):
    __tablename__ = "message_signals"
    __table_args__ = (Index("ix_message_signals_conversation_signature", "conversation_id", "signature"),)

    message_id: Mapped[str] = mapped_column(String, primary_key=True)
    conversation_id: Mapped[str] = mapped_column(String)
    signature: Mapped[str] = mapped_column(String)
    signals: Mapped[list[dict[str, Any]]] = mapped_column(JSON)


class VerdictRow(Base):
    __tablename__ = "verdicts"

    conversation_id: Mapped[str] = mapped_column(String, primary_key=True)
    updated_at: Mapped[dt.datetime] = mapped_column(UtcDateTime)
    verdict: Mapped[dict[str, Any]] = mapped_column(JSON)


class DecisionRow(Base):
    __tablename__ = "decisions"
    __table_args__ = (
        Index("ix_decisions_conversation_id", "conversation_id"),
        {"sqlite_autoincrement": True},
    )

    seq: Mapped[int] = mapped_column(BigIntKey, primary_key=True, autoincrement=True)
    decision_id: Mapped[str] = mapped_column(String, unique=True)
    conversation_id: Mapped[str] = mapped_column(String)
    # Unique: a message has at most one decision (NULLs, conversation-level decisions, repeat).
    message_id: Mapped[str | None] = mapped_column(String, unique=True)
    policy_name: Mapped[str] = mapped_column(String)
    policy_version: Mapped[str] = mapped_column(String)
    decided_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime)
    decision: Mapped[dict[str, Any]] = mapped_column(JSON)


class CaseRow(Base):
    __tablename__ = "cases"
    __table_args__ = (
        Index("ix_cases_conversation_id", "conversation_id"),
        Index("ix_cases_queue_order", "status", "priority", "opened_at"),
    )

    case_id: Mapped[str] = mapped_column(String, primary_key=True)
    conversation_id: Mapped[str] = mapped_column(String)
    # Equal to conversation_id while the case is active, NULL once resolved: the unique
    # constraint makes "one active case per conversation" hold even between processes.
    active_conversation_id: Mapped[str | None] = mapped_column(String, unique=True)
    category: Mapped[str] = mapped_column(String)
    # "p0" < "p1" < ...: ordering by the text is ordering by urgency.
    priority: Mapped[str] = mapped_column(String(8))
    queue: Mapped[str] = mapped_column(String)
    status: Mapped[str] = mapped_column(String(16))
    risk_score: Mapped[float] = mapped_column(Double)
    rules: Mapped[list[str]] = mapped_column(JSON)
    opened_at: Mapped[dt.datetime] = mapped_column(UtcDateTime)
    updated_at: Mapped[dt.datetime] = mapped_column(UtcDateTime)
    assignee: Mapped[str | None] = mapped_column(String)
    escalated: Mapped[bool] = mapped_column(Boolean)


class ActionRow(Base):
    __tablename__ = "actions"
    __table_args__ = (
        Index("ix_actions_conversation_id", "conversation_id"),
        {"sqlite_autoincrement": True},
    )

    seq: Mapped[int] = mapped_column(BigIntKey, primary_key=True, autoincrement=True)
    action_id: Mapped[str] = mapped_column(String, unique=True)
    idempotency_key: Mapped[str] = mapped_column(String, unique=True)
    kind: Mapped[str] = mapped_column(String)
    conversation_id: Mapped[str] = mapped_column(String)
    message_id: Mapped[str | None] = mapped_column(String)
    actor_id: Mapped[str | None] = mapped_column(String)
    target_ids: Mapped[list[str]] = mapped_column(JSON)
    params: Mapped[dict[str, Any]] = mapped_column(JSON)
    rules: Mapped[list[str]] = mapped_column(JSON)
    decision_id: Mapped[str | None] = mapped_column(String)
    case_id: Mapped[str | None] = mapped_column(String)
    at: Mapped[dt.datetime] = mapped_column(UtcDateTime)


class AuditEventRow(Base):
    __tablename__ = "audit_events"

    # Assigned from audit_head, not by the database: the chain needs it before the insert.
    seq: Mapped[int] = mapped_column(BigIntKey, primary_key=True, autoincrement=False)
    at: Mapped[dt.datetime] = mapped_column(UtcDateTime)
    actor: Mapped[str] = mapped_column(String)
    action: Mapped[str] = mapped_column(String)
    subject_type: Mapped[str] = mapped_column(String)
    subject_id: Mapped[str] = mapped_column(String)
    details: Mapped[dict[str, Any]] = mapped_column(JSON)
    prev_hash: Mapped[str] = mapped_column(String(64))
    hash: Mapped[str] = mapped_column(String(64))


class AuditHeadRow(Base):
    """The single row (id 1) naming the last audit entry. Locking it serialises appends."""

    __tablename__ = "audit_head"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    last_seq: Mapped[int] = mapped_column(BigIntKey)
    last_hash: Mapped[str] = mapped_column(String(64))


class ConversationLockRow(Base):
    """One row per conversation ever locked; ``SELECT ... FOR UPDATE`` on it is the lock."""

    __tablename__ = "conversation_locks"

    conversation_id: Mapped[str] = mapped_column(String, primary_key=True)


class ApiKeyRow(Base):
    __tablename__ = "api_keys"

    key_id: Mapped[str] = mapped_column(String, primary_key=True)
    name: Mapped[str] = mapped_column(String)
    scopes: Mapped[list[str]] = mapped_column(JSON)
    secret_hash: Mapped[str] = mapped_column(String)
    created_at: Mapped[dt.datetime] = mapped_column(UtcDateTime)
    revoked_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime)


class ConsoleSessionRow(Base):
    __tablename__ = "console_sessions"
    __table_args__ = (Index("ix_console_sessions_expires_at", "expires_at"),)

    session_id: Mapped[str] = mapped_column(String, primary_key=True)
    token_hash: Mapped[str] = mapped_column(String)
    principal: Mapped[str] = mapped_column(String)
    scopes: Mapped[list[str]] = mapped_column(JSON)
    csrf_token: Mapped[str] = mapped_column(String)
    created_at: Mapped[dt.datetime] = mapped_column(UtcDateTime)
    expires_at: Mapped[dt.datetime] = mapped_column(UtcDateTime)


class ExemplarRow(Base):
    __tablename__ = "exemplars"
    __table_args__ = ({"sqlite_autoincrement": True},)  # a seq is an index version: never reused

    seq: Mapped[int] = mapped_column(BigIntKey, primary_key=True, autoincrement=True)
    exemplar_id: Mapped[str] = mapped_column(String, unique=True)
    text: Mapped[str] = mapped_column(Text)
    category: Mapped[str] = mapped_column(String(32))
    label: Mapped[str] = mapped_column(String(16))
    language: Mapped[str] = mapped_column(String(16))
    source: Mapped[str] = mapped_column(String)
    note: Mapped[str] = mapped_column(Text)
    case_id: Mapped[str | None] = mapped_column(String)
    message_id: Mapped[str | None] = mapped_column(String)
    added_by: Mapped[str] = mapped_column(String)
    added_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime)


#: The audit head as a fresh store has it.
AUDIT_HEAD_ID = 1
