# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Whether a policy document means what it says, by the AWS Service Authorization Reference.

IAM accepts a document with an action that does not exist, or a Resource that its action
can never match, and the statement then silently grants (or denies) nothing. Each statement
is checked against the reference (``policy_reference``):

* ``refused``: an unknown service prefix or action, a wildcard that matches no action, an
  action that none of the statement's resources can match (an ARN where the action takes
  only ``"*"``, an ARN of another format), or a resource that none of its actions can match;
* ``warning``: a condition key that the action does not support (the condition then never
  holds for it);
* ``note``: an Allow of an action of the access level "Permissions management" (such as
  ``iam:PassRole``): meant in this collection, worth seeing in an audit.

Statements with ``NotAction`` or ``NotResource`` are checked for their action names only.
"""

from __future__ import annotations

from ansible_collections.fleetiam.maintenance_windows.plugins.module_utils import policy_reference as reference
from ansible_collections.fleetiam.maintenance_windows.plugins.module_utils.errors import InvalidInputError

REFUSED, WARNING, NOTE = "refused", "warning", "note"
PERMISSIONS_MANAGEMENT = "Permissions management"


def _as_list(value):
    if value is None:
        return []
    return value if isinstance(value, list) else [value]


def _finding(severity, statement, problem, fix):
    return dict(severity=severity, statement=statement, problem=problem, fix=fix)


def _label(statement, index):
    sid = statement.get("Sid")
    return 'statement %d (Sid "%s")' % (index + 1, sid) if sid else "statement %d" % (index + 1)


def _nearest(word, names):
    import difflib  # pylint: disable=import-outside-toplevel  # only for a refused name
    found = difflib.get_close_matches(word.lower(), [n.lower() for n in names], n=3, cutoff=0.6)
    by_lower = {n.lower(): n for n in names}
    return [by_lower[f] for f in found]


def _expand(entry, label):
    """(prefix, [privilege data]) of one Action entry, or a refused finding."""
    prefix, name = entry.split(":", 1)  # validate() let only "service:action" and "*" through
    svc = reference.service(prefix)
    if svc is None:
        near = _nearest(prefix, reference.prefixes())
        return None, _finding(REFUSED, label, "the service prefix %r of %r is not in the AWS Service "
                              "Authorization Reference" % (prefix, entry),
                              "use a real prefix%s" % (": nearest %s" % ", ".join(near) if near else ""))
    privileges = svc["privileges"]
    if "*" in name or "?" in name:
        regex = reference.wildcard_regex(name, ignore_case=True)
        matched = [privileges[n] for n in sorted(privileges) if regex.match(n)]
        if not matched:
            stem = name.split("*")[0].split("?")[0]
            near = ["%s:%s*" % (prefix, n) for n in _nearest(stem, {p[:len(stem)] for p in privileges})]
            return None, _finding(REFUSED, label, "the wildcard %r matches no action of %s" % (entry, prefix),
                                  "correct the pattern%s" % (": nearest %s" % ", ".join(near) if near else ""))
        return svc, matched
    real = svc["privileges_lower_name"].get(name.lower())
    if real is None:
        near = ["%s:%s" % (prefix, n) for n in _nearest(name, list(privileges))]
        return None, _finding(REFUSED, label, "%r is not an action of %s" % (entry, prefix),
                              "correct the name%s" % (": nearest %s" % ", ".join(near) if near else ""))
    return svc, [privileges[real]]


def _arn_templates(svc, privilege):
    """The reference ARN formats an action accepts; empty when it takes only ``"*"``."""
    templates = []
    for resource_type in privilege["resource_types"]:
        if not resource_type:
            continue
        name = svc["resources_lower_name"].get(resource_type.lower(), resource_type)
        templates.append(svc["resources"][name]["arn"])
    return templates


def _resource_matches(resource, svc, privilege):
    resource = reference.template_pattern(resource)  # a policy variable (${aws:username}) may be anything
    if reference.wildcard_regex(resource, ignore_case=False).match("*"):
        return True  # "*": every action, also those without resource-level permissions
    return any(reference.patterns_overlap(resource, reference.arn_pattern(t)) for t in _arn_templates(svc, privilege))


def _condition_keys(svc, privilege):
    keys = []
    for resource_type, detail in privilege["resource_types"].items():
        keys += detail.get("condition_keys") or []
        name = svc["resources_lower_name"].get(resource_type.lower()) if resource_type else None
        if name:
            keys += svc["resources"][name].get("condition_keys") or []
    return [reference.template_pattern(k) for k in keys]


def _supports_key(svc, privilege, key):
    return any(reference.wildcard_regex(p, ignore_case=True).match(key) for p in _condition_keys(svc, privilege))


def _check_resources(label, expanded, resources):
    findings = []
    used = set()
    for entry, (svc, privileges) in expanded:
        matching = [r for r in resources if any(_resource_matches(r, svc, p) for p in privileges)]
        used.update(matching)
        if matching:
            continue
        takes = sorted({t for p in privileges for t in _arn_templates(svc, p)})
        if not takes:
            findings.append(_finding(REFUSED, label, "%s supports no resource-level permissions: only "
                                     '"Resource": "*" matches it, so this statement never applies to it' % entry,
                                     'give %s "Resource": "*" (in a statement of its own if need be)' % entry))
        else:
            findings.append(_finding(REFUSED, label, "no Resource of the statement can match %s" % entry,
                                     "give %s a resource of a format it takes: %s" % (entry, ", ".join(takes[:4]))))
    if len(findings) < len(expanded):
        for resource in resources:
            if resource not in used:
                findings.append(_finding(REFUSED, label, "the Resource %r matches none of the statement's actions"
                                         % resource, "remove it, or correct its ARN"))
    return findings


def _check_conditions(label, expanded, condition):
    findings = []
    keys = sorted({key for block in (condition or {}).values() if isinstance(block, dict) for key in block})
    for key in keys:
        if key.lower().startswith("aws:"):
            continue  # global condition keys apply to every action
        for entry, (svc, privileges) in expanded:
            if not any(_supports_key(svc, p, key) for p in privileges):
                findings.append(_finding(WARNING, label, "%s does not support the condition key %s: the condition "
                                         "never holds for it" % (entry, key),
                                         "use a condition key that %s supports, or move it to another statement"
                                         % entry))
    return findings


def check_statement(statement, index):
    label = _label(statement, index)
    findings = []
    expanded = []
    for key in ("Action", "NotAction"):
        for entry in _as_list(statement.get(key)):
            if entry == "*":
                continue
            svc, result = _expand(entry, label)
            if svc is None:
                findings.append(result)
            elif key == "Action":
                expanded.append((entry, (svc, result)))
    if findings or not expanded or "*" in _as_list(statement.get("Action")):
        return findings
    if "Resource" in statement:
        findings += _check_resources(label, expanded, _as_list(statement["Resource"]))
    findings += _check_conditions(label, expanded, statement.get("Condition"))
    if statement.get("Effect") == "Allow":
        for entry, (svc, privileges) in expanded:
            managed = sorted("%s:%s" % (svc["prefix"], p["privilege"]) for p in privileges
                             if p.get("access_level") == PERMISSIONS_MANAGEMENT)
            if managed:
                findings.append(_finding(NOTE, label, "grants the permissions-management action%s %s"
                                         % ("s" if len(managed) > 1 else "", ", ".join(managed[:5])),
                                         "keep its Resource as narrow as the job allows"))
    return findings


def check(document):
    """The findings of a parsed, structurally valid document; None when the reference is missing."""
    if reference.data_file() is None:
        return None
    findings = []
    for index, statement in enumerate(_as_list(document.get("Statement"))):
        findings += check_statement(statement, index)
    return findings


MESSAGE_FINDINGS = 5  # a document of 500 misspelt actions needs no message of 500 parts


def message(findings):
    shown = "; ".join("%s: %s" % (f["statement"], f["problem"]) for f in findings[:MESSAGE_FINDINGS])
    more = len(findings) - MESSAGE_FINDINGS
    return shown + ("; and %d more" % more if more > 0 else "")


def enforce(document, what, refuse=True):
    """Raise ``InvalidInputError`` for refused findings (``refuse``); return warning texts."""
    findings = check(document) or []
    refused = [f for f in findings if f["severity"] == REFUSED]
    if refused and refuse:
        raise InvalidInputError("the %s does not mean what it says: %s" % (what, message(refused)),
                                fix="; ".join(list(dict.fromkeys(f["fix"] for f in refused))[:MESSAGE_FINDINGS]))
    return ["%s %s: %s. Fix: %s" % (what, f["statement"], f["problem"], f["fix"])
            for f in findings if f["severity"] in (REFUSED, WARNING)]
