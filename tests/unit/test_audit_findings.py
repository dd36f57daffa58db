"""The audit's findings beyond compliant/drifted: what a drifted resource differs in (bounded),
and who can pass the service role without being a configured Task 3 principal."""

from __future__ import annotations

from ansible_collections.fleetiam.maintenance_windows.plugins.filter.audit_account import audit_account
from ansible_collections.fleetiam.maintenance_windows.plugins.plugin_utils.differences import (
    MAX_CHARS,
    MAX_LINES,
    differences,
)
from ansible_collections.fleetiam.maintenance_windows.plugins.plugin_utils.step_results import outcome_of

ACCOUNT = "111122223333"
ROLE_ARN = "arn:aws:iam::%s:role/MaintenanceWindowServiceRole" % ACCOUNT
MANAGED = {"policy": True, "service_role": True, "pass_role": True, "deny": True}
SSM_TRUST = {"Version": "2012-10-17", "Statement": [
    {"Effect": "Allow", "Principal": {"Service": ["ssm.amazonaws.com"]}, "Action": ["sts:AssumeRole"]}]}
EC2_TRUST = {"Version": "2012-10-17", "Statement": [
    {"Effect": "Allow", "Principal": {"Service": ["ec2.amazonaws.com"]}, "Action": ["sts:AssumeRole"]}]}


def drifted_role():
    before = dict(arn=ROLE_ARN, assume_role_policy_document=EC2_TRUST, description="by hand",
                  managed_policies=[], tags={})
    after = dict(before, assume_role_policy_document=SSM_TRUST, description="Performs maintenance window tasks",
                 managed_policies=["arn:aws:iam::%s:policy/MaintenanceWindowServiceRolePolicy" % ACCOUNT])
    return dict(changed=True, change="update", arn=ROLE_ARN, diff=dict(before=before, after=after))


def test_a_drifted_role_says_which_statements_settings_and_attachments_differ():
    assert differences(drifted_role()["diff"]) == [
        'assume_role_policy_document: statement to add {"Action":["sts:AssumeRole"],"Effect":"Allow",'
        '"Principal":{"Service":["ssm.amazonaws.com"]}}',
        'assume_role_policy_document: statement to remove {"Action":["sts:AssumeRole"],"Effect":"Allow",'
        '"Principal":{"Service":["ec2.amazonaws.com"]}}',
        'description: "by hand" -> "Performs maintenance window tasks"',
        'managed_policies: [] -> ["arn:aws:iam::111122223333:policy/MaintenanceWindowServiceRolePolicy"]']


def test_what_differs_is_bounded_in_lines_and_length():
    before = {"key%02d" % n: "x" for n in range(20)}
    after = {"key%02d" % n: "y" * 1000 for n in range(20)}
    lines = differences(dict(before=before, after=after))
    assert len(lines) == MAX_LINES and lines[-1] == "and 15 more differences"
    assert all(len(line) <= MAX_CHARS * 2 + 20 for line in lines)


def test_the_outcome_keeps_what_differs_and_not_the_documents():
    outcome = outcome_of(drifted_role())
    assert "diff" not in outcome and len(outcome["differs"]) == 4


def test_the_audit_row_shows_what_a_drifted_task_differs_in():
    row = audit_account({"Task 2 role": outcome_of(drifted_role()), "Task 2 SNS PassRole": {}}, "acct",
                        dict(account_id=ACCOUNT, failed=False), MANAGED)
    task = row["tasks"]["service_role"]
    assert task["status"] == "drifted"
    [finding] = task["findings"]
    assert finding.startswith("differs: %s; assume_role_policy_document: statement to add " % ROLE_ARN)
    assert 'description: "by hand" -> "Performs maintenance window tasks"' in finding


def test_who_can_pass_the_role_without_being_a_configured_principal_is_a_finding():
    everyone = [dict(type="group", name="maintenance-operators", allowed_by=["inline MaintenanceWindowPassRole"],
                     conditional=False),
                dict(type="user", name="mallory", allowed_by=["inline PassAnything"], conditional=False)]
    findings = dict(pass_role_principals=everyone, service_role_arn=ROLE_ARN, account_id=ACCOUNT)
    row = audit_account({}, "acct", dict(account_id=ACCOUNT, failed=False), MANAGED, findings=findings,
                        pass_role_principals=[["group", "maintenance-operators"]])
    assert row["unexpected_pass_role_principals"] == [everyone[1]]
    unknown = audit_account({}, "acct", dict(account_id=ACCOUNT, failed=False), MANAGED, findings={})
    assert unknown["unexpected_pass_role_principals"] is None
