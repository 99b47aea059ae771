"""Literal prefilters for regular expressions: skip a regex when it cannot match.

A lexicon holds about two hundred regexes and every one is run on every message, most of
them to find nothing. Python's ``re`` has no multi-pattern matcher (one alternation of all
the patterns was tried and is ten times slower), but most patterns cannot match unless the
text contains one of a few literal strings: ``\\b(?:send|show) me (?:a )?pic`` needs
``send me`` or ``show me``. ``required_literals`` reads that set from the parsed pattern, and
a ``str in str`` test for each (a fast substring search in C) decides whether the regex runs.

The analysis is conservative: every string the pattern can match contains at least one of
the literals, or no prefilter is given (``None``, the regex always runs). So a prefilter
changes speed, never results. A pattern whose literals might be matched case-insensitively
(``re.IGNORECASE``) gets no prefilter.
"""

from __future__ import annotations

import functools
import importlib
import re
from collections import Counter
from collections.abc import Iterable, Sequence
from typing import Any

# The parser behind ``re.compile``. ``sre_parse`` is its deprecated public alias; typeshed has no
# stubs for ``re._parser``, so it is imported by name and read as ``Any``.
_parser: Any = importlib.import_module("re._parser")
_c: Any = importlib.import_module("re._constants")

#: Largest set of alternative strings carried through the analysis (cross products are cut here).
MAX_ALTERNATIVES = 32
#: A run of literals whose strings all have this many characters is selective enough: it is not extended.
LONG_ENOUGH = 8
#: A character class of at most this many single characters is treated as a small alternation.
MAX_CLASS_CHARS = 8

#: A finite superset of the strings a sub-pattern can match (``None``: unknown or too many).
_Exact = frozenset[str] | None
#: Literals at least one of which every match contains (``None``: no such set is known).
_Required = frozenset[str] | None


# Lexicons are loaded once per detector and detectors are built more than once per process (tests,
# evaluation): the analysis is cached by pattern.
@functools.lru_cache(maxsize=4096)
def required_literals(pattern: re.Pattern[str]) -> tuple[str, ...] | None:
    """Strings such that every match of ``pattern`` contains at least one of them, or ``None``.

    The set chosen is the most selective one found (longest shortest string, then fewest
    strings), without strings that contain another of the set; it is sorted for a stable order.
    """
    if pattern.flags & re.IGNORECASE:
        return None
    try:
        parsed = _parser.parse(pattern.pattern, pattern.flags)
    except Exception:  # a pattern re.compile accepted always parses; stay safe regardless
        return None
    if parsed.state.flags & re.IGNORECASE:
        return None
    try:
        exact, required = _sequence(list(parsed))
    except _Unsupported:
        return None
    best = _best([required, _as_required(exact)])
    return _minimal(best) if best is not None else None


def _minimal(literals: frozenset[str]) -> tuple[str, ...]:
    """The same condition with fewer strings: a string containing another of the set adds nothing."""
    kept: list[str] = []
    for lit in sorted(literals, key=lambda s: (len(s), s)):
        if not any(k in lit for k in kept):
            kept.append(lit)
    return tuple(sorted(kept))


class _Unsupported(Exception):
    """A construct the analysis does not model: the pattern gets no prefilter."""


_EMPTY: frozenset[str] = frozenset({""})


def _as_required(exact: _Exact) -> _Required:
    # An exact set is a requirement only when none of its strings is empty.
    if exact is None or not exact or "" in exact:
        return None
    return exact


def _score(req: frozenset[str]) -> tuple[int, int]:
    return (min(len(s) for s in req), -len(req))


def _best(candidates: Iterable[_Required]) -> _Required:
    found = [c for c in candidates if c]
    return max(found, key=_score) if found else None


def _product(a: frozenset[str], b: frozenset[str]) -> _Exact:
    if len(a) * len(b) > MAX_ALTERNATIVES:
        return None
    return frozenset(x + y for x in a for y in b)


