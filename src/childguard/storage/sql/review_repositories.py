"""Cases, the action log, the audit chain and access records in SQL."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Mapping, Sequence
from typing import Any

from sqlalchemy import ColumnElement, func, insert, select, true

from childguard.domain import AuditEvent, Case, CaseStatus, Priority
from childguard.domain.access import ApiKey, ConsoleSession, Scope
from childguard.domain.actions import ActionRecord
from childguard.domain.exemplars import Exemplar
from childguard.storage import codec
from childguard.storage._audit import next_audit_event
from childguard.storage.errors import AlreadyExists, NotFound, StorageError
from childguard.storage.sql._base import SqlRepositoryBase
from childguard.storage.sql.errors import translate_errors
from childguard.storage.sql.models import (
    AUDIT_HEAD_ID,
    ActionRow,
    ApiKeyRow,
    AuditEventRow,
    AuditHeadRow,
    CaseRow,
    ConsoleSessionRow,
    ExemplarRow,
)

# Audit entries are read in pages so that a long chain is never held in memory at once.
_AUDIT_PAGE = 500


class SqlReviewRepositories(SqlRepositoryBase):
    # --- cases ------------------------------------------------------------------------

    def add_case(self, case: Case) -> None:
        statement = (
            self._insert(CaseRow)
            .values(case_id=case.case_id, **_case_values(case))
            .on_conflict_do_nothing()
            .returning(CaseRow.case_id)
        )
        if self._one_or_none(statement) is None:
            raise AlreadyExists(
                f"case {case.case_id!r} exists or conversation {case.conversation_id!r} has an active case"
            )

    def update_case(self, case: Case) -> None:
        statement = (
            self._update(CaseRow)
            .where(CaseRow.case_id == case.case_id)
            .values(**_case_values(case))
            .returning(CaseRow.case_id)
        )
        # A savepoint, so that reopening a case while another one is active fails with
        # AlreadyExists and leaves the rest of the unit of work intact.
        with translate_errors(), self._db().begin_nested():
            updated = self._one_or_none(statement)
        if updated is None:
            raise NotFound(f"no case {case.case_id!r}")

    def get_case(self, case_id: str) -> Case | None:
        row = self._one_or_none(select(CaseRow).where(CaseRow.case_id == case_id))
        return None if row is None else _case(row)

    def active_case_for_conversation(self, conversation_id: str) -> Case | None:
        row = self._one_or_none(select(CaseRow).where(CaseRow.active_conversation_id == conversation_id))
        return None if row is None else _case(row)

    def list_cases(
        self, *, statuses: Sequence[CaseStatus] | None = None, limit: int = 50, offset: int = 0
    ) -> list[Case]:
        statement = (
            select(CaseRow)
            .where(_status_filter(statuses))
            .order_by(CaseRow.priority, CaseRow.opened_at, self._by_code_point(CaseRow.case_id))
            .limit(limit)
            .offset(offset)
        )
        return [_case(row) for row in self._all(statement)]

    def count_cases(self, *, statuses: Sequence[CaseStatus] | None = None) -> int:
        count = self._one_or_none(select(func.count()).select_from(CaseRow).where(_status_filter(statuses)))
        return count or 0

    # --- actions ----------------------------------------------------------------------

    def record_action(self, record: ActionRecord) -> bool:
        statement = (
            self._insert(ActionRow)
            .values(
                action_id=record.action_id,
                idempotency_key=record.idempotency_key,
                kind=record.kind,
                conversation_id=record.conversation_id,
                message_id=record.message_id,
                actor_id=record.actor_id,
                target_ids=list(record.target_ids),
                params=dict(record.params),
                rules=list(record.rules),
                decision_id=record.decision_id,
                case_id=record.case_id,
                at=record.at,
            )
            .on_conflict_do_nothing()
            .returning(ActionRow.seq)
        )
        if self._one_or_none(statement) is not None:
            return True
        same_key = select(ActionRow.seq).where(ActionRow.idempotency_key == record.idempotency_key)
        if self._one_or_none(same_key) is not None:
            return False
        raise AlreadyExists(f"action {record.action_id!r} is already recorded under another key")

    def actions_for_conversation(self, conversation_id: str) -> list[ActionRecord]:
        statement = select(ActionRow).where(ActionRow.conversation_id == conversation_id).order_by(ActionRow.seq)
        return [_action(row) for row in self._all(statement)]

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
        # The head row lock (PostgreSQL) or the write transaction (SQLite) makes appends
        # strictly one after another, until this unit of work ends: append late in it.
        head = self._one_or_none(select(AuditHeadRow).where(AuditHeadRow.id == AUDIT_HEAD_ID).with_for_update())
        if head is None:
            raise StorageError("the audit head row is missing; run the schema upgrade")
        event = next_audit_event(
            last_seq=head.last_seq,
            last_hash=head.last_hash,
            at=at,
            actor=actor,
            action=action,
            subject_type=subject_type,
            subject_id=subject_id,
            details=details,
        )
        self._run(
            insert(AuditEventRow).values(
                seq=event.seq,
                at=event.at,
                actor=event.actor,
                action=event.action,
                subject_type=event.subject_type,
                subject_id=event.subject_id,
                details=dict(event.details),
                prev_hash=event.prev_hash,
                hash=event.hash,
            )
        )
        self._run(
            self._update(AuditHeadRow)
            .where(AuditHeadRow.id == AUDIT_HEAD_ID)
            .values(last_seq=event.seq, last_hash=event.hash)
        )
        return event

    def audit_events(self, *, after_seq: int = 0) -> Iterator[AuditEvent]:
        """Entries in chain order, read page by page; consume it inside the unit of work."""
        self._db()  # fail now, not at the first next(), when the unit of work has ended
        return self._audit_pages(after_seq)

    def _audit_pages(self, after_seq: int) -> Iterator[AuditEvent]:
        while True:
            statement = (
                select(AuditEventRow)
                .where(AuditEventRow.seq > after_seq)
                .order_by(AuditEventRow.seq)
                .limit(_AUDIT_PAGE)
            )
            rows = self._all(statement)
            yield from (_audit_event(row) for row in rows)
            if len(rows) < _AUDIT_PAGE:
                return
            after_seq = rows[-1].seq

    # --- access -----------------------------------------------------------------------

    def add_api_key(self, key: ApiKey) -> None:
        statement = (
            self._insert(ApiKeyRow)
            .values(
                key_id=key.key_id,
                name=key.name,
                scopes=_scopes(key.scopes),
                secret_hash=key.secret_hash,
                created_at=key.created_at,
                revoked_at=key.revoked_at,
            )
            .on_conflict_do_nothing()
            .returning(ApiKeyRow.key_id)
        )
        if self._one_or_none(statement) is None:
            raise AlreadyExists(f"API key {key.key_id!r} already exists")

    def get_api_key(self, key_id: str) -> ApiKey | None:
        row = self._one_or_none(select(ApiKeyRow).where(ApiKeyRow.key_id == key_id))
        return None if row is None else _api_key(row)

    def list_api_keys(self) -> list[ApiKey]:
        statement = select(ApiKeyRow).order_by(ApiKeyRow.created_at, self._by_code_point(ApiKeyRow.key_id))
        return [_api_key(row) for row in self._all(statement)]

    def revoke_api_key(self, key_id: str, at: dt.datetime) -> None:
        # Only the first revocation is recorded: it is when the key stopped working.
        statement = (
            self._update(ApiKeyRow)
            .where(ApiKeyRow.key_id == key_id, ApiKeyRow.revoked_at.is_(None))
            .values(revoked_at=at)
            .returning(ApiKeyRow.key_id)
        )
        if self._one_or_none(statement) is None and self.get_api_key(key_id) is None:
            raise NotFound(f"no API key {key_id!r}")

    def add_session(self, session: ConsoleSession) -> None:
        statement = (
            self._insert(ConsoleSessionRow)
            .values(
                session_id=session.session_id,
                token_hash=session.token_hash,
                principal=session.principal,
                scopes=_scopes(session.scopes),
                csrf_token=session.csrf_token,
                created_at=session.created_at,
                expires_at=session.expires_at,
            )
            .on_conflict_do_nothing()
            .returning(ConsoleSessionRow.session_id)
        )
        if self._one_or_none(statement) is None:
            raise AlreadyExists(f"session {session.session_id!r} already exists")

    # --- exemplars --------------------------------------------------------------------

    def add_exemplar(self, exemplar: Exemplar) -> Exemplar:
        values = codec.exemplar_to_json(exemplar)
        del values["seq"]
        values["added_at"] = exemplar.added_at
        statement = self._insert(ExemplarRow).values(**values).on_conflict_do_nothing().returning(ExemplarRow.seq)
        seq = self._one_or_none(statement)
        if seq is None:
            raise AlreadyExists(f"exemplar {exemplar.exemplar_id!r} already exists")
        return codec.exemplar_from_json({**codec.exemplar_to_json(exemplar), "seq": seq})

    def list_exemplars(self, *, after_seq: int = 0, limit: int = 1000) -> list[Exemplar]:
        statement = select(ExemplarRow).where(ExemplarRow.seq > after_seq).order_by(ExemplarRow.seq).limit(limit)
        return [_exemplar(row) for row in self._all(statement)]

    def get_session(self, session_id: str) -> ConsoleSession | None:
        row = self._one_or_none(select(ConsoleSessionRow).where(ConsoleSessionRow.session_id == session_id))
        return None if row is None else _console_session(row)

    def delete_session(self, session_id: str) -> None:
        self._run(self._delete(ConsoleSessionRow).where(ConsoleSessionRow.session_id == session_id))


def _status_filter(statuses: Sequence[CaseStatus] | None) -> ColumnElement[bool]:
    return true() if statuses is None else CaseRow.status.in_([s.value for s in statuses])


def _scopes(scopes: frozenset[Scope]) -> list[str]:
    return sorted(s.value for s in scopes)


def _case_values(case: Case) -> dict[str, Any]:
    return {
        "conversation_id": case.conversation_id,
        "active_conversation_id": case.conversation_id if case.is_active else None,
        "category": case.category,
        "priority": case.priority.value,
        "queue": case.queue,
        "status": case.status.value,
        "risk_score": case.risk_score,
        "rules": list(case.rules),
        "opened_at": case.opened_at,
        "updated_at": case.updated_at,
        "assignee": case.assignee,
        "escalated": case.escalated,
    }


def _case(row: CaseRow) -> Case:
    return Case(
        case_id=row.case_id,
        conversation_id=row.conversation_id,
        category=row.category,
        priority=Priority(row.priority),
        queue=row.queue,
        status=CaseStatus(row.status),
        risk_score=row.risk_score,
        rules=tuple(row.rules),
        opened_at=row.opened_at,
        updated_at=row.updated_at,
        assignee=row.assignee,
        escalated=row.escalated,
    )


def _action(row: ActionRow) -> ActionRecord:
    return ActionRecord(
        action_id=row.action_id,
        idempotency_key=row.idempotency_key,
        kind=row.kind,
        conversation_id=row.conversation_id,
        message_id=row.message_id,
        actor_id=row.actor_id,
        target_ids=tuple(row.target_ids),
        params=row.params,
        rules=tuple(row.rules),
        decision_id=row.decision_id,
        case_id=row.case_id,
        at=row.at,
    )


def _audit_event(row: AuditEventRow) -> AuditEvent:
    return AuditEvent(
        seq=row.seq,
        at=row.at,
        actor=row.actor,
        action=row.action,
        subject_type=row.subject_type,
        subject_id=row.subject_id,
        details=row.details,
        prev_hash=row.prev_hash,
        hash=row.hash,
    )


def _api_key(row: ApiKeyRow) -> ApiKey:
    return ApiKey(
        key_id=row.key_id,
        name=row.name,
        scopes=frozenset(Scope(s) for s in row.scopes),
        secret_hash=row.secret_hash,
        created_at=row.created_at,
        revoked_at=row.revoked_at,
    )


def _console_session(row: ConsoleSessionRow) -> ConsoleSession:
    return ConsoleSession(
        session_id=row.session_id,
        token_hash=row.token_hash,
        principal=row.principal,
        scopes=frozenset(Scope(s) for s in row.scopes),
        csrf_token=row.csrf_token,
        created_at=row.created_at,
        expires_at=row.expires_at,
    )


def _exemplar(row: ExemplarRow) -> Exemplar:
    return codec.exemplar_from_json(
        {
            "exemplar_id": row.exemplar_id,
            "text": row.text,
            "category": row.category,
            "label": row.label,
            "language": row.language,
            "source": row.source,
            "note": row.note,
            "case_id": row.case_id,
            "message_id": row.message_id,
            "added_by": row.added_by,
            "added_at": None if row.added_at is None else codec.datetime_to_json(row.added_at),
            "seq": row.seq,
        }
    )
