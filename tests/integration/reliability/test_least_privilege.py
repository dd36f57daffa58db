"""docs/least-privilege-policy.json is what the automation needs, all of it and no more.

With moto's IAM evaluation on, the hub user (allowed sts:AssumeRole and nothing else)
assumes a role in the member account that has exactly the documented actions, and runs the
four tasks, their updates and their teardown; without any one action the run stops with
AccessDenied naming it. moto evaluates IAM calls against resource ``*`` and skips ARN
conditions, so the role holds the documented actions on ``*``; the documented scoping is
checked on every call the run made with iam_policy_check. Evaluation applies to the whole
server, so this module has a moto server of its own, with evaluation on only while the
automation or the maintenance window users act.
"""

from __future__ import annotations

import contextlib
import json
import os

import pytest
from botocore.exceptions import ClientError

from ansible_collections.fleetiam.maintenance_windows.plugins.module_utils import runner
from ansible_collections.fleetiam.maintenance_windows.plugins.module_utils.errors import AwsApiError

from tests.support import aws
from tests.support.aws_proxy import AwsProxy
from tests.support.moto_server import MotoServer

from .iam_policy_check import actions_of, allowing_statements, as_moto_evaluates, authorized_requests
from .setup_tasks import (
    DENIED_GROUP,
    DENY_POLICY,
    REGISTRANTS_GROUP,
    ROLE_NAME,
    SSM_FULL_ACCESS,
    AccountInfo,
    InlinePolicy,
    ManagedPolicy,
    PolicyAttachment,
    Role,
    apply_steps,
    assert_tasks_applied,
    assert_tasks_removed,
    create_principals,
    params,
    pass_role_policy,
    policy_arn,
    role_arn,
    run_steps,
    service_role_policy,
    trust_policy,
)

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))))
with open(os.path.join(REPO, "docs", "least-privilege-policy.json")) as handle:
    DOCUMENTED_POLICY = json.load(handle)

HUB_ACCOUNT = "123456789012"  # moto's default account: where the hub's own credentials act
HUB_USER = "fleet-automation"
AUTOMATION_ROLE = "MaintenanceWindowsAutomation"
HUB_POLICY = {"Version": "2012-10-17", "Statement": [
    {"Effect": "Allow", "Action": "sts:AssumeRole", "Resource": "arn:aws:iam::*:role/%s" % AUTOMATION_ROLE}]}
REGISTRANT_USER = "registrant"  # Task 3 on a user, not only on a group
DENIED_ROLE = "ContractorRole"  # Task 4 on a role
REGISTRANT_ROLE = "DeployerRole"  # AmazonSSMFullAccess on a role, recorded in a tag of the role
SNS_ROLE_POLICY = "MaintenanceWindowSnsPassRole"
PROFILE = "maintenance-profile"


@pytest.fixture(scope="module")
def server():
    with MotoServer() as own_server:
        yield own_server


@contextlib.contextmanager
def iam_evaluation(server):
    """Evaluation on inside the block; after it, off again (a free-request count no test reaches)."""
    server.enable_iam_evaluation(free_requests=0)
    try:
        yield
    finally:
        server.enable_iam_evaluation(free_requests=10 ** 12)


@pytest.fixture(scope="module")
def hub_credentials(server):
    """An IAM user of the hub account that may assume the automation role, and nothing else."""
    iam = aws.client(server.url, "iam")
    iam.create_user(UserName=HUB_USER)
    iam.put_user_policy(UserName=HUB_USER, PolicyName="AssumeMaintenanceWindowsAutomation",
                        PolicyDocument=json.dumps(HUB_POLICY))
    key = iam.create_access_key(UserName=HUB_USER)["AccessKey"]
    return dict(access_key=key["AccessKeyId"], secret_key=key["SecretAccessKey"])


