"""Writers racing each other: threads of one process, and separate processes."""

from __future__ import annotations

import subprocess
import sys
import textwrap
import threading
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor

import pytest

from childguard.domain import verify_chain
from childguard.storage import AlreadyExists, Store
from childguard.storage.sql import SqlStore

from . import builders as b
from .conftest import SQL_KINDS

THREADS = 8


def _run_together(work: Callable[[int], object], n: int = THREADS) -> list[object]:
    """Run ``work(0..n-1)`` on n threads released at the same moment; re-raises the first error."""
    start = threading.Barrier(n)

    def released(i: int) -> object:
        start.wait()
        return work(i)

    with ThreadPoolExecutor(n) as pool:
        return list(pool.map(released, range(n)))


def test_concurrent_appends_and_messages_keep_the_chain_whole(store: Store) -> None:
    rounds = 12

    def work(t: int) -> None:
        for r in range(rounds):
            conversation = f"c{t % 3}"
            # Half the writers take the conversation lock, half do not: both must serialise on the chain.
            with store.unit_of_work(lock=conversation if t % 2 else None) as uow:
                uow.add_message(b.message(f"t{t}-m{r}", conversation_id=conversation, sent_at=b.at(r)))
                uow.append_audit(
                    at=b.at(r), actor=f"t{t}", action="ingest", subject_type="message", subject_id=f"t{t}-m{r}"
                )

    _run_together(work)

    with store.unit_of_work() as uow:
        events = list(uow.audit_events())
        messages = [m for c in ("c0", "c1", "c2") for m in uow.conversation_messages(c)]
    assert [e.seq for e in events] == list(range(1, THREADS * rounds + 1))
    assert verify_chain(events) == []
    assert sorted(e.subject_id for e in events) == sorted(m.message_id for m in messages)
    assert len({m.seq for m in messages}) == THREADS * rounds


def test_the_conversation_lock_lets_exactly_one_writer_open_a_case(store: Store) -> None:
    def open_case_unless_open(i: int) -> bool:
        with store.unit_of_work(lock="c1") as uow:
            if uow.active_case_for_conversation("c1") is not None:
                return False
            time.sleep(0.01)  # widen the gap between the check and the insert
            uow.add_case(b.case(f"k{i}"))
            return True

    assert sorted(_run_together(open_case_unless_open), key=bool) == [False] * (THREADS - 1) + [True]
    with store.unit_of_work() as uow:
        assert uow.count_cases() == 1


def test_without_the_lock_the_database_still_allows_one_active_case(store: Store) -> None:
    def add_case(i: int) -> str:
        try:
            with store.unit_of_work() as uow:
                uow.add_case(b.case(f"k{i}"))
        except AlreadyExists:
            return "refused"
        return "added"

    outcomes = _run_together(add_case)
    assert outcomes.count("added") == 1 and outcomes.count("refused") == THREADS - 1
    with store.unit_of_work() as uow:
        assert uow.count_cases() == 1


def test_a_conversation_lock_is_held_until_the_unit_of_work_ends(store: Store) -> None:
    order: list[str] = []
    holding = threading.Event()

    def first() -> None:
        with store.unit_of_work(lock="c1"):
            holding.set()
            time.sleep(0.2)
            order.append("first done")

    def second() -> None:
        holding.wait()
        with store.unit_of_work(lock="c1"):
            order.append("second in")

    threads = [threading.Thread(target=first), threading.Thread(target=second)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert order == ["first done", "second in"]


@pytest.mark.postgres
@pytest.mark.parametrize("sql_url", ["postgres"], indirect=True)
def test_postgres_locks_only_the_named_conversation(sql_url: str, open_sql_store: Callable[..., SqlStore]) -> None:
    store = open_sql_store(sql_url)
    holding, release = threading.Event(), threading.Event()

    def hold() -> None:
        with store.unit_of_work(lock="c1"):
            holding.set()
            release.wait(5)

    holder = threading.Thread(target=hold)
    holder.start()
    try:
        holding.wait(5)
        started = time.monotonic()
        with store.unit_of_work(lock="c2") as uow:
            uow.add_message(b.message("m1", conversation_id="c2"))
        assert time.monotonic() - started < 1.0
    finally:
        release.set()
        holder.join()


_CHILD = textwrap.dedent(
    """
    import datetime as dt, sys
    from childguard.domain import Message
    from childguard.storage.sql import SqlStore

    url, name, rounds = sys.argv[1], sys.argv[2], int(sys.argv[3])
    store = SqlStore(url, auto_upgrade=False)
    try:
        for r in range(rounds):
            with store.unit_of_work(lock=name) as uow:
                now = dt.datetime.now(dt.UTC)
                uow.add_message(Message(conversation_id=name, message_id=f"{name}-{r}", sender_id="u1",
                                        recipient_ids=("u2",), sent_at=now, text="hi"))
                uow.append_audit(at=now, actor=name, action="ingest", subject_type="message",
                                 subject_id=f"{name}-{r}")
    finally:
        store.close()
    """
)


@pytest.mark.parametrize("sql_url", SQL_KINDS, indirect=True)
def test_processes_appending_at_once_keep_the_chain_whole(
    sql_url: str, open_sql_store: Callable[..., SqlStore]
) -> None:
    processes, rounds = 3, 15
    children = [
        subprocess.Popen([sys.executable, "-c", _CHILD, sql_url, f"p{i}", str(rounds)], stderr=subprocess.PIPE)
        for i in range(processes)
    ]
    for child in children:
        _, stderr = child.communicate(timeout=60)
        assert child.returncode == 0, stderr.decode()
    with open_sql_store(sql_url).unit_of_work() as uow:
        events = list(uow.audit_events())
        assert uow.conversation_ids() != []
    assert len(events) == processes * rounds
    assert verify_chain(events) == []
