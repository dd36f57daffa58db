"""Settings each of the right type that together cannot work, or would grant too much: one
message each, naming the variable and the fix (filter setting_errors)."""

from __future__ import annotations

import pytest

from ansible_collections.fleetiam.maintenance_windows.plugins.plugin_utils.setting_checks import (
    hosts_sharing_accounts,
    setting_errors,
)

ACCOUNT = "111122223333"
OTHER = "444455556666"
DEFAULTS = dict(mw_state="present", mw_manage_service_role=True, mw_manage_pass_role=True, mw_manage_deny=True,
                mw_sns_role_arn="", mw_sns_role_allow_other_account=False, mw_role_name="MaintenanceWindowServiceRole",
                mw_role_path="/", mw_trusted_services=["ssm.amazonaws.com"], mw_pass_role_groups=["ops"],
                mw_pass_role_users=[], mw_pass_role_roles=[], mw_deny_groups=["contractors"], mw_deny_users=[],
                mw_deny_roles=[], mw_pass_role_policy_name="MaintenanceWindowPassRole",
                mw_deny_policy_name="DenyMaintenanceWindowTaskRegistration", mw_batch_size=None,
                mw_manage_policy=True, mw_policy_pass_role_any=False, mw_policy_extra_statements=[])


def passes(action="iam:PassRole", resource="*", **more):
    return dict({"Effect": "Allow", "Action": action, "Resource": resource}, **more)


def errors(**changed):
    return setting_errors(dict(DEFAULTS, **changed), account_id=ACCOUNT, partition="aws")


def test_the_defaults_and_a_role_of_the_account_can_work():
    assert errors() == []
    assert errors(mw_sns_role_arn="arn:aws:iam::%s:role/notify/Sns" % ACCOUNT) == []
    assert errors(mw_trusted_services=["ssm.amazonaws.com", "ec2.amazonaws.com.cn"]) == []


@pytest.mark.parametrize("changed, says", [
    (dict(mw_sns_role_arn="*"), "mw_sns_role_arn '*' has a wildcard"),
    (dict(mw_sns_role_arn="arn:aws:iam::%s:role/*" % ACCOUNT), "has a wildcard"),
    (dict(mw_sns_role_arn="arn:aws:iam::%s:role/Sns?" % ACCOUNT), "has a wildcard"),
    (dict(mw_sns_role_arn="arn:aws:sns:us-east-1:%s:alerts" % ACCOUNT), "is not a valid IAM role ARN; it must name"),
    (dict(mw_sns_role_arn="arn:aws:iam::%s:policy/Sns" % ACCOUNT), "is not a valid IAM role ARN"),
    (dict(mw_sns_role_arn="SnsRole"), "'SnsRole' is not a valid IAM role ARN"),
    (dict(mw_sns_role_arn="arn:aws-cn:iam::%s:role/Sns" % ACCOUNT), "is in partition aws-cn, but the account"),
    (dict(mw_sns_role_arn="arn:aws:iam::%s:role/Sns" % OTHER), "is a role of account %s, not of this account" % OTHER),
    (dict(mw_role_path="/*/"), "mw_role_path '/*/' has a wildcard"),
    (dict(mw_trusted_services=[]), "mw_trusted_services is empty"),
    (dict(mw_trusted_services=["arn:aws:iam::%s:root" % ACCOUNT]), "holds what is not a service principal: 'arn:aws:iam::%s:root'" % ACCOUNT),
    (dict(mw_deny_groups=["OPS"]), "group ops is in both a mw_pass_role_ list and a mw_deny_ list"),
    (dict(mw_deny_policy_name="maintenancewindowpassrole"), "mw_pass_role_policy_name and mw_deny_policy_name"),
    (dict(mw_pass_role_roles=["maintenancewindowservicerole"]), "names the service role"),
    (dict(mw_batch_size=-1), "mw_batch_size is -1"),
    (dict(mw_policy_pass_role_any=True), "mw_policy_pass_role_any is true"),
    (dict(mw_policy_extra_statements=[passes()]), "mw_policy_extra_statements[0] (Sid '') allows iam:PassRole on a wildcard (*)"),
    (dict(mw_policy_extra_statements=[passes("iam:*", ["arn:aws:iam::%s:role/ops-*" % ACCOUNT], Sid="Ops")]),
     "(Sid 'Ops') allows iam:PassRole on a wildcard (arn:aws:iam::%s:role/ops-*)" % ACCOUNT),
    (dict(mw_policy_extra_statements=[passes(["s3:GetObject", "IAM:pass*"])]), "allows iam:PassRole"),
    (dict(mw_policy_extra_statements=[passes("*", "arn:aws:iam::%s:role/r?" % ACCOUNT)]), "allows iam:PassRole"),
    (dict(mw_policy_extra_statements=[{"Effect": "Allow", "NotAction": "s3:*", "Resource": "*"}]), "allows iam:PassRole"),
    (dict(mw_policy_extra_statements=[
        {"Effect": "Allow", "Action": "iam:PassRole", "NotResource": "arn:aws:iam::%s:role/admin" % ACCOUNT}]),
     "(NotResource)"),
])
def test_each_problem_is_one_message_with_its_fix(changed, says):
    [message] = errors(**changed)
    assert says in message
    assert "Fix: " in message


