"""Once its summary is made, the role drops its step results and keeps only their outcomes, for
the audit: the fleet summary and the audit row must come out the same from the outcomes as from
the full results."""

from __future__ import annotations

import glob
import os
import re

import pytest
import yaml

from ansible_collections.fleetiam.maintenance_windows.plugins.filter.audit_account import audit_account
from ansible_collections.fleetiam.maintenance_windows.plugins.filter.change_summary import change_summary
from ansible_collections.fleetiam.maintenance_windows.plugins.filter.step_outcomes import step_outcomes

ACCOUNT = "111122223333"
POLICY_ARN = "arn:aws:iam::%s:policy/MaintenanceWindowServiceRolePolicy" % ACCOUNT
ROLE_ARN = "arn:aws:iam::%s:role/MaintenanceWindowServiceRole" % ACCOUNT
DOCUMENT = {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": ["ssm:SendCommand"], "Resource": ["*"]}]}
MANAGED = {"policy": True, "service_role": True, "pass_role": True, "deny": True}


def _inline(change, name, principal, failed=False):
    result = dict(changed=change is not None, policy_name=name, principal_type="group", principal_name=principal,
                  principal_exists=not failed, document=DOCUMENT, api_calls=3, api_retries=0, failed=failed,
                  item=["group", principal], ansible_loop_var="item",
                  diff={"before": {}, "after": {"policy": DOCUMENT}})
    if change:
        result["change"] = change
    if failed:
        result.update(msg="group %s does not exist in account %s" % (principal, ACCOUNT), error_kind="principal_not_found")
    return result


def _loop(*results):
    return dict(results=list(results), changed=any(r["changed"] for r in results), msg="All items completed",
                skipped=False)


SKIPPED = dict(changed=False, skipped=True, skip_reason="Conditional result was False",
               false_condition="mw_sns_role_arn | length > 0")

STEP_RESULTS = {
    "created everywhere": {
        "Task 1 policy": dict(changed=True, change="create", arn=POLICY_ARN, api_calls=2, failed=False,
                              policy=dict(arn=POLICY_ARN, document=DOCUMENT, default_version_id="v1"),
                              diff={"before": {}, "after": {"document": DOCUMENT}}),
        "Task 2 role": dict(changed=True, change="create", arn=ROLE_ARN, failed=False,
                            role=dict(arn=ROLE_ARN, assume_role_policy_document=DOCUMENT, managed_policies=[POLICY_ARN])),
        "Task 2 SNS PassRole": SKIPPED,
        "Task 3 PassRole": _loop(_inline("create", "MaintenanceWindowPassRole", "operators")),
        "Task 3 AmazonSSMFullAccess": dict(results=[dict(SKIPPED, item=["group", "operators"], ansible_loop_var="item")],
                                           skipped=True, changed=False, msg="All items skipped"),
        "Task 4 Deny": _loop(_inline("create", "DenyMaintenanceWindowTaskRegistration", "contractors")),
    },
    "drifted and failed": {
        "Task 1 policy": dict(changed=False, arn=POLICY_ARN, failed=False, policy=dict(arn=POLICY_ARN, document=DOCUMENT)),
        "Task 2 role": dict(changed=True, change="update", arn=ROLE_ARN, failed=False, role=dict(arn=ROLE_ARN)),
        "Task 2 SNS PassRole": {},
        "Task 3 PassRole": _loop(_inline(None, "MaintenanceWindowPassRole", "operators"),
                                 _inline("update", "MaintenanceWindowPassRole", "admins")),
        "Task 3 AmazonSSMFullAccess": _loop(dict(changed=True, change="create", policy_arn="arn:aws:iam::aws:policy/AmazonSSMFullAccess",
                                                 item=["group", "operators"], failed=False)),
        "Task 4 Deny": _loop(_inline(None, "DenyMaintenanceWindowTaskRegistration", "contractors", failed=True)),
    },
}


@pytest.mark.parametrize("case", sorted(STEP_RESULTS))
@pytest.mark.parametrize("check_mode", [False, True])
def test_the_fleet_summary_is_the_same_from_the_outcome(case, check_mode):
    full = STEP_RESULTS[case]
    reduced = step_outcomes(full)
    assert change_summary(reduced, check_mode) == change_summary(full, check_mode)


@pytest.mark.parametrize("case", sorted(STEP_RESULTS))
def test_the_audit_row_is_the_same_from_the_outcome(case):
    full = STEP_RESULTS[case]
    reduced = step_outcomes(full)
    summary = dict(account_id=ACCOUNT, failed=False)
    assert audit_account(reduced, "acct", summary, MANAGED) == audit_account(full, "acct", summary, MANAGED)


def test_documents_diffs_and_details_are_dropped():
    reduced = step_outcomes(STEP_RESULTS["created everywhere"])
    assert reduced["Task 1 policy"] == dict(changed=True, change="create", arn=POLICY_ARN, failed=False)
    assert reduced["Task 4 Deny"]["results"][0] == dict(
        changed=True, change="create", policy_name="DenyMaintenanceWindowTaskRegistration", principal_type="group",
        principal_name="contractors", failed=False, item=["group", "contractors"])
    assert "Statement" not in repr(reduced) and "diff" not in repr(reduced)


def test_a_failure_keeps_its_message_and_kind():
    reduced = step_outcomes(STEP_RESULTS["drifted and failed"])["Task 4 Deny"]
    assert reduced["results"][0]["failed"] is True
    assert reduced["results"][0]["msg"] == "group contractors does not exist in account %s" % ACCOUNT
    assert reduced["results"][0]["error_kind"] == "principal_not_found"


def test_a_step_that_did_not_run_or_was_skipped_stays_as_it_was_read():
    assert step_outcomes({"Task 2 SNS PassRole": {}, "Task 4 Deny": None, "Task 1 policy": SKIPPED}) == {
        "Task 2 SNS PassRole": {}, "Task 4 Deny": {}, "Task 1 policy": dict(changed=False, skipped=True)}


def _types(value):
    """Every type in a nested value, containers included."""
    found = {type(value)}
    if isinstance(value, dict):
        for key, item in value.items():
            found |= _types(key) | _types(item)
    elif isinstance(value, list):
        for item in value:
            found |= _types(item)
    return found


def test_the_outcome_keeps_no_data_tags():
    """ansible-core 2.19 tags each value of a registered result with its origin and trust; in the
    facts that Ansible keeps for every host those tags weigh more than the values."""
    template = pytest.importorskip("ansible.template")
    if not hasattr(template, "trust_as_template"):
        pytest.skip("this ansible-core has no data tagging")
    tagged = template.trust_as_template
    registered = _loop(_inline("create", tagged("DenyMaintenanceWindowTaskRegistration"), tagged("contractors")))
    registered["results"][0]["item"] = [tagged("group"), tagged("contractors")]
    assert _types(registered["results"][0]["principal_name"]) != {str}

    reduced = step_outcomes({tagged("Task 4 Deny"): registered})

    assert _types(reduced) <= {dict, list, str, bool}
    assert reduced["Task 4 Deny"]["results"][0]["principal_name"] == "contractors"
    assert reduced["Task 4 Deny"]["results"][0]["item"] == ["group", "contractors"]


ROLE_TASKS = os.path.join(os.path.dirname(__file__), "..", "..", "roles", "permissions", "tasks")


@pytest.mark.parametrize("path", ["block", "rescue"])
def test_the_role_drops_every_step_result_it_registers_and_keeps_the_outcomes_when_asked(path):
    """Whether the account's setup succeeded or failed, it keeps no step result, and the outcomes
    only for a caller that reads them."""
    registered = set()
    for step_file in glob.glob(os.path.join(ROLE_TASKS, "steps", "*.yml")):
        with open(step_file) as handle:
            registered |= set(re.findall(r"register: (__mw_result_\w+)", handle.read()))
    with open(os.path.join(ROLE_TASKS, "main.yml")) as handle:
        role_block = yaml.safe_load(handle)[0]
    with open(os.path.join(ROLE_TASKS, "..", "vars", "main.yml")) as handle:
        step_results = yaml.safe_load(handle)["__mw_step_results"]
    summary = [task["ansible.builtin.set_fact"] for task in role_block[path]
               if task["name"].startswith("Summary | Record")][0]

    dropped = {name for name, value in summary.items() if name.startswith("__mw_result_") and value is None}

    assert len(registered) == 6 and dropped == registered
    assert {re.search(r"__mw_result_\w+", value).group(0) for value in step_results.values()} == registered
    assert " ".join(summary["__mw_step_outcomes"].split()) == (
        "{{ (__mw_step_results | fleetiam.maintenance_windows.step_outcomes)"
        " if __mw_keep_step_outcomes | default(false) else none }}")


def test_the_audit_playbook_asks_the_role_for_the_step_outcomes_it_reads():
    with open(os.path.join(ROLE_TASKS, "..", "..", "..", "playbooks", "audit.yml")) as handle:
        plays = yaml.safe_load(handle)
    [audit] = [play for play in plays if any("__mw_step_outcomes" in repr(task) for task in play["tasks"])]
    assert audit["vars"]["__mw_keep_step_outcomes"] is True
