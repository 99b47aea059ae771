"""The engine records each conversation's languages and says when no lexicon could read some messages."""

from __future__ import annotations

import dataclasses

from childguard.detectors.registry import DetectorRegistry
from childguard.detectors.text_patterns import TextPatternDetector
from childguard.engine import Engine
from tests.detectors.conftest import account, conversation

ENGINE = Engine()


def test_messages_in_a_language_without_a_lexicon_are_named_in_the_explanation() -> None:
    conv = conversation(
        [
            ("a", "k", "hi, how are you doing today?"),
            ("k", "a", "مرحبا كيف حالك"),
            ("a", "k", "أين تسكن"),
            ("k", "a", "ok"),
        ],
        [account("a", 30), account("k", 14)],
    )
    v = ENGINE.scan(conv)
    assert v.languages == {"ar": 2, "en": 1, "und": 1}
    assert v.unsupported_languages == ("ar",)
    assert v.explanation == (
        "No risk pattern found in 4 messages. "
        "2 messages in Arabic (ar) were checked only by language-independent detectors."
    )


def test_supported_and_undetermined_languages_add_nothing_to_the_explanation() -> None:
    conv = conversation([("a", "k", "hey how old are u"), ("k", "a", "em bao nhieu tuoi roi"), ("a", "k", "lol")])
    v = ENGINE.scan(conv)
    assert v.languages == {"en": 1, "und": 1, "vi": 1}
    assert v.unsupported_languages == ()
    assert "language-independent" not in v.explanation


def test_a_flagged_verdict_keeps_its_explanation_and_adds_the_language_note() -> None:
    turns = [
        ("a", "k", "hey how old are u?"),
        ("k", "a", "13"),
        ("a", "k", "wow ur so mature for ur age"),
        ("a", "k", "dont tell your parents we talk ok? its our secret"),
        ("a", "k", "сколько тебе лет, ты одна дома?"),
    ]
    v = ENGINE.scan(conversation(turns, [account("a", 34), account("k", 13)]))
    assert v.flagged and v.category == "grooming"
    assert v.explanation.startswith("Grooming pattern from a (34) toward k (13)")
    assert v.explanation.endswith(" 1 message in Russian (ru) was checked only by language-independent detectors.")


def test_the_declared_language_of_a_message_is_used() -> None:
    conv = conversation([("a", "k", "hello there my friend"), ("k", "a", "bonjour")])
    declared = dataclasses.replace(
        conv, messages=(conv.messages[0], dataclasses.replace(conv.messages[1], lang="fr-CA"))
    )
    v = ENGINE.scan(declared)
    assert v.languages == {"en": 1, "fr": 1} and v.unsupported_languages == ("fr",)
    assert "1 message in French (fr) was checked" in v.explanation


def test_many_unsupported_languages_stay_one_short_sentence() -> None:
    langs = ["ar", "ar", "ru", "th", "ko", "ja"]
    conv = conversation([("a", "k", f"message {i}") for i in range(len(langs))])
    conv = dataclasses.replace(
        conv, messages=tuple(dataclasses.replace(m, lang=c) for m, c in zip(conv.messages, langs, strict=True))
    )
    v = ENGINE.scan(conv)
    assert v.unsupported_languages == ("ar", "ja", "ko", "ru", "th")
    assert v.explanation.endswith(
        " 2 messages in Arabic (ar), 1 message in Japanese (ja), 1 message in Korean (ko)"
        " and 2 messages in 2 other languages were checked only by language-independent detectors."
    )


def test_supported_languages_follow_the_registered_lexicons() -> None:
    english_only = [lx for lx in TextPatternDetector().lexicons if lx.language == "en"]
    engine = Engine(DetectorRegistry([TextPatternDetector(english_only)]), ENGINE.policy)
    assert engine.languages == {"en"}
    v = engine.scan(conversation([("a", "k", "no le digas a tus padres"), ("a", "k", "dont tell your parents")]))
    assert v.unsupported_languages == ("es",)


def test_languages_are_in_the_detail_form_only() -> None:
    v = ENGINE.scan(conversation([("a", "k", "مرحبا كيف حالك")]))
    assert "languages" not in v.to_dict() and "unsupported_languages" not in v.to_dict()
    detail = v.to_detail_dict()
    assert detail["languages"] == {"ar": 1} and detail["unsupported_languages"] == ["ar"]
