"""Load and validate YAML policy packs. Every error names the file and the line.

A pack looks like::

    policy: {name: default}
    rules:
      - name: grooming_to_minor
        description: Grooming pattern from an adult or unknown account toward a minor
        when_all:
          - signal: {detector: conversation_risk, category: grooming, flagged: true}
          - target: {age_band: [under_13, 13_15, 16_17]}
        then:
          - open_case: {queue: child_safety, priority: p0}
          - show_help: {topic: grooming}

Several files may be loaded together (a base pack plus a platform's overrides); rule
names must be unique across all of them.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

from childguard.detectors.registry import DetectorRegistry
from childguard.domain import AgeBand, Category, EffectKind, SignalScope
from childguard.policy.model import (
    Condition,
    CountryCondition,
    EffectSpec,
    Match,
    PartyCondition,
    PartyRole,
    PlatformCondition,
    Policy,
    Rule,
    SignalCondition,
)
from childguard.yamlsrc import LINE_KEY, YamlSourceError, line_of, load_yaml, strip_lines

_NAME = re.compile(r"^[a-z][a-z0-9_]{0,63}$")
_DURATION = re.compile(r"^(\d{1,4})(m|h|d)$|^permanent$")
_BANDS = ", ".join(b.value for b in AgeBand)


@dataclass(frozen=True)
class PolicyProblem:
    source: str
    line: int | None
    message: str

    def __str__(self) -> str:
        return f"{self.source}:{self.line}: {self.message}" if self.line else f"{self.source}: {self.message}"


class PolicyError(ValueError):
    """A policy failed validation. ``problems`` lists every problem found, each with file and line."""

    def __init__(self, problems: list[PolicyProblem]) -> None:
        self.problems = problems
        super().__init__("\n".join(str(p) for p in problems))


# Parameters each effect accepts: name -> (validator, default). A validator returns an error or None.
_Validator = Callable[[Any], str | None]


def _one_of(*values: str) -> _Validator:
    return lambda v: None if v in values else f"must be one of {', '.join(values)}"


def _text(v: Any) -> str | None:
    return None if isinstance(v, str) and v.strip() and len(v) <= 200 else "must be a short, non-empty string"


def _duration(v: Any) -> str | None:
    return (
        None if isinstance(v, str) and _DURATION.match(v) else "must be a duration such as 30m, 24h, 7d or 'permanent'"
    )


_TOPICS = (*(c.value for c in Category), "general")
EFFECT_PARAMS: dict[EffectKind, dict[str, tuple[_Validator, Any]]] = {
    EffectKind.OPEN_CASE: {
        "queue": (_text, "default"),
        "priority": (_one_of("p0", "p1", "p2", "p3"), "p2"),
    },
    EffectKind.HOLD_MESSAGE: {"reason": (_text, None)},
    EffectKind.BLOCK_MESSAGE: {"reason": (_text, None)},
    EffectKind.RESTRICT_CONTACT: {"duration": (_duration, "24h")},
    EffectKind.SHOW_HELP: {"topic": (_one_of(*_TOPICS), None), "to": (_one_of("child", "target", "actor"), "child")},
    EffectKind.NOTIFY_GUARDIAN: {"about": (_one_of(*_TOPICS), None)},
    EffectKind.ESCALATE: {"to": (_one_of("senior_review", "hotline", "law_enforcement"), "senior_review")},
}


class _Checker:
    def __init__(self, source: str, registry: DetectorRegistry | None) -> None:
        self.source = source
        self.registry = registry
        self.problems: list[PolicyProblem] = []

    def fail(self, line: int | None, message: str) -> None:
        self.problems.append(PolicyProblem(self.source, line, message))

    def _emits(self, detector: str | None) -> frozenset[Category] | None:
        """The categories a registered detector emits; None when it is not registered (reported elsewhere)."""
        if detector is None or self.registry is None or self.registry.get(detector) is None:
            return None
        return self.registry.categories_of(detector)

    def mapping(self, obj: Any, line: int | None, what: str) -> dict[str, Any] | None:
        if not isinstance(obj, dict):
            self.fail(line, f"{what} must be a mapping")
            return None
        return obj

    def unknown_keys(self, obj: Mapping[str, Any], allowed: Iterable[str], what: str) -> None:
        extra = sorted(set(obj) - set(allowed) - {LINE_KEY})
        if extra:
            self.fail(line_of(obj), f"{what}: unknown field(s) {', '.join(extra)}")

    # -- conditions ---------------------------------------------------------------------------

    def condition(self, raw: Any, line: int | None) -> Condition | None:
        if not isinstance(raw, dict) or len(set(raw) - {LINE_KEY}) != 1:
            self.fail(
                line, "each condition must be a mapping with exactly one of: signal, actor, target, country, platform"
            )
            return None
        line = line_of(raw) or line
        (kind,) = set(raw) - {LINE_KEY}
        body = raw[kind]
        if kind == "signal":
            return self.signal_condition(body, line)
        if kind in ("actor", "target"):
            return self.party_condition(PartyRole(kind), body, line)
        if kind in ("country", "platform"):
            values = body if isinstance(body, list) else [body]
            if not values or not all(isinstance(v, str) and v for v in values):
                self.fail(line, f"{kind}: expected a value or a list of values")
                return None
            if kind == "country":
                bad = [v for v in values if not re.fullmatch(r"[A-Z]{2}", v)]
                if bad:
                    self.fail(line, f"country: {', '.join(bad)} not ISO 3166-1 alpha-2 (such as VN, GB)")
                return CountryCondition(frozenset(values))
            return PlatformCondition(frozenset(values))
        self.fail(line, f"unknown condition {kind!r} (expected signal, actor, target, country or platform)")
        return None

    def signal_condition(self, body: Any, line: int | None) -> SignalCondition | None:
        m = self.mapping(body, line, "signal")
        if m is None:
            return None
        self.unknown_keys(m, ("detector", "category", "label", "min_score", "flagged", "scope"), "signal")
        detector: str | None = m.get("detector")
        if detector is not None and not isinstance(detector, str):
            self.fail(line, "signal.detector must be a detector name")
            detector = None
        if detector is not None and self.registry is not None and self.registry.get(detector) is None:
            known = ", ".join(self.registry.names)
            self.fail(line, f"unknown detector {detector!r} (known: {known})")
        raw_cat = m.get("category", m.get("label"))
        category = None
        if raw_cat is not None:
            if raw_cat not in {c.value for c in Category}:
                self.fail(
                    line, f"unknown category {raw_cat!r} (expected one of {', '.join(c.value for c in Category)})"
                )
            else:
                category = Category(raw_cat)
                emits = self._emits(detector)
                if emits is not None and category not in emits:
                    self.fail(line, f"detector {detector!r} never emits category {category.value!r}")
        min_score = m.get("min_score")
        if min_score is not None and (
            isinstance(min_score, bool) or not isinstance(min_score, int | float) or not 0 <= min_score <= 1
        ):
            self.fail(line, "signal.min_score must be a number between 0 and 1")
            min_score = None
        flagged = m.get("flagged")
        if flagged is not None and not isinstance(flagged, bool):
            self.fail(line, "signal.flagged must be true or false")
            flagged = None
        scope = m.get("scope")
        if scope is not None and scope not in {s.value for s in SignalScope}:
            self.fail(line, "signal.scope must be message or conversation")
            scope = None
        return SignalCondition(
            detector=detector,
            category=category,
            min_score=float(min_score) if min_score is not None else None,
            flagged=flagged,
            scope=SignalScope(scope) if scope else None,
        )

    def party_condition(self, role: PartyRole, body: Any, line: int | None) -> PartyCondition | None:
        m = self.mapping(body, line, role.value)
        if m is None:
            return None
        self.unknown_keys(m, ("age_band", "minor"), role.value)
        bands: set[AgeBand] = set()
        raw = m.get("age_band")
        if raw is not None:
            for b in raw if isinstance(raw, list) else [raw]:
                if b not in {x.value for x in AgeBand}:
                    self.fail(line, f"{role.value}.age_band: {b!r} is not one of {_BANDS}")
                else:
                    bands.add(AgeBand(b))
        minor = m.get("minor")
        if minor is not None:
            if not isinstance(minor, bool):
                self.fail(line, f"{role.value}.minor must be true or false")
            else:
                bands |= {b for b in AgeBand if b.is_minor == minor and b is not AgeBand.UNKNOWN}
        if not bands:
            self.fail(line, f"{role.value}: give age_band (a band or list of bands) or minor: true/false")
            return None
        return PartyCondition(role, frozenset(bands))

    # -- effects ------------------------------------------------------------------------------

    def effect(self, raw: Any, line: int | None) -> EffectSpec | None:
        if isinstance(raw, str):
            raw = {raw: {}}
        if not isinstance(raw, dict) or len(set(raw) - {LINE_KEY}) != 1:
            self.fail(line, "each effect must be an action name or a mapping {action: {parameters}}")
            return None
        line = line_of(raw) or line
        (name,) = set(raw) - {LINE_KEY}
        if name not in {k.value for k in EffectKind}:
            self.fail(line, f"unknown action {name!r} (expected one of {', '.join(k.value for k in EffectKind)})")
            return None
        kind = EffectKind(name)
        body = raw[name] if raw[name] is not None else {}
        params = self.mapping(body, line, name)
        if params is None:
            return None
        spec = EFFECT_PARAMS[kind]
        out: dict[str, Any] = {}
        for key, value in params.items():
            if key == LINE_KEY:
                continue
            if key not in spec:
                allowed = ", ".join(spec) or "none"
                self.fail(line, f"{name}: unknown parameter {key!r} (allowed: {allowed})")
                continue
            error = spec[key][0](value)
            if error:
                self.fail(line, f"{name}.{key} {error}")
            else:
                out[key] = value
        for key, (_, default) in spec.items():
            if key not in out and default is not None:
                out[key] = default
        return EffectSpec(kind, out)

    # -- rules --------------------------------------------------------------------------------

    def rule(self, raw: Any, fallback_line: int | None) -> Rule | None:
        m = self.mapping(raw, fallback_line, "each rule")
        if m is None:
            return None
        line = line_of(m)
        self.unknown_keys(m, ("name", "description", "when_all", "when_any", "then"), "rule")
        name = m.get("name")
        if not isinstance(name, str) or not _NAME.match(name):
            self.fail(line, "rule needs a name in lower_snake_case")
            name = None
        label = f"rule {name!r}" if name else "rule"
        description = m.get("description")
        if not isinstance(description, str) or not description.strip():
            self.fail(line, f"{label} has no description (say what it is for)")
        has_all, has_any = "when_all" in m, "when_any" in m
        if has_all == has_any:
            self.fail(line, f"{label} needs exactly one of when_all or when_any")
            return None
        match = Match.ALL if has_all else Match.ANY
        raw_conditions = m["when_all" if has_all else "when_any"]
        if not isinstance(raw_conditions, list) or not raw_conditions:
            self.fail(line, f"{label}: when_{match.value} must be a non-empty list of conditions")
            return None
        conditions = [self.condition(c, line) for c in raw_conditions]
        if not any(isinstance(c, SignalCondition) for c in conditions):
            self.fail(line, f"{label} needs at least one signal condition")
        raw_effects = m.get("then")
        if not isinstance(raw_effects, list) or not raw_effects:
            self.fail(line, f"{label}: 'then' must be a non-empty list of actions")
            return None
        effects = [self.effect(e, line) for e in raw_effects]
        if name is None or any(c is None for c in conditions) or any(e is None for e in effects):
            return None
        return Rule(
            name=name,
            description=str(description or ""),
            match=match,
            conditions=tuple(c for c in conditions if c is not None),
            effects=tuple(e for e in effects if e is not None),
            source=self.source,
            line=line or 0,
        )


def parse_policy_documents(documents: Sequence[tuple[str, str]], registry: DetectorRegistry | None = None) -> Policy:
    """Validate one or more (source name, YAML text) documents into one policy."""
    problems: list[PolicyProblem] = []
    rules: list[Rule] = []
    name: str | None = None
    seen: dict[str, Rule] = {}
    digest = hashlib.sha256()
    for source, text in documents:
        checker = _Checker(source, registry)
        try:
            doc = load_yaml(text, source)
        except YamlSourceError as exc:
            problems.append(PolicyProblem(source, exc.line, exc.message))
            continue
        digest.update(json.dumps(strip_lines(doc), sort_keys=True, default=str).encode())
        if not isinstance(doc, dict):
            problems.append(PolicyProblem(source, None, "a policy file must be a mapping with 'rules'"))
            continue
        checker.unknown_keys(doc, ("policy", "rules"), "policy file")
        header = doc.get("policy")
        if header is not None:
            h = checker.mapping(header, line_of(doc), "policy")
            if h is not None:
                checker.unknown_keys(h, ("name", "description"), "policy")
                if isinstance(h.get("name"), str) and name is None:
                    name = h["name"]
        raw_rules = doc.get("rules")
        if not isinstance(raw_rules, list) or not raw_rules:
            checker.fail(line_of(doc), "'rules' must be a non-empty list")
        else:
            for raw in raw_rules:
                rule = checker.rule(raw, line_of(doc))
                if rule is None:
                    continue
                if rule.name in seen:
                    checker.fail(
                        rule.line, f"duplicate rule name {rule.name!r} (first defined at {seen[rule.name].location})"
                    )
                    continue
                seen[rule.name] = rule
                rules.append(rule)
        problems.extend(checker.problems)
    if problems:
        raise PolicyError(problems)
    return Policy(
        name=name or "policy",
        version=digest.hexdigest()[:12],
        rules=tuple(rules),
        sources=tuple(s for s, _ in documents),
    )


def load_policy(paths: Sequence[Path], registry: DetectorRegistry | None = None) -> Policy:
    """Load policy files (a directory loads every ``*.yaml`` in it, by name)."""
    documents: list[tuple[str, str]] = []
    for path in paths:
        files = sorted(path.glob("*.y*ml")) if path.is_dir() else [path]
        for f in files:
            documents.append((str(f), f.read_text(encoding="utf-8")))
    if not documents:
        raise PolicyError([PolicyProblem(", ".join(map(str, paths)), None, "no policy files found")])
    return parse_policy_documents(documents, registry)


def default_policy_text() -> str:
    return (resources.files("childguard.policy") / "packs" / "default.yaml").read_text(encoding="utf-8")


def load_default_policy(registry: DetectorRegistry | None = None) -> Policy:
    return parse_policy_documents([("packs/default.yaml", default_policy_text())], registry)
