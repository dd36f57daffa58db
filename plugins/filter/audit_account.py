# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
name: audit_account
short_description: One account's row of the maintenance-window audit
version_added: 0.1.0
description:
  - Classifies each account step of the step catalog (the four setup tasks) from the results of the permissions
    role run in check mode - C(compliant) (setup would change nothing), C(missing) (setup
    would create the task's main resource, every one of them), C(drifted) (setup would change
    something else), C(error) (the check failed or did not get that far) or C(not managed)
    (the task's C(mw_manage_*) toggle is off) or C(not configured) (nothing to check, for
    example no principals for Task 3 or 4).
  - Adds the findings of M(fleetiam.maintenance_windows.maintenance_window_audit_info).
author: fleetiam maintainers (@fleetiam)
options:
  _input:
    description:
      - The outcome of each result of the role's steps, by the result's label in the step catalog, for
        example C(Task 1 policy) - the role's C(mw_summary.outcomes), kept by
        P(fleetiam.maintenance_windows.record_step#filter) when the caller sets C(__mw_keep_step_outcomes),
        or the registered results themselves.
    type: dict
    required: true
  host:
    description: The account's inventory host name.
    type: str
    required: true
  summary:
    description: The role's C(mw_summary) of the check-mode run (account id, failure).
    type: dict
    required: true
  managed:
    description: The value of each step's toggle (C(mw_manage_*)), by step id (C(policy), C(service_role), C(pass_role), C(deny)).
    type: dict
    required: true
  findings:
    description: The result of M(fleetiam.maintenance_windows.maintenance_window_audit_info) (empty when it did not run).
    type: dict
    default: {}
  findings_error:
    description: Why M(fleetiam.maintenance_windows.maintenance_window_audit_info) failed, if it did.
    type: str
    default: ""
  pass_role_principals:
    description:
      - The configured Task 3 principals, each a C([type, name]) pair (C(mw_pass_role_groups), C(_users),
        C(_roles)). Anyone else who can pass the service role (for example a user allowed
        C(iam:PassRole) on C(*)) is a finding, in C(unexpected_pass_role_principals), with the policies
        that allow it. The users who can only through a configured group, and the service role
        itself, are expected.
    type: list
    elements: list
    default: []
  scope:
    description:
      - Whose steps to classify - C(account) (an account's row) or C(organization) (the C(mw_organization)
        host's row, its steps run by the role C(fleetiam.maintenance_windows.organization)).
    type: str
    default: account
"""

EXAMPLES = r"""
- name: Audit row of this account
  ansible.builtin.set_fact:
    audit_row: >-
      {{ mw_summary.outcomes | fleetiam.maintenance_windows.audit_account(
           host=inventory_hostname, summary=mw_summary, findings=audit_findings,
           managed={'policy': mw_manage_policy, 'service_role': mw_manage_service_role,
                    'pass_role': mw_manage_pass_role, 'deny': mw_manage_deny}) }}
"""

RETURN = r"""
_value:
  description:
    - C(host), C(account_id), C(region), C(status) (the worst task status), C(tasks) (by task key, each
      with C(task), C(title), C(status), C(checked) and C(findings)), C(ownership) (by resource,
      C(owned), C(not ours), or not ours and adopted or refused by the next setup), C(service_role_arn),
      C(pass_role_principals), C(unexpected_pass_role_principals) (those of them who are not configured
      Task 3 principals, a finding), C(legacy_role_tasks) (each with its C(region)), C(regions) (read),
      C(region_errors) (the regions that could not be read), C(maintenance_windows), C(maintenance_window_tasks),
      C(policy_findings) and C(errors).
  type: dict
"""

from ansible_collections.fleetiam.maintenance_windows.plugins.plugin_utils.step_catalog import label
from ansible_collections.fleetiam.maintenance_windows.plugins.plugin_utils.step_catalog import steps as catalog_steps
from ansible_collections.fleetiam.maintenance_windows.plugins.plugin_utils.step_results import (
    action_of,
    differs_of,
    items_of,
    made_change,
    resource_of,
    summarise,
)

# Worst first: the account's status is the first of these that any of its tasks has.
SEVERITY = ("error", "missing", "drifted", "compliant", "not configured", "not managed")
FINDING = {"would create": "missing", "would update": "differs", "would delete": "should not exist",
           "would attach": "missing", "would detach": "should not exist"}
# Whose the existing roles and policies are (the modules' ``ownership``; a created one is missing).
OWNERSHIP = {"owned": "owned", "adopted": "not ours, adopted by the next setup (mw_adopt_existing)",
             "not ours": "not ours"}
REFUSED = "not ours, refused by setup (set mw_adopt_existing, or choose another name)"


def ownership_of(step_results):
    """{resource: whose it is} of the roles and policies the steps found."""
    found = {}
    for registered in (step_results or {}).values():
        for item in items_of(registered):
            if item.get("ownership") in OWNERSHIP:
                found[resource_of(item)] = OWNERSHIP[item["ownership"]]
            elif item.get("error_kind") == "not_owned":
                found[item.get("resource") or "?"] = REFUSED
    return found


def classify_task(step_results, primary, steps, role_failure):
    """``(status, checked, findings)`` of one setup task from the role's check-mode results."""
    items = {step: items_of(step_results.get(step)) for step in steps}
    failures = ["%s: %s" % (step, item.get("msg", "failed")) for step in steps for item in items[step]
                if item.get("failed")]
    if failures:
        return "error", 0, failures
    checked = sum(len(found) for found in items.values())
    if not checked:
        if role_failure:
            # The failure itself is the account's error; repeating it under every task hides the tasks.
            return "error", 0, ["not checked: an earlier step failed (see errors)"]
        ran = any(step_results.get(step) for step in steps)
        return "not configured", 0, ["nothing configured to check"] if ran else []
    changes = summarise({step: step_results.get(step) for step in steps}, True)["changes"]
    findings = ["%s: %s" % (FINDING.get(action_of(item, True), action_of(item, True)), resource_of(item))
                + "".join("; " + line for line in differs_of(item))
                for step in steps for item in items[step] if made_change(item)]
    if not changes:
        return "compliant", checked, findings
    created = [c for c in changes if c["step"] == primary and c["action"] == "would create"]
    if items[primary] and len(created) == len(items[primary]):
        return "missing", checked, findings
    return "drifted", checked, findings


def unexpected_principals(principals, configured, service_role_arn=""):
    """Who can pass the service role without being a configured Task 3 principal (None: unknown).

    Expected: the configured principals, the users who can only through a configured group,
    and the service role itself (the guide's Task 1 policy lets it pass itself to Systems Manager)."""
    if principals is None:
        return None
    expected = {tuple(pair) for pair in configured or []}
    if service_role_arn:
        expected.add(("role", service_role_arn.rpartition("/")[2]))
    through_groups = tuple("group %s: " % name for kind, name in expected if kind == "group")

    def is_expected(principal):
        if (principal["type"], principal["name"]) in expected:
            return True
        allowed_by = principal.get("allowed_by") or []
        return principal["type"] == "user" and bool(allowed_by) and bool(through_groups) and all(
            source.startswith(through_groups) for source in allowed_by)

    return [principal for principal in principals if not is_expected(principal)]


def audit_account(step_results, host, summary, managed, findings=None, findings_error="", pass_role_principals=(),
                  scope="account"):
    summary = summary or {}
    # A skipped or failed audit_info result holds no findings.
    findings = findings if findings and not findings.get("failed") and not findings.get("skipped") else {}
    role_failure = ""
    if summary.get("failed"):
        role_failure = "%s: %s" % (summary.get("failed_task") or "?", summary.get("error") or "failed")
    tasks = {}
    for step in catalog_steps(scope):
        key = step["id"]
        if managed.get(key) is False:
            status, checked, notes = "not managed", 0, ["not managed here (%s is false)" % step["toggle"]]
        else:
            status, checked, notes = classify_task(step_results or {}, step["results"][0], step["results"], role_failure)
        tasks[key] = dict(task=label(step), title=step["title"], status=status, checked=checked, findings=notes)
    statuses = [task["status"] for task in tasks.values()]
    errors = [message for message in (role_failure, findings_error) if message]
    return dict(
        host=host,
        account_id=summary.get("account_id") or findings.get("account_id") or "",
        region=findings.get("region", ""),
        regions=findings.get("regions") or [],
        region_errors=findings.get("region_errors") or [],
        status=next(status for status in SEVERITY if status in statuses),
        tasks=tasks,
        ownership=ownership_of(step_results),
        service_role_arn=findings.get("service_role_arn", ""),
        # None, not [], when they could not be read: "nobody" and "unknown" must not look alike.
        pass_role_principals=findings.get("pass_role_principals"),
        unexpected_pass_role_principals=unexpected_principals(
            findings.get("pass_role_principals"), pass_role_principals, findings.get("service_role_arn", "")),
        legacy_role_tasks=findings.get("legacy_role_tasks"),
        maintenance_windows=findings.get("maintenance_windows"),
        maintenance_window_tasks=findings.get("maintenance_window_tasks"),
        policy_findings=findings.get("policy_findings"),
        errors=errors,
    )


class FilterModule(object):
    def filters(self):
        return dict(audit_account=audit_account)
