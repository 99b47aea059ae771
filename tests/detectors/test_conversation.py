from __future__ import annotations

import pytest

from childguard.detectors.age_hints import answered_age, stated_age
from childguard.detectors.roles import parties
from childguard.domain import AgeBand, Category
from childguard.engine import Engine
from tests.detectors.conftest import account, conversation

ENGINE = Engine()

GROOMING_TURNS = [
    ("a", "k", "hey how old are u?"),
    ("k", "a", "13"),
    ("a", "k", "wow ur so mature for ur age"),
    ("a", "k", "dont tell your parents we talk ok? its our secret"),
    ("a", "k", "add me on snap"),
    ("a", "k", "send me a pic of u in ur bikini"),
]


def verdict_for(turns: list[tuple[str, str, str]], *accounts: object) -> object:
    return ENGINE.scan(conversation(turns, accounts))  # type: ignore[arg-type]


def test_adult_to_13_year_old_is_grooming_flagged_early_with_evidence() -> None:
    v = ENGINE.scan(conversation(GROOMING_TURNS, [account("a", 34), account("k", 13)]))
    assert v.flagged and v.category == "grooming"
    assert v.first_flagged_message_id == "m4"  # at the secrecy request, before the photo request
    assert {e.message_id for e in v.evidence} == {"m1", "m3", "m4", "m5", "m6"}
    assert "open_case" in v.actions and "show_help" in v.actions
    assert [s.stage for s in v.stages][:2] == ["assessment", "trust"]
    assert "a (34)" in v.explanation and "k (13)" in v.explanation


def test_same_words_between_two_15_year_olds_are_not_grooming() -> None:
    turns = [(("a" if s == "a" else "k"), r, t) for s, r, t in GROOMING_TURNS]
    v = ENGINE.scan(conversation(turns, [account("a", 15), account("k", 15)]))
    assert not (v.flagged and v.category == "grooming")
    assert v.scores["grooming"] < 0.5


def test_between_two_adults_it_is_not_grooming() -> None:
    v = ENGINE.scan(conversation(GROOMING_TURNS[:1] + GROOMING_TURNS[2:], [account("a", 34), account("k", 30)]))
    assert v.category != "grooming"


def test_unknown_sender_toward_a_child_still_counts() -> None:
    v = ENGINE.scan(conversation(GROOMING_TURNS, [account("k", 13)]))
    assert v.flagged and v.category == "grooming"


def test_unknown_ages_use_what_the_child_says_in_chat() -> None:
    turns = [*GROOMING_TURNS]
    turns[1] = ("k", "a", "im 12")
    people = parties(conversation(turns))
    assert people["k"].band is AgeBand.UNDER_13 and people["k"].inferred
    v = ENGINE.scan(conversation(turns))
    assert v.flagged and v.category == "grooming" and "notify_guardian" in v.actions


def test_age_gap_between_minors_matters() -> None:
    turns = [(("a" if s == "a" else "k"), r, t) for s, r, t in GROOMING_TURNS]
    close = ENGINE.scan(conversation(turns, [account("a", 14), account("k", 13)]))
    wide = ENGINE.scan(conversation(turns, [account("a", 17), account("k", 12)]))
    assert wide.scores["grooming"] > close.scores["grooming"]


def test_a_parent_keeping_a_surprise_secret_is_not_flagged() -> None:
    turns = [
        ("mum", "k", "don't tell dad about the surprise party on saturday ok? it's our secret"),
        ("k", "mum", "ok i won't!! can we get a chocolate cake"),
        ("mum", "k", "yes, and keep it between us till then"),
    ]
    v = ENGINE.scan(conversation(turns, [account("mum", 41), account("k", 10)]))
    assert not v.flagged and v.actions == ()


def test_personal_info_from_a_child_to_an_adult_is_flagged() -> None:
    turns = [
        ("x", "k", "where do u live? i can send u the skin irl"),
        ("k", "x", "i live at 42 Maple Street, call me on 0412 345 678"),
        ("k", "x", "i walk home alone after school"),
    ]
    v = ENGINE.scan(conversation(turns, [account("x", 25), account("k", 11)]))
    assert v.flagged
    assert v.scores["personal_info"] >= 0.5
    assert any(e.category is Category.PERSONAL_INFO and e.message_id == "m2" for e in v.evidence)


