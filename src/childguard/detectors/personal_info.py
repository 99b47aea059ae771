"""Structured personal information in a message: phone numbers, e-mail, street addresses, map links.

Phrases such as "my school is ..." or "I walk home alone at 4" are lexicon cues
(``text_patterns``); this detector finds what has a shape: digits in the pattern of
a phone number, an address with a house number and a street word, coordinates.
Whether sharing it is a risk depends on who shares it with whom, which the
conversation detector decides.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import ClassVar

from childguard.detectors.base import MessageDetector
from childguard.detectors.cues import CUES
from childguard.detectors.normalize import normalize
from childguard.detectors.scoring import signals_by_category
from childguard.domain import Account, Category, Evidence, Message, Signal

# Phone numbers: optional +country code, 9-13 digits in groups; not dates, prices or game scores.
_PHONE = re.compile(r"(?<![\w.$€£:/-])(?:\+\d{1,3}[\s.-]?)?(?:\(?\d{2,4}\)?[\s.-]?){2,4}\d{2,4}(?![\w%])")
_EMAIL = re.compile(r"\b[\w.+-]+@[\w-]+\.[\w.-]+\b")
_STREET_WORDS = (
    r"street|st|road|rd|avenue|ave|lane|ln|drive|dr|court|ct|boulevard|blvd|way|close|crescent|terrace|place"
    r"|duong|pho|ngo|hem|ngach|to dan pho"
    r"|calle|avenida|av|carrera|paseo|plaza"
)
_ADDRESS = re.compile(
    rf"\b\d{{1,5}}[a-z]?(?:/\d{{1,4}})?,? (?:[\w'-]+ ){{0,3}}(?:{_STREET_WORDS})\b"
    rf"|\b(?:{_STREET_WORDS}) (?:[\w'-]+ ){{0,3}}(?:so |no\.? |#)?\d{{1,5}}\b"
    r"|[\u4e00-\u9fff]{2,12}(?:路|街|道)\d{1,5}号"
)
_MAP_LINK = re.compile(
    r"\b(?:maps\.app\.goo\.gl|goo\.gl/maps|google\.[a-z.]+/maps|maps\.apple\.com)\S*|"
    r"\b-?\d{1,2}\.\d{4,},\s*-?\d{1,3}\.\d{4,}\b"
)


def _digits(s: str) -> int:
    return sum(ch.isdigit() for ch in s)


class PersonalInfoDetector(MessageDetector):
    name: ClassVar[str] = "personal_info"
    version: ClassVar[str] = "1"
    categories: ClassVar[frozenset[Category]] = frozenset({Category.PERSONAL_INFO})

    def detect_message(self, message: Message, accounts: Mapping[str, Account]) -> list[Signal]:
        text = normalize(message.text)
        found: list[tuple[float, Evidence]] = []

        def add(cue_name: str, what: str) -> None:
            spec = CUES[cue_name]
            found.append(
                (
                    spec.weight,
                    Evidence(
                        message_id=message.message_id,
                        category=Category.PERSONAL_INFO,
                        reason=f"{spec.reason} ({what})",
                        cue=cue_name,
                        weight=spec.weight,
                    ),
                )
            )

        phone = next((m for m in _PHONE.finditer(text) if 9 <= _digits(m.group(0)) <= 13), None)
        if phone is not None:
            add("phone_number", "a number in the form of a phone number")
        if _EMAIL.search(text):
            add("email_address", "an e-mail address")
        if _ADDRESS.search(text):
            add("home_address", "a house number and street")
        if _MAP_LINK.search(text):
            add("live_location", "a map link or coordinates")
        return signals_by_category(self.name, self.version, message, found)