def _sequence(items: list[tuple[Any, Any]]) -> tuple[_Exact, _Required]:
    """Items matched one after the other: their exact strings concatenate while they are known."""
    candidates: list[_Required] = []
    run: frozenset[str] = _EMPTY
    run_min = 0  # the length of the shortest string of ``run``
    whole = True  # ``run`` still covers every item so far: it is the sequence's exact set
    for i, (op, av) in enumerate(items):
        if op is _c.LITERAL:
            # Most items are literal characters: extend the run by the whole stretch at once.
            if i + 1 < len(items) and items[i + 1][0] is _c.LITERAL:
                continue
            j = i
            while j > 0 and items[j - 1][0] is _c.LITERAL:
                j -= 1
            text = "".join(chr(c) for _, c in items[j : i + 1])
            run, run_min = frozenset(x + text for x in run), run_min + len(text)
            continue
        if op is _c.MAX_REPEAT or op is _c.MIN_REPEAT or op is _c.POSSESSIVE_REPEAT:
            lo, hi, sub = av
            sub_exact, sub_req = _sequence(list(sub))
            if lo >= 1:
                candidates.append(sub_req)
            if lo >= 1 and sub_exact is not None and (lo, hi) != (1, 1):
                # The first copy follows what came before, the last precedes what comes next.
                candidates.append(_as_required(_product(run, sub_exact)))
                run, run_min, whole = sub_exact, min(map(len, sub_exact)), False
                continue
            if (lo, hi) == (1, 1):
                exact: _Exact = sub_exact
            elif (lo, hi) == (0, 1) and sub_exact is not None:
                exact = sub_exact | _EMPTY
            else:
                exact = None
        else:
            exact, req = _node(op, av)
            candidates.append(req)
        if exact is not None and run_min < LONG_ENOUGH:
            joined = _product(run, exact)
            if joined is not None:
                run, run_min = joined, run_min + min(map(len, exact))
                continue
        candidates.append(_as_required(run))
        whole = False
        if exact is None:
            run, run_min = _EMPTY, 0
        else:
            run, run_min = exact, min(map(len, exact))
    candidates.append(_as_required(run))
    return (run if whole else None), _best(candidates)


def _node(op: Any, av: Any) -> tuple[_Exact, _Required]:
    if op is _c.LITERAL:
        return frozenset({chr(av)}), None
    if op is _c.AT or op is _c.ASSERT or op is _c.ASSERT_NOT:
        # Zero-width: whatever it tests, it consumes nothing.
        return frozenset({""}), None
    if op is _c.SUBPATTERN:
        _group, add_flags, _del_flags, sub = av
        if add_flags & re.IGNORECASE:
            raise _Unsupported
        return _sequence(list(sub))
    if op is _c.ATOMIC_GROUP:
        return _sequence(list(av))
    if op is _c.BRANCH:
        _unused, branches = av
        results = [_sequence(list(b)) for b in branches]
        exact: _Exact = frozenset()
        for e, _r in results:
            exact = exact | e if exact is not None and e is not None else None
        if exact is not None and len(exact) > MAX_ALTERNATIVES:
            exact = None
        required: set[str] = set()
        for e, r in results:
            best = _best([r, _as_required(e)])
            if best is None:
                return exact, None
            required |= best
        return exact, frozenset(required)
    if op is _c.IN:
        return _char_class(av), None
    if op in (_c.ANY, _c.NOT_LITERAL, _c.CATEGORY, _c.GROUPREF, _c.GROUPREF_EXISTS):
        return None, None
    raise _Unsupported


def _char_class(items: list[tuple[Any, Any]]) -> _Exact:
    chars: set[str] = set()
    for op, av in items:
        if op is _c.LITERAL:
            chars.add(chr(av))
        elif op is _c.RANGE and av[1] - av[0] < MAX_CLASS_CHARS:
            chars.update(chr(x) for x in range(av[0], av[1] + 1))
        else:  # NEGATE, CATEGORY, wide ranges
            return None
    return frozenset(chars) if len(chars) <= MAX_CLASS_CHARS else None


#: Literals are indexed by one substring of at most this many characters.
KEY_LENGTH = 4


class LiteralIndex:
    """Which of many patterns can match a text, found in one pass over the text.

    Built from each pattern's required literals (``required_literals``; ``None`` for a pattern
    that must always run). Every literal is filed under one of its substrings of ``KEY_LENGTH``
    characters (the whole literal when shorter), the one fewest other literals share. A text's
    substrings of those lengths are looked up in the index, and a literal whose key is found is
    then looked for in full: the patterns left are those with a literal in the text. The cost
    grows with the length of the text, not with the number of patterns or literals.
    """

    def __init__(self, literal_sets: Sequence[tuple[str, ...] | None]) -> None:
        self._always = frozenset(i for i, lits in enumerate(literal_sets) if lits is None)
        shared: Counter[str] = Counter()
        for lits in literal_sets:
            for lit in lits or ():
                shared.update(set(_grams(lit, min(len(lit), KEY_LENGTH))))
        by_length: dict[int, dict[str, list[tuple[int, str | None]]]] = {}
        for i, lits in enumerate(literal_sets):
            for lit in lits or ():
                n = min(len(lit), KEY_LENGTH)
                key = min(_grams(lit, n), key=shared.__getitem__)
                # A literal no longer than its key is found by the key alone.
                by_length.setdefault(n, {}).setdefault(key, []).append((i, lit if len(lit) > n else None))
        self._by_length = sorted(by_length.items())

    def candidates(self, text: str) -> list[int]:
        """The indices, in order, of the patterns that may match ``text``."""
        found = set(self._always)
        for n, index in self._by_length:
            for key in index.keys() & _grams(text, n):
                for i, lit in index[key]:
                    if i not in found and (lit is None or lit in text):
                        found.add(i)
        return sorted(found)


def _grams(text: str, n: int) -> set[str]:
    return {text[i : i + n] for i in range(len(text) - n + 1)}
