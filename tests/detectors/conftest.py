from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from childguard.domain import Account, AgeBand, Conversation, Message

T0 = dt.datetime(2026, 3, 1, 18, 0, tzinfo=dt.UTC)


def account(account_id: str, age: int | None = None) -> Account:
    return Account(
        account_id=account_id, age=age, age_band=AgeBand.from_age(age) if age is not None else AgeBand.UNKNOWN
    )


def conversation(
    turns: Sequence[tuple[str, str, str]], accounts: Sequence[Account] = (), cid: str = "c1"
) -> Conversation:
    """turns: (sender, recipient, text); message ids m1, m2, ..."""
    msgs = [
        Message(
            conversation_id=cid,
            message_id=f"m{i}",
            sender_id=s,
            recipient_ids=(r,),
            sent_at=T0 + dt.timedelta(minutes=i),
            text=t,
            seq=i,
        )
        for i, (s, r, t) in enumerate(turns, start=1)
    ]
    return Conversation.build(cid, msgs, {a.account_id: a for a in accounts})
