# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Policy documents: parsed, validated before any write, and compared by meaning.

IAM stores a document the way it was written, and hands it back URL-encoded; two
documents that grant the same thing can still differ in key order, list order, a one-item
list against a plain string, an empty ``Sid``, duplicates or the case of action names.
``normalize`` maps all of those onto one canonical form, so that ``same_policy`` answers
"would writing this change anything?" and diffs show only real differences.
"""

from __future__ import annotations

import json
import re
from urllib.parse import unquote

from ansible_collections.fleetiam.maintenance_windows.plugins.module_utils import policy_check
from ansible_collections.fleetiam.maintenance_windows.plugins.module_utils.arns import PARTITIONS
from ansible_collections.fleetiam.maintenance_windows.plugins.module_utils.errors import InvalidInputError

VERSIONS = ("2012-10-17", "2008-10-17")
# What the modules' option policy_check does with a document the reference check refuses.
POLICY_CHECKS = ("refuse", "warn")
_TOP_LEVEL_KEYS = {"Version", "Id", "Statement"}
_STATEMENT_KEYS = {"Sid", "Effect", "Principal", "NotPrincipal", "Action", "NotAction",
                   "Resource", "NotResource", "Condition"}
# Size limits IAM applies, counted without white space (as IAM counts them).
SIZE_LIMITS = {"managed": 6144, "role": 10240, "user": 2048, "group": 5120, "trust": 2048}
# IAM stores an account id given as an AWS principal as the account's root ARN.
_ACCOUNT_ROOT_RE = re.compile(r"^arn:aws(?:-cn|-us-gov)?:iam::(\d{12}):root$")


def parse(document, what="policy document"):
    """A dict from a dict, a JSON string, or the URL-encoded JSON that IAM returns."""
    if isinstance(document, dict):
        return document
    if not isinstance(document, str):
        raise InvalidInputError(
            "the %s is a %s, not a JSON object" % (what, type(document).__name__),
            fix="give the document as a YAML/JSON mapping or a JSON string",
        )
    text = document.strip()
    if text.startswith("%7B") or text.startswith("%7b"):
        text = unquote(text)
    try:
        parsed = json.loads(text)
    except ValueError as exc:
        raise InvalidInputError(
            "the %s is not valid JSON (%s)" % (what, exc),
            fix="check the JSON syntax, e.g. with 'python -m json.tool'",
        )
    if not isinstance(parsed, dict):
        raise InvalidInputError(
            "the %s is JSON but not an object" % what,
            fix='a policy is an object: {"Version": "2012-10-17", "Statement": [...]}',
        )
    return parsed


def _as_list(value):
    if value is None:
        return []
    return value if isinstance(value, list) else [value]


def _check_resource_arns(statement, label, partition):
    for key in ("Resource", "NotResource"):
        for resource in _as_list(statement.get(key)):
            if not isinstance(resource, str):
                raise InvalidInputError("%s has a %s that is not a string: %r" % (label, key, resource),
                                        fix="write each resource as an ARN string or \"*\"")
            if not resource.startswith("arn:"):
                continue
            parts = resource.split(":", 5)
            if len(parts) < 6 or parts[1] not in PARTITIONS or not parts[2]:
                raise InvalidInputError("%s has the malformed ARN %r" % (label, resource),
                                        fix="ARNs look like arn:PARTITION:SERVICE:REGION:ACCOUNT:RESOURCE, "
                                            "e.g. arn:aws:iam::111122223333:role/NAME (not arn:aws::iam::...)")
            if partition and parts[1] != partition:
                raise InvalidInputError("%s names %r, in partition %s, but the account is in partition %s"
                                        % (label, resource, parts[1], partition),
                                        fix="use the ARN of the resource in partition %s" % partition)


def validate(document, kind="identity", what="policy document", partition=None, size_limit=None,
             policy_check_mode="refuse", warnings=None):
    """Raise ``InvalidInputError`` naming the first problem of a policy document.

    ``kind`` is ``identity`` (managed or inline policy) or ``trust`` (a role's trust policy);
    with ``partition``, ARNs of another partition are refused too, and with ``size_limit`` (a
    key of ``SIZE_LIMITS``) a document IAM would not store. Then the document is
    checked against the AWS Service Authorization Reference (``policy_check``): what it
    refuses is an error, or with ``policy_check_mode="warn"`` a warning; its warnings are
    appended to ``warnings``.
    """
    doc = parse(document, what)
    extra = set(doc) - _TOP_LEVEL_KEYS
    if extra:
        raise InvalidInputError("the %s has unknown top-level keys %s" % (what, sorted(extra)),
                                fix="a policy holds only Version, Id and Statement")
    if "Version" in doc and doc["Version"] not in VERSIONS:
        raise InvalidInputError("the %s has Version %r" % (what, doc["Version"]),
                                fix='use "Version": "2012-10-17"')
    statements = doc.get("Statement")
    if not statements:
        raise InvalidInputError("the %s has no Statement" % what, fix="add at least one statement")
    for index, statement in enumerate(_as_list(statements)):
        label = "%s statement %d" % (what, index + 1)
        if not isinstance(statement, dict):
            raise InvalidInputError("%s is not an object" % label, fix="each statement is a mapping")
        unknown = set(statement) - _STATEMENT_KEYS
        if unknown:
            raise InvalidInputError("%s has unknown keys %s" % (label, sorted(unknown)),
                                    fix="check the spelling of the statement's keys")
        if statement.get("Effect") not in ("Allow", "Deny"):
            raise InvalidInputError("%s has Effect %r" % (label, statement.get("Effect")),
                                    fix='Effect is "Allow" or "Deny"')
        if ("Action" in statement) == ("NotAction" in statement):
            raise InvalidInputError("%s needs exactly one of Action or NotAction" % label,
                                    fix='add e.g. "Action": "iam:PassRole"')
        for key in ("Action", "NotAction"):
            for action in _as_list(statement.get(key)):
                if not isinstance(action, str) or (action != "*" and ":" not in action):
                    raise InvalidInputError("%s has the malformed action %r" % (label, action),
                                            fix='actions look like "service:Action" or "*"')
        if kind == "trust":
            if "Principal" not in statement and "NotPrincipal" not in statement:
                raise InvalidInputError("%s has no Principal" % label,
                                        fix='a trust policy names who may assume the role, '
                                            'e.g. {"Service": "ssm.amazonaws.com"}')
            if "Resource" in statement or "NotResource" in statement:
                raise InvalidInputError("%s of a trust policy may not have a Resource" % label,
                                        fix="remove Resource from the trust policy")
        else:
            if "Principal" in statement or "NotPrincipal" in statement:
                raise InvalidInputError("%s of an identity policy may not have a Principal" % label,
                                        fix="remove Principal; it belongs in trust policies")
            if ("Resource" in statement) == ("NotResource" in statement):
                raise InvalidInputError("%s needs exactly one of Resource or NotResource" % label,
                                        fix='add e.g. "Resource": "*"')
        _check_resource_arns(statement, label, partition)
        condition = statement.get("Condition")
        if condition is not None and not isinstance(condition, dict):
            raise InvalidInputError("%s has a Condition that is not a mapping" % label,
                                    fix='write {"Operator": {"key": "value"}}')
    if size_limit:
        check_size(doc, size_limit, what)
    found = policy_check.enforce(doc, what, refuse=policy_check_mode != "warn")
    if warnings is not None:
        warnings.extend(found)
    return doc


def size_without_whitespace(document):
    return len(json.dumps(parse(document), separators=(",", ":")))


def check_size(document, limit_kind, what="policy document"):
    size = size_without_whitespace(document)
    limit = SIZE_LIMITS[limit_kind]
    if size > limit:
        raise InvalidInputError(
            "the %s is %d characters without white space; IAM allows %d" % (what, size, limit),
            fix="split it, or drop statements or actions it does not need",
        )
    return size


def _scalar(value):
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def _sorted_unique(values, fold_case=False):
    items = {(_scalar(v).lower() if fold_case else _scalar(v)) for v in _as_list(values)}
    return sorted(items)


def _normalize_principal(principal):
    if principal == "*":
        return {"AWS": ["*"]}
    if not isinstance(principal, dict):
        return principal
    result = {}
    for key, value in sorted(principal.items()):
        if key == "AWS":
            value = [_ACCOUNT_ROOT_RE.sub(r"\1", v) if isinstance(v, str) else v for v in _as_list(value)]
        result[key] = _sorted_unique(value)
    return result


def _normalize_condition(condition, fold_case):
    # Condition keys are case-insensitive in IAM, and so are the operator names.
    fold = str.lower if fold_case else str
    result = {}
    for operator, block in condition.items():
        merged = result.setdefault(fold(operator), {})
        for key, value in (block or {}).items():
            merged[fold(key)] = _sorted_unique(_as_list(merged.get(fold(key))) + _as_list(value))
    return result


def _normalize_statement(statement, fold_case):
    result = {}
    for key, value in statement.items():
        if key == "Sid":
            if value:
                result["Sid"] = value
        elif key in ("Action", "NotAction"):
            result[key] = _sorted_unique(value, fold_case=fold_case)
        elif key in ("Resource", "NotResource"):
            result[key] = _sorted_unique(value)
        elif key in ("Principal", "NotPrincipal"):
            result[key] = _normalize_principal(value)
        elif key == "Condition":
            if value:
                result[key] = _normalize_condition(value, fold_case)
        else:
            result[key] = value
    return result


def canonical_json(value):
    return json.dumps(value, sort_keys=True, separators=(",", ":"))


def normalize(document, fold_case=True, keep_order=False):
    """The canonical form of a document: equal for documents IAM treats as equal.

    ``fold_case=False`` keeps the case of action names and condition operators and
    ``keep_order=True`` the order of the statements, for display.
    """
    doc = parse(document)
    statements = [_normalize_statement(s, fold_case) for s in _as_list(doc.get("Statement"))]
    unique = {}
    for statement in statements:
        unique.setdefault(canonical_json(statement), statement)
    result = {key: value for key, value in doc.items() if key != "Statement"}
    result["Statement"] = list(unique.values()) if keep_order else [unique[key] for key in sorted(unique)]
    return result


def same_policy(left, right):
    if left is None or right is None:
        return left is None and right is None
    return canonical_json(normalize(left)) == canonical_json(normalize(right))


def for_display(document):
    """A normalised, readable copy for diffs and results (None stays None)."""
    return None if document is None else normalize(document, fold_case=False, keep_order=True)


def to_wire(document):
    """The compact JSON sent to IAM (the user's own statement order is kept)."""
    return json.dumps(parse(document), separators=(",", ":"))
