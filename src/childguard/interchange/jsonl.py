"""Read interchange JSON Lines files, collecting bad lines instead of stopping (unless strict)."""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

from childguard.domain import Account, Conversation, Event, Message
from childguard.interchange.errors import InvalidEvent, LineError
from childguard.interchange.parse import parse_event


class StrictModeError(Exception):
    """Raised in strict mode at the first bad line."""

    def __init__(self, error: LineError) -> None:
        self.error = error
        super().__init__(str(error))


def iter_events(lines: Iterable[str], errors: list[LineError], *, strict: bool = False) -> Iterator[Event]:
    """Yield every valid event; append a ``LineError`` for every bad line (or raise in strict mode).

    Blank lines are skipped. Line numbers start at 1. A message's ``seq`` is its line number,
    so messages with the same ``sent_at`` keep file order.
    """
    for line_no, raw in enumerate(lines, start=1):
        if not raw.strip():
            continue
        found: list[LineError] = []
        try:
            obj = json.loads(raw)
        except json.JSONDecodeError as exc:
            found.append(LineError(line_no, "", f"not valid JSON ({exc.msg} at column {exc.colno})"))
        else:
            try:
                yield parse_event(obj, seq=line_no)
            except InvalidEvent as exc:
                found.extend(LineError(line_no, e.field, e.message) for e in exc.errors)
        if found:
            if strict:
                raise StrictModeError(found[0])
            errors.extend(found)


@dataclass
class ConversationSet:
    """Events of a file grouped for scanning: the newest declaration of each account wins."""

    accounts: dict[str, Account] = field(default_factory=dict)
    messages: dict[str, list[Message]] = field(default_factory=dict)
    duplicate_message_ids: list[str] = field(default_factory=list)

    def add(self, event: Event) -> None:
        if isinstance(event, Account):
            self.accounts[event.account_id] = event
        else:
            self.messages.setdefault(event.conversation_id, []).append(event)

    def conversations(self) -> Iterator[Conversation]:
        """Conversations sorted by id, each with its messages ordered and only its own accounts."""
        for cid in sorted(self.messages):
            msgs = self.messages[cid]
            ids = {m.sender_id for m in msgs} | {r for m in msgs for r in m.recipient_ids}
            yield Conversation.build(cid, msgs, {a: self.accounts[a] for a in ids if a in self.accounts})

    @property
    def message_count(self) -> int:
        return sum(len(v) for v in self.messages.values())


def load_conversations(lines: Iterable[str], errors: list[LineError], *, strict: bool = False) -> ConversationSet:
    """Group a whole file. Duplicate ``message_id``s keep the first copy and are reported as errors."""
    out = ConversationSet()
    seen: dict[str, int] = {}
    for event in iter_events(lines, errors, strict=strict):
        if isinstance(event, Message):
            if event.message_id in seen:
                err = LineError(event.seq, "message_id", f"duplicate of the message on line {seen[event.message_id]}")
                if strict:
                    raise StrictModeError(err)
                errors.append(err)
                out.duplicate_message_ids.append(event.message_id)
                continue
            seen[event.message_id] = event.seq
        out.add(event)
    return out
