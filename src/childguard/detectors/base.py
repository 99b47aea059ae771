"""The detector interfaces.

Two kinds, because harm in chat lives at two levels:

* a ``MessageDetector`` looks at one message (with the accounts around it) and emits
  message-scoped signals whose evidence names *cues*: small, explainable observations
  such as ``secrecy`` or ``photo_request``. Its output depends only on that message,
  so it is computed once and cached.
* a ``ConversationDetector`` reads the whole conversation in order, with every
  message's cached signals, and emits conversation-scoped signals: the risk of each
  category over time, who the risk comes from and whom it targets, the earliest
  message at which it should be flagged, and the stage timeline.

Detectors observe; they never choose an action. That is the policy's job.
"""

from __future__ import annotations

import abc
from collections.abc import Mapping, Sequence
from typing import ClassVar

from childguard.domain import Account, Category, Conversation, Message, Signal


class Detector(abc.ABC):
    #: Stable, unique, lower_snake: stored on every Signal and referenced by policies.
    name: ClassVar[str]
    #: Bump whenever outputs can change, so cached signals are recomputed and decisions can be traced.
    version: ClassVar[str]
    #: The categories this detector may emit; policies referencing others fail validation.
    categories: ClassVar[frozenset[Category]]

    def languages(self) -> frozenset[str] | None:
        """The languages (ISO 639-1 codes) whose words this detector reads; ``None`` when it reads none.

        A detector that finds shapes (phone numbers, image hashes) or works on other detectors'
        signals is language-independent and returns ``None``. The engine reports messages in a
        language that no detector reads, so that a gap in coverage is never silent.
        """
        return None


class MessageDetector(Detector):
    @abc.abstractmethod
    def detect_message(self, message: Message, accounts: Mapping[str, Account]) -> list[Signal]:
        """Signals about one message. ``accounts`` holds the known accounts of its sender and recipients."""


class ConversationDetector(Detector):
    @abc.abstractmethod
    def detect_conversation(
        self, conversation: Conversation, message_signals: Mapping[str, Sequence[Signal]]
    ) -> list[Signal]:
        """Signals about a whole conversation, given every message's message-level signals by message id."""
