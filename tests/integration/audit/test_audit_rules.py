"""The audit's rules without AWS: the simplified iam:PassRole evaluation, the legacy-role
test of a maintenance window task, and the classification of the role's check-mode results
in the cases the fleet test does not reach (toggles off, nothing configured, a partial drift)."""

from __future__ import annotations

import pytest

from ansible_collections.fleetiam.maintenance_windows.plugins.filter.audit_account import audit_account
from ansible_collections.fleetiam.maintenance_windows.plugins.module_utils.audit import can_pass_role
from ansible_collections.fleetiam.maintenance_windows.plugins.module_utils.window_tasks import legacy_role_reason

ROLE = "arn:aws:iam::111122223333:role/maintenance/MaintenanceWindowServiceRole"


def _policy(*statements):
    return {"Version": "2012-10-17", "Statement": list(statements)}


def _allow(**statement):
    return dict(Effect="Allow", **statement)


def _deny(**statement):
    return dict(Effect="Deny", **statement)


@pytest.mark.parametrize("statement", [
    _allow(Action="iam:PassRole", Resource=ROLE),
    _allow(Action="IAM:passrole", Resource=ROLE),  # action names are case-insensitive
    _allow(Action=["s3:GetObject", "iam:*"], Resource="*"),
    _allow(Action="*", Resource="arn:aws:iam::111122223333:role/*"),
    _allow(Action="iam:Pass?ole", Resource="arn:aws:iam::*:role/maintenance/Maintenance*"),
    _allow(NotAction="s3:*", Resource=ROLE),
    _allow(Action="iam:PassRole", NotResource="arn:aws:iam::111122223333:role/other"),
])
def test_an_allow_that_covers_the_role_grants(statement):
    assert can_pass_role([("inline p", _policy(statement))], ROLE) == dict(allowed_by=["inline p"], conditional=False)


@pytest.mark.parametrize("statement", [
    _allow(Action="iam:GetRole", Resource=ROLE),
    _allow(Action="iam:PassRole", Resource="arn:aws:iam::111122223333:role/MaintenanceWindowServiceRole"),  # no path
    _allow(Action="iam:PassRole", Resource="arn:aws:iam::111122223333:role/maintenance/maintenancewindowservicerole"),
    _allow(NotAction="iam:*", Resource="*"),
    _allow(Action="*", NotResource="arn:aws:iam::111122223333:role/maintenance/*"),
])
def test_an_allow_that_misses_the_action_or_the_role_does_not(statement):
    assert can_pass_role([("inline p", _policy(statement))], ROLE) is None


def test_an_unconditional_deny_in_any_of_the_principals_policies_wins():
    sources = [("inline everything", _policy(_allow(Action="*", Resource="*"))),
               ("group ops: inline no-pass", _policy(_deny(Action="iam:Pass*", Resource="*")))]
    assert can_pass_role(sources, ROLE) is None


def test_a_deny_with_a_condition_is_taken_not_to_apply():
    condition = {"StringNotEquals": {"iam:PassedToService": "ssm.amazonaws.com"}}
    sources = [("inline p", _policy(_allow(Action="iam:PassRole", Resource=ROLE),
                                    _deny(Action="iam:PassRole", Resource="*", Condition=condition)))]
    assert can_pass_role(sources, ROLE) == dict(allowed_by=["inline p"], conditional=False)


def test_an_allow_with_a_condition_grants_conditionally_unless_another_allow_has_none():
    condition = {"StringEquals": {"iam:PassedToService": ["ssm.amazonaws.com"]}}
    conditional = ("managed task1", _policy(_allow(Action="iam:PassRole", Resource=ROLE, Condition=condition)))
    assert can_pass_role([conditional], ROLE) == dict(allowed_by=["managed task1"], conditional=True)
    plain = ("inline task3", {"Statement": _allow(Action="iam:PassRole", Resource=ROLE)})  # one statement, no list
    assert can_pass_role([conditional, plain], ROLE) == dict(allowed_by=["managed task1", "inline task3"],
                                                             conditional=False)


def test_documents_as_iam_returns_them_url_encoded_are_read():
    encoded = "%7B%22Statement%22%3A%5B%7B%22Effect%22%3A%22Allow%22%2C%22Action%22%3A%22iam%3A%2A%22%2C" \
              "%22Resource%22%3A%22%2A%22%7D%5D%7D"
    assert can_pass_role([("inline p", encoded)], ROLE) == dict(allowed_by=["inline p"], conditional=False)


