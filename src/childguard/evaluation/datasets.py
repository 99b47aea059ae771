"""Adapters from the evaluation data sets to what the detectors read.

The public data sets live outside the repository (``../shared/data``, see its
README for their terms); every loader takes the path it reads. Each one keeps the
data set's own labels and says how they map onto childguard's categories.
"""

from __future__ import annotations

import ast
import csv
import datetime as dt
import json
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from childguard.domain import Conversation, Message
from childguard.interchange import LineError, load_conversations

T0 = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)


@dataclass(frozen=True)
class TextItem:
    """One text with a binary label (a message, a tweet, an anonymised chat segment)."""

    item_id: str
    text: str
    positive: bool


@dataclass(frozen=True)
class ConversationItem:
    conversation: Conversation
    label: str  # a category or "none"
    language: str = ""


def _csv_rows(path: Path) -> Iterator[dict[str, str]]:
    csv.field_size_limit(sys.maxsize)
    with path.open(encoding="utf-8", newline="") as fh:
        yield from csv.DictReader(fh)


def pan12_segments(path: Path) -> list[TextItem]:
    """PAN-2012 chat segments: ``label`` 1 = from a conversation with a convicted predator."""
    return [
        TextItem(f"pan12-{i}", row["segment"], row["label"].strip() in ("1", "1.0"))
        for i, row in enumerate(_csv_rows(path))
    ]


def gametox(path: Path) -> list[TextItem]:
    """GameTox in-game chat: any label above 0 (insults, offensive, hate, threats, extremism) is abuse."""
    return [
        TextItem(f"gametox-{i}", row["message"], float(row["label"]) > 0)
        for i, row in enumerate(_csv_rows(path))
        if row.get("message") and row.get("label")
    ]


def conda(path: Path) -> list[TextItem]:
    """CONDA Dota 2 utterances: intents E (explicit toxic) and I (implicit toxic) are abuse."""
    return [
        TextItem(f"conda-{row['Id']}", row["utterance"], row["intentClass"] in ("E", "I"))
        for row in _csv_rows(path)
        if row.get("utterance")
    ]


def davidson(path: Path) -> list[TextItem]:
    """Davidson et al. tweets: class 0 (hate) and 1 (offensive) are abuse, 2 (neither) is not."""
    return [
        TextItem(f"davidson-{i}", row["tweet"], row["class"] in ("0", "1")) for i, row in enumerate(_csv_rows(path))
    ]


@dataclass(frozen=True)
class UserPosts:
    user: str
    posts: tuple[str, ...]
    level: str
    positive: bool


#: C-SSRS levels that express suicidal ideation, behaviour or an attempt.
CSSRS_POSITIVE = frozenset({"Ideation", "Behavior", "Attempt"})


def cssrs(path: Path) -> list[UserPosts]:
    """Reddit users with C-SSRS suicide-risk levels; Ideation, Behavior and Attempt are self-harm risk."""
    out = []
    for row in _csv_rows(path):
        raw = row["Post"]
        try:
            posts = ast.literal_eval(raw)
        except (ValueError, SyntaxError):  # 28 rows are cut mid-list in the source file
            posts = [raw.strip("[]'\"")]
        level = row["Label"].strip()
        out.append(UserPosts(row["User"], tuple(str(p) for p in posts), level, level in CSSRS_POSITIVE))
    return out


def posts_conversation(user: UserPosts) -> Conversation:
    """A user's posts as one-sided messages, in order (the audience is unknown)."""
    msgs = [
        Message(
            conversation_id=user.user,
            message_id=f"{user.user}-{i}",
            sender_id=user.user,
            recipient_ids=("forum",),
            sent_at=T0 + dt.timedelta(minutes=i),
            text=p[:20_000],
            seq=i,
        )
        for i, p in enumerate(user.posts)
    ]
    return Conversation.build(user.user, msgs, {})


def text_conversation(item: TextItem) -> Conversation:
    """One text as a one-message conversation between two people of unknown age."""
    msg = Message(
        conversation_id=item.item_id,
        message_id=item.item_id,
        sender_id="a",
        recipient_ids=("b",),
        sent_at=T0,
        text=item.text[:20_000],
    )
    return Conversation.build(item.item_id, [msg], {})


def suite(folder: Path) -> list[ConversationItem]:
    """The project's own conversation suite: ``<lang>.jsonl`` with ``labels-<lang>.json`` beside it."""
    items: list[ConversationItem] = []
    for data in sorted(folder.glob("*.jsonl")):
        lang = data.stem
        labels_path = folder / f"labels-{lang}.json"
        labels: dict[str, str] = json.loads(labels_path.read_text(encoding="utf-8"))
        errors: list[LineError] = []
        with data.open(encoding="utf-8") as fh:
            conversations = load_conversations(fh, errors)
        if errors:
            raise ValueError(f"{data}: {errors[0]}")
        for conv in conversations.conversations():
            if conv.conversation_id not in labels:
                raise ValueError(f"{labels_path}: no label for {conv.conversation_id}")
            items.append(ConversationItem(conv, labels[conv.conversation_id], lang))
    return items