def test_the_same_details_from_an_adult_are_not_personal_info_risk() -> None:
    turns = [("a", "b", "i live at 42 Maple Street, call me on 0412 345 678")]
    v = ENGINE.scan(conversation(turns, [account("a", 40), account("b", 38)]))
    assert v.scores["personal_info"] < 0.5


def test_empty_conversation_text_is_not_flagged() -> None:
    v = ENGINE.scan(conversation([("a", "b", ""), ("b", "a", "   ")]))
    assert not v.flagged and v.category == "none" and v.first_flagged_message_id is None


@pytest.mark.parametrize(
    ("text", "age"),
    [
        ("im 13 lol", 13),
        ("I am 12 years old", 12),
        ("em 12 tuổi", 12),
        ("tengo 14 años", 14),
        ("我今年13岁", 13),
        ("em học lớp 8", 13),
        ("I'm in 7th grade", 12),
        ("我上初二", 13),
        ("I'm 13 points ahead", None),
        ("im tired", None),
        ("the score is 13 to 2", None),
        ("e 14 ạ", 14),
        ("em 14", 14),
        ("em 14 phút nữa tới", None),
        ("tengo 13", 13),
        ("tengo 13 perros", None),
        ("我13", 13),
        # a birthday still to come states the age before it
        ("turning 13 next month", 12),
        ("im turning 13", 12),
        ("i'm turning 13 today", 13),
        ("i'll be 14 in june", 13),
        ("i turn 13 on friday", 12),
        ("my dad is turning 40 next week", None),
        ("the car is turning 30 degrees", None),
        ("em sắp 13 tuổi", 12),
        ("sang năm em 14 tuổi", 13),
        ("voy a cumplir 13", 12),
        ("cumplo 13 en junio", 12),
        ("我快13岁了", 12),
        ("下个月我就13岁了", 12),
        ("我弟弟下个月就13岁了", None),
        # school years named in words
        ("estoy en primero de secundaria", 12),
        ("voy en 2º de la ESO", 13),
    ],
)
def test_stated_age(text: str, age: int | None) -> None:
    assert stated_age(text) == age


@pytest.mark.parametrize(
    ("question", "answer", "age"),
    [
        # a leading age with more words after it
        ("how old are u?", "13, 14 in june", 13),
        ("how old r u", "13 and u?", 13),
        ("how old are you", "13 lol", 13),
        ("asl?", "13 m", 13),
        ("bạn bao nhiêu tuổi?", "13", 13),
        ("how old are u", "13 mins away", None),
        ("how old are you", "10:30", None),
        ("what time is it", "13", None),
        # a school year given as the reply to a grade question
        ("what grade are you in?", "7th", 12),
        ("what grade r u in", "grade 7", 12),
        ("what year are you in", "year 8", 12),
        ("what year are you in", "8", 12),
        ("em học lớp mấy", "lớp 7", 12),
        ("em học lớp mấy", "lop 7a3", 12),
        ("你读几年级", "初一", 12),
        ("你几年级了", "五年级", 10),
        ("¿en qué curso estás?", "primero de secundaria", 12),
        ("¿en qué curso estás?", "2º de la eso", 13),
        ("what year were u born", "12", None),
        ("what grade are you in?", "2012", None),
    ],
)
def test_answered_age(question: str, answer: str, age: int | None) -> None:
    assert answered_age(question, answer) == age


def test_a_grade_answering_a_grade_question_makes_an_unknown_account_a_child() -> None:
    people = parties(conversation([("a", "k", "what grade r u in?"), ("k", "a", "7th")]))
    assert people["k"].age == 12 and people["k"].band is AgeBand.UNDER_13 and people["k"].inferred
    people = parties(conversation([("a", "k", "how old are you?"), ("k", "a", "13, 14 in june")]))
    assert people["k"].age == 13 and people["k"].inferred


def test_a_bare_number_answering_an_age_question_is_a_stated_age() -> None:
    people = parties(conversation([("a", "k", "bạn bao nhiêu tuổi?"), ("k", "a", "13")]))
    assert people["k"].age == 13 and people["k"].inferred
    assert parties(conversation([("a", "k", "what time is it"), ("k", "a", "13")]))["k"].age is None


def test_several_bullies_add_up_against_one_child() -> None:
    turns = [
        ("b1", "k", "ur so ugly lol"),
        ("b2", "k", "nobody likes you"),
        ("b1", "k", "you're such a loser"),
        ("b2", "k", "everyone hates u"),
    ]
    v = ENGINE.scan(conversation(turns, [account("k", 12), account("b1", 12), account("b2", 13)]))
    assert v.flagged and v.category == "cyberbullying"
    assert "from 2 people toward k (12)" in v.explanation


