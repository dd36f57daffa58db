"""The setup at work: who may register maintenance window tasks, with moto's IAM evaluation on.

moto evaluates a request's own action against the caller's identity policies (inline,
attached, and those of its groups), explicit Deny first. It does not evaluate the
iam:PassRole that AWS checks on a task's ServiceRoleArn, nor the trust policy of the
service role. So the calls below prove the Task 4 Deny and the Task 3 registrant's
AmazonSSMFullAccess; the PassRole grant is proved with moto's own policy evaluator on the
documents the account holds, and the gap is shown by a user without any PassRole grant
whose registration moto lets through (AWS would refuse it).

Evaluation applies to the whole server (and the hub's credentials are no IAM user there),
so this module has a moto server of its own and turns evaluation on after the setup.
"""

from __future__ import annotations

import json

import pytest
from botocore.exceptions import ClientError
from moto.iam.access_control import IAMPolicy, PermissionResult

from tests.integration.fleet.iam_documents import (
    DENY_POLICY_NAME, PASS_ROLE_POLICY_NAME, SSM_FULL_ACCESS_ARN, AccountIam, role_arn)
from tests.support import aws
from tests.support.fleet import CONTRACTORS_GROUP, OPERATORS_AND_CONTRACTORS, OPERATORS_GROUP, Fleet
from tests.support.moto_server import MotoServer

HOST = "operations"
OPERATOR = "operator"  # in the Task 3 group: AmazonSSMFullAccess and PassRole on the service role
CONTRACTOR = "contractor"  # in the Task 4 group, with AmazonSSMFullAccess of its own
NO_PASS_ROLE = "no-pass-role"  # AmazonSSMFullAccess only: AWS would refuse it the service role


@pytest.fixture(scope="module")
def server():
    with MotoServer() as own_server:
        yield own_server


@pytest.fixture(scope="module")
def account(server):
    return aws.create_member_accounts(server.url, 1, prefix="evaluation")[0]


@pytest.fixture(scope="module")
def keys(server, account):
    """{user: a boto3 session's credentials} for the three users of the account."""
    iam = aws.create_principals(server.url, account, groups=[OPERATORS_GROUP, CONTRACTORS_GROUP],
                                users=[OPERATOR, CONTRACTOR, NO_PASS_ROLE])
    iam.add_user_to_group(GroupName=OPERATORS_GROUP, UserName=OPERATOR)
    iam.add_user_to_group(GroupName=CONTRACTORS_GROUP, UserName=CONTRACTOR)
    iam.attach_user_policy(UserName=CONTRACTOR, PolicyArn=SSM_FULL_ACCESS_ARN)
    iam.attach_user_policy(UserName=NO_PASS_ROLE, PolicyArn=SSM_FULL_ACCESS_ARN)
    created = {}
    for user in (OPERATOR, CONTRACTOR, NO_PASS_ROLE):
        key = iam.create_access_key(UserName=user)["AccessKey"]
        created[user] = dict(aws_access_key_id=key["AccessKeyId"], aws_secret_access_key=key["SecretAccessKey"])
    return created


@pytest.fixture(scope="module")
def setup(server, account, keys, tmp_path_factory):
    fleet = Fleet(tmp_path_factory.mktemp("evaluation"), server.url, {HOST: account},
                  group_vars=dict(OPERATORS_AND_CONTRACTORS, mw_attach_ssm_full_access=True))
    return fleet.run("apply", "setup.yml")


@pytest.fixture(scope="module")
def stored_policies(server, account, setup):
    """The Task 3 and Task 4 inline policies as the account stores them, for moto's evaluator."""
    assert setup.returncode == 0, setup
    account_iam = AccountIam(server.url, account)
    return {name: IAMPolicy(json.dumps(account_iam.inline("group", group, name)))
            for group, name in ((OPERATORS_GROUP, PASS_ROLE_POLICY_NAME), (CONTRACTORS_GROUP, DENY_POLICY_NAME))}


@pytest.fixture(scope="module")
def window_id(server, account, stored_policies):
    """A maintenance window made by the account's administrator; then evaluation goes on.

    From here on only the users' own keys work: the hub's are no IAM user's.
    """
    ssm = aws.account_client(server.url, account, "ssm")
    window = ssm.create_maintenance_window(Name="patching", Schedule="cron(0 2 ? * SUN *)", Duration=2, Cutoff=1,
                                           AllowUnassociatedTargets=True)["WindowId"]
    server.enable_iam_evaluation(free_requests=0)
    return window


def register_task(server, credentials, window, service_role_arn):
    ssm = aws.client(server.url, "ssm", **credentials)
    return ssm.register_task_with_maintenance_window(
        WindowId=window, TaskArn="AWS-RunShellScript", TaskType="RUN_COMMAND", ServiceRoleArn=service_role_arn,
        Targets=[{"Key": "tag:Patch", "Values": ["true"]}], MaxConcurrency="1", MaxErrors="1")


def test_task3_registrant_registers_a_task_with_the_service_role(server, account, keys, window_id):
    registered = register_task(server, keys[OPERATOR], window_id, role_arn(account))
    assert registered["WindowTaskId"]


def test_task4_user_is_denied_although_amazon_ssm_full_access_allows_it(server, account, keys, window_id):
    with pytest.raises(ClientError) as denied:
        register_task(server, keys[CONTRACTOR], window_id, role_arn(account))
    error = denied.value.response
    # moto answers this JSON-protocol service with an XML error body: botocore reports the
    # HTTP status as the code and the XML, with the AccessDenied code in it, as the message.
    assert error["ResponseMetadata"]["HTTPStatusCode"] == 403
    assert "<Code>AccessDenied</Code>" in error["Error"]["Message"]
    assert "user/%s is not authorized to perform: ssm:RegisterTaskWithMaintenanceWindow" % CONTRACTOR \
        in error["Error"]["Message"]


def test_moto_does_not_check_pass_role_on_the_service_role_arn(server, account, keys, window_id):
    # AWS refuses this user (no iam:PassRole on the role); moto lets it through, which is
    # why the grant itself is checked with the policy evaluator below.
    assert register_task(server, keys[NO_PASS_ROLE], window_id, role_arn(account))["WindowTaskId"]


def test_task3_grant_lets_pass_the_service_role_and_no_other(account, stored_policies):
    granted = stored_policies[PASS_ROLE_POLICY_NAME]
    assert granted.is_action_permitted("iam:PassRole", role_arn(account)) == PermissionResult.PERMITTED
    assert granted.is_action_permitted("iam:PassRole", role_arn(account, "AdminRole")) == PermissionResult.NEUTRAL
    denied = stored_policies[DENY_POLICY_NAME]
    assert denied.is_action_permitted("iam:PassRole", role_arn(account)) == PermissionResult.NEUTRAL
    assert denied.is_action_permitted("ssm:RegisterTaskWithMaintenanceWindow") == PermissionResult.DENIED
