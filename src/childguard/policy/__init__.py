"""Declarative policies: YAML packs -> validated model -> evaluate() -> Decision."""

from childguard.policy.evaluate import PolicyInput, RuleMatch, evaluate, matches
from childguard.policy.loader import (
    PolicyError,
    PolicyProblem,
    load_default_policy,
    load_policy,
    parse_policy_documents,
)
from childguard.policy.model import Policy, Rule

__all__ = [
    "Policy",
    "PolicyError",
    "PolicyInput",
    "PolicyProblem",
    "Rule",
    "RuleMatch",
    "evaluate",
    "load_default_policy",
    "load_policy",
    "matches",
    "parse_policy_documents",
]
