"""The seven harm categories of the interchange format."""

from __future__ import annotations

import enum


class Category(enum.StrEnum):
    GROOMING = "grooming"
    SEXTORTION = "sextortion"
    ONLINE_KIDNAPPING = "online_kidnapping"
    CYBERBULLYING = "cyberbullying"
    SELF_HARM = "self_harm"
    SEXUAL_CONTENT = "sexual_content"
    PERSONAL_INFO = "personal_info"


#: Every category, in a stable order used by outputs and reports.
ALL_CATEGORIES: tuple[Category, ...] = tuple(Category)

#: The value used in verdicts when nothing is flagged.
NO_CATEGORY = "none"

#: When two categories are flagged with close scores, the more severe one names the verdict.
SEVERITY_ORDER: tuple[Category, ...] = (
    Category.ONLINE_KIDNAPPING,
    Category.SEXTORTION,
    Category.GROOMING,
    Category.SELF_HARM,
    Category.SEXUAL_CONTENT,
    Category.CYBERBULLYING,
    Category.PERSONAL_INFO,
)
