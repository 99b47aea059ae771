"""Message-level cue detection from multilingual lexicons.

Every built-in lexicon is applied to every message: chat mixes languages and
language identification is unreliable on a few words ("ok anh"), so we do not
let it gate detection. A message matching a lexicon's *protective* patterns
(warnings, support, education) keeps its cues but at a reduced weight, so a
safety talk that quotes a scammer's script does not read as the scam.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from typing import ClassVar

from childguard.detectors.base import MessageDetector
from childguard.detectors.cues import CUES
from childguard.detectors.language import normalize_tag
from childguard.detectors.lexicon import Lexicon, builtin_lexicons
from childguard.detectors.normalize import normalize
from childguard.detectors.prefilter import LiteralIndex, required_literals
from childguard.detectors.scoring import signals_by_category
from childguard.domain import Account, Category, Evidence, Message, Signal

#: A passage in quotation marks (straight, curly, guillemets, CJK corner brackets), at most 400 characters.
_QUOTED = re.compile(r'"[^"]{3,400}"|“[^”]{3,400}”|«[^»]{3,400}»|「[^」]{3,400}」|『[^』]{3,400}』')

#: How many characters either side of a match an ``unless`` pattern is looked for.
UNLESS_WINDOW = 60

#: Weight kept by a cue found in a protective (warning or supportive) message, or quoted.
PROTECTIVE_DAMPING = 0.3
_SNIPPET = 60


class TextPatternDetector(MessageDetector):
    name: ClassVar[str] = "text_patterns"
    version: ClassVar[str] = "4"
    categories: ClassVar[frozenset[Category]] = frozenset(spec.category for spec in CUES.values())

    def __init__(self, lexicons: Iterable[Lexicon] | None = None) -> None:
        self.lexicons = tuple(lexicons) if lexicons is not None else builtin_lexicons()
        self._rules = tuple(rule for lexicon in self.lexicons for rule in lexicon.rules)
        self._protective = tuple(lx.protective for lx in self.lexicons if lx.protective is not None)
        # Most rules cannot match most messages: the index finds, from the literals each rule's
        # regex needs, the few worth running (in lexicon order, rules first, then protective patterns).
        patterns = [rule.pattern for rule in self._rules] + list(self._protective)
        self._index = LiteralIndex([required_literals(p) for p in patterns])

    def languages(self) -> frozenset[str]:
        """The languages of this detector's lexicons (their ``language`` field)."""
        return frozenset(normalize_tag(lx.language) for lx in self.lexicons)

    def detect_message(self, message: Message, accounts: Mapping[str, Account]) -> list[Signal]:
        text = normalize(message.text)
        if not text:
            return []
        found: dict[str, tuple[float, Evidence]] = {}
        candidates = self._index.candidates(text)
        n_rules = len(self._rules)
        # A warning in one language may quote a script in another: damp every lexicon's cues.
        protective = any(i >= n_rules and self._protective[i - n_rules].search(text) for i in candidates)
        quotes = [q.span() for q in _QUOTED.finditer(text)]
        for i in candidates:
            if i >= n_rules:
                break
            rule = self._rules[i]
            m = rule.pattern.search(text)
            if m is None:
                continue
            # The benign context must be near the match: "birthday" at the other end of a long
            # message must not cancel "dont tell ur mom about us".
            if rule.unless is not None and rule.unless.search(
                text, max(0, m.start() - UNLESS_WINDOW), m.end() + UNLESS_WINDOW
            ):
                continue
            # Words inside quotation marks are reported speech ("this is how the call sounds: '...'").
            quoted = any(a <= m.start() and m.end() <= b for a, b in quotes)
            damped = protective or quoted
            weight = rule.weight * (PROTECTIVE_DAMPING if damped else 1.0)
            name = rule.spec.name
            if name in found and found[name][0] >= weight:
                continue
            snippet = m.group(0)[:_SNIPPET].strip()
            reason = f'{rule.reason}: "{snippet}"'
            if protective:
                reason += " (in a warning or supportive message)"
            elif quoted:
                reason += " (quoted)"
            found[name] = (
                weight,
                Evidence(
                    message_id=message.message_id,
                    category=rule.spec.category,
                    reason=reason,
                    cue=name,
                    weight=round(weight, 6),
                ),
            )
        return signals_by_category(self.name, self.version, message, found.values())
