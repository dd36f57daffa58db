"""Throttling, 5xx, dropped connections and lost answers to applied writes, injected by the
proxy in front of moto: every account still ends exactly right, with no surplus versions."""

from __future__ import annotations

import json

import pytest

from ansible_collections.fleetiam.maintenance_windows.plugins.module_utils import runner
from ansible_collections.fleetiam.maintenance_windows.plugins.module_utils.errors import (
    InvalidInputError,
    PrincipalNotFoundError,
)

from tests.integration.modules.module_runs import OWNED
from tests.support import aws
from tests.support.aws_proxy import AwsProxy, FaultPlan

from .setup_tasks import (
    PASS_ROLE_POLICY_NAME,
    POLICY_NAME,
    REGISTRANTS_GROUP,
    ROLE_NAME,
    PolicyAttachment,
    InlinePolicy,
    apply_steps,
    assert_tasks_applied,
    assert_tasks_removed,
    connection_for,
    create_principals,
    fast_retry_policy,
    params,
    run_steps,
    service_role_policy,
    teardown_steps,
    trust_policy,
)

FLEET_SIZE = 10
LEGACY_TRUST = trust_policy(("ec2.amazonaws.com", "ssm.amazonaws.com", "sns.amazonaws.com"))


def leave_drift(iam, account):
    """What older runs or people left behind: five versions of other documents (the next
    version must first make room), the legacy trust without the policy, a wrong Task 3 policy.
    The role and policy are the collection's (its tag), as a run of this version leaves them."""
    iam.create_policy(PolicyName=POLICY_NAME, Tags=OWNED,
                      PolicyDocument=json.dumps(service_role_policy(account, ["ssm:DescribeDocument"])))
    for extra in ("ssm:GetDocument", "ssm:ListDocuments", "ssm:DescribeParameters", "ssm:GetParameter"):
        iam.create_policy_version(PolicyArn="arn:aws:iam::%s:policy/%s" % (account, POLICY_NAME),
                                  PolicyDocument=json.dumps(service_role_policy(account, [extra])),
                                  SetAsDefault=True)
    iam.create_role(RoleName=ROLE_NAME, AssumeRolePolicyDocument=json.dumps(LEGACY_TRUST), Tags=OWNED)
    iam.put_group_policy(GroupName=REGISTRANTS_GROUP, PolicyName=PASS_ROLE_POLICY_NAME,
                         PolicyDocument=json.dumps({"Version": "2012-10-17", "Statement": [
                             {"Effect": "Allow", "Action": "iam:PassRole", "Resource": "*"}]}))


@pytest.fixture(scope="module")
def fleet(moto):
    """Ten member accounts: even ones fresh, odd ones drifted; {account: iam client}."""
    accounts = aws.create_member_accounts(moto.url, FLEET_SIZE, prefix="faults")
    clients = {}
    for index, account in enumerate(accounts):
        iam = aws.account_client(moto.url, account, "iam")
        create_principals(iam)
        if index % 2:
            leave_drift(iam, account)
        clients[account] = iam
    return clients


def test_fleet_converges_through_throttling_5xx_and_dropped_connections(moto, fleet, capsys):
    plan = FaultPlan(throttle=0.30, server_error=0.03, drop=0.01, seed=20240607)
    with AwsProxy(moto.url, plan) as proxy:
        first = {account: run_steps(apply_steps(account), connection_for(proxy.url, account), fast_retry_policy())
                 for account in fleet}
        first_injected = sum(proxy.injected.values())
        for account, iam in fleet.items():
            assert_tasks_applied(iam, account)
        second = {account: run_steps(apply_steps(account), connection_for(proxy.url, account), fast_retry_policy())
                  for account in fleet}
        injected = dict(proxy.injected)
        calls = proxy.total_calls()

    assert all(result["changed"] for results in first.values() for result in results)
    assert not [result for results in second.values() for result in results if result["changed"]]
    for account, iam in fleet.items():
        assert_tasks_applied(iam, account)
    # Every kind of fault happened, and each one cost exactly one retry: none was given up
    # on, none was retried twice, and no retry was spent on a call that had not failed.
    assert set(injected) == {"throttle", "server_error", "drop"}
    retries_first = sum(result["api_retries"] for results in first.values() for result in results)
    retries_second = sum(result["api_retries"] for results in second.values() for result in results)
    assert retries_first == first_injected
    assert retries_first + retries_second == sum(injected.values())
    with capsys.disabled():
        print("\n[faults] %d accounts, %d requests through the proxy; injected %s; "
              "retries: %d on the first pass, %d on the second"
              % (len(fleet), calls, json.dumps(injected, sort_keys=True), retries_first, retries_second))


