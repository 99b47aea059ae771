from __future__ import annotations

import dataclasses
import datetime as dt

import pytest

from childguard.domain import (
    AgeBand,
    Case,
    CaseStatus,
    Category,
    Decision,
    Effect,
    EffectKind,
    InvalidTransition,
    Priority,
    Signal,
    SignalScope,
    chain,
    verify_chain,
)

T0 = dt.datetime(2026, 3, 1, 18, 0, tzinfo=dt.UTC)


@pytest.mark.parametrize(
    ("age", "band"),
    [
        (0, AgeBand.UNDER_13),
        (12, AgeBand.UNDER_13),
        (13, AgeBand.AGE_13_15),
        (15, AgeBand.AGE_13_15),
        (16, AgeBand.AGE_16_17),
        (17, AgeBand.AGE_16_17),
        (18, AgeBand.ADULT),
        (90, AgeBand.ADULT),
    ],
)
def test_age_bands_from_age(age: int, band: AgeBand) -> None:
    assert AgeBand.from_age(age) is band


def test_unknown_age_is_neither_minor_nor_adult() -> None:
    assert not AgeBand.UNKNOWN.is_minor
    assert not AgeBand.UNKNOWN.is_adult
    assert not AgeBand.UNKNOWN.is_known


def test_signal_score_must_be_a_probability() -> None:
    with pytest.raises(ValueError, match="score"):
        Signal(
            detector="d",
            detector_version="1",
            category=Category.GROOMING,
            score=1.5,
            scope=SignalScope.MESSAGE,
            subject_id="m1",
        )


def _case(**kw: object) -> Case:
    base = dict(
        case_id="c1",
        conversation_id="conv",
        category="grooming",
        priority=Priority.P2,
        queue="q",
        status=CaseStatus.OPEN,
        risk_score=0.6,
        rules=("r1",),
        opened_at=T0,
        updated_at=T0,
    )
    base.update(kw)
    return Case(**base)  # type: ignore[arg-type]


def test_case_transitions_follow_the_lifecycle() -> None:
    case = _case()
    reviewed = case.transition(CaseStatus.IN_REVIEW, at=T0)
    resolved = reviewed.transition(CaseStatus.RESOLVED, at=T0)
    assert not resolved.is_active
    with pytest.raises(InvalidTransition):
        resolved.transition(CaseStatus.ESCALATED, at=T0)
    assert resolved.transition(CaseStatus.OPEN, at=T0).is_active


def test_escalation_is_remembered() -> None:
    case = _case().transition(CaseStatus.ESCALATED, at=T0).transition(CaseStatus.IN_REVIEW, at=T0)
    assert case.escalated


def test_raise_to_only_increases_urgency_and_accumulates_rules() -> None:
    case = _case(priority=Priority.P1, risk_score=0.7)
    lower = case.raise_to(priority=Priority.P3, risk_score=0.5, rules=("r2",), category="cyberbullying", at=T0)
    assert lower.priority is Priority.P1 and lower.risk_score == 0.7 and lower.category == "grooming"
    assert lower.rules == ("r1", "r2")
    higher = case.raise_to(priority=Priority.P0, risk_score=0.9, rules=("r1",), category="sextortion", at=T0)
    assert higher.priority is Priority.P0 and higher.category == "sextortion" and higher.rules == ("r1",)


def test_decision_actions_are_distinct_and_ordered() -> None:
    effects = (
        Effect(kind=EffectKind.SHOW_HELP, rules=("a",)),
        Effect(kind=EffectKind.OPEN_CASE, rules=("a",)),
        Effect(kind=EffectKind.SHOW_HELP, rules=("b",), target_ids=("x",)),
    )
    d = Decision(conversation_id="c", effects=effects, fired_rules=("a", "b"), policy_name="p", policy_version="v")
    assert d.actions == ("open_case", "show_help")
    assert d.to_dict()["policy"] == {"name": "p", "version": "v"}


def _chain(n: int) -> list:
    events = []
    prev = None
    for i in range(n):
        prev = chain(
            prev=prev,
            at=T0 + dt.timedelta(seconds=i),
            actor="tester",
            action=f"a{i}",
            subject_type="case",
            subject_id=f"c{i}",
            details={"i": i},
        )
        events.append(prev)
    return events


def test_audit_chain_verifies() -> None:
    assert verify_chain(_chain(5)) == []


def test_audit_chain_detects_an_edited_entry() -> None:
    events = _chain(5)
    events[2] = dataclasses.replace(events[2], details={"i": 99})
    problems = verify_chain(events)
    assert [p.seq for p in problems] == [3]
    assert "edited" in problems[0].problem


def test_audit_chain_detects_a_deleted_entry() -> None:
    events = _chain(5)
    del events[1]
    problems = verify_chain(events)
    assert problems and problems[0].seq == 3


def test_audit_chain_detects_a_deleted_last_entry_only_by_count() -> None:
    # Removing the newest entry leaves a valid prefix: the store keeps the head hash separately.
    assert verify_chain(_chain(5)[:-1]) == []