def automation_account(server, policy):
    """A member account whose automation role trusts the hub user and holds ``policy`` only."""
    account = aws.create_member_accounts(server.url, 1, prefix="least")[0]
    iam = aws.account_client(server.url, account, "iam")
    create_principals(iam)
    iam.create_user(UserName=REGISTRANT_USER)
    iam.create_role(RoleName=DENIED_ROLE, AssumeRolePolicyDocument=json.dumps(trust_policy(("ec2.amazonaws.com",))))
    iam.create_role(RoleName=REGISTRANT_ROLE, AssumeRolePolicyDocument=json.dumps(trust_policy(("ec2.amazonaws.com",))))
    iam.create_role(RoleName=AUTOMATION_ROLE, AssumeRolePolicyDocument=json.dumps({
        "Version": "2012-10-17", "Statement": [{
            "Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::%s:user/%s" % (HUB_ACCOUNT, HUB_USER)},
            "Action": "sts:AssumeRole"}]}))
    iam.put_role_policy(RoleName=AUTOMATION_ROLE, PolicyName="LeastPrivilege", PolicyDocument=json.dumps(policy))
    return account, iam


def automation_connection(endpoint_url, account, hub_credentials):
    return dict(endpoint_url=endpoint_url, region=aws.REGION,
                assume_role_arn="arn:aws:iam::%s:role/%s" % (account, AUTOMATION_ROLE), **hub_credentials)


def sns_pass_role(account):
    return {"Version": "2012-10-17", "Statement": [
        {"Effect": "Allow", "Action": "iam:PassRole", "Resource": "arn:aws:iam::%s:role/SnsNotifications" % account}]}


def every_task(account, state="present", document=None, trust=None, description=None, tags=None, boundary=None):
    """The four tasks with every principal kind: groups, a user, roles; Task 2's SNS policy."""
    steps = apply_steps(account, document=document, trust=trust, state=state)
    present = state == "present"
    for reconciler, values in steps:
        if reconciler is Role and present:
            values.update(tags=tags or {}, description=description or values["description"])
            if boundary is not None:
                values["permissions_boundary"] = boundary
        if reconciler is ManagedPolicy and present:
            values["tags"] = tags or {}
    extra = [
        (InlinePolicy, dict(principal_type="role", principal_name=ROLE_NAME, policy_name=SNS_ROLE_POLICY,
                            policy=sns_pass_role(account), state=state)),
        (InlinePolicy, dict(principal_type="user", principal_name=REGISTRANT_USER,
                            policy_name="MaintenanceWindowPassRole", policy=pass_role_policy(account), state=state)),
        (PolicyAttachment, dict(principal_type="user", principal_name=REGISTRANT_USER,
                                policy_arn="AmazonSSMFullAccess", state=state)),
        (PolicyAttachment, dict(principal_type="role", principal_name=REGISTRANT_ROLE,
                                policy_arn="AmazonSSMFullAccess", state=state)),
        (InlinePolicy, dict(principal_type="role", principal_name=DENIED_ROLE,
                            policy_name="DenyMaintenanceWindowTaskRegistration", policy=DENY_POLICY, state=state)),
    ]
    if not present:
        for reconciler, values in extra:
            values.pop("policy", None)
        return extra + steps  # what uses the role and the policy goes first
    return steps + extra


def lifecycle(server, account, iam, connection):
    """Apply; change every setting; change them back; tear down (with the role left in an
    instance profile, as people do). Checks as it goes."""
    changed_document = service_role_policy(account, ["ssm:DescribeInstanceProperties"])
    legacy_trust = trust_policy(("ec2.amazonaws.com", "ssm.amazonaws.com"))
    boundary = "arn:aws:iam::aws:policy/AmazonSSMFullAccess"
    with iam_evaluation(server):
        info = runner.reconcile(AccountInfo, params(AccountInfo, connection, return_credentials=True), False)
        direct = dict(endpoint_url=connection["endpoint_url"], region=aws.REGION,
                      access_key=info["credentials"]["access_key"], secret_key=info["credentials"]["secret_key"],
                      session_token=info["credentials"]["session_token"])
        assert runner.reconcile(AccountInfo, params(AccountInfo, direct), False)["account_id"] == account
        run_steps(every_task(account, tags={"team": "operations"}), connection)
        run_steps(every_task(account, document=changed_document, trust=legacy_trust, boundary=boundary,
                             description="Runs maintenance window tasks", tags={"owner": "platform"}), connection)
    assert_tasks_applied(iam, account, document=changed_document, trust=legacy_trust, role_policies=[SNS_ROLE_POLICY])
    with iam_evaluation(server):
        run_steps(every_task(account, boundary=""), connection)
    assert_tasks_applied(iam, account, role_policies=[SNS_ROLE_POLICY])
    iam.create_instance_profile(InstanceProfileName=PROFILE)
    iam.add_role_to_instance_profile(InstanceProfileName=PROFILE, RoleName=ROLE_NAME)
    with iam_evaluation(server):
        run_steps(every_task(account, state="absent"), connection)
    assert_tasks_removed(iam, account)


