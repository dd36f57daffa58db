"""The four setup tasks of the reference as reconciler runs, and direct checks of their result.

Every run goes through ``runner.reconcile`` exactly as a module's ``main()`` does; every
check reads moto directly with boto3 (never through the proxy under test).
"""

from __future__ import annotations

import json

from ansible_collections.fleetiam.maintenance_windows.plugins.module_utils import runner
from ansible_collections.fleetiam.maintenance_windows.plugins.module_utils.account import (
    AccountInfo,
    account_info_options,
)
from ansible_collections.fleetiam.maintenance_windows.plugins.module_utils.attachment import (
    PolicyAttachment,
    attachment_options,
)
from ansible_collections.fleetiam.maintenance_windows.plugins.module_utils.arguments import build_argument_spec
from ansible_collections.fleetiam.maintenance_windows.plugins.module_utils.retries import RetryPolicy
from ansible_collections.fleetiam.maintenance_windows.plugins.module_utils.inline_policy import (
    InlinePolicy,
    inline_policy_options,
)
from ansible_collections.fleetiam.maintenance_windows.plugins.module_utils.managed_policy import (
    ManagedPolicy,
    managed_policy_options,
)
from ansible_collections.fleetiam.maintenance_windows.plugins.module_utils.role import Role, role_options

from tests.support import aws

POLICY_NAME = "MaintenanceWindowServiceRolePolicy"
ROLE_NAME = "MaintenanceWindowServiceRole"
REGISTRANTS_GROUP = "MaintenanceWindowRegistrants"
DENIED_GROUP = "NoMaintenanceWindowTasks"
PASS_ROLE_POLICY_NAME = "MaintenanceWindowPassRole"
DENY_POLICY_NAME = "DenyMaintenanceWindowTaskRegistration"
SSM_FULL_ACCESS = "arn:aws:iam::aws:policy/AmazonSSMFullAccess"

OPTIONS = {
    AccountInfo: account_info_options,
    ManagedPolicy: managed_policy_options,
    Role: role_options,
    InlinePolicy: inline_policy_options,
    PolicyAttachment: attachment_options,
}


def policy_arn(account):
    return "arn:aws:iam::%s:policy/%s" % (account, POLICY_NAME)


def role_arn(account):
    return "arn:aws:iam::%s:role/%s" % (account, ROLE_NAME)


def service_role_policy(account, extra_actions=()):
    """Task 1: the current guide's policy, verbatim (``extra_actions`` make other revisions)."""
    return {"Version": "2012-10-17", "Statement": [
        {"Effect": "Allow", "Action": [
            "ssm:SendCommand", "ssm:CancelCommand", "ssm:ListCommands", "ssm:ListCommandInvocations",
            "ssm:GetCommandInvocation", "ssm:GetAutomationExecution", "ssm:StartAutomationExecution",
            "ssm:ListTagsForResource", "ssm:DescribeInstanceInformation", "ssm:GetParameters"]
            + list(extra_actions),
         "Resource": "*"},
        {"Effect": "Allow", "Action": ["states:DescribeExecution", "states:StartExecution"],
         "Resource": ["arn:aws:states:*:*:execution:*:*", "arn:aws:states:*:*:stateMachine:*"]},
        {"Effect": "Allow", "Action": ["lambda:InvokeFunction"], "Resource": ["arn:aws:lambda:*:*:function:*"]},
        {"Effect": "Allow", "Action": ["resource-groups:ListGroups", "resource-groups:ListGroupResources"],
         "Resource": ["*"]},
        {"Effect": "Allow", "Action": ["tag:GetResources"], "Resource": ["*"]},
        {"Effect": "Allow", "Action": "iam:PassRole", "Resource": role_arn(account),
         "Condition": {"StringEquals": {"iam:PassedToService": ["ssm.amazonaws.com"]}}},
    ]}


def trust_policy(services=("ssm.amazonaws.com",)):
    """Task 2: the role's trust policy (the legacy revision trusts more services)."""
    principal = services[0] if len(services) == 1 else list(services)
    return {"Version": "2012-10-17", "Statement": [
        {"Effect": "Allow", "Principal": {"Service": principal}, "Action": "sts:AssumeRole"}]}


def pass_role_policy(account):
    """Task 3: pass the service role and list roles (iam:ListRoles takes only "*")."""
    return {"Version": "2012-10-17", "Statement": [
        {"Effect": "Allow", "Action": "iam:PassRole", "Resource": role_arn(account)},
        {"Effect": "Allow", "Action": "iam:ListRoles", "Resource": "*"}]}