def test_a_warning_that_quotes_a_scam_script_is_not_flagged() -> None:
    turns = [
        (
            "teacher",
            "class",
            "Warning: scammers pretend to be the police, say you are involved in money laundering, tell you "
            "not to tell your parents about the investigation, to go to a hotel and keep your camera on. "
            "Never pay and report them.",
        )
    ]
    v = ENGINE.scan(conversation(turns, [account("teacher", 40), account("class", 14)]))
    assert not v.flagged


def test_a_threat_in_one_message_alone_is_a_weak_sign_until_corroborated() -> None:
    one = ENGINE.scan(conversation([("a", "k", "SAME i want to die")], [account("a", 15), account("k", 15)]))
    assert not one.flagged and 0 < one.scores["self_harm"] < 0.5
    two = ENGINE.scan(
        conversation(
            [("k", "a", "i want to die"), ("k", "a", "i don't want to be alive anymore")],
            [account("a", 15), account("k", 15)],
        )
    )
    assert two.flagged and two.category == "self_harm"


def test_quoted_scripts_are_reported_speech() -> None:
    from childguard.detectors.text_patterns import TextPatternDetector

    detector = TextPatternDetector()
    quoted = conversation([("a", "b", 'this is how it sounds: "go to a hotel alone and keep your camera on"')])
    plain = conversation([("a", "b", "go to a hotel alone and keep your camera on")])
    q = [e for s in detector.detect_message(quoted.messages[0], {}) for e in s.evidence]
    p = [e for s in detector.detect_message(plain.messages[0], {}) for e in s.evidence]
    assert q and all("(quoted)" in e.reason for e in q)
    assert max(e.weight for e in q) < max(e.weight for e in p)


def test_an_address_given_to_family_is_not_exposure() -> None:
    from childguard.detectors.roles import family_pairs

    turns = [
        ("aunt", "k", "which is your new address? i'm sending your birthday present"),
        ("k", "aunt", "thanks auntie! its 14 Hawthorn Close, Leeds"),
        ("k", "aunt", "love u grandma says hi"),
    ]
    conv = conversation(turns, [account("aunt", 45), account("k", 10)])
    assert family_pairs(conv) == {frozenset({"aunt", "k"})}
    assert not ENGINE.scan(conv).flagged
    # "my mum works late" names a third person: no family pair.
    assert family_pairs(conversation([("k", "x", "my mum works till 7 so im home alone")])) == set()


def test_a_benign_word_far_away_does_not_cancel_a_cue() -> None:
    from childguard.detectors.text_patterns import TextPatternDetector

    detector = TextPatternDetector()
    near = "don't tell dad about the surprise party for his birthday"
    far = (
        "dont tell ur mom about us ok? anyway the new season drops tonight and the whole server is hyped, "
        "also i'll get u something nice for ur birthday"
    )

    def cues(text: str) -> set[str | None]:
        message = conversation([("a", "b", text)]).messages[0]
        return {e.cue for s in detector.detect_message(message, {}) for e in s.evidence}

    assert "secrecy" not in cues(near)
    assert "secrecy" in cues(far)


@pytest.mark.parametrize(
    ("check_in", "disclosure"),
    [
        ("have you ever thought about hurting yourself? im worried about u", "i have thought about hurting myself"),
        ("¿has pensado en hacerte daño? me preocupas", "ya no quiero vivir, me quiero morir"),
        ("em có nghĩ đến việc tự làm hại mình không, chị lo lắm", "em muốn tự làm hại bản thân"),
        ("你有没有想过伤害自己 我是真的担心", "我想伤害自己"),
    ],
)
def test_a_supportive_check_in_is_not_a_self_harm_disclosure(check_in: str, disclosure: str) -> None:
    from childguard.detectors.text_patterns import TextPatternDetector

    detector = TextPatternDetector()

    def self_harm_weight(text: str) -> float:
        message = conversation([("a", "b", text)]).messages[0]
        weights = [
            e.weight
            for s in detector.detect_message(message, {})
            if s.category is Category.SELF_HARM
            for e in s.evidence
        ]
        return max(weights, default=0.0)

    assert self_harm_weight(check_in) < 0.2
    assert self_harm_weight(disclosure) >= 0.3