# Every write of the four tasks; each one's answer can be lost after IAM applied it, and the
# retry then meets its own result: an existing entity, a missing one, a version too many.
# Not SetDefaultPolicyVersion: moto 5.2 clears the default flag when the version is already
# the default (IAM leaves it set), so its repetition cannot be played against moto.
WRITES = {"CreatePolicy", "CreatePolicyVersion", "DeletePolicyVersion", "DeletePolicy",
          "CreateRole", "UpdateAssumeRolePolicy", "UpdateRole", "AttachRolePolicy", "DetachRolePolicy",
          "DeleteRole", "PutGroupPolicy", "DeleteGroupPolicy", "AttachGroupPolicy", "DetachGroupPolicy"}


@pytest.mark.parametrize("start", ["drifted", "empty"])
def test_writes_applied_before_their_5xx_are_retried_without_harm(moto, task_account, start):
    """Converge, change the documents, change them back, tear down, set up again and check
    the account after each step, while the first call of every write is applied upstream and
    answered with a 503. From a drifted account each new version needs room first (5 exist)."""
    account, iam = task_account
    if start == "drifted":
        leave_drift(iam, account)
    changed_document = service_role_policy(account, ["ssm:DescribeInstanceProperties"])
    plan = FaultPlan(late_server_error=1.0, actions=WRITES, limit=1)
    with AwsProxy(moto.url, plan) as proxy:
        connection = connection_for(proxy.url, account)
        retry = fast_retry_policy()
        run_steps(apply_steps(account), connection, retry)
        assert_tasks_applied(iam, account)
        run_steps(apply_steps(account, document=changed_document, trust=LEGACY_TRUST), connection, retry)
        assert_tasks_applied(iam, account, document=changed_document, trust=LEGACY_TRUST)
        run_steps(apply_steps(account), connection, retry)
        assert_tasks_applied(iam, account)
        run_steps(teardown_steps(account), connection, retry)
        assert_tasks_removed(iam, account)
        run_steps(apply_steps(account), connection, retry)
        assert_tasks_applied(iam, account)
        again = run_steps(apply_steps(account), connection, retry)
        failed_late = {record.action for record in proxy.records if record.fault == "late_server_error"}
    assert not [result for result in again if result["changed"]]
    expected = WRITES if start == "drifted" else WRITES - {"UpdateRole"}
    assert failed_late == expected


def test_not_found_is_not_retried(moto, task_account):
    """NoSuchEntity is permanent: one call each, even while every other call is throttled."""
    account, iam = task_account
    plan = FaultPlan(throttle=0.5, seed=7, actions=["AssumeRole", "ListAttachedGroupPolicies"])
    with AwsProxy(moto.url, plan) as proxy:
        connection = connection_for(proxy.url, account)
        with pytest.raises(PrincipalNotFoundError) as missing_group:
            runner.reconcile(InlinePolicy, params(InlinePolicy, connection, principal_type="group",
                                                  principal_name="NoSuchGroup", policy_name=PASS_ROLE_POLICY_NAME,
                                                  policy=service_role_policy(account)),
                             False, fast_retry_policy())
        with pytest.raises(InvalidInputError) as missing_policy:
            runner.reconcile(PolicyAttachment, params(PolicyAttachment, connection, principal_type="group",
                                                      principal_name=REGISTRANTS_GROUP,
                                                      policy_arn="arn:aws:iam::aws:policy/NoSuchPolicy"),
                             False, fast_retry_policy())
    assert "NoSuchGroup" in missing_group.value.message()
    assert "NoSuchPolicy" in missing_policy.value.message()
    assert proxy.calls["GetGroupPolicy"] == 1
    assert proxy.calls["ListGroupPolicies"] == 1
    assert proxy.calls["AttachGroupPolicy"] == 1
    assert proxy.injected["throttle"] > 0