DENY_POLICY = {"Version": "2012-10-17", "Statement": [
    {"Effect": "Deny", "Action": "ssm:RegisterTaskWithMaintenanceWindow", "Resource": "*"}]}


def fast_retry_policy(**overrides):
    """Real backoff shape, tiny delays: a throttled fleet converges in seconds, not minutes."""
    settings = dict(max_attempts=15, base_delay=0.002, max_delay=0.02, deadline=60.0)
    settings.update(overrides)
    return RetryPolicy(**settings)


def params(reconciler, connection, **values):
    """Module parameters as AnsibleModule fills them: the spec's defaults, then ours."""
    filled = {name: spec.get("default") for name, spec in build_argument_spec(OPTIONS[reconciler]()).items()}
    filled.update(connection)
    filled.update(values)
    return filled


def connection_for(endpoint_url, account, **credentials):
    """Options acting in ``account`` through its admin role, from the hub or the given keys."""
    options = dict(endpoint_url=endpoint_url, region=aws.REGION,
                   access_key=aws.HUB_CREDENTIALS["aws_access_key_id"],
                   secret_key=aws.HUB_CREDENTIALS["aws_secret_access_key"],
                   assume_role_arn="arn:aws:iam::%s:role/%s" % (account, aws.ADMIN_ROLE))
    options.update(credentials)
    return options


def apply_steps(account, document=None, trust=None, state="present"):
    """The four tasks as (reconciler, values) in the order the role runs them."""
    present = state == "present"
    steps = [
        (ManagedPolicy, dict(name=POLICY_NAME, policy=document or service_role_policy(account), state=state,
                             description="Permissions of the maintenance window service role")),
        (Role, dict(name=ROLE_NAME, assume_role_policy=trust or trust_policy(), state=state,
                    managed_policies=[policy_arn(account)],
                    description="Performs maintenance window tasks on your behalf")),
        (InlinePolicy, dict(principal_type="group", principal_name=REGISTRANTS_GROUP,
                            policy_name=PASS_ROLE_POLICY_NAME, policy=pass_role_policy(account), state=state)),
        (PolicyAttachment, dict(principal_type="group", principal_name=REGISTRANTS_GROUP,
                                policy_arn="AmazonSSMFullAccess", state=state)),
        (InlinePolicy, dict(principal_type="group", principal_name=DENIED_GROUP,
                            policy_name=DENY_POLICY_NAME, policy=DENY_POLICY, state=state)),
    ]
    if present:
        return steps
    # Teardown runs in reverse: what uses the role goes first, the policy last.
    for reconciler, values in steps:
        values.pop("policy", None)
        values.pop("assume_role_policy", None)
        values.pop("managed_policies", None)
        if reconciler is PolicyAttachment:
            # Nothing records on a group that this collection attached it: adopt removes it anyway.
            values["adopt"] = True
    return list(reversed(steps))


def teardown_steps(account):
    return apply_steps(account, state="absent")


def run_steps(steps, connection, retry_policy=None, check_mode=False):
    """Every step's module result, in order."""
    return [runner.reconcile(reconciler, params(reconciler, connection, **values), check_mode, retry_policy)
            for reconciler, values in steps]


def create_principals(iam):
    """The two groups the tasks put policies on (the collection never creates principals)."""
    for group in (REGISTRANTS_GROUP, DENIED_GROUP):
        iam.create_group(GroupName=group)


def policy_versions(iam, account):
    """Every stored version of the Task 1 policy: [(version id, is default, document)]."""
    versions = []
    for version in iam.list_policy_versions(PolicyArn=policy_arn(account))["Versions"]:
        stored = iam.get_policy_version(PolicyArn=policy_arn(account), VersionId=version["VersionId"])
        versions.append((version["VersionId"], version["IsDefaultVersion"], stored["PolicyVersion"]["Document"]))
    return versions


