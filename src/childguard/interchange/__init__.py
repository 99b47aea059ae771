"""The interchange format: JSON Lines of accounts and messages in, verdicts out."""

from childguard.interchange.errors import FieldError, InvalidEvent, LineError
from childguard.interchange.jsonl import ConversationSet, StrictModeError, iter_events, load_conversations
from childguard.interchange.parse import parse_account, parse_event, parse_message

__all__ = [
    "ConversationSet",
    "FieldError",
    "InvalidEvent",
    "LineError",
    "StrictModeError",
    "iter_events",
    "load_conversations",
    "parse_account",
    "parse_event",
    "parse_message",
]