def test_the_documented_policy_is_enough_for_all_four_tasks_and_their_teardown(server, hub_credentials):
    account, iam = automation_account(server, as_moto_evaluates(DOCUMENTED_POLICY))
    with AwsProxy(server.url) as proxy:
        lifecycle(server, account, iam, automation_connection(proxy.url, account, hub_credentials))
        records = list(proxy.records)
    assert not [r for r in records if r.status == 403]
    used = set()
    for record in records:
        for action, resource, context in authorized_requests(record.action, record.params, account):
            used.add((action, resource, tuple(sorted(context.items()))))
    # Every documented action was needed by this run, and the run needed no other.
    assert {action for action, resource, context in used} - {"sts:AssumeRole"} == actions_of(DOCUMENTED_POLICY)
    # Every call is within the documented scope (resources, conditions), and every
    # statement of the document served at least one call.
    served = set()
    for action, resource, context in used:
        if action == "sts:AssumeRole":
            assert allowing_statements(HUB_POLICY, action, resource, dict(context))
            continue
        granted = allowing_statements(DOCUMENTED_POLICY, action, resource, dict(context))
        assert granted, "the documented policy does not allow %s on %s %s" % (action, resource, context)
        served.update(granted)
    assert served == {statement["Sid"] for statement in DOCUMENTED_POLICY["Statement"]}


# Deleting the Task 1 policy detaches it from whoever else uses it. The run above plays that
# only for the service role: moto 5.2's ListEntitiesForPolicy ignores PolicyUsageFilter, so
# a user or group using the policy looks like one with it as permissions boundary, and the
# reconciler (rightly) refuses to delete.
DETACH_EVERYWHERE = "Task1TeardownDetachesThePolicyEverywhere"


def test_the_policy_teardown_may_detach_the_task1_policy_from_anyone_but_nothing_else():
    for action, principal in (("DetachUserPolicy", dict(UserName="someone")),
                              ("DetachGroupPolicy", dict(GroupName="Operators")),
                              ("DetachRolePolicy", dict(RoleName="AnyRole"))):
        [ours] = authorized_requests(action, dict(principal, PolicyArn=policy_arn("111122223333")), "111122223333")
        assert allowing_statements(DOCUMENTED_POLICY, *ours) == [DETACH_EVERYWHERE]
        [other] = authorized_requests(action, dict(principal, PolicyArn="arn:aws:iam::111122223333:policy/Other"),
                                      "111122223333")
        assert not allowing_statements(DOCUMENTED_POLICY, *other)


# Calls the automation never needs: the documented scoping refuses them (moto cannot tell).
OUT_OF_SCOPE = [
    ("CreatePolicy", dict(PolicyName="AdministratorPolicy")),
    ("CreatePolicyVersion", dict(PolicyArn="arn:aws:iam::111122223333:policy/AnyOtherPolicy")),
    ("CreateRole", dict(RoleName="Backdoor")),
    ("UpdateAssumeRolePolicy", dict(RoleName="OrganizationAccountAccessRole")),
    ("DeleteRole", dict(RoleName="OrganizationAccountAccessRole")),
    ("AttachRolePolicy", dict(RoleName=ROLE_NAME, PolicyArn="arn:aws:iam::aws:policy/AdministratorAccess")),
    ("AttachGroupPolicy", dict(GroupName=REGISTRANTS_GROUP, PolicyArn="arn:aws:iam::aws:policy/AdministratorAccess")),
    ("AttachUserPolicy", dict(UserName="anyone", PolicyArn="arn:aws:iam::111122223333:policy/AnyOtherPolicy")),
    ("DetachRolePolicy", dict(RoleName="OrganizationAccountAccessRole",
                              PolicyArn="arn:aws:iam::aws:policy/AdministratorAccess")),
    ("CreateUser", dict(UserName="anyone")),
    ("TagRole", {"RoleName": "OrganizationAccountAccessRole", "Tags.member.1.Key": "team",
                 "Tags.member.1.Value": "attackers"}),
    ("UntagUser", {"UserName": "anyone", "TagKeys.member.1": "cost-centre"}),
    ("CreateAccessKey", dict(UserName="anyone")),
]


