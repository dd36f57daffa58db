"""A small evaluator of the Deny statements of a service control policy, for the proof that
the guardrail denies what it should: does the SCP deny ``action`` to the principal ``principal_arn``?

It follows the IAM policy reference for what it covers:
- Action and NotAction: "*" and "?" wildcards, case-insensitive (service prefix and name);
- the ARN condition operators ArnLike, ArnNotLike, ArnEquals, ArnNotEquals on the key
  aws:PrincipalArn (case-insensitive key): the ARN is split at ":" into its six parts and each
  part matched on its own, "*" and "?" within a part, case-sensitively; several values of one
  key are OR-ed, a negated operator (ArnNot...) holds when none matches; several operators or
  keys of one Condition are AND-ed.

It does not cover (and refuses, so that a test cannot pass by leaving something out): other
condition operators and keys, ...IfExists, policy variables, NotResource, Resource other than
"*". Nor does it model the rest of the evaluation: the Allow statements an SCP needs above it
(FullAWSAccess), other SCPs, identity and resource policies, or the management account, to which
no SCP applies.
"""

from __future__ import annotations

import re

ARN_OPERATORS = {"arnlike": False, "arnequals": False, "arnnotlike": True, "arnnotequals": True}


def _as_list(value):
    return value if isinstance(value, list) else [value]


def _wildcard(pattern, text, ignore_case):
    regex = "".join(".*" if char == "*" else "." if char == "?" else re.escape(char) for char in pattern)
    return re.fullmatch(regex, text, re.DOTALL | (re.IGNORECASE if ignore_case else 0)) is not None


def arn_like(pattern, arn):
    """ArnLike: each of the six colon-separated parts matched on its own."""
    pattern_parts, arn_parts = pattern.split(":", 5), arn.split(":", 5)
    if len(pattern_parts) != 6 or len(arn_parts) != 6:
        return False
    return all(_wildcard(p, a, False) for p, a in zip(pattern_parts, arn_parts))


def action_matches(patterns, action):
    return any(_wildcard(pattern, action, True) for pattern in _as_list(patterns))


def _condition_holds(condition, principal_arn):
    for operator, block in condition.items():
        if operator.lower() not in ARN_OPERATORS:
            raise ValueError("the evaluator does not cover the condition operator %s" % operator)
        negated = ARN_OPERATORS[operator.lower()]
        for key, values in block.items():
            if key.lower() != "aws:principalarn":
                raise ValueError("the evaluator does not cover the condition key %s" % key)
            matched = any(arn_like(value, principal_arn) for value in _as_list(values))
            if matched == negated:
                return False
    return True


def denies(document, principal_arn, action):
    """Whether a Deny statement of ``document`` applies to ``action`` by ``principal_arn``."""
    for statement in _as_list(document["Statement"]):
        if statement["Effect"] != "Deny":
            continue
        if "NotResource" in statement or _as_list(statement.get("Resource", "*")) != ["*"]:
            raise ValueError("the evaluator covers only Resource \"*\"")
        if "Action" in statement and not action_matches(statement["Action"], action):
            continue
        if "NotAction" in statement and action_matches(statement["NotAction"], action):
            continue
        if _condition_holds(statement.get("Condition") or {}, principal_arn):
            return True
    return False
