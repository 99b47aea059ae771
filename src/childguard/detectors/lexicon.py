"""Lexicons: the words and phrases of each cue, per language, as data.

A lexicon is a YAML file (see ``detectors/lexicons/en.yaml``)::

    language: en
    protective:            # warnings, support and education: cues found with these weigh less
      - "\\b(report|block) (them|him|her)\\b"
    cues:
      - cue: secrecy       # a name from detectors/cues.py
        reason: "asking the child to keep the contact secret"   # optional, overrides the default
        weight: 0.45                                            # optional, overrides the default
        patterns: ["\\bdon'?t tell (your|ur) (mum|mom|parents)\\b"]
        unless: ["\\bsurprise\\b"]   # optional: the cue does not count in a message matching these

Patterns are Python regular expressions matched against ``normalize(text)``: lower
case, without diacritics. Loading validates everything and reports ``file:line``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from childguard.detectors.cues import CUES, CueSpec
from childguard.detectors.normalize import normalize
from childguard.yamlsrc import YamlSourceError, load_yaml


class LexiconError(ValueError):
    """A lexicon file is invalid. The message names the file and line."""


@dataclass(frozen=True)
class CueRule:
    spec: CueSpec
    language: str
    weight: float
    reason: str
    pattern: re.Pattern[str]
    unless: re.Pattern[str] | None


@dataclass(frozen=True)
class Lexicon:
    language: str
    rules: tuple[CueRule, ...]
    protective: re.Pattern[str] | None
    source: str


def _compile(patterns: object, where: str) -> re.Pattern[str]:
    if not isinstance(patterns, list) or not patterns or not all(isinstance(p, str) for p in patterns):
        raise LexiconError(f"{where}: expected a non-empty list of pattern strings")
    for p in patterns:
        try:
            re.compile(p)
        except re.error as exc:
            raise LexiconError(f"{where}: invalid pattern {p!r}: {exc}") from None
        if normalize(p) != p and not any(ch in p for ch in "\\[]()|?*+{}^$."):
            raise LexiconError(f"{where}: pattern {p!r} is not normalised (write it lower-case, without diacritics)")
    return re.compile("|".join(f"(?:{p})" for p in patterns))


def parse_lexicon(text: str, source: str) -> Lexicon:
    try:
        doc = load_yaml(text, source)
    except YamlSourceError as exc:
        raise LexiconError(str(exc)) from None
    if not isinstance(doc, dict):
        raise LexiconError(f"{source}: expected a mapping with 'language' and 'cues'")
    language = doc.get("language")
    if not isinstance(language, str) or not language:
        raise LexiconError(f"{source}:{doc['__line__']}: 'language' is required")
    protective = None
    if doc.get("protective") is not None:
        protective = _compile(doc["protective"], f"{source}:{doc['__line__']}: protective")
    entries = doc.get("cues")
    if not isinstance(entries, list) or not entries:
        raise LexiconError(f"{source}: 'cues' must be a non-empty list")
    rules: list[CueRule] = []
    for entry in entries:
        if not isinstance(entry, dict):
            raise LexiconError(f"{source}: every entry of 'cues' must be a mapping")
        where = f"{source}:{entry['__line__']}"
        unknown = set(entry) - {"cue", "reason", "weight", "patterns", "unless", "__line__"}
        if unknown:
            raise LexiconError(f"{where}: unknown field(s) {', '.join(sorted(unknown))}")
        name = entry.get("cue")
        if name not in CUES:
            raise LexiconError(f"{where}: unknown cue {name!r} (known cues are listed in detectors/cues.py)")
        spec = CUES[name]
        weight = entry.get("weight", spec.weight)
        if isinstance(weight, bool) or not isinstance(weight, int | float) or not 0 < weight <= 1:
            raise LexiconError(f"{where}: weight must be a number in (0, 1]")
        reason = entry.get("reason", spec.reason)
        if not isinstance(reason, str) or not reason.strip():
            raise LexiconError(f"{where}: reason must be a non-empty string")
        rules.append(
            CueRule(
                spec=spec,
                language=language,
                weight=float(weight),
                reason=reason,
                pattern=_compile(entry.get("patterns"), f"{where}: patterns"),
                unless=_compile(entry["unless"], f"{where}: unless") if entry.get("unless") else None,
            )
        )
    return Lexicon(language=language, rules=tuple(rules), protective=protective, source=source)


def load_lexicon(path: Path) -> Lexicon:
    return parse_lexicon(path.read_text(encoding="utf-8"), str(path))


def builtin_lexicons() -> tuple[Lexicon, ...]:
    """The lexicons shipped with childguard, one per language, in file-name order."""
    folder = resources.files("childguard.detectors") / "lexicons"
    out = []
    for item in sorted(folder.iterdir(), key=lambda p: p.name):
        if item.name.endswith(".yaml"):
            out.append(parse_lexicon(item.read_text(encoding="utf-8"), f"lexicons/{item.name}"))
    return tuple(out)
