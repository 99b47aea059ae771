"""Ages people state about themselves in chat ("im 13", "em 12 tuổi", "tengo 14 años", "我13岁", "lớp 7").

Used when an account's age is unknown: a stated age is weak evidence (people lie,
offenders pose as children) but an unknown account that says it is 13 must be
treated as a possible child. Grades are mapped to the usual age of that grade. An
upcoming birthday ("turning 13 next month", "I'll be 14 in June") states the age
before it: 12 and 13.
"""

from __future__ import annotations

import re

from childguard.detectors.normalize import normalize

_NUM = r"(\d{1,2})"
_STATED_AGE = re.compile(
    "|".join(
        [
            # English
            rf"\b(?:i'?m|i am|im) (?:only |just )?{_NUM}(?: ?(?:yo|y/o|yrs?|years?(?: old)?|[fm]))?"
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
# A birthday still to come: the writer is one year younger than the age named ("turning 13 next month").
_WHEN = (
    r"(?:next (?:week|month|year)|this (?:week|month|year|summer|spring|fall|autumn|winter)|soon|tomorrow|tmrw"
    r"|in (?:a (?:week|month|few (?:days|weeks|months))|\d+ (?:days?|weeks?|months?)|january|february|march|april|may"
    r"|june|july|august|september|october|november|december|jan|feb|mar|apr|jun|jul|aug|sept?|oct|nov|dec)"
    r"|on (?:monday|tuesday|wednesday|thursday|friday|saturday|sunday|the \d+\w*))"
)
_UPCOMING_AGE = re.compile(
    "|".join(
        [
            # English: "turning 13 next month", "im turning 13", "i turn 13 on friday", "i'll be 14 in june"
            rf"(?:^|\b(?:i'?m|im|i am) )turning {_NUM}(?: ?(?:yo|years?(?: old)?))?"
            rf"(?=$|[.,!?;)]| {_WHEN}\b| today\b| (?:and|lol|haha|btw|so|u|you)\b)",
            rf"\bi turn {_NUM}(?: ?(?:yo|years?(?: old)?))?(?=$|[.,!?;)]| {_WHEN}\b| today\b)",
            rf"\b(?:i'?ll|ill|i will|i'?m gonna|im gonna|i'?m going to) be {_NUM}"
            rf"(?: ?(?:yo|years?(?: old)?))? {_WHEN}\b",
            # Vietnamese: "em sắp 13 tuổi", "sang năm em 14 tuổi"
            rf"\b(?:em|e|toi|minh|tao|chau|con) (?:sap|sap duoc|gan|sap tron) {_NUM}(?: tuoi)?\b",
            rf"\b(?:sang nam|nam sau|nam toi|thang sau|thang toi) (?:em |e |toi |minh |tao |chau |con )?"
            rf"(?:se |moi |duoc |tron )?{_NUM} tuoi\b",
            # Spanish: "voy a cumplir 13", "cumplo 13 en junio"
            rf"\bvoy a cumplir {_NUM}\b",
            rf"\bcumplo {_NUM}(?: anos)? "
            r"(?:el mes que viene|la semana que viene|el ano que viene|pronto|manana|en [a-z]+|el [a-z]+)\b",
            # Chinese: "我快13岁了", "下个月我就13岁了", "明年我14岁"
            rf"我(?:快|马上|馬上|就要|快要)(?:满|滿)?{_NUM}(?:岁|歲|了)",
            rf"(?:^|我)(?:下个月|下個月|下周|下週|明年|过几天|過幾天|今年年底)(?:就)?(?:满|滿)?{_NUM}(?:岁|歲)",
            rf"(?:下个月|下個月|下周|下週|明年|过几天|過幾天|今年年底)我(?:就)?(?:满|滿)?{_NUM}(?:岁|歲)",
        ]
    )
)
# Every _UPCOMING_AGE pattern contains one of these: a cheap test that skips it for most messages.
_UPCOMING_HINT = re.compile(r"turn|be |sap|sang nam|nam sau|nam toi|thang sau|thang toi|cumpl|岁|歲|了")
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
# Spanish school years named in words ("primero de secundaria", "2º de la ESO"): the age at the start of each.
_ES_ORDINAL = {
    "primero": 1, "primer": 1, "1": 1, "segundo": 2, "2": 2, "tercero": 3, "tercer": 3, "3": 3, "cuarto": 4, "4": 4,
    "quinto": 5, "5": 5, "sexto": 6, "6": 6,
}  # fmt: skip
_ES_STAGE_START = {"primaria": 5, "secundaria": 11, "eso": 11, "prepa": 14, "bachillerato": 15, "bachi": 15}
_ES_ORD = r"(primero|primer|segundo|tercero|tercer|cuarto|quinto|sexto|[1-6])(?:o|ro|do|to|er)?"
_ES_STAGE = r"(primaria|secundaria|eso|prepa|bachillerato|bachi)"
_ES_GRADE = re.compile(rf"\b{_ES_ORD} (?:de |del )?(?:la )?{_ES_STAGE}\b")
_ES_GRADE_STATED = re.compile(
    rf"\b(?:estoy en|voy en|voy a|curso|hago|estudio) {_ES_ORD} (?:de |del )?(?:la )?{_ES_STAGE}\b"
)


# A question about someone's age, and a bare number given as the answer ("13", "13 tuổi", "13岁").
AGE_QUESTION = re.compile(
    r"how old|\bhw old|\b(?:ur|your) age\b|\basl\b|\ba/s/l\b|bao nhieu tuoi|may tuoi|cuantos anos|que edad"
    r"|几岁|多大|多少岁"
)
# A question about someone's school year ("what grade r u in", "em học lớp mấy", "¿en qué curso estás?", "你读几年级").
GRADE_QUESTION = re.compile(
    r"\bwhat (?:grade|class)\b|\b(?:what|which) year (?:are|r|ru|u|is)\b|\bwhich grade\b|\blop (?:may|bao nhieu|bn)\b"
    r"|\b(?:que|en que) (?:curso|grado|ano) (?:estas|vas|andas|cursas)\b|几年级|幾年級|读初几|上初几|初几|高几"
)
_BARE_AGE = re.compile(r"^\W*(\d{1,2})\W*(?:yo|y/o|yrs?|years?(?: old)?|tuoi|anos|岁)?\W*$")
# A leading age with more words after it ("13, 14 in june", "13 and u?", "13 lol"), but not a quantity ("13 mins").
_LEADING_AGE = re.compile(
    r"^\W*(\d{1,2})(?: ?(?:yo|y/o|yrs?|years?(?: old)?|tuoi|anos|岁|歲))?(?=$|[^\w%:/.]|[.,](?!\d))"
)
_NOT_AN_AGE = re.compile(
    r"^\W*\d{1,2}\s*(?:[.:/]\d|%|x\b|\+|mins?\b|minutes?|secs?\b|seconds?|hours?|hrs?\b|h\b|days?|weeks?|months?|km|miles?"
    r"|cm|kg|lbs?|pts?\b|points?|am\b|pm\b|o'?clock|percent|more\b|of\b|out of|phut|tieng|gio\b|minutos|horas"
    r"|分钟|分鐘|小时|小時|点|點|块|塊|元|个|個)"
)
# A grade given alone as the answer to a grade question ("7th", "grade 7", "year 8", "lop 7a3"); Chinese and
# Spanish school years ("初一", "primero de secundaria") are read in _grade_age.
_BARE_GRADE = re.compile(
    r"^\W*(?:(?:in |im in |i'?m in )?(?:grade |year |lop )?(\d{1,2})"
    r"(?:st|nd|rd|th|o|ro|do|to|vo|mo|no|er|[a-z]\d{0,2})?"
    r"(?: grade| grader| (?:grado|de primaria))?)(?=$|[^\w]|\s)"
)


def _number_answer(answer: str) -> int | None:
    """The leading number of a short reply, unless it is a quantity ("13 mins", "10:30")."""
    if _NOT_AN_AGE.match(answer):
        return None
    m = _BARE_AGE.match(answer) or _LEADING_AGE.match(answer)
    return int(m.group(1)) if m else None


def _grade_age(question: str, answer: str) -> int | None:
    """The usual age for a school year given in reply to a grade question."""
    z = re.match(
        r"^\W*(?:我)?(?:在)?(?:上|读|讀)?(小学[一二三四五六]年级|初[一二三]|高[一二三]|[一二三四五六]年级)", answer
    )
    if z:
        return _ZH_GRADE_AGE.get(z.group(1)) or _ZH_GRADE_AGE["小学" + z.group(1)]
    es = _ES_GRADE.search(answer)
    if es:
        return _ES_ORDINAL[es.group(1)] + _ES_STAGE_START[es.group(2)]
    if _NOT_AN_AGE.match(answer):
        return None
    g = _BARE_GRADE.match(answer)
    if g is None:
        return None
    grade = int(g.group(1))
    if not 1 <= grade <= 12:
        return None
    uk_year = "year" in answer or (bool(re.search(r"\b(?:what|which) year\b", question)) and "grade" not in answer)
    return grade + 4 if uk_year else grade + 5


def answered_age(question: str, answer: str) -> int | None:
    """The age in ``answer`` when it replies to an age question ("13", "13, 14 in june") or to a
    grade question with a school year ("7th", "lớp 7", "初一", "primero de secundaria")."""
    q = normalize(question)
    asks_age, asks_grade = AGE_QUESTION.search(q) is not None, GRADE_QUESTION.search(q) is not None
    if not (asks_age or asks_grade):
        return None
    a = normalize(answer)
    age = _number_answer(a) if asks_age else None
    if age is None and asks_grade:
        age = _grade_age(q, a)
    return age if age is not None and 5 <= age <= 99 else None


def stated_age(text: str) -> int | None:
    """The age the writer states for themselves, if any; grades count as their usual age."""
    norm = normalize(text)
    up = _UPCOMING_AGE.search(norm) if _UPCOMING_HINT.search(norm) else None
    if up:
        age = int(next(g for g in up.groups() if g is not None))
        if 6 <= age <= 99 and not re.search(r"\b(?:today|hoy|hom nay)\b|今天", norm[up.end() : up.end() + 12]):
            return age - 1
        if 5 <= age <= 99:
            return age
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
    es = _ES_GRADE_STATED.search(norm)
    if es:
        return _ES_ORDINAL[es.group(1)] + _ES_STAGE_START[es.group(2)]
    z = _ZH_GRADE.search(norm)
    if z:
        return _ZH_GRADE_AGE[z.group(1)]
    return None
