"""Exemplars: labelled example messages that teach the similarity detector.

A *harmful* exemplar of a category is a message a reviewer (or the project) confirmed
as that harm; a *benign* exemplar is a look-alike that is not (a parent's "are you home
alone? I'll be back at 6", a gamer's "I'm going to destroy you"). The exemplar index
compares each new message with both sets, so one reviewer decision changes what is
caught next without retraining anything.

Exemplars are append-only and numbered: ``seq`` orders them and the index version is
the highest ``seq`` it holds, so every signal can name the index it came from.
"""

from __future__ import annotations

import datetime as dt
import enum
from dataclasses import dataclass

from childguard.domain.categories import Category

#: Longest exemplar text accepted, in characters: an exemplar is one chat message.
MAX_EXEMPLAR_CHARS = 2000


class ExemplarLabel(enum.StrEnum):
    HARMFUL = "harmful"
    BENIGN = "benign"


class InvalidExemplar(ValueError):
    """An exemplar that cannot be used. The message names the field."""


@dataclass(frozen=True, kw_only=True)
class Exemplar:
    exemplar_id: str
    text: str
    category: Category
    label: ExemplarLabel
    #: ISO 639-1 code of the text's language, or "" when not known.
    language: str = ""
    #: Where it came from: "seed" (shipped), "cli", "api", "case" (a reviewer decision).
    source: str = "api"
    note: str = ""
    case_id: str | None = None
    message_id: str | None = None
    added_by: str = ""
    added_at: dt.datetime | None = None
    #: Assigned by the store on insert; 0 before. Shipped seed exemplars keep 0.
    seq: int = 0

    def __post_init__(self) -> None:
        if not self.exemplar_id:
            raise InvalidExemplar("exemplar_id: must not be empty")
        if not self.text.strip():
            raise InvalidExemplar("text: must not be empty")
        if len(self.text) > MAX_EXEMPLAR_CHARS:
            raise InvalidExemplar(f"text: longer than {MAX_EXEMPLAR_CHARS} characters")
        if not isinstance(self.category, Category):
            raise InvalidExemplar(f"category: {self.category!r} is not a category")
        if not isinstance(self.label, ExemplarLabel):
            raise InvalidExemplar(f"label: {self.label!r} is not 'harmful' or 'benign'")
