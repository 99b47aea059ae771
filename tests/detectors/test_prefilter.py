"""Literal prefilters: a regex is skipped only when it cannot match.

The property that matters is soundness: whenever a pattern matches a text, the text holds
one of the pattern's required literals and the index lists the pattern. It is checked on
hand-written cases, on randomly generated patterns, and on every built-in lexicon rule
against the lexicon tests' phrases.
"""

from __future__ import annotations

import ast
import random
import re
from pathlib import Path

import pytest

from childguard.detectors.lexicon import builtin_lexicons
from childguard.detectors.normalize import normalize
from childguard.detectors.prefilter import LiteralIndex, required_literals


@pytest.mark.parametrize(
    ("pattern", "literals"),
    [
        (r"\bhello\b", ("hello",)),
        (r"\b(?:send|show) me (?:a )?pic", ("send me ", "show me ")),
        (r"\bdon'?t tell\b", ("don't tell", "dont tell")),
        (r"\bso+ cute\b", ("o cute",)),
        (r"a|b", ("a", "b")),
        (r"(?:ab|cd)x", ("abx", "cdx")),
        (r"\bage:? ?(\d{1,2})\b", ("age",)),
        (r"[xy]z", ("xz", "yz")),
        (r"(?<!not )\bsure\b", ("sure",)),
        (r"我(?:今年|才)?\d{1,2}岁", ("岁",)),
        (r"\bwhere (?:u|you) live", ("where u live", "where you live")),
        (r"(?:fine|good)+ thanks", ("fine thanks", "good thanks")),
        (r"\b(?:ok|okay) (?:so|then) \w+ (?:bye|cya)", ("ok so ", "ok then ", "okay so ", "okay then ")),
    ],
)
def test_literals_of_patterns(pattern: str, literals: tuple[str, ...]) -> None:
    assert required_literals(re.compile(pattern)) == literals


@pytest.mark.parametrize(
    "pattern",
    [
        r"\w+",
        r"\d{9,13}",
        r"hello|\w+",  # one branch needs no literal: neither does the pattern
        r"(?:abc)?",
        r"(?i)hello",  # case-insensitive: 'HELLO' matches without 'hello'
        r"x(?i:hello)",
        r".{3}",
    ],
)
def test_no_prefilter_when_no_literal_is_required(pattern: str) -> None:
    assert required_literals(re.compile(pattern)) is None


def test_ignorecase_flag_disables_the_prefilter() -> None:
    assert required_literals(re.compile("hello", re.IGNORECASE)) is None


def test_a_literal_containing_another_is_dropped() -> None:
    assert required_literals(re.compile(r"\b(?:if anyone|if anyone ever)\b")) == ("if anyone",)


def _random_pattern(rng: random.Random, depth: int = 0) -> str:
    """A small random regex over the alphabet 'ab ': literals, classes, groups, repeats, assertions."""
    parts = []
    for _ in range(rng.randint(1, 4)):
        kind = rng.random()
        if kind < 0.45 or depth > 2:
            parts.append(rng.choice(["a", "b", " ", "ab", "ba", "aa"]))
        elif kind < 0.55:
            parts.append(rng.choice(["[ab]", "[^a]", ".", r"\w", r"\s", r"\b", "^", "$"]))
        elif kind < 0.7:
            alts = [_random_pattern(rng, depth + 1) for _ in range(rng.randint(1, 3))]
            if rng.random() < 0.2:
                alts.append("")
            parts.append("(?:" + "|".join(alts) + ")")
        elif kind < 0.85:
            repeat = rng.choice(["?", "*", "+", "{2}", "{1,3}", "+?"])
            parts.append("(?:" + _random_pattern(rng, depth + 1) + ")" + repeat)
        else:
            parts.append(rng.choice(["(?=", "(?!", "(?<=", "(?<!"]) + rng.choice("ab ") + ")")
    return "".join(parts)


def test_random_patterns_never_lose_a_match() -> None:
    rng = random.Random(20260301)
    texts = ["".join(rng.choice("ab  ") for _ in range(rng.randint(0, 12))) for _ in range(300)]
    checked = 0
    for _ in range(1500):
        source = _random_pattern(rng)
        try:
            pattern = re.compile(source)
        except re.error:
            continue
        literals = required_literals(pattern)
        if literals is None:
            continue
        index = LiteralIndex([literals])
        for text in texts:
            if pattern.search(text):
                assert any(lit in text for lit in literals), (source, text, literals)
                assert index.candidates(text) == [0], (source, text, literals)
                checked += 1
    assert checked > 1000


def test_index_lists_every_pattern_that_can_match() -> None:
    patterns = [re.compile(p) for p in [r"\bcat\b", r"dog|bird", r"\w+ing\b", r"\d+", r"x", r"猫"]]
    index = LiteralIndex([required_literals(p) for p in patterns])
    assert index.candidates("the cat sat") == [0, 3]
    assert index.candidates("a bird singing") == [1, 2, 3]
    assert index.candidates("我的猫") == [3, 5]
    assert index.candidates("") == [3]


def _lexicon_phrases() -> list[str]:
    source = Path(__file__).with_name("test_lexicons.py").read_text(encoding="utf-8")
    strings = {n.value for n in ast.walk(ast.parse(source)) if isinstance(n, ast.Constant) and isinstance(n.value, str)}
    return sorted(normalize(s) for s in strings if len(s) > 3)


def test_builtin_lexicon_rules_are_listed_whenever_they_match() -> None:
    lexicons = builtin_lexicons()
    patterns = [rule.pattern for lx in lexicons for rule in lx.rules]
    patterns += [lx.protective for lx in lexicons if lx.protective is not None]
    index = LiteralIndex([required_literals(p) for p in patterns])
    matched = 0
    for text in _lexicon_phrases():
        listed = set(index.candidates(text))
        for i, pattern in enumerate(patterns):
            if pattern.search(text):
                matched += 1
                assert i in listed, (pattern.pattern[:80], text)
    assert matched > 2000