def assert_tasks_applied(iam, account, document=None, trust=None, role_policies=()):
    """The account holds exactly what the four tasks describe, and no duplicate versions;
    ``role_policies``: the names of the service role's inline policies (Task 2's SNS one)."""
    document = document or service_role_policy(account)
    versions = policy_versions(iam, account)
    assert len(versions) <= 5
    defaults = [doc for version_id, is_default, doc in versions if is_default]
    assert defaults == [document]
    assert [doc for version_id, is_default, doc in versions].count(document) == 1, "a retried write left a duplicate version"
    role = iam.get_role(RoleName=ROLE_NAME)["Role"]
    assert role["AssumeRolePolicyDocument"] == (trust or trust_policy())
    attached = iam.list_attached_role_policies(RoleName=ROLE_NAME)["AttachedPolicies"]
    assert [p["PolicyArn"] for p in attached] == [policy_arn(account)]
    assert iam.list_role_policies(RoleName=ROLE_NAME)["PolicyNames"] == list(role_policies)
    registrants = iam.get_group_policy(GroupName=REGISTRANTS_GROUP, PolicyName=PASS_ROLE_POLICY_NAME)
    assert registrants["PolicyDocument"] == pass_role_policy(account)
    assert iam.list_group_policies(GroupName=REGISTRANTS_GROUP)["PolicyNames"] == [PASS_ROLE_POLICY_NAME]
    attached = iam.list_attached_group_policies(GroupName=REGISTRANTS_GROUP)["AttachedPolicies"]
    assert [p["PolicyArn"] for p in attached] == [SSM_FULL_ACCESS]
    denied = iam.get_group_policy(GroupName=DENIED_GROUP, PolicyName=DENY_POLICY_NAME)
    assert denied["PolicyDocument"] == DENY_POLICY
    assert iam.list_group_policies(GroupName=DENIED_GROUP)["PolicyNames"] == [DENY_POLICY_NAME]
    assert iam.list_attached_group_policies(GroupName=DENIED_GROUP)["AttachedPolicies"] == []


def assert_tasks_removed(iam, account):
    """Teardown left the groups as they were before Task 3 and 4, and no role or policy."""
    local = iam.list_policies(Scope="Local")["Policies"]
    assert POLICY_NAME not in [p["PolicyName"] for p in local]
    assert ROLE_NAME not in [r["RoleName"] for r in iam.list_roles()["Roles"]]
    for group in (REGISTRANTS_GROUP, DENIED_GROUP):
        assert iam.list_group_policies(GroupName=group)["PolicyNames"] == []
        assert iam.list_attached_group_policies(GroupName=group)["AttachedPolicies"] == []


def _pages(iam, operation, key, **kwargs):
    return [item for page in iam.get_paginator(operation).paginate(**kwargs) for item in page[key]]


def iam_snapshot(iam):
    """Everything an IAM write of this collection could change in an account, as JSON text."""
    snapshot = {"policies": {}, "roles": {}, "groups": {}, "users": {}, "instance_profiles": []}
    for policy in _pages(iam, "list_policies", "Policies", Scope="Local"):
        versions = _pages(iam, "list_policy_versions", "Versions", PolicyArn=policy["Arn"])
        snapshot["policies"][policy["Arn"]] = dict(
            default=policy["DefaultVersionId"],
            tags=iam.list_policy_tags(PolicyArn=policy["Arn"])["Tags"],
            versions={v["VersionId"]: iam.get_policy_version(PolicyArn=policy["Arn"], VersionId=v["VersionId"])
                      ["PolicyVersion"]["Document"] for v in versions})
    for role in _pages(iam, "list_roles", "Roles"):
        name = role["RoleName"]
        full = iam.get_role(RoleName=name)["Role"]
        snapshot["roles"][name] = dict(
            path=full["Path"], trust=full["AssumeRolePolicyDocument"], description=full.get("Description"),
            max_session_duration=full.get("MaxSessionDuration"), tags=full.get("Tags", []),
            boundary=full.get("PermissionsBoundary"),
            attached=sorted(p["PolicyArn"] for p in _pages(iam, "list_attached_role_policies", "AttachedPolicies",
                                                           RoleName=name)),
            inline={p: iam.get_role_policy(RoleName=name, PolicyName=p)["PolicyDocument"]
                    for p in _pages(iam, "list_role_policies", "PolicyNames", RoleName=name)})
    for kind in ("group", "user"):
        key = kind.capitalize()
        for entity in _pages(iam, "list_%ss" % kind, key + "s"):
            name = entity[key + "Name"]
            request = {key + "Name": name}
            snapshot[kind + "s"][name] = dict(
                attached=sorted(p["PolicyArn"] for p in _pages(iam, "list_attached_%s_policies" % kind,
                                                               "AttachedPolicies", **request)),
                inline={p: getattr(iam, "get_%s_policy" % kind)(PolicyName=p, **request)["PolicyDocument"]
                        for p in _pages(iam, "list_%s_policies" % kind, "PolicyNames", **request)})
    for profile in _pages(iam, "list_instance_profiles", "InstanceProfiles"):
        snapshot["instance_profiles"].append(
            dict(name=profile["InstanceProfileName"], roles=sorted(r["RoleName"] for r in profile["Roles"])))
    return json.dumps(snapshot, sort_keys=True, default=str)
