"""The one application facade: ingest(event) -> store -> detect -> decide -> act -> case.

The API, the console, the CLI and the workers all call this class and nothing below
it. It owns no framework: it talks to a ``Store`` and an ``Engine``.

Durability: a message is committed on its own before anything else happens, so an
event the caller got a 2xx for is never lost even if detection then fails; such a
message is found by ``process_pending`` and decided later. Idempotency: a message id
seen before returns the decision already made; the same id with different content
is refused.
"""

from __future__ import annotations

import datetime as dt
import hmac
import math
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field

from childguard.actions.executor import carry_out
from childguard.detectors.cues import RESEMBLANCE_CUES
from childguard.detectors.exemplars.detector import ExemplarDetector
from childguard.detectors.language import identify
from childguard.domain import (
    Account,
    AuditEvent,
    Case,
    CaseStatus,
    Category,
    ChainProblem,
    Conversation,
    Decision,
    Event,
    Message,
    Verdict,
    verify_chain,
)
from childguard.domain.access import ApiKey, ConsoleSession, Scope
from childguard.domain.actions import ActionRecord
from childguard.domain.exemplars import MAX_EXEMPLAR_CHARS, Exemplar, ExemplarLabel
from childguard.engine import Assessment, Engine
from childguard.ids import new_id
from childguard.moderation import UNKNOWN_AUDIENCE, Audience, ModerationResult, moderate
from childguard.security import hash_secret, new_api_key, new_token, secret_matches, split_api_key
from childguard.storage.errors import AlreadyExists, NotFound
from childguard.storage.interfaces import Store, StoredDecision, UnitOfWork

Clock = Callable[[], dt.datetime]


def _participant_ids(messages: Sequence[Message]) -> list[str]:
    """Everyone who sent or received one of ``messages``, sorted (to load their accounts)."""
    return sorted({m.sender_id for m in messages} | {r for m in messages for r in m.recipient_ids})


#: How often a worker looks for exemplars other workers stored, in seconds.
EXEMPLAR_REFRESH_S = 30.0
EXEMPLAR_PAGE = 1000
RESEMBLANCE_CUE_NAMES = frozenset(RESEMBLANCE_CUES.values())


@dataclass(frozen=True, kw_only=True)
class ExemplarInput:
    """An exemplar as a caller gives it; the service adds who, when and where from."""

    text: str
    category: Category
    label: ExemplarLabel
    exemplar_id: str | None = None
    note: str = ""
    language: str = ""
    case_id: str | None = None
    message_id: str | None = None

    def to_exemplar(self, *, now: dt.datetime, actor: str, source: str) -> Exemplar:
        return Exemplar(
            exemplar_id=self.exemplar_id or new_id("ex"),
            text=self.text,
            category=self.category,
            label=self.label,
            language=self.language or identify(self.text).code,
            source=source,
            note=self.note,
            case_id=self.case_id,
            message_id=self.message_id,
            added_by=actor,
            added_at=now,
        )


@dataclass(frozen=True, kw_only=True)
class ExemplarStatus:
    enabled: bool
    encoder: str | None
    #: The highest exemplar ``seq`` the detector holds (0: only the shipped seed).
    index_version: int
    #: Exemplars in the detector's index (seed and stored).
    exemplars: int
    #: Exemplars in the store.
    stored: int
    counts: dict[str, dict[str, int]]


def _all_exemplars(uow: UnitOfWork) -> Iterator[Exemplar]:
    """Every stored exemplar in ``seq`` order, read a page at a time."""
    after = 0
    while batch := uow.list_exemplars(after_seq=after, limit=EXEMPLAR_PAGE):
        yield from batch
        after = batch[-1].seq


def utcnow() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


class ConflictingReplay(ValueError):
    """A message id already stored with different content. ``field`` names the id field."""

    field = "message_id"


@dataclass(frozen=True)
class IngestResult:
    index: int
    type: str
    id: str
    status: str  # "accepted" | "duplicate" | "conflict"
    decision: Decision | None = None
    decision_id: str | None = None
    verdict: Verdict | None = None
    case_id: str | None = None
    error: str | None = None


@dataclass(frozen=True)
class CaseDetail:
    case: Case
    verdict: Verdict | None
    messages: tuple[Message, ...]
    accounts: dict[str, Account]
    actions: tuple[ActionRecord, ...]
    evidence_ids: frozenset[str] = field(default_factory=frozenset)