def test_extra_statements_that_pass_named_roles_or_grant_other_actions_on_a_wildcard_can_work():
    named = passes(resource=["arn:aws:iam::%s:role/deploy" % ACCOUNT])
    assert errors(mw_policy_extra_statements=[
        named, passes("ec2:CreateSnapshot"), passes("iam:PassRole", "*", Effect="Deny"),
        {"Effect": "Allow", "NotAction": "iam:*", "Resource": "*"}]) == []


def test_the_policy_toggled_off_does_not_check_its_statements():
    assert errors(mw_manage_policy=False, mw_policy_pass_role_any=True, mw_policy_extra_statements=[passes()]) == []


def test_another_accounts_role_is_allowed_when_asked_for():
    assert errors(mw_sns_role_arn="arn:aws:iam::%s:role/Sns" % OTHER, mw_sns_role_allow_other_account=True) == []


def test_a_removal_checks_only_the_batch_size():
    assert errors(mw_state="absent", mw_sns_role_arn="*", mw_deny_groups=["ops"]) == []


def test_a_step_toggled_off_does_not_count():
    assert errors(mw_manage_deny=False, mw_deny_groups=["ops"]) == []
    assert errors(mw_manage_service_role=False, mw_manage_pass_role=False, mw_sns_role_arn="*",
                  mw_pass_role_roles=["MaintenanceWindowServiceRole"]) == []


def test_hosts_of_one_account_are_found_by_id_arn_or_the_hubs_own_credentials():
    hosts = ["a", "b", "hub-1", "hub-2", "c", "hub-connected", "named-hub"]
    every = [dict(mw_assume_role_arn="arn:aws:iam::%s:role/Admin" % ACCOUNT),
             dict(mw_account_id=ACCOUNT, mw_assume_role_arn="arn:aws:iam::%s:role/Admin" % ACCOUNT),
             dict(mw_assume_role_arn=""), dict(),
             dict(mw_assume_role_arn="arn:aws:iam::%s:role/Admin" % OTHER),
             dict(mw_assume_role_arn="", __mw_account_result=dict(account_id="999999999999")),
             dict(mw_assume_role_arn="arn:aws:iam::999999999999:role/Admin")]
    assert hosts_sharing_accounts(every, hosts) == {
        "a": ["a", "b"], "b": ["a", "b"],
        "hub-1": ["hub-1", "hub-2", "hub-connected"], "hub-2": ["hub-1", "hub-2", "hub-connected"],
        "hub-connected": ["hub-1", "hub-2", "hub-connected", "named-hub"],
        "named-hub": ["hub-connected", "named-hub"]}


def test_one_host_per_account_shares_nothing():
    every = [dict(mw_assume_role_arn="arn:aws:iam::%s:role/Admin" % account) for account in (ACCOUNT, OTHER)]
    assert hosts_sharing_accounts(every + [dict(mw_aws_profile="hub")], ["a", "b", "hub"]) == {}
