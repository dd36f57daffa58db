"""The one recording path: each step records its registered results into the account's summary
(filter record_step) and the role closes it (close_summary). The fleet summary and the audit row
come out the same from the outcomes the summary keeps as from the full results, and a failed step
records as far as it went."""

from __future__ import annotations

import os
import re

import pytest
import yaml

from ansible_collections.fleetiam.maintenance_windows.plugins.filter.audit_account import audit_account
from ansible_collections.fleetiam.maintenance_windows.plugins.plugin_utils.step_catalog import STEPS, steps
from ansible_collections.fleetiam.maintenance_windows.plugins.plugin_utils.step_results import (
    close_summary,
    has_record,
    new_summary,
    outcome_of,
    record_step,
    summarise,
)

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
        "Task 3 permission set policy": SKIPPED,  # no permission sets: skipped, as the role registers it
        "Task 4 permission set policy": SKIPPED,
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
        "Task 3 permission set policy": SKIPPED,
        "Task 4 permission set policy": SKIPPED,
    },
}


def _recorded(step_results, check_mode=False, keep_outcomes=True):
    """The summary after every account step recorded its results, as the role does."""
    summary = new_summary(ACCOUNT)
    for step in steps("account"):
        summary = record_step(summary, step["id"], [step_results.get(label) for label in step["results"]],
                              check_mode, keep_outcomes)
    return summary


@pytest.mark.parametrize("case", sorted(STEP_RESULTS))
@pytest.mark.parametrize("check_mode", [False, True])
def test_the_fleet_summary_is_the_same_from_the_outcomes(case, check_mode):
    full = STEP_RESULTS[case]
    outcomes = {label: outcome_of(result) for label, result in full.items()}
    assert summarise(outcomes, check_mode) == summarise(full, check_mode)
    assert _recorded(full, check_mode)["changes"] == summarise(full, check_mode)["changes"]


@pytest.mark.parametrize("case", sorted(STEP_RESULTS))
def test_the_audit_row_is_the_same_from_the_outcomes(case):
    full = STEP_RESULTS[case]
    summary = dict(account_id=ACCOUNT, failed=False)
    outcomes = _recorded(full)["outcomes"]
    assert audit_account(outcomes, "acct", summary, MANAGED) == audit_account(full, "acct", summary, MANAGED)


def test_documents_diffs_and_details_are_dropped():
    outcomes = _recorded(STEP_RESULTS["created everywhere"])["outcomes"]
    assert outcomes["Task 1 policy"] == dict(changed=True, change="create", arn=POLICY_ARN, failed=False)
    assert outcomes["Task 4 Deny"]["results"][0] == dict(
        changed=True, change="create", policy_name="DenyMaintenanceWindowTaskRegistration", principal_type="group",
        principal_name="contractors", failed=False, item=["group", "contractors"])
    assert "Statement" not in repr(outcomes) and "diff" not in repr(outcomes)


def test_outcomes_are_kept_only_when_asked():
    assert "outcomes" not in _recorded(STEP_RESULTS["created everywhere"], keep_outcomes=False)


def test_a_failure_keeps_its_message_and_kind():
    reduced = _recorded(STEP_RESULTS["drifted and failed"])["outcomes"]["Task 4 Deny"]
    assert reduced["results"][0]["failed"] is True
    assert reduced["results"][0]["msg"] == "group contractors does not exist in account %s" % ACCOUNT
    assert reduced["results"][0]["error_kind"] == "principal_not_found"


def test_a_step_that_did_not_run_or_was_skipped_stays_as_it_was_read():
    assert {label: outcome_of(result) for label, result in
            {"Task 2 SNS PassRole": {}, "Task 4 Deny": None, "Task 1 policy": SKIPPED}.items()} == {
        "Task 2 SNS PassRole": {}, "Task 4 Deny": {}, "Task 1 policy": dict(changed=False, skipped=True)}


def test_a_failed_result_ends_its_step_and_what_an_earlier_run_left_after_it_is_not_recorded():
    failed = _loop(_inline("create", "MaintenanceWindowPassRole", "operators"),
                   _inline(None, "MaintenanceWindowPassRole", "admins", failed=True))
    failed["failed"] = True
    left_by_the_preflight = _loop(dict(changed=True, change="create", item=["group", "operators"],
                                       policy_arn="arn:aws:iam::aws:policy/AmazonSSMFullAccess"))

    summary = record_step(new_summary(ACCOUNT), "pass_role", [failed, left_by_the_preflight], keep_outcomes=True)

    assert summary["changes"] == [dict(step="Task 3 PassRole", action="created",
                                       resource="inline policy MaintenanceWindowPassRole on group operators")]
    assert list(summary["outcomes"]) == ["Task 3 PassRole"]


def test_a_step_records_exactly_the_results_the_catalog_declares():
    with pytest.raises(ValueError, match="records 2 results"):
        record_step(new_summary(), "pass_role", [{}])
    with pytest.raises(ValueError, match="records 2 results"):
        has_record("pass_role", [{}])


