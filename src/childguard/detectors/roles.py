"""Who is who in a conversation: effective age bands, and how much a pair's roles matter per category.

The same words mean different things between different people: "send me a pic"
from an adult to a 13-year-old is grooming; between two 15-year-olds it is not.
``role_factor`` encodes that as a multiplier on a category's score for an
(actor, target) pair. Unknown ages are treated as possibly minors, never as adults.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass

from childguard.detectors.age_hints import answered_age, stated_age
from childguard.detectors.normalize import normalize
from childguard.domain import Account, AgeBand, Category, Conversation


@dataclass(frozen=True)
class Party:
    account_id: str
    band: AgeBand
    age: int | None
    #: True when the band comes from what the account said in chat, not from the platform.
    inferred: bool = False

    def describe(self) -> str:
        if self.age is not None:
            return f"{self.account_id} ({self.age}{', stated in chat' if self.inferred else ''})"
        if self.band is AgeBand.UNKNOWN:
            return f"{self.account_id} (age unknown)"
        return f"{self.account_id} ({self.band.value.replace('_', '-')})"


def parties(conversation: Conversation) -> dict[str, Party]:
    """Every participant with their effective band: declared, else stated in chat, else unknown."""
    stated: dict[str, int] = {}
    messages = conversation.messages
    for i, m in enumerate(messages):
        if m.sender_id in stated:
            continue
        age = stated_age(m.text)
        if age is None:
            # A bare "13" in reply to "how old are u?" from someone else within the last 3 messages.
            for q in messages[max(0, i - 3) : i]:
                if q.sender_id != m.sender_id and m.sender_id in q.recipient_ids:
                    age = answered_age(q.text, m.text)
                    if age is not None:
                        break
        if age is not None:
            stated[m.sender_id] = age
    out: dict[str, Party] = {}
    for account_id in conversation.participant_ids:
        acc = conversation.account(account_id)
        if acc.age_band.is_known:
            out[account_id] = Party(account_id, acc.age_band, acc.age)
        elif account_id in stated:
            out[account_id] = Party(account_id, AgeBand.from_age(stated[account_id]), stated[account_id], True)
        else:
            out[account_id] = Party(account_id, AgeBand.UNKNOWN, None)
    return out


# Kinship words that name a close relative (not the polite "uncle"/"auntie" used for any adult in
# many languages: Vietnamese chú/cô, Chinese 叔叔/阿姨 are left out on purpose). Normalised text.
_KIN = re.compile(
    r"\b(?:mom|mum|mommy|mummy|dad|daddy|grandma|grandpa|granny|grandmother|grandfather|nana|nan"
    r"|mama|papa|mami|papi|abuela|abuelita|abuelo|abuelito|tia|tio"
    r"|me oi|bo oi|ba noi|ba ngoai|ong noi|ong ngoai)\b"
    r"|妈妈|爸爸|奶奶|爷爷|外婆|外公|姥姥|姥爷|姑姑|舅舅|姨妈|媽媽|爺爺"
)


_POSSESSIVE = re.compile(
    r"(?:\b(?:my|your|ur|his|her|our|their|mi|tu|su|mis|tus|sus|nuestra|nuestro)\s+|[我你他她]的?)$"
)


def family_pairs(conversation: Conversation) -> set[frozenset[str]]:
    """Pairs of people who address or name each other as close family in the conversation.

    A child giving their address to their aunt is not exposing it to a stranger; the
    conversation detector discounts personal-information risk within these pairs.
    """
    out: set[frozenset[str]] = set()
    for m in conversation.messages:
        if len(m.recipient_ids) != 1:
            continue
        text = normalize(m.text)
        for k in _KIN.finditer(text):
            # "my mum works till 7" names a third person; "thanks grandma" addresses the reader.
            if not _POSSESSIVE.search(text[max(0, k.start() - 8) : k.start()]):
                out.add(frozenset((m.sender_id, m.recipient_ids[0])))
                break
    return out


def _gap(a: Party, b: Party) -> int | None:
    if a.age is not None and b.age is not None:
        return a.age - b.age
    return None


def role_factor(category: Category, actor: Party, target: Party) -> float:
    """How much a pattern of ``category`` from ``actor`` toward ``target`` counts, in [0, 1]."""
    a, t = actor.band, target.band
    if category is Category.GROOMING:
        if t.is_minor:
            if a.is_adult:
                return 1.0
            if a is AgeBand.UNKNOWN:
                return 0.85
            gap = _gap(actor, target)
            if (gap is not None and gap >= 4) or a.rank - t.rank >= 2:
                return 0.7
            return 0.3
        if t is AgeBand.UNKNOWN:
            return 0.6 if a.is_adult else 0.5 if a is AgeBand.UNKNOWN else 0.25
        return 0.1
    if category in (Category.SEXTORTION, Category.ONLINE_KIDNAPPING):
        return 1.0 if t.is_minor else 0.9 if t is AgeBand.UNKNOWN else 0.7
    if category is Category.CYBERBULLYING:
        return 1.0 if t.is_minor else 0.85 if t is AgeBand.UNKNOWN else 0.6
    if category is Category.SELF_HARM:
        return 1.0 if a.is_minor else 0.95 if a is AgeBand.UNKNOWN else 0.85
    if category is Category.SEXUAL_CONTENT:
        if a.is_minor or t.is_minor:
            return 1.0
        if AgeBand.UNKNOWN in (a, t):
            return 0.6
        return 0.1
    if category is Category.PERSONAL_INFO:
        if a.is_minor:
            return 1.0 if not t.is_minor else 0.35
        if a is AgeBand.UNKNOWN:
            return 0.6 if t.is_adult else 0.5 if t is AgeBand.UNKNOWN else 0.3
        return 0.1
    return 1.0


def relationship(actor: Party, target: Party) -> str:
    """A label such as ``adult_to_minor`` or ``unknown_to_minor``, used in explanations and policies."""

    def kind(p: Party) -> str:
        return "minor" if p.band.is_minor else "adult" if p.band.is_adult else "unknown"

    return f"{kind(actor)}_to_{kind(target)}"


def describe_parties(accounts: Mapping[str, Account]) -> str:
    return ", ".join(a.describe() for a in accounts.values())
