"""Exemplars through the service: stored, audited, used at once, shared between workers, fed from cases."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from childguard.detectors.registry import default_registry
from childguard.domain import Account, AgeBand, Category, Message
from childguard.domain.exemplars import ExemplarLabel
from childguard.engine import Engine
from childguard.service import ChildGuard, ConflictingReplay, ExemplarInput
from childguard.storage import NotFound, Store, open_store
from childguard.storage.memory import MemoryStore

T0 = dt.datetime(2026, 3, 1, 18, 0, tzinfo=dt.UTC)
SCRIPT = "zorblax kwintal: transfer the 900 vouchers to the wallet before midnight"


def service(store: Store | None = None, refresh_s: float = 30.0) -> ChildGuard:
    engine = Engine(default_registry(load_plugins=False, exemplars="hashing"))
    return ChildGuard(store or MemoryStore(), engine, exemplar_refresh_s=refresh_s)


def msg(mid: str, text: str, conv: str = "c1", sender: str = "stranger", to: str = "kid", minute: int = 0) -> Message:
    return Message(
        conversation_id=conv,
        message_id=mid,
        sender_id=sender,
        recipient_ids=(to,),
        sent_at=T0 + dt.timedelta(minutes=minute),
        text=text,
    )


def exemplar_cues(cg: ChildGuard, text: str) -> list[str]:
    detector = cg.exemplar_detector()
    assert detector is not None
    return [e.cue or "" for s in detector.detect_message(msg("probe", text), {}) for e in s.evidence]


def test_an_added_exemplar_is_stored_audited_and_used_from_the_next_message() -> None:
    cg = service()
    before = cg.exemplar_status()
    assert before.enabled and before.encoder == "hashing" and before.index_version == 0
    assert "resembles_sextortion" not in exemplar_cues(cg, SCRIPT)
    [stored] = cg.add_exemplars(
        [ExemplarInput(text=SCRIPT, category=Category.SEXTORTION, label=ExemplarLabel.HARMFUL, note="new script")],
        actor="reviewer-1",
        source="api",
    )
    assert stored.seq == 1 and stored.added_by == "reviewer-1" and stored.language == "en"
    assert cg.exemplar_status().index_version == 1
    assert "resembles_sextortion" in exemplar_cues(cg, SCRIPT.replace("900", "700"))
    [entry] = [e for e in cg.audit_events() if e.action == "exemplar.added"]
    assert entry.subject_id == stored.exemplar_id and entry.details["label"] == "harmful"


def test_a_replayed_id_is_not_added_twice_and_other_content_is_refused() -> None:
    cg = service()
    item = ExemplarInput(text=SCRIPT, category=Category.SEXTORTION, label=ExemplarLabel.HARMFUL, exemplar_id="mine-1")
    first = cg.add_exemplars([item], actor="a", source="api")
    again = cg.add_exemplars([item], actor="a", source="api")
    assert first == again and len(cg.list_exemplars()) == 1
    with pytest.raises(ConflictingReplay, match="mine-1"):
        cg.add_exemplars([ExemplarInput(**{**item.__dict__, "label": ExemplarLabel.BENIGN})], actor="a", source="api")


def test_another_worker_picks_up_exemplars_on_its_next_refresh(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'cg.sqlite3'}"
    writer = service(open_store(url))
    reader = service(open_store(url), refresh_s=3600)
    writer.add_exemplars(
        [ExemplarInput(text=SCRIPT, category=Category.SEXTORTION, label=ExemplarLabel.HARMFUL)], actor="a", source="cli"
    )
    assert reader.exemplar_status().index_version == 0
    assert reader.sync_exemplars() == 1
    assert reader.exemplar_status().index_version == 1
    assert "resembles_sextortion" in exemplar_cues(reader, SCRIPT)
    restarted = service(open_store(url))  # a new process loads everything stored
    assert restarted.exemplar_status().index_version == 1


def test_a_reviewed_case_feeds_its_evidence_messages_back() -> None:
    cg = service()
    cg.ingest(
        [
            Account(account_id="kid", age=13, age_band=AgeBand.AGE_13_15),
            Account(account_id="stranger", age=35, age_band=AgeBand.ADULT),
        ]
    )
    texts = [
        "how old are u? ur so mature for ur age",
        "are ur parents home? r u alone",
        "dont tell anyone about us, delete our chat",
        "send me a pic just for me",
    ]
    results = cg.ingest([msg(f"m{i}", t, minute=i) for i, t in enumerate(texts)])
    case_id = results[-1].case_id
    assert case_id is not None
    added = cg.add_case_exemplars(case_id, ExemplarLabel.HARMFUL, actor="reviewer-2")
    assert added and all(e.source == "case" and e.case_id == case_id for e in added)
    assert {e.message_id for e in added} <= {f"m{i}" for i in range(4)}
    assert all(e.label is ExemplarLabel.HARMFUL and e.category is Category.GROOMING for e in added)
    assert cg.add_case_exemplars(case_id, ExemplarLabel.HARMFUL, actor="reviewer-2") == added  # once
    with pytest.raises(NotFound):
        cg.add_case_exemplars("case_nope", ExemplarLabel.BENIGN, actor="x")


def test_with_the_detector_off_exemplars_are_still_kept() -> None:
    cg = ChildGuard(MemoryStore(), Engine(default_registry(load_plugins=False, exemplars="off")))
    cg.add_exemplars(
        [ExemplarInput(text=SCRIPT, category=Category.SEXTORTION, label=ExemplarLabel.HARMFUL)], actor="a", source="cli"
    )
    status = cg.exemplar_status()
    assert not status.enabled and status.stored == 1