@pytest.mark.parametrize("service_role_arn, listed", [
    (None, True),
    ("", True),
    ("arn:aws:iam::111122223333:role/aws-service-role/ssm.amazonaws.com/AWSServiceRoleForAmazonSSM", True),
    (ROLE, False),
    ("arn:aws:iam::111122223333:role/AWSServiceRoleForAmazonSSMLookalike", False),
])
def test_tasks_without_a_role_or_on_the_service_linked_role_are_legacy(service_role_arn, listed):
    assert bool(legacy_role_reason(service_role_arn)) is listed


# -- classification --------------------------------------------------------------------
ALL_MANAGED = dict(policy=True, service_role=True, pass_role=True, deny=True, permission_set_policies=True)
UNCHANGED_POLICY = {"changed": False, "change": "none", "arn": "arn:aws:iam::111122223333:policy/P"}
UNCHANGED_ROLE = {"changed": False, "arn": ROLE}
# What Ansible registers for a loop over an empty list.
EMPTY_LOOP = {"results": [], "skipped": True, "skipped_reason": "No items in the list", "changed": False}


def _inline(name, changed, before):
    """An inline policy's check-mode result: in place (``before``) or not, to change or not."""
    change = ("update" if before else "create") if changed else "none"
    return {"changed": changed, "change": change, "policy_name": "P", "principal_type": "group",
            "principal_name": name}


def _statuses(row):
    return {key: task["status"] for key, task in row["tasks"].items()}


def test_tasks_switched_off_are_not_managed_and_empty_principal_lists_not_configured():
    steps = {"Task 1 policy": UNCHANGED_POLICY, "Task 2 role": UNCHANGED_ROLE,
             "Task 2 SNS PassRole": {"skipped": True, "changed": False},
             "Task 3 PassRole": EMPTY_LOOP, "Task 3 AmazonSSMFullAccess": {"skipped": True}}
    row = audit_account(steps, "h", {"account_id": "111122223333", "failed": False},
                        dict(ALL_MANAGED, deny=False))
    assert _statuses(row) == dict(policy="compliant", service_role="compliant", pass_role="not configured",
                                  deny="not managed", permission_set_policies="not configured")
    assert row["status"] == "compliant"
    assert row["pass_role_principals"] is None  # unknown, not "nobody", without findings


def test_one_principal_missing_of_two_is_a_drift_and_all_missing_is_missing():
    some = {"results": [_inline("ops", False, True), _inline("admins", True, False)]}
    none = {"results": [_inline("ops", True, False), _inline("admins", True, False)]}
    drifted = audit_account({"Task 3 PassRole": some}, "h", {}, dict(pass_role=True))["tasks"]["pass_role"]
    missing = audit_account({"Task 3 PassRole": none}, "h", {}, dict(pass_role=True))["tasks"]["pass_role"]
    assert (drifted["status"], drifted["checked"], drifted["findings"]) == (
        "drifted", 2, ["missing: inline policy P on group admins"])
    assert (missing["status"], missing["checked"]) == ("missing", 2)


def test_a_role_that_exists_without_its_sns_policy_is_drifted():
    steps = {"Task 2 role": UNCHANGED_ROLE, "Task 2 SNS PassRole": _inline("unused", True, False)}
    assert audit_account(steps, "h", {}, dict(service_role=True))["tasks"]["service_role"]["status"] == "drifted"


def test_a_failed_connection_leaves_every_task_in_error():
    summary = {"failed": True, "failed_task": "Account | Assume the account role", "error": "AccessDenied"}
    row = audit_account({}, "h", summary, ALL_MANAGED, findings={"skipped": True})
    assert _statuses(row) == dict.fromkeys(ALL_MANAGED, "error")
    assert row["errors"] == ["Account | Assume the account role: AccessDenied"]
    assert row["legacy_role_tasks"] is None


def test_ownership_shows_whose_the_existing_role_and_policy_are():
    steps = {"Task 1 policy": dict(UNCHANGED_POLICY, ownership="owned"),
             "Task 2 role": dict(UNCHANGED_ROLE, ownership="adopted")}
    assert audit_account(steps, "h", {}, ALL_MANAGED)["ownership"] == {
        "arn:aws:iam::111122223333:policy/P": "owned",
        ROLE: "not ours, adopted by the next setup (mw_adopt_existing)"}
    refused = {"Task 1 policy": dict(UNCHANGED_POLICY, ownership="created"),
               "Task 2 role": {"failed": True, "error_kind": "not_owned", "resource": "role R", "msg": "..."}}
    assert audit_account(refused, "h", {}, ALL_MANAGED)["ownership"] == {
        "role R": "not ours, refused by setup (set mw_adopt_existing, or choose another name)"}
