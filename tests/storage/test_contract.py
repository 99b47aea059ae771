"""The storage contract: every test runs against memory, SQLite and PostgreSQL.

Behaviour that the service relies on is written down here once; a store is correct
when it passes this file. Rollback, locking and the audit chain are part of it.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from typing import Any

import pytest

from childguard.domain import CaseStatus, Category, Priority, verify_chain
from childguard.domain.exemplars import Exemplar, ExemplarLabel
from childguard.storage import AlreadyExists, NotFound, Store

from . import builders as b


class Boom(Exception):
    pass


# --- accounts -------------------------------------------------------------------------


def test_accounts_upsert_get_and_replace(store: Store) -> None:
    with store.unit_of_work() as uow:
        uow.upsert_account(b.account("u1", age=14))
        uow.upsert_account(b.account("u2", age=None, country=None))
    with store.unit_of_work() as uow:
        assert uow.get_account("u1") == b.account("u1", age=14)
        assert uow.get_account("u2") == b.account("u2", age=None, country=None)
        assert uow.get_account("nobody") is None
        uow.upsert_account(b.account("u1", age=16))  # the newest declaration wins
    with store.unit_of_work() as uow:
        assert uow.get_account("u1") == b.account("u1", age=16)


def test_get_accounts_returns_only_known_ids(store: Store) -> None:
    with store.unit_of_work() as uow:
        for i in range(3):
            uow.upsert_account(b.account(f"u{i}"))
    # More ids than one IN clause takes, with repeats and unknown ones.
    asked = [f"x{i}" for i in range(1200)] + ["u0", "u2", "u2"]
    with store.unit_of_work() as uow:
        assert uow.get_accounts(asked) == {"u0": b.account("u0"), "u2": b.account("u2")}
        assert uow.get_accounts([]) == {}


# --- messages -------------------------------------------------------------------------


def test_add_message_assigns_increasing_seq_and_round_trips(store: Store) -> None:
    first = b.message("m1", extra={"thread": {"id": 7, "tags": ["a", "b"]}, "edited": False, "score": 0.25})
    with store.unit_of_work() as uow:
        stored1 = uow.add_message(first)
        stored2 = uow.add_message(b.message("m2"))
    assert stored1 == dataclasses.replace(first, seq=stored1.seq)
    assert 0 < stored1.seq < stored2.seq
    with store.unit_of_work() as uow:
        assert uow.get_message("m1") == stored1
        assert uow.get_message("m2") == stored2
        assert uow.get_message("missing") is None


def test_datetimes_come_back_aware_utc(store: Store) -> None:
    sent = dt.datetime(2025, 3, 1, 13, 30, 0, 5, tzinfo=b.CET)
    with store.unit_of_work() as uow:
        uow.add_message(b.message("m1", sent_at=sent))
    with store.unit_of_work() as uow:
        got = uow.get_message("m1")
    assert got is not None
    assert got.sent_at == sent
    assert got.sent_at.utcoffset() == dt.timedelta(0)
    assert got.sent_at.isoformat() == "2025-03-01T12:30:00.000005+00:00"


def test_naive_datetimes_are_refused(store: Store) -> None:
    with pytest.raises(ValueError, match="timezone-aware"), store.unit_of_work() as uow:
        uow.add_message(b.message("m1", sent_at=dt.datetime(2025, 3, 1, 12, 0)))
    with store.unit_of_work() as uow:
        assert uow.get_message("m1") is None


def test_values_that_are_not_json_are_refused(store: Store) -> None:
    with pytest.raises(TypeError), store.unit_of_work() as uow:
        uow.add_message(b.message("m1", extra={"when": object()}))
    with store.unit_of_work() as uow:
        assert uow.get_message("m1") is None


def test_duplicate_message_raises_and_leaves_the_unit_of_work_usable(store: Store) -> None:
    with store.unit_of_work() as uow:
        uow.add_message(b.message("m1", text="original"))
    with store.unit_of_work() as uow:
        with pytest.raises(AlreadyExists):
            uow.add_message(b.message("m1", text="replayed"))
        uow.add_message(b.message("m2"))
    with store.unit_of_work() as uow:
        original = uow.get_message("m1")
        assert original is not None and original.text == "original"
        assert uow.get_message("m2") is not None
        assert [m.message_id for m in uow.conversation_messages("c1")] == ["m1", "m2"]


def test_conversation_messages_order_by_sent_at_then_arrival(store: Store) -> None:
    with store.unit_of_work() as uow:
        uow.add_message(b.message("late", sent_at=b.at(10)))
        uow.add_message(b.message("tie-1", sent_at=b.at(5)))
        uow.add_message(b.message("early", sent_at=b.at(1)))
        uow.add_message(b.message("tie-2", sent_at=b.at(5)))
        uow.add_message(b.message("other", conversation_id="c2", sent_at=b.at(0)))
    with store.unit_of_work() as uow:
        assert [m.message_id for m in uow.conversation_messages("c1")] == ["early", "tie-1", "tie-2", "late"]
        assert [m.message_id for m in uow.conversation_messages("c2")] == ["other"]
        assert uow.conversation_messages("nothing") == []


def test_conversation_ids_in_order_of_first_arrival(store: Store) -> None:
    with store.unit_of_work() as uow:
        assert uow.conversation_ids() == []
        for message_id, conversation_id in [("m1", "zeta"), ("m2", "alpha"), ("m3", "zeta"), ("m4", "mid")]:
            uow.add_message(b.message(message_id, conversation_id=conversation_id))
    with store.unit_of_work() as uow:
        assert uow.conversation_ids() == ["zeta", "alpha", "mid"]


def test_conversation_ids_for_account_covers_senders_and_recipients(store: Store) -> None:
    with store.unit_of_work() as uow:
        uow.add_message(b.message("m1", conversation_id="c2", sender_id="a", recipient_ids=("b", "c")))
        uow.add_message(b.message("m2", conversation_id="c1", sender_id="b", recipient_ids=("a",)))
        uow.add_message(b.message("m3", conversation_id="c2", sender_id="a", recipient_ids=("b",)))
        uow.add_message(b.message("m4", conversation_id="c3", sender_id="d", recipient_ids=("d",)))
    with store.unit_of_work() as uow:
        assert uow.conversation_ids_for_account("a") == ["c1", "c2"]
        assert uow.conversation_ids_for_account("b") == ["c1", "c2"]
        assert uow.conversation_ids_for_account("c") == ["c2"]
        assert uow.conversation_ids_for_account("d") == ["c3"]
        assert uow.conversation_ids_for_account("nobody") == []


def test_text_is_ordered_by_code_point_whatever_the_collation(store: Store) -> None:
    names = ["b", "B", "a_", "a", "A", "é", "_z", "a-1"]
    with store.unit_of_work() as uow:
        for i, name in enumerate(names):
            uow.add_message(b.message(f"m{i}", conversation_id=name, sender_id="u"))
            uow.add_case(b.case(name, conversation_id=name))
            uow.add_api_key(b.api_key(name))
    with store.unit_of_work() as uow:
        assert uow.conversation_ids_for_account("u") == sorted(names)
        assert [c.case_id for c in uow.list_cases()] == sorted(names)
        assert [k.key_id for k in uow.list_api_keys()] == sorted(names)


def test_unprocessed_messages_until_a_decision_names_them(store: Store) -> None:
    with store.unit_of_work() as uow:
        for i in range(1, 6):
            uow.add_message(b.message(f"m{i}", sent_at=b.at(-i)))  # arrival order, not sent order
    with store.unit_of_work() as uow:
        assert uow.unprocessed_message_ids() == ["m1", "m2", "m3", "m4", "m5"]
        assert uow.unprocessed_message_ids(limit=2) == ["m1", "m2"]
        uow.add_decision(b.decision(message_id="m2"))
        uow.add_decision(b.decision(message_id="m4"))
        uow.add_decision(b.decision(message_id=None))  # a conversation-level decision marks nothing
    with store.unit_of_work() as uow:
        assert uow.unprocessed_message_ids() == ["m1", "m3", "m5"]


def test_a_decision_stored_before_its_message_marks_it_processed(store: Store) -> None:
    with store.unit_of_work() as uow:
        uow.add_decision(b.decision(message_id="m1"))
        uow.add_message(b.message("m1"))
        uow.add_message(b.message("m2"))
    with store.unit_of_work() as uow:
        assert uow.unprocessed_message_ids() == ["m2"]


# --- signals and verdicts -------------------------------------------------------------


def test_message_signals_are_cached_by_signature(store: Store) -> None:
    with store.unit_of_work() as uow:
        uow.put_message_signals("m1", "c1", "sig-v1", [b.signal("m1"), b.signal("m1", detector="pii", score=0.2)])
        uow.put_message_signals("m2", "c1", "sig-v1", [])
        uow.put_message_signals("m3", "c1", "sig-v0", [b.signal("m3")])
        uow.put_message_signals("m4", "c2", "sig-v1", [b.signal("m4")])
    with store.unit_of_work() as uow:
        assert uow.conversation_message_signals("c1", "sig-v1") == {
            "m1": [b.signal("m1"), b.signal("m1", detector="pii", score=0.2)],
            "m2": [],
        }
        assert uow.conversation_message_signals("c1", "sig-v0") == {"m3": [b.signal("m3")]}
        assert uow.conversation_message_signals("c1", "sig-v2") == {}
        # Re-detection under a new signature replaces the message's cached signals.
        uow.put_message_signals("m1", "c1", "sig-v2", [b.signal("m1", score=0.5)])
    with store.unit_of_work() as uow:
        assert uow.conversation_message_signals("c1", "sig-v2") == {"m1": [b.signal("m1", score=0.5)]}
        assert "m1" not in uow.conversation_message_signals("c1", "sig-v1")


def test_verdict_round_trip_and_replace(store: Store) -> None:
    with store.unit_of_work() as uow:
        assert uow.get_verdict("c1") is None
        uow.put_verdict(b.verdict("c1"), b.at(0))
    with store.unit_of_work() as uow:
        assert uow.get_verdict("c1") == b.verdict("c1")
        uow.put_verdict(b.verdict("c1", risk=0.4), b.at(1))
    with store.unit_of_work() as uow:
        assert uow.get_verdict("c1") == b.verdict("c1", risk=0.4)
        assert uow.get_verdict("c2") is None


# --- decisions ------------------------------------------------------------------------


def test_decisions_one_per_message_in_conversation_order(store: Store) -> None:
    with store.unit_of_work() as uow:
        first = uow.add_decision(b.decision(message_id="m1"))
        second = uow.add_decision(b.decision(message_id=None, decided_at=None))
        third = uow.add_decision(b.decision(message_id="m2"))
        uow.add_decision(b.decision("c2", message_id="m9"))
        with pytest.raises(AlreadyExists):
            uow.add_decision(b.decision(message_id="m1"))
    assert len({first, second, third}) == 3
    with store.unit_of_work() as uow:
        stored = uow.decision_for_message("m1")
        assert stored is not None
        assert stored.decision_id == first and stored.decision == b.decision(message_id="m1")
        assert uow.decision_for_message("m3") is None
        in_order = uow.decisions_for_conversation("c1")
        assert [d.decision_id for d in in_order] == [first, second, third]
        assert in_order[1].decision == b.decision(message_id=None, decided_at=None)
        assert uow.decisions_for_conversation("nothing") == []


# --- cases ----------------------------------------------------------------------------


def test_case_round_trip_and_duplicate_id(store: Store) -> None:
    with store.unit_of_work() as uow:
        uow.add_case(b.case("k1"))
    with store.unit_of_work() as uow:
        assert uow.get_case("k1") == b.case("k1")
        assert uow.get_case("nope") is None
        with pytest.raises(AlreadyExists):
            uow.add_case(b.case("k1", conversation_id="c2"))


def test_one_active_case_per_conversation(store: Store) -> None:
    with store.unit_of_work() as uow:
        uow.add_case(b.case("k1"))
        with pytest.raises(AlreadyExists):
            uow.add_case(b.case("k2"))
        uow.add_case(b.case("k3", conversation_id="c2"))  # the unit of work goes on
    with store.unit_of_work() as uow:
        assert uow.active_case_for_conversation("c1") == b.case("k1")
        assert uow.get_case("k2") is None
        resolved = b.case("k1").transition(CaseStatus.RESOLVED, at=b.at(30))
        uow.update_case(resolved)
        assert uow.active_case_for_conversation("c1") is None
        uow.add_case(b.case("k2", opened_at=b.at(40)))  # allowed again once resolved
    with store.unit_of_work() as uow:
        assert uow.get_case("k1") == resolved
        active = uow.active_case_for_conversation("c1")
        assert active is not None and active.case_id == "k2"
        # Reopening the old case now conflicts, and only that update is undone.
        with pytest.raises(AlreadyExists):
            uow.update_case(resolved.transition(CaseStatus.OPEN, at=b.at(50)))
        uow.add_case(b.case("k4", conversation_id="c3"))
    with store.unit_of_work() as uow:
        assert uow.get_case("k1") == resolved
        assert uow.get_case("k4") is not None


def test_update_case(store: Store) -> None:
    with store.unit_of_work() as uow:
        uow.add_case(b.case("k1"))
        with pytest.raises(NotFound):
            uow.update_case(b.case("missing"))
    escalated = dataclasses.replace(
        b.case("k1").transition(CaseStatus.ESCALATED, at=b.at(5)), assignee="r1", rules=("a", "b")
    )
    with store.unit_of_work() as uow:
        uow.update_case(escalated)
    with store.unit_of_work() as uow:
        assert uow.get_case("k1") == escalated
        assert uow.active_case_for_conversation("c1") == escalated


def test_list_cases_by_priority_then_waiting_time(store: Store) -> None:
    cases = [
        b.case("a", conversation_id="c1", priority=Priority.P2, opened_at=b.at(1)),
        b.case("b", conversation_id="c2", priority=Priority.P0, opened_at=b.at(5)),
        b.case("c", conversation_id="c3", priority=Priority.P1, opened_at=b.at(3)),
        b.case("d", conversation_id="c4", priority=Priority.P0, opened_at=b.at(2)),
        b.case("e", conversation_id="c5", priority=Priority.P1, opened_at=b.at(3)),  # ties "c": by id
        b.case("f", conversation_id="c6", priority=Priority.P0, status=CaseStatus.RESOLVED, opened_at=b.at(0)),
        b.case("g", conversation_id="c7", priority=Priority.P3, status=CaseStatus.IN_REVIEW, opened_at=b.at(0)),
    ]
    with store.unit_of_work() as uow:
        for case in reversed(cases):
            uow.add_case(case)
    active = [CaseStatus.OPEN, CaseStatus.IN_REVIEW, CaseStatus.ESCALATED]
    with store.unit_of_work() as uow:
        assert [c.case_id for c in uow.list_cases()] == ["f", "d", "b", "c", "e", "a", "g"]
        assert [c.case_id for c in uow.list_cases(statuses=active)] == ["d", "b", "c", "e", "a", "g"]
        assert [c.case_id for c in uow.list_cases(statuses=[CaseStatus.RESOLVED])] == ["f"]
        assert uow.list_cases(statuses=[]) == []
        assert [c.case_id for c in uow.list_cases(limit=2)] == ["f", "d"]
        assert [c.case_id for c in uow.list_cases(limit=2, offset=2)] == ["b", "c"]
        assert [c.case_id for c in uow.list_cases(limit=10, offset=6)] == ["g"]
        assert uow.list_cases(offset=7) == []
        assert uow.count_cases() == 7
        assert uow.count_cases(statuses=active) == 6
        assert uow.count_cases(statuses=[CaseStatus.ESCALATED]) == 0
        assert uow.list_cases(limit=1)[0] == cases[5]


# --- actions --------------------------------------------------------------------------


def test_actions_are_idempotent_by_key(store: Store) -> None:
    with store.unit_of_work() as uow:
        assert uow.record_action(b.action("a1")) is True
        assert uow.record_action(b.action("a2")) is True
        assert uow.record_action(b.action("a1-retry", key="key-a1")) is False
        assert uow.record_action(b.action("a3", conversation_id="c2")) is True
    with store.unit_of_work() as uow:
        assert uow.record_action(b.action("a1")) is False
        with pytest.raises(AlreadyExists):
            uow.record_action(b.action("a1", key="another-key"))
        assert uow.actions_for_conversation("c1") == [b.action("a1"), b.action("a2")]
        assert uow.actions_for_conversation("c2") == [b.action("a3", conversation_id="c2")]
        assert uow.actions_for_conversation("none") == []


# --- audit ----------------------------------------------------------------------------


def test_audit_appends_form_a_valid_chain(store: Store) -> None:
    with store.unit_of_work() as uow:
        assert list(uow.audit_events()) == []
        first = uow.append_audit(at=b.at(0), actor="system", action="case.open", subject_type="case", subject_id="k1")
    with store.unit_of_work() as uow:
        second = uow.append_audit(
            at=b.at(1).astimezone(b.CET),
            actor="reviewer:r1",
            action="case.view",
            subject_type="case",
            subject_id="k1",
            details={"reason": "triage", "ids": ("m1", "m2"), "when": b.at(1), "n": 2},
        )
        third = uow.append_audit(at=b.at(2), actor="system", action="key.add", subject_type="key", subject_id="x")
    assert (first.seq, second.seq, third.seq) == (1, 2, 3)
    assert second.prev_hash == first.hash and third.prev_hash == second.hash
    # Details are kept as the JSON the hash covers: tuples become lists, datetimes text.
    assert second.details == {"reason": "triage", "ids": ["m1", "m2"], "when": str(b.at(1)), "n": 2}
    with store.unit_of_work() as uow:
        events = list(uow.audit_events())
        assert events == [first, second, third]
        assert verify_chain(events) == []
        assert list(uow.audit_events(after_seq=2)) == [third]
        assert list(uow.audit_events(after_seq=3)) == []


def test_audit_chain_survives_a_rolled_back_append(store: Store) -> None:
    with store.unit_of_work() as uow:
        uow.append_audit(at=b.at(0), actor="a", action="x", subject_type="t", subject_id="1")
    with pytest.raises(Boom), store.unit_of_work() as uow:
        uow.append_audit(at=b.at(1), actor="a", action="lost", subject_type="t", subject_id="2")
        raise Boom
    with store.unit_of_work() as uow:
        uow.append_audit(at=b.at(2), actor="a", action="y", subject_type="t", subject_id="3")
    with store.unit_of_work() as uow:
        events = list(uow.audit_events())
    assert [(e.seq, e.action) for e in events] == [(1, "x"), (2, "y")]
    assert verify_chain(events) == []


def test_long_audit_chain_reads_in_order(store: Store) -> None:
    with store.unit_of_work() as uow:
        for i in range(1203):  # more than one page of the SQL reader
            uow.append_audit(at=b.at(i), actor="bulk", action="tick", subject_type="t", subject_id=str(i))
    with store.unit_of_work() as uow:
        events = list(uow.audit_events())
        assert [e.seq for e in events] == list(range(1, 1204))
        assert verify_chain(events) == []
        assert [e.seq for e in uow.audit_events(after_seq=1000)] == list(range(1001, 1204))


# --- access ---------------------------------------------------------------------------


def test_api_keys_add_list_revoke(store: Store) -> None:
    with store.unit_of_work() as uow:
        uow.add_api_key(b.api_key("k2", created_at=b.at(1)))
        uow.add_api_key(b.api_key("k1", created_at=b.at(1)))
        uow.add_api_key(b.api_key("k0", created_at=b.at(2)))
        with pytest.raises(AlreadyExists):
            uow.add_api_key(b.api_key("k1"))
    with store.unit_of_work() as uow:
        assert uow.get_api_key("k1") == b.api_key("k1", created_at=b.at(1))
        assert uow.get_api_key("nope") is None
        assert [k.key_id for k in uow.list_api_keys()] == ["k1", "k2", "k0"]
        uow.revoke_api_key("k1", b.at(10))
        uow.revoke_api_key("k1", b.at(20))  # the first revocation is the one that counts
        with pytest.raises(NotFound):
            uow.revoke_api_key("nope", b.at(10))
    with store.unit_of_work() as uow:
        revoked = uow.get_api_key("k1")
        assert revoked is not None and revoked.revoked_at == b.at(10) and not revoked.active


def test_console_sessions(store: Store) -> None:
    with store.unit_of_work() as uow:
        uow.add_session(b.console_session("s1"))
        uow.add_session(b.console_session("s2"))
        with pytest.raises(AlreadyExists):
            uow.add_session(b.console_session("s1"))
    with store.unit_of_work() as uow:
        assert uow.get_session("s1") == b.console_session("s1")
        uow.delete_session("s1")
        uow.delete_session("never-existed")
    with store.unit_of_work() as uow:
        assert uow.get_session("s1") is None
        assert uow.get_session("s2") == b.console_session("s2")


# --- units of work --------------------------------------------------------------------


def test_a_failed_unit_of_work_leaves_nothing_behind(store: Store) -> None:
    with store.unit_of_work() as uow:
        uow.add_message(b.message("m0"))
        uow.add_case(b.case("k0", conversation_id="c0"))
        uow.add_api_key(b.api_key("key0"))
        uow.add_session(b.console_session("s0"))
    with pytest.raises(Boom), store.unit_of_work(lock="c1") as uow:
        uow.upsert_account(b.account("u1"))
        uow.add_message(b.message("m1"))
        uow.put_message_signals("m1", "c1", "sig", [b.signal("m1")])
        uow.put_verdict(b.verdict("c1"), b.at(0))
        uow.add_decision(b.decision(message_id="m0"))
        uow.add_case(b.case("k1"))
        uow.update_case(b.case("k0", conversation_id="c0").transition(CaseStatus.RESOLVED, at=b.at(1)))
        uow.record_action(b.action("a1"))
        uow.append_audit(at=b.at(0), actor="a", action="x", subject_type="t", subject_id="1")
        uow.add_api_key(b.api_key("key1"))
        uow.revoke_api_key("key0", b.at(1))
        uow.add_session(b.console_session("s1"))
        uow.delete_session("s0")
        raise Boom
    with store.unit_of_work() as uow:
        assert uow.get_account("u1") is None
        assert uow.get_message("m1") is None
        assert uow.conversation_ids() == ["c1"]  # m0 alone
        assert uow.conversation_ids_for_account("u1") == ["c1"]
        assert uow.conversation_message_signals("c1", "sig") == {}
        assert uow.get_verdict("c1") is None
        assert uow.decision_for_message("m0") is None
        assert uow.unprocessed_message_ids() == ["m0"]
        assert uow.get_case("k1") is None
        assert uow.get_case("k0") == b.case("k0", conversation_id="c0")
        assert uow.actions_for_conversation("c1") == []
        assert list(uow.audit_events()) == []
        assert uow.get_api_key("key1") is None
        key0 = uow.get_api_key("key0")
        assert key0 is not None and key0.active
        assert uow.get_session("s1") is None
        assert uow.get_session("s0") is not None


def test_reads_inside_a_unit_of_work_see_its_own_writes(store: Store) -> None:
    with store.unit_of_work() as uow:
        uow.upsert_account(b.account("u1", age=14))
        assert uow.get_account("u1") == b.account("u1", age=14)
        uow.upsert_account(b.account("u1", age=15))
        assert uow.get_account("u1") == b.account("u1", age=15)
        uow.add_case(b.case("k1"))
        assert uow.get_case("k1") == b.case("k1")
        moved = b.case("k1").transition(CaseStatus.IN_REVIEW, at=b.at(1))
        uow.update_case(moved)
        assert uow.get_case("k1") == moved


def test_units_of_work_do_not_nest(store: Store) -> None:
    with store.unit_of_work() as uow:
        with pytest.raises(RuntimeError, match="nest"), store.unit_of_work():
            pass
        uow.add_message(b.message("m1"))
    with store.unit_of_work() as uow:
        assert uow.get_message("m1") is not None


def test_a_finished_unit_of_work_cannot_be_used(store: Store) -> None:
    with store.unit_of_work() as uow:
        pass
    with pytest.raises(RuntimeError, match="ended"):
        uow.get_message("m1")
    with pytest.raises(RuntimeError, match="ended"):
        uow.audit_events()


def test_a_closed_store_opens_no_unit_of_work(store: Store) -> None:
    store.close()
    with pytest.raises(RuntimeError, match="closed"), store.unit_of_work():
        pass


# --- exemplars ------------------------------------------------------------------------


def _exemplar(exemplar_id: str, **kw: Any) -> Exemplar:
    fields: dict[str, Any] = {
        "exemplar_id": exemplar_id,
        "text": f"text of {exemplar_id}",
        "category": Category.GROOMING,
        "label": ExemplarLabel.HARMFUL,
        "source": "case",
        "case_id": "case-1",
        "added_by": "reviewer-1",
        "added_at": b.at(1),
    }
    return Exemplar(**{**fields, **kw})


def test_exemplars_get_increasing_seq_and_list_after_a_version(store: Store) -> None:
    with store.unit_of_work() as uow:
        first = uow.add_exemplar(_exemplar("e1"))
        second = uow.add_exemplar(_exemplar("e2", label=ExemplarLabel.BENIGN, case_id=None, added_at=None))
        with pytest.raises(AlreadyExists):
            uow.add_exemplar(_exemplar("e1", text="another text"))
    assert 0 < first.seq < second.seq
    with store.unit_of_work() as uow:
        assert uow.list_exemplars() == [first, second]
        assert uow.list_exemplars(after_seq=first.seq) == [second]
        assert uow.list_exemplars(after_seq=second.seq) == []
        assert uow.list_exemplars(limit=1) == [first]


def test_a_rolled_back_exemplar_is_not_kept(store: Store) -> None:
    with pytest.raises(RuntimeError), store.unit_of_work() as uow:
        uow.add_exemplar(_exemplar("gone"))
        raise RuntimeError("abort")
    with store.unit_of_work() as uow:
        assert uow.list_exemplars() == []
        kept = uow.add_exemplar(_exemplar("kept"))
    assert kept.exemplar_id == "kept"