@pytest.mark.parametrize("case", sorted(STEP_RESULTS))
@pytest.mark.parametrize("check_mode", [False, True], ids=["apply", "preview"])
def test_a_step_needs_a_record_exactly_when_recording_it_changes_a_summary_without_outcomes(case, check_mode):
    needed = {}
    for step in steps("account"):
        registered = [STEP_RESULTS[case].get(label) for label in step["results"]]
        recorded = record_step(new_summary(ACCOUNT), step["id"], registered, check_mode)
        needed[step["id"]] = has_record(step["id"], registered)
        assert needed[step["id"]] == (recorded != new_summary(ACCOUNT)), step["id"]
    assert set(needed.values()) == {True, False}  # each case has steps of both kinds


def test_a_kept_resource_needs_a_record_and_a_failure_ends_the_step_for_it_too():
    left = _loop(dict(changed=False, change="none", item=["group", "operators"], kept="not ours",
                      policy_arn="arn:aws:iam::aws:policy/AmazonSSMFullAccess"))
    assert has_record("pass_role", [{}, left])
    failed = _loop(_inline(None, "MaintenanceWindowPassRole", "admins", failed=True))
    failed["failed"] = True
    changed_by_an_earlier_step = _loop(dict(changed=True, change="create", item=["group", "operators"],
                                            policy_arn="arn:aws:iam::aws:policy/AmazonSSMFullAccess"))
    assert not has_record("pass_role", [failed, changed_by_an_earlier_step])


def test_an_apply_reports_what_it_wrote_and_a_preview_what_it_would():
    preflight = _recorded(STEP_RESULTS["created everywhere"], check_mode=True)
    assert close_summary(preflight, check_mode=False)["changes"] == []  # the preflight alone wrote nothing
    applied = _recorded(STEP_RESULTS["created everywhere"], check_mode=False)
    both = dict(applied, changes=preflight["changes"] + applied["changes"])

    closed = close_summary(both, check_mode=False, account_id=ACCOUNT)

    assert (closed["status"], closed["changes"]) == ("changed", applied["changes"])
    assert close_summary(preflight, check_mode=True)["status"] == "would change"


def test_what_teardown_leaves_is_reported_once_with_its_reason_in_preview_and_apply():
    reason = "arn:aws:iam::aws:policy/AmazonSSMFullAccess left attached to group operators: IAM groups cannot be tagged"
    left = _loop(dict(changed=False, change="none", item=["group", "operators"], kept=reason,
                      policy_arn="arn:aws:iam::aws:policy/AmazonSSMFullAccess"))
    removed = _loop(_inline("delete", "MaintenanceWindowPassRole", "operators"))
    kept = [dict(step="Task 3 AmazonSSMFullAccess", action="kept", reason=reason,
                 resource="arn:aws:iam::aws:policy/AmazonSSMFullAccess attached to group operators")]

    preflight = record_step(new_summary(ACCOUNT), "pass_role", [removed, left], check_mode=True)
    applied = record_step(preflight, "pass_role", [removed, left])

    assert close_summary(preflight, check_mode=True)["kept"] == kept
    closed = close_summary(applied, check_mode=False)
    assert (closed["kept"], closed["status"]) == (kept, "changed")
    # Only kept: nothing to write, and the account is unchanged.
    only_kept = record_step(new_summary(ACCOUNT), "pass_role", [{}, left], check_mode=True)
    assert (only_kept["changes"], close_summary(only_kept)["status"], close_summary(only_kept)["kept"]) == (
        [], "unchanged", kept)


def test_a_failure_closes_the_summary_as_failed_with_what_was_written():
    applied = _recorded(STEP_RESULTS["created everywhere"])
    closed = close_summary(applied, error="it broke", failed_task="Task 4 | Inline policy")
    assert (closed["status"], closed["failed"], closed["error"], closed["failed_task"]) == (
        "failed", True, "it broke", "Task 4 | Inline policy")
    assert closed["changes"] == applied["changes"]


ROLE_TASKS = os.path.join(os.path.dirname(__file__), "..", "..", "roles", "permissions", "tasks")


@pytest.mark.parametrize("step", STEPS, ids=lambda step: step["id"])
def test_every_step_records_what_its_tasks_registered_whether_it_succeeds_or_fails(step):
    role = "permissions" if step["scope"] == "account" else step["scope"]
    with open(os.path.join(ROLE_TASKS, "..", "..", role, "tasks", "steps", "%s.yml" % step["id"])) as handle:
        [block] = yaml.safe_load(handle)
    registered = [task["register"] for task in block["block"] if "register" in task]
    [record] = block["always"]

    # By its path: ansible-core 2.16 cannot import a relative file in a role that include_role runs.
    assert record["ansible.builtin.import_tasks"]["file"] == "{{ role_path }}/tasks/record.yml"
    listed = re.findall(r"(__mw_\w+) \| default\(\{\}\)", record["vars"]["__mw_registered"])
    assert listed == registered and len(registered) == len(step["results"])
    # Every step registers into the same names, so each host keeps the results of one step only.
    assert registered == ["__mw_result", "__mw_second_result"][:len(registered)]


def test_the_audit_playbook_asks_the_role_for_the_step_outcomes_it_reads():
    with open(os.path.join(ROLE_TASKS, "..", "..", "..", "playbooks", "audit.yml")) as handle:
        plays = yaml.safe_load(handle)
    audits = [play for play in plays if any("mw_summary.outcomes" in repr(task) for task in play["tasks"])]
    assert [play["hosts"] for play in audits] == ["mw_accounts", "{{ groups['mw_organization'] | default([]) }}"]
    assert all(play["vars"]["__mw_keep_step_outcomes"] is True for play in audits)