@pytest.mark.parametrize("action, request_params", OUT_OF_SCOPE, ids=[action for action, request_params in OUT_OF_SCOPE])
def test_the_documented_scoping_refuses_what_the_automation_never_does(action, request_params):
    [request] = authorized_requests(action, request_params, "111122223333")
    assert not allowing_statements(DOCUMENTED_POLICY, *request)


@pytest.mark.parametrize("missing", ["iam:GetPolicy", "iam:CreatePolicyVersion", "iam:AttachRolePolicy",
                                     "iam:PutGroupPolicy", "iam:DeleteRole"])
def test_without_one_documented_action_the_run_stops_with_access_denied_naming_it(server, hub_credentials, missing):
    account, iam = automation_account(server, as_moto_evaluates(DOCUMENTED_POLICY, drop=[missing]))
    with AwsProxy(server.url) as proxy:
        with pytest.raises(AwsApiError) as denied:
            lifecycle(server, account, iam, automation_connection(proxy.url, account, hub_credentials))
        refused = [r.action for r in proxy.records if r.status == 403]
    message = denied.value.message()
    assert message.startswith("account %s, " % account)
    assert "AccessDenied" in message
    assert "is not authorized to perform: %s" % missing in message
    assert "Fix: grant the automation's identity this IAM action (see docs/least-privilege.md)" in message
    # AccessDenied is permanent: the call was made once, not retried.
    assert refused == [missing.split(":")[1]]
    assert proxy.calls[missing.split(":")[1]] == 1


@pytest.fixture(scope="module")
def applied_account(server, hub_credentials):
    """The four tasks applied by the least-privileged automation; users with keys; a window."""
    account, iam = automation_account(server, as_moto_evaluates(DOCUMENTED_POLICY))
    with iam_evaluation(server):
        run_steps(apply_steps(account), automation_connection(server.url, account, hub_credentials))
    keys = {}
    for user, groups in (("operator", [REGISTRANTS_GROUP]), ("contractor", [REGISTRANTS_GROUP, DENIED_GROUP])):
        iam.create_user(UserName=user)
        for group in groups:
            iam.add_user_to_group(UserName=user, GroupName=group)
        key = iam.create_access_key(UserName=user)["AccessKey"]
        keys[user] = dict(aws_access_key_id=key["AccessKeyId"], aws_secret_access_key=key["SecretAccessKey"])
    window = aws.account_client(server.url, account, "ssm").create_maintenance_window(
        Name="patching", Schedule="cron(0 2 ? * SUN *)", Duration=2, Cutoff=1,
        AllowUnassociatedTargets=True)["WindowId"]
    return account, keys, window


def register_task(server, credentials, window, account):
    ssm = aws.client(server.url, "ssm", **credentials)
    return ssm.register_task_with_maintenance_window(
        WindowId=window, TaskArn="AWS-RunShellScript", TaskType="RUN_COMMAND", ServiceRoleArn=role_arn(account),
        Targets=[{"Key": "tag:Patch", "Values": ["true"]}], MaxConcurrency="1", MaxErrors="1")


def test_the_task4_deny_beats_amazon_ssm_full_access_and_task3_registrants_register(server, applied_account):
    account, keys, window = applied_account
    with iam_evaluation(server):
        assert register_task(server, keys["operator"], window, account)["WindowTaskId"]
        contractor = aws.client(server.url, "ssm", **keys["contractor"])
        # The contractor's AmazonSSMFullAccess is in force: other SSM calls pass...
        assert contractor.describe_maintenance_windows()["WindowIdentities"]
        # ...but the explicit Deny of Task 4 wins over it for task registration.
        with pytest.raises(ClientError) as denied:
            register_task(server, keys["contractor"], window, account)
    error = denied.value.response
    assert error["ResponseMetadata"]["HTTPStatusCode"] == 403
    assert "user/contractor is not authorized to perform: ssm:RegisterTaskWithMaintenanceWindow" \
        in error["Error"]["Message"]
    attached = aws.account_client(server.url, account, "iam").list_attached_group_policies(
        GroupName=REGISTRANTS_GROUP)["AttachedPolicies"]
    assert [p["PolicyArn"] for p in attached] == [SSM_FULL_ACCESS]
