"""Age bands: who is a child, who is an adult, and who we do not know.

An account whose age is missing is *unknown*, never adult: detectors and
policies must treat an unknown age as possibly a child.
"""

from __future__ import annotations

import enum


class AgeBand(enum.StrEnum):
    UNDER_13 = "under_13"
    AGE_13_15 = "13_15"
    AGE_16_17 = "16_17"
    ADULT = "adult"
    UNKNOWN = "unknown"

    @property
    def is_minor(self) -> bool:
        return self in _MINOR_BANDS

    @property
    def is_adult(self) -> bool:
        return self is AgeBand.ADULT

    @property
    def is_known(self) -> bool:
        return self is not AgeBand.UNKNOWN

    @property
    def rank(self) -> int:
        """Ordering of known bands from youngest (0) to adult (3); unknown is -1."""
        return _RANK[self]

    @classmethod
    def from_age(cls, age: int) -> AgeBand:
        if age < 0:
            raise ValueError("age must not be negative")
        if age < 13:
            return cls.UNDER_13
        if age < 16:
            return cls.AGE_13_15
        if age < 18:
            return cls.AGE_16_17
        return cls.ADULT


_MINOR_BANDS = frozenset({AgeBand.UNDER_13, AgeBand.AGE_13_15, AgeBand.AGE_16_17})
_RANK = {
    AgeBand.UNDER_13: 0,
    AgeBand.AGE_13_15: 1,
    AgeBand.AGE_16_17: 2,
    AgeBand.ADULT: 3,
    AgeBand.UNKNOWN: -1,
}

#: The bands a caller may declare in the interchange format (``unknown`` is implied by absence).
DECLARABLE_BANDS = tuple(b.value for b in AgeBand if b is not AgeBand.UNKNOWN)
