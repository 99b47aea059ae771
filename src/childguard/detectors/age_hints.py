"""Ages people state about themselves in chat ("im 13", "em 12 tuổi", "tengo 14 años", "我13岁", "lớp 7").

Used when an account's age is unknown: a stated age is weak evidence (people lie,
offenders pose as children) but an unknown account that says it is 13 must be
treated as a possible child. Grades are mapped to the usual age of that grade.
"""

from __future__ import annotations

import re

from childguard.detectors.normalize import normalize

_NUM = r"(\d{1,2})"
_STATED_AGE = re.compile(
    "|".join(
        [
            # English
            rf"\b(?:i'?m|i am|im) (?:only |just |turning )?{_NUM}(?: ?(?:yo|y/o|yrs?|years?(?: old)?|[fm]))?"
            r"(?=$|[.,!?;)]| (?:and|but|lol|haha|btw|too|so|tho|rn|now|u|you|ok|okay|haha)\b)",
            rf"\bage:? ?{_NUM}\b(?! ?(?:percent|%))",
            rf"\b{_NUM} ?(?:yo|y/o|years old|year old)\b",
            # Vietnamese (normalised: no tone marks)
            rf"\b(?:em|toi|minh|tao|chau|con) (?:moi |nam nay |da |duoc )?{_NUM} tuoi\b",
            rf"\b{_NUM} tuoi\b",
            rf"\b(?:em|e|minh|toi|tao|chau) (?:moi |nam nay |chi |)?{_NUM}(?: (?:a|ak|ah|roi|thoi|nha))?(?=$|[.,!?])",
            # Spanish
            rf"\btengo (?:solo |apenas )?{_NUM} (?:anos|anitos)\b",
            rf"\b{_NUM} (?:anos|anitos) (?:tengo|nada mas)\b",
            rf"\btengo (?:solo |apenas )?{_NUM}(?=$|[.,!?])",
            # Chinese
            rf"我(?:今年|才|只有|已经)?{_NUM}岁",
            rf"我(?:今年|才|只有)?{_NUM}(?:了)?(?=$|[，。！？,.!?])",
        ]
    )
)
_GRADE = re.compile(
    r"\bin (\d{1,2})(?:st|nd|rd|th) grade\b|\b(\d{1,2})(?:st|nd|rd|th) grader?\b"
    r"|\b(?:i'?m in |im in )year (\d{1,2})\b"
    r"|\b(?:em|minh|toi) (?:hoc |dang hoc )?lop (\d{1,2})\b|\blop (\d{1,2}) (?:roi|a|nha)\b"
    r"|\b(?:estoy en|voy en|curso) (\d{1,2})(?:o|ro|do|to|vo|mo|no)? (?:grado|de primaria)\b"
)
_ZH_GRADE = re.compile(r"我(?:在)?(?:上|读)?(小学[一二三四五六]年级|初[一二三]|高[一二三])")
_ZH_GRADE_AGE = {
    "小学一年级": 6,
    "小学二年级": 7,
    "小学三年级": 8,
    "小学四年级": 9,
    "小学五年级": 10,
    "小学六年级": 11,
    "初一": 12,
    "初二": 13,
    "初三": 14,
    "高一": 15,
    "高二": 16,
    "高三": 17,
}


# A question about someone's age, and a bare number given as the answer ("13", "13 tuổi", "13岁").
AGE_QUESTION = re.compile(
    r"how old|\bhw old|\b(?:ur|your) age\b|\basl\b|\ba/s/l\b|bao nhieu tuoi|may tuoi|cuantos anos|que edad"
    r"|几岁|多大|多少岁"
)
_BARE_AGE = re.compile(r"^\W*(\d{1,2})\W*(?:yo|y/o|yrs?|years?(?: old)?|tuoi|anos|岁)?\W*$")


def answered_age(question: str, answer: str) -> int | None:
    """The age in ``answer`` when it is a bare number replying to an age question."""
    if not AGE_QUESTION.search(normalize(question)):
        return None
    m = _BARE_AGE.match(normalize(answer))
    if m is None:
        return None
    age = int(m.group(1))
    return age if 5 <= age <= 99 else None


def stated_age(text: str) -> int | None:
    """The age the writer states for themselves, if any; grades count as their usual age."""
    norm = normalize(text)
    m = _STATED_AGE.search(norm)
    if m:
        age = int(next(g for g in m.groups() if g is not None))
        if 5 <= age <= 99:
            return age
    g = _GRADE.search(norm)
    if g:
        groups = g.groups()
        grade = int(next(x for x in groups if x is not None))
        if groups[2] is not None:  # UK "year 8" is about age 12-13
            age = grade + 4
        elif groups[3] is not None or groups[4] is not None:  # Vietnam "lớp 7" is age 12-13
            age = grade + 5
        else:  # US grades and Spanish "grado"
            age = grade + 5
        if 1 <= grade <= 12:
            return age
    z = _ZH_GRADE.search(norm)
    if z:
        return _ZH_GRADE_AGE[z.group(1)]
    return None