class ChildGuard:
    def __init__(
        self,
        store: Store,
        engine: Engine | None = None,
        *,
        clock: Clock = utcnow,
        exemplar_refresh_s: float = EXEMPLAR_REFRESH_S,
    ) -> None:
        self.store = store
        self.engine = engine or Engine()
        self.clock = clock
        self.exemplar_refresh_s = exemplar_refresh_s
        self._exemplar_seq = 0
        self._exemplars_synced_at = -math.inf
        self.sync_exemplars()

    # -- ingestion ------------------------------------------------------------------------------

    def ingest(self, events: Sequence[Event], *, actor: str = "system") -> list[IngestResult]:
        """Store and decide a batch. Accounts are applied first, so messages are judged with ages known."""
        order = sorted(range(len(events)), key=lambda i: 0 if isinstance(events[i], Account) else 1)
        results: dict[int, IngestResult] = {}
        for i in order:
            event = events[i]
            if isinstance(event, Account):
                results[i] = self._ingest_account(i, event)
            else:
                try:
                    results[i] = self._ingest_message(i, event, actor=actor)
                except ConflictingReplay as exc:
                    results[i] = IngestResult(i, "message", event.message_id, "conflict", error=str(exc))
        return [results[i] for i in range(len(events))]

    def _ingest_account(self, index: int, account: Account) -> IngestResult:
        with self.store.unit_of_work() as uow:
            if uow.get_account(account.account_id) == account:
                return IngestResult(index, "account", account.account_id, "duplicate")
            uow.upsert_account(account)
            affected = uow.conversation_ids_for_account(account.account_id)
        for cid in affected:
            self.reassess(cid)
        return IngestResult(index, "account", account.account_id, "accepted")

    def _ingest_message(self, index: int, message: Message, *, actor: str) -> IngestResult:
        status = "accepted"
        with self.store.unit_of_work() as uow:
            try:
                stored = uow.add_message(message)
            except AlreadyExists:
                stored = None
        if stored is None:
            status = "duplicate"
            with self.store.unit_of_work() as uow:
                existing = uow.get_message(message.message_id)
                prior = uow.decision_for_message(message.message_id)
                verdict = uow.get_verdict(message.conversation_id)
                case = uow.active_case_for_conversation(message.conversation_id)
            if existing is None or not existing.same_content(message):
                raise ConflictingReplay(
                    f"message_id {message.message_id!r} was already received with different content"
                )
            if prior is not None:
                return IngestResult(
                    index,
                    "message",
                    message.message_id,
                    status,
                    prior.decision,
                    prior.decision_id,
                    verdict,
                    case.case_id if case else None,
                )
            stored = existing  # stored earlier but never decided (a crash in between): decide it now
        decided = self._decide(stored, actor=actor)
        return IngestResult(index, "message", message.message_id, status, *decided)

    def _decide(self, message: Message, *, actor: str) -> tuple[Decision, str, Verdict, str | None]:
        if time.monotonic() - self._exemplars_synced_at >= self.exemplar_refresh_s:
            self.sync_exemplars()  # exemplars other workers added since
        with self.store.unit_of_work(lock=message.conversation_id) as uow:
            prior = uow.decision_for_message(message.message_id)
            if prior is not None:  # another worker decided it while we waited for the lock
                verdict = uow.get_verdict(message.conversation_id)
                case = uow.active_case_for_conversation(message.conversation_id)
                assert verdict is not None
                return prior.decision, prior.decision_id, verdict, case.case_id if case else None
            _, assessment = self._assess(uow, message.conversation_id)
            now = self.clock()
            decision = self.engine.decide(assessment, trigger=message, at=now)
            verdict = self.engine.verdict(assessment, decision)
            decision_id = uow.add_decision(decision)
            uow.put_verdict(verdict, now)
            case = carry_out(uow, decision=decision, decision_id=decision_id, verdict=verdict, at=now, actor=actor)
            return decision, decision_id, verdict, case.case_id if case else None

    def _assess(self, uow: UnitOfWork, conversation_id: str) -> tuple[Conversation, Assessment]:
        messages = uow.conversation_messages(conversation_id)
        ids = _participant_ids(messages)
        accounts = uow.get_accounts(ids)
        conversation = Conversation.build(conversation_id, messages, accounts)
        signature = self.engine.registry.message_signature()
        cached = uow.conversation_message_signals(conversation_id, signature)
        assessment = self.engine.assess(conversation, cached)
        for m in messages:
            if m.message_id not in cached:
                uow.put_message_signals(
                    m.message_id, conversation_id, signature, list(assessment.message_signals[m.message_id])
                )
        return conversation, assessment

    def reassess(self, conversation_id: str, *, actor: str = "system:reassess") -> Verdict | None:
        """Recompute a conversation's verdict (an account's age became known, detectors changed).

        When the verdict changes, the policy's decision for the whole conversation is stored
        and carried out, so a conversation that is now flagged also gets its case.
        """
        with self.store.unit_of_work(lock=conversation_id) as uow:
            if not uow.conversation_messages(conversation_id):
                return None
            _, assessment = self._assess(uow, conversation_id)
            now = self.clock()
            decision = self.engine.decide(assessment, at=now)
            verdict = self.engine.verdict(assessment, decision)
            before = uow.get_verdict(conversation_id)
            uow.put_verdict(verdict, now)
            if before is not None and before.to_dict() == verdict.to_dict():
                return verdict
            if decision.effects:
                decision_id = uow.add_decision(decision)
                carry_out(uow, decision=decision, decision_id=decision_id, verdict=verdict, at=now, actor=actor)
            return verdict

    def process_pending(self, limit: int = 1000) -> int:
        """Decide messages that were stored but never decided. Returns how many were decided."""
        with self.store.unit_of_work() as uow:
            pending = [m for mid in uow.unprocessed_message_ids(limit) if (m := uow.get_message(mid))]
        for m in sorted(pending, key=lambda m: m.sort_key):
            self._decide(m, actor="system:recovery")
        return len(pending)

    # -- reading ---------------------------------------------------------------------------------

    def conversation(self, conversation_id: str) -> Conversation | None:
        """A stored conversation with its accounts, or None."""
        with self.store.unit_of_work() as uow:
            messages = uow.conversation_messages(conversation_id)
            if not messages:
                return None
            ids = _participant_ids(messages)
            return Conversation.build(conversation_id, messages, uow.get_accounts(ids))

    def conversation_verdict(self, conversation_id: str) -> Verdict | None:
        with self.store.unit_of_work() as uow:
            return uow.get_verdict(conversation_id)

    def active_case_id(self, conversation_id: str) -> str | None:
        with self.store.unit_of_work() as uow:
            case = uow.active_case_for_conversation(conversation_id)
            return case.case_id if case else None

    def get_case(self, case_id: str) -> Case | None:
        with self.store.unit_of_work() as uow:
            return uow.get_case(case_id)

    def list_cases(
        self, *, statuses: Sequence[CaseStatus] | None = None, limit: int = 50, offset: int = 0
    ) -> tuple[list[Case], int]:
        with self.store.unit_of_work() as uow:
            return uow.list_cases(statuses=statuses, limit=limit, offset=offset), uow.count_cases(statuses=statuses)

    def case_detail(self, case_id: str, *, viewer: str) -> CaseDetail:
        """A case with its conversation. Viewing a child's conversation is itself audited."""
        with self.store.unit_of_work() as uow:
            case = uow.get_case(case_id)
            if case is None:
                raise NotFound(f"no case {case_id!r}")
            messages = uow.conversation_messages(case.conversation_id)
            ids = _participant_ids(messages)
            accounts = uow.get_accounts(ids)
            verdict = uow.get_verdict(case.conversation_id)
            actions = uow.actions_for_conversation(case.conversation_id)
            uow.append_audit(
                at=self.clock(),
                actor=viewer,
                action="conversation.viewed",
                subject_type="case",
                subject_id=case_id,
                details={"conversation_id": case.conversation_id},
            )
        evidence = frozenset(e.message_id for e in verdict.evidence) if verdict else frozenset()
        return CaseDetail(case, verdict, tuple(messages), accounts, tuple(actions), evidence)

    def decisions_for_conversation(self, conversation_id: str) -> list[StoredDecision]:
        with self.store.unit_of_work() as uow:
            return uow.decisions_for_conversation(conversation_id)

    # -- moderation ------------------------------------------------------------------------------

    def moderate(self, texts: Sequence[str], audience: Audience = UNKNOWN_AUDIENCE) -> list[ModerationResult]:
        """Judge texts as an AI's messages to a reader of ``audience`` (OpenAI-compatible). Nothing is stored."""
        return moderate(self.engine, texts, audience)

    # -- exemplars -------------------------------------------------------------------------------

    def exemplar_detector(self) -> ExemplarDetector | None:
        detector = self.engine.registry.get(ExemplarDetector.name)
        return detector if isinstance(detector, ExemplarDetector) else None

    def sync_exemplars(self) -> int:
        """Load exemplars stored since the last sync into the exemplar detector; how many were new."""
        self._exemplars_synced_at = time.monotonic()
        detector = self.exemplar_detector()
        if detector is None:
            return 0
        added = 0
        while True:
            with self.store.unit_of_work() as uow:
                batch = uow.list_exemplars(after_seq=self._exemplar_seq, limit=EXEMPLAR_PAGE)
            if not batch:
                return added
            added += detector.add(batch)
            self._exemplar_seq = batch[-1].seq

    def add_exemplars(self, items: Sequence[ExemplarInput], *, actor: str, source: str) -> list[Exemplar]:
        """Store new exemplars (each audited) and use them from the next message on.

        An item whose ``exemplar_id`` is already stored with the same content is a replay
        and is returned as stored; with other content it is refused (``ConflictingReplay``).
        """
        now = self.clock()
        stored: list[Exemplar] = []
        with self.store.unit_of_work() as uow:
            known = {e.exemplar_id: e for e in self._stored_exemplars(uow, [i.exemplar_id for i in items])}
            for item in items:
                exemplar = item.to_exemplar(now=now, actor=actor, source=source)
                prior = known.get(exemplar.exemplar_id)
                if prior is not None:
                    if (prior.text, prior.category, prior.label) != (exemplar.text, exemplar.category, exemplar.label):
                        raise ConflictingReplay(f"exemplar_id {exemplar.exemplar_id!r} exists with other content")
                    stored.append(prior)
                    continue
                saved = uow.add_exemplar(exemplar)
                known[saved.exemplar_id] = saved
                uow.append_audit(
                    at=now,
                    actor=actor,
                    action="exemplar.added",
                    subject_type="exemplar",
                    subject_id=saved.exemplar_id,
                    details={
                        "category": saved.category.value,
                        "label": saved.label.value,
                        "source": source,
                        "case_id": saved.case_id,
                        "message_id": saved.message_id,
                        "seq": saved.seq,
                    },
                )
                stored.append(saved)
        self.sync_exemplars()
        return stored

    def _stored_exemplars(self, uow: UnitOfWork, ids: Sequence[str | None]) -> list[Exemplar]:
        wanted = {i for i in ids if i}
        # Exemplars are few (thousands): a scan is cheaper than another index.
        return [e for e in _all_exemplars(uow) if e.exemplar_id in wanted] if wanted else []

    def add_case_exemplars(self, case_id: str, label: ExemplarLabel, *, actor: str) -> list[Exemplar]:
        """A reviewer's decision as exemplars: the case's evidence messages, harmful (confirmed) or
        benign (a false alarm), each under the category it was evidence of."""
        with self.store.unit_of_work() as uow:
            case = uow.get_case(case_id)
            if case is None:
                raise NotFound(f"no case {case_id!r}")
            verdict = uow.get_verdict(case.conversation_id)
            messages = {m.message_id: m for m in uow.conversation_messages(case.conversation_id)}
        items: dict[tuple[str, str], ExemplarInput] = {}
        for ev in verdict.evidence if verdict else ():
            message = messages.get(ev.message_id)
            if message is None or not message.text.strip() or ev.cue in RESEMBLANCE_CUE_NAMES:
                continue
            key = (ev.message_id, ev.category.value)
            items.setdefault(
                key,
                ExemplarInput(
                    text=message.text[:MAX_EXEMPLAR_CHARS],
                    category=ev.category,
                    label=label,
                    exemplar_id=f"case-{case_id}-{ev.message_id}-{ev.category.value}-{label.value}",
                    note=f"case {case_id}: {ev.reason}"[:200],
                    case_id=case_id,
                    message_id=ev.message_id,
                    language=message.lang or "",
                ),
            )
        if not items:
            raise NotFound(f"case {case_id!r} has no evidence messages to learn from")
        return self.add_exemplars(list(items.values()), actor=actor, source="case")

    def exemplar_status(self) -> ExemplarStatus:
        detector = self.exemplar_detector()
        with self.store.unit_of_work() as uow:
            stored = sum(1 for _ in _all_exemplars(uow))
        if detector is None:
            return ExemplarStatus(enabled=False, encoder=None, index_version=0, exemplars=0, stored=stored, counts={})
        index = detector.index
        return ExemplarStatus(
            enabled=True,
            encoder=index.encoder.name,
            index_version=index.version,
            exemplars=len(index),
            stored=stored,
            counts=index.counts(),
        )

    def list_exemplars(self, *, after_seq: int = 0, limit: int = 1000) -> list[Exemplar]:
        with self.store.unit_of_work() as uow:
            return uow.list_exemplars(after_seq=after_seq, limit=limit)

    # -- access ----------------------------------------------------------------------------------

    def create_api_key(self, name: str, scopes: frozenset[Scope], *, actor: str = "cli") -> tuple[ApiKey, str]:
        now = self.clock()
        record, token = new_api_key(name, scopes, now)
        with self.store.unit_of_work() as uow:
            uow.add_api_key(record)
            uow.append_audit(
                at=now,
                actor=actor,
                action="api_key.created",
                subject_type="api_key",
                subject_id=record.key_id,
                details={"name": name, "scopes": sorted(s.value for s in scopes)},
            )
        return record, token

    def revoke_api_key(self, key_id: str, *, actor: str = "cli") -> None:
        now = self.clock()
        with self.store.unit_of_work() as uow:
            uow.revoke_api_key(key_id, now)
            uow.append_audit(at=now, actor=actor, action="api_key.revoked", subject_type="api_key", subject_id=key_id)

    def list_api_keys(self) -> list[ApiKey]:
        with self.store.unit_of_work() as uow:
            return uow.list_api_keys()

    def authenticate(self, token: str) -> ApiKey | None:
        """The active key ``token`` stands for, or None."""
        parts = split_api_key(token)
        if parts is None:
            return None
        key_id, secret = parts
        with self.store.unit_of_work() as uow:
            record = uow.get_api_key(key_id)
        if record is None or not record.active or not secret_matches(record, secret):
            return None
        return record

    def start_console_session(self, api_key: str, *, ttl_minutes: int) -> tuple[ConsoleSession, str] | None:
        """Sign in to the console with a key that has the review scope. Returns the session and its cookie."""
        key = self.authenticate(api_key)
        if key is None or not key.allows(Scope.REVIEW):
            return None
        now = self.clock()
        token = new_token()
        session = ConsoleSession(
            session_id=new_id("sess"),
            token_hash=hash_secret(token),
            principal=f"api_key:{key.key_id}",
            scopes=key.scopes,
            csrf_token=new_token(),
            created_at=now,
            expires_at=now + dt.timedelta(minutes=ttl_minutes),
        )
        with self.store.unit_of_work() as uow:
            uow.add_session(session)
            uow.append_audit(
                at=now,
                actor=session.principal,
                action="console.signed_in",
                subject_type="session",
                subject_id=session.session_id,
            )
        return session, f"{session.session_id}.{token}"

    def console_session(self, cookie: str) -> ConsoleSession | None:
        """The live session a cookie stands for, or None (unknown, tampered or expired)."""
        session_id, _, token = cookie.partition(".")
        if not session_id or not token:
            return None
        with self.store.unit_of_work() as uow:
            session = uow.get_session(session_id)
        if session is None or not hmac.compare_digest(session.token_hash, hash_secret(token)):
            return None
        if session.expired(self.clock()):
            return None
        return session

    def end_console_session(self, session: ConsoleSession) -> None:
        with self.store.unit_of_work() as uow:
            uow.delete_session(session.session_id)
            uow.append_audit(
                at=self.clock(),
                actor=session.principal,
                action="console.signed_out",
                subject_type="session",
                subject_id=session.session_id,
            )

    # -- audit -----------------------------------------------------------------------------------

    def audit_events(self) -> list[AuditEvent]:
        with self.store.unit_of_work() as uow:
            return list(uow.audit_events())

    def verify_audit(self) -> tuple[int, list[ChainProblem]]:
        events = self.audit_events()
        return len(events), verify_chain(events)
