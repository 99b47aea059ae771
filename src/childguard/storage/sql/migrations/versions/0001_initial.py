"""The initial schema.

Revision ID: 0001
Revises:
Create Date: 2025-11-23

Written by hand to match childguard/storage/sql/models.py; tests/storage/test_migrations.py
fails while the two disagree. Types are spelled out here rather than imported from the
models, so this revision keeps meaning the same schema when the models move on.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0001"
down_revision: str | Sequence[str] | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

GENESIS_HASH = "0" * 64


def _key() -> sa.types.TypeEngine[int]:
    # 64-bit, except on SQLite where only INTEGER PRIMARY KEY is the rowid.
    return sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def _at() -> sa.DateTime:
    return sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "accounts",
        sa.Column("account_id", sa.String(), nullable=False),
        sa.Column("age", sa.Integer(), nullable=True),
        sa.Column("age_band", sa.String(length=16), nullable=False),
        sa.Column("country", sa.String(), nullable=True),
        sa.Column("language", sa.String(), nullable=True),
        sa.Column("extra", sa.JSON(), nullable=False),
        sa.PrimaryKeyConstraint("account_id", name="pk_accounts"),
    )

    op.create_table(
        "messages",
        sa.Column("seq", _key(), autoincrement=True, nullable=False),
        sa.Column("message_id", sa.String(), nullable=False),
        sa.Column("conversation_id", sa.String(), nullable=False),
        sa.Column("sender_id", sa.String(), nullable=False),
        sa.Column("recipient_ids", sa.JSON(), nullable=False),
        sa.Column("sent_at", _at(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("platform", sa.String(), nullable=True),
        sa.Column("lang", sa.String(), nullable=True),
        sa.Column("extra", sa.JSON(), nullable=False),
        sa.Column("decision_id", sa.String(), nullable=True),
        sa.PrimaryKeyConstraint("seq", name="pk_messages"),
        sa.UniqueConstraint("message_id", name="uq_messages_message_id"),
        sqlite_autoincrement=True,
    )
    op.create_index("ix_messages_conversation_order", "messages", ["conversation_id", "sent_at", "seq"])
    op.create_index(
        "ix_messages_unprocessed",
        "messages",
        ["seq"],
        sqlite_where=sa.text("decision_id IS NULL"),
        postgresql_where=sa.text("decision_id IS NULL"),
    )

    op.create_table(
        "conversation_participants",
        sa.Column("conversation_id", sa.String(), nullable=False),
        sa.Column("account_id", sa.String(), nullable=False),
        sa.PrimaryKeyConstraint("conversation_id", "account_id", name="pk_conversation_participants"),
    )
    op.create_index(
        "ix_conversation_participants_account", "conversation_participants", ["account_id", "conversation_id"]
    )

    op.create_table(
        "message_signals",
        sa.Column("message_id", sa.String(), nullable=False),
        sa.Column("conversation_id", sa.String(), nullable=False),
        sa.Column("signature", sa.String(), nullable=False),
        sa.Column("signals", sa.JSON(), nullable=False),
        sa.PrimaryKeyConstraint("message_id", name="pk_message_signals"),
    )
    op.create_index("ix_message_signals_conversation_signature", "message_signals", ["conversation_id", "signature"])

    op.create_table(
        "verdicts",
        sa.Column("conversation_id", sa.String(), nullable=False),
        sa.Column("updated_at", _at(), nullable=False),
        sa.Column("verdict", sa.JSON(), nullable=False),
        sa.PrimaryKeyConstraint("conversation_id", name="pk_verdicts"),
    )

    op.create_table(
        "decisions",
        sa.Column("seq", _key(), autoincrement=True, nullable=False),
        sa.Column("decision_id", sa.String(), nullable=False),
        sa.Column("conversation_id", sa.String(), nullable=False),
        sa.Column("message_id", sa.String(), nullable=True),
        sa.Column("policy_name", sa.String(), nullable=False),
        sa.Column("policy_version", sa.String(), nullable=False),
        sa.Column("decided_at", _at(), nullable=True),
        sa.Column("decision", sa.JSON(), nullable=False),
        sa.PrimaryKeyConstraint("seq", name="pk_decisions"),
        sa.UniqueConstraint("decision_id", name="uq_decisions_decision_id"),
        sa.UniqueConstraint("message_id", name="uq_decisions_message_id"),
        sqlite_autoincrement=True,
    )
    op.create_index("ix_decisions_conversation_id", "decisions", ["conversation_id"])

    op.create_table(
        "cases",
        sa.Column("case_id", sa.String(), nullable=False),
        sa.Column("conversation_id", sa.String(), nullable=False),
        sa.Column("active_conversation_id", sa.String(), nullable=True),
        sa.Column("category", sa.String(), nullable=False),
        sa.Column("priority", sa.String(length=8), nullable=False),
        sa.Column("queue", sa.String(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("risk_score", sa.Double(), nullable=False),
        sa.Column("rules", sa.JSON(), nullable=False),
        sa.Column("opened_at", _at(), nullable=False),
        sa.Column("updated_at", _at(), nullable=False),
        sa.Column("assignee", sa.String(), nullable=True),
        sa.Column("escalated", sa.Boolean(), nullable=False),
        sa.PrimaryKeyConstraint("case_id", name="pk_cases"),
        sa.UniqueConstraint("active_conversation_id", name="uq_cases_active_conversation_id"),
    )
    op.create_index("ix_cases_conversation_id", "cases", ["conversation_id"])
    op.create_index("ix_cases_queue_order", "cases", ["status", "priority", "opened_at"])

    op.create_table(
        "actions",
        sa.Column("seq", _key(), autoincrement=True, nullable=False),
        sa.Column("action_id", sa.String(), nullable=False),
        sa.Column("idempotency_key", sa.String(), nullable=False),
        sa.Column("kind", sa.String(), nullable=False),
        sa.Column("conversation_id", sa.String(), nullable=False),
        sa.Column("message_id", sa.String(), nullable=True),
        sa.Column("actor_id", sa.String(), nullable=True),
        sa.Column("target_ids", sa.JSON(), nullable=False),
        sa.Column("params", sa.JSON(), nullable=False),
        sa.Column("rules", sa.JSON(), nullable=False),
        sa.Column("decision_id", sa.String(), nullable=True),
        sa.Column("case_id", sa.String(), nullable=True),
        sa.Column("at", _at(), nullable=False),
        sa.PrimaryKeyConstraint("seq", name="pk_actions"),
        sa.UniqueConstraint("action_id", name="uq_actions_action_id"),
        sa.UniqueConstraint("idempotency_key", name="uq_actions_idempotency_key"),
        sqlite_autoincrement=True,
    )
    op.create_index("ix_actions_conversation_id", "actions", ["conversation_id"])

    op.create_table(
        "audit_events",
        sa.Column("seq", _key(), autoincrement=False, nullable=False),
        sa.Column("at", _at(), nullable=False),
        sa.Column("actor", sa.String(), nullable=False),
        sa.Column("action", sa.String(), nullable=False),
        sa.Column("subject_type", sa.String(), nullable=False),
        sa.Column("subject_id", sa.String(), nullable=False),
        sa.Column("details", sa.JSON(), nullable=False),
        sa.Column("prev_hash", sa.String(length=64), nullable=False),
        sa.Column("hash", sa.String(length=64), nullable=False),
        sa.PrimaryKeyConstraint("seq", name="pk_audit_events"),
    )

    audit_head = op.create_table(
        "audit_head",
        sa.Column("id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("last_seq", _key(), nullable=False),
        sa.Column("last_hash", sa.String(length=64), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_audit_head"),
    )
    # The row every append locks; it must exist before the first append.
    op.bulk_insert(audit_head, [{"id": 1, "last_seq": 0, "last_hash": GENESIS_HASH}])

    op.create_table(
        "conversation_locks",
        sa.Column("conversation_id", sa.String(), nullable=False),
        sa.PrimaryKeyConstraint("conversation_id", name="pk_conversation_locks"),
    )

    op.create_table(
        "api_keys",
        sa.Column("key_id", sa.String(), nullable=False),
        sa.Column("name", sa.String(), nullable=False),
        sa.Column("scopes", sa.JSON(), nullable=False),
        sa.Column("secret_hash", sa.String(), nullable=False),
        sa.Column("created_at", _at(), nullable=False),
        sa.Column("revoked_at", _at(), nullable=True),
        sa.PrimaryKeyConstraint("key_id", name="pk_api_keys"),
    )

    op.create_table(
        "console_sessions",
        sa.Column("session_id", sa.String(), nullable=False),
        sa.Column("token_hash", sa.String(), nullable=False),
        sa.Column("principal", sa.String(), nullable=False),
        sa.Column("scopes", sa.JSON(), nullable=False),
        sa.Column("csrf_token", sa.String(), nullable=False),
        sa.Column("created_at", _at(), nullable=False),
        sa.Column("expires_at", _at(), nullable=False),
        sa.PrimaryKeyConstraint("session_id", name="pk_console_sessions"),
    )
    op.create_index("ix_console_sessions_expires_at", "console_sessions", ["expires_at"])


def downgrade() -> None:
    for table in (
        "console_sessions",
        "api_keys",
        "conversation_locks",
        "audit_head",
        "audit_events",
        "actions",
        "cases",
        "decisions",
        "verdicts",
        "message_signals",
        "conversation_participants",
        "messages",
        "accounts",
    ):
        op.drop_table(table)
