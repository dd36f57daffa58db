"""The local AWS answers as AWS documents where plain moto does not (tests/support/local_aws.py)."""

from __future__ import annotations

import json

import pytest

from tests.support import aws

ALLOW_NOTHING_MORE = json.dumps({"Version": "2012-10-17",
                                 "Statement": [{"Effect": "Allow", "Action": "s3:ListBucket", "Resource": "*"}]})
TRUST_EC2 = json.dumps({"Version": "2012-10-17", "Statement": [
    {"Effect": "Allow", "Principal": {"Service": "ec2.amazonaws.com"}, "Action": "sts:AssumeRole"}]})


@pytest.fixture(scope="module")
def entities_for(moto):
    """``entities_for(policy name, **request)``: {"users"|"roles"|"groups": names} that
    ListEntitiesForPolicy answers in one account, where policy ``attached`` is attached to
    role ``worker``, and policy ``boundary`` is the permissions boundary of role
    ``bounded-role`` and of user ``bounded-user`` and is attached to group ``auditors``.
    Role ``bystander`` and user ``bystander`` use neither."""
    [account] = aws.create_member_accounts(moto.url, 1, prefix="local-aws")
    iam = aws.account_client(moto.url, account, "iam")
    attached = iam.create_policy(PolicyName="attached", PolicyDocument=ALLOW_NOTHING_MORE)["Policy"]["Arn"]
    boundary = iam.create_policy(PolicyName="boundary", PolicyDocument=ALLOW_NOTHING_MORE)["Policy"]["Arn"]
    iam.create_role(RoleName="worker", AssumeRolePolicyDocument=TRUST_EC2)
    iam.attach_role_policy(RoleName="worker", PolicyArn=attached)
    iam.create_role(RoleName="bounded-role", AssumeRolePolicyDocument=TRUST_EC2, PermissionsBoundary=boundary)
    iam.create_user(UserName="bounded-user")
    iam.put_user_permissions_boundary(UserName="bounded-user", PermissionsBoundary=boundary)
    iam.create_group(GroupName="auditors")
    iam.attach_group_policy(GroupName="auditors", PolicyArn=boundary)
    iam.create_role(RoleName="bystander", AssumeRolePolicyDocument=TRUST_EC2)
    iam.create_user(UserName="bystander")

    def entities(policy_name, **request):
        arn = "arn:aws:iam::%s:policy/%s" % (account, policy_name)
        answer = {"users": [], "roles": [], "groups": []}
        for page in iam.get_paginator("list_entities_for_policy").paginate(PolicyArn=arn, **request):
            answer["users"] += [user["UserName"] for user in page["PolicyUsers"]]
            answer["roles"] += [role["RoleName"] for role in page["PolicyRoles"]]
            answer["groups"] += [group["GroupName"] for group in page["PolicyGroups"]]
        return {kind: sorted(names) for kind, names in answer.items()}

    return entities


NOBODY = {"users": [], "roles": [], "groups": []}
ATTACHED_TO_WORKER = dict(NOBODY, roles=["worker"])
ATTACHED_TO_AUDITORS = dict(NOBODY, groups=["auditors"])
BOUNDARY_OF_ROLE_AND_USER = dict(NOBODY, roles=["bounded-role"], users=["bounded-user"])


@pytest.mark.parametrize("usage, of_attached, of_boundary", [
    pytest.param({"PolicyUsageFilter": "PermissionsPolicy"}, ATTACHED_TO_WORKER, ATTACHED_TO_AUDITORS,
                 id="PermissionsPolicy lists whom it is attached to"),
    pytest.param({"PolicyUsageFilter": "PermissionsBoundary"}, NOBODY, BOUNDARY_OF_ROLE_AND_USER,
                 id="PermissionsBoundary lists the users and roles it bounds"),
    pytest.param({}, ATTACHED_TO_WORKER, dict(BOUNDARY_OF_ROLE_AND_USER, groups=["auditors"]),
                 id="no filter lists both"),
])
def test_list_entities_for_policy_answers_each_policy_usage_filter_as_iam_documents(
        entities_for, usage, of_attached, of_boundary):
    assert entities_for("attached", **usage) == of_attached
    assert entities_for("boundary", **usage) == of_boundary


def test_the_entity_filter_narrows_the_boundary_listing(entities_for):
    bounded = {"PolicyUsageFilter": "PermissionsBoundary"}
    assert entities_for("boundary", EntityFilter="User", **bounded) == dict(NOBODY, users=["bounded-user"])
    assert entities_for("boundary", EntityFilter="Role", **bounded) == dict(NOBODY, roles=["bounded-role"])
    assert entities_for("boundary", EntityFilter="Group", **bounded) == NOBODY


def test_a_users_permissions_boundary_is_kept_until_it_is_deleted(moto):
    [account] = aws.create_member_accounts(moto.url, 1, prefix="local-aws-user")
    iam = aws.account_client(moto.url, account, "iam")
    arn = iam.create_policy(PolicyName="boundary", PolicyDocument=ALLOW_NOTHING_MORE)["Policy"]["Arn"]
    created = iam.create_user(UserName="created-bounded", PermissionsBoundary=arn)["User"]
    iam.create_user(UserName="bounded-later")
    iam.put_user_permissions_boundary(UserName="bounded-later", PermissionsBoundary=arn)

    held = {"PermissionsBoundaryType": "PermissionsBoundaryPolicy", "PermissionsBoundaryArn": arn}
    assert created["PermissionsBoundary"] == held
    assert iam.get_user(UserName="created-bounded")["User"]["PermissionsBoundary"] == held
    assert iam.get_user(UserName="bounded-later")["User"]["PermissionsBoundary"] == held
    assert all("PermissionsBoundary" not in user for user in iam.list_users()["Users"])

    iam.delete_user_permissions_boundary(UserName="bounded-later")
    assert "PermissionsBoundary" not in iam.get_user(UserName="bounded-later")["User"]


@pytest.fixture(scope="module")
def window_task(moto):
    """``window_task()``: (ssm client, window id, task id) of a new Run Command task with a
    service role, a comment and a notification role."""
    [account] = aws.create_member_accounts(moto.url, 1, prefix="local-aws-ssm")
    ssm = aws.account_client(moto.url, account, "ssm", region="eu-west-1")
    window = ssm.create_maintenance_window(Name="weekly", Schedule="rate(7 days)", Duration=2, Cutoff=1,
                                           AllowUnassociatedTargets=True)["WindowId"]

    def register():
        task = ssm.register_task_with_maintenance_window(
            WindowId=window, TaskArn="AWS-RunShellScript", TaskType="RUN_COMMAND", Name="patch", Priority=3,
            ServiceRoleArn="arn:aws:iam::%s:role/Old" % account, MaxConcurrency="1", MaxErrors="1",
            Targets=[{"Key": "InstanceIds", "Values": ["i-0123456789abcdef0"]}],
            TaskInvocationParameters={"RunCommand": {"Comment": "c", "ServiceRoleArn": "arn:aws:iam::%s:role/Sns"
                                                     % account}})["WindowTaskId"]
        return ssm, window, task

    return register


def test_maintenance_window_tasks_are_described_with_their_type(window_task):
    ssm, window, task = window_task()
    [described] = [t for t in ssm.describe_maintenance_window_tasks(WindowId=window)["Tasks"]
                   if t["WindowTaskId"] == task]
    assert described["Type"] == "RUN_COMMAND" and "TaskType" not in described
    got = ssm.get_maintenance_window_task(WindowId=window, WindowTaskId=task)
    assert (got["TaskType"], got["Priority"], got["TaskInvocationParameters"]["RunCommand"]["Comment"]) == (
        "RUN_COMMAND", 3, "c")
    with pytest.raises(ssm.exceptions.DoesNotExistException):
        ssm.get_maintenance_window_task(WindowId=window, WindowTaskId="00000000-0000-0000-0000-000000000000")


def test_an_update_sets_what_it_is_given_and_replaces_the_invocation_parameters_whole(window_task):
    ssm, window, task = window_task()
    before = ssm.get_maintenance_window_task(WindowId=window, WindowTaskId=task)
    ssm.update_maintenance_window_task(WindowId=window, WindowTaskId=task, ServiceRoleArn="arn:aws:iam::1:role/New")
    after = ssm.get_maintenance_window_task(WindowId=window, WindowTaskId=task)
    del before["ResponseMetadata"], after["ResponseMetadata"]
    assert after == dict(before, ServiceRoleArn="arn:aws:iam::1:role/New")

    ssm.update_maintenance_window_task(WindowId=window, WindowTaskId=task,
                                       TaskInvocationParameters={"RunCommand": {"TimeoutSeconds": 60}})
    replaced = ssm.get_maintenance_window_task(WindowId=window, WindowTaskId=task)["TaskInvocationParameters"]
    assert replaced == {"RunCommand": {"TimeoutSeconds": 60}}

    ssm.update_maintenance_window_task(WindowId=window, WindowTaskId=task, TaskArn="AWS-RunShellScript", Replace=True)
    cleared = ssm.get_maintenance_window_task(WindowId=window, WindowTaskId=task)
    assert "ServiceRoleArn" not in cleared and "Priority" not in cleared and cleared["TaskArn"] == "AWS-RunShellScript"


def test_describe_regions_lists_the_enabled_regions_of_the_partition(moto):
    ec2 = aws.client(moto.url, "ec2")
    enabled = ec2.describe_regions()["Regions"]
    assert "us-east-1" in [r["RegionName"] for r in enabled]
    assert {r["OptInStatus"] for r in enabled} == {"opt-in-not-required"}
    assert not [r for r in enabled if r["RegionName"].startswith(("cn-", "us-gov-"))]
    every = ec2.describe_regions(AllRegions=True)["Regions"]
    assert "not-opted-in" in {r["OptInStatus"] for r in every}


def test_policy_attachments_answer_as_organizations_documents(moto):
    aws.create_member_accounts(moto.url, 0)
    client = aws.client(moto.url, "organizations")
    root = client.list_roots()["Roots"][0]["Id"]
    unit = client.create_organizational_unit(ParentId=root, Name="local-aws-attachments")["OrganizationalUnit"]["Id"]
    policy = client.create_policy(Name="local-aws-attachments", Description="", Type="SERVICE_CONTROL_POLICY",
                                  Content=ALLOW_NOTHING_MORE)["Policy"]["PolicySummary"]["Id"]
    if any(kind["Type"] == "SERVICE_CONTROL_POLICY" for kind in client.list_roots()["Roots"][0]["PolicyTypes"]):
        client.disable_policy_type(RootId=root, PolicyType="SERVICE_CONTROL_POLICY")
    with pytest.raises(client.exceptions.PolicyTypeNotEnabledException):
        client.attach_policy(PolicyId=policy, TargetId=unit)
    client.enable_policy_type(RootId=root, PolicyType="SERVICE_CONTROL_POLICY")
    client.attach_policy(PolicyId=policy, TargetId=unit)
    with pytest.raises(client.exceptions.DuplicatePolicyAttachmentException):
        client.attach_policy(PolicyId=policy, TargetId=unit)
    client.detach_policy(PolicyId=policy, TargetId=unit)
    with pytest.raises(client.exceptions.PolicyNotAttachedException):
        client.detach_policy(PolicyId=policy, TargetId=unit)
    client.delete_policy(PolicyId=policy)


def document_of_size(size):
    """An identity policy of exactly ``size`` characters without white space."""
    base = {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:ListBucket", "Resource": ""}]}
    padding = size - len(json.dumps(base, separators=(",", ":")))
    base["Statement"][0]["Resource"] = "arn:aws:s3:::" + "b" * (padding - len("arn:aws:s3:::"))
    return json.dumps(base, indent=4)  # white space IAM does not count


@pytest.mark.parametrize("kind, limit", [("user", 2048), ("group", 5120), ("role", 10240)])
def test_a_principals_inline_policies_together_stay_within_iams_quota(moto, kind, limit):
    [account] = aws.create_member_accounts(moto.url, 1, prefix="local-aws-inline-%s" % kind)
    iam = aws.account_client(moto.url, account, "iam")
    create = {"user": lambda: iam.create_user(UserName="p"), "group": lambda: iam.create_group(GroupName="p"),
              "role": lambda: iam.create_role(RoleName="p", AssumeRolePolicyDocument=TRUST_EC2)}
    create[kind]()
    put = getattr(iam, "put_%s_policy" % kind)
    name = {"%sName" % kind.capitalize(): "p"}
    put(PolicyName="first", PolicyDocument=document_of_size(limit // 2), **name)
    put(PolicyName="second", PolicyDocument=document_of_size(limit - limit // 2), **name)  # exactly the quota
    put(PolicyName="second", PolicyDocument=document_of_size(limit - limit // 2), **name)  # a rewrite counts once
    with pytest.raises(iam.exceptions.LimitExceededException):
        put(PolicyName="third", PolicyDocument=document_of_size(100), **name)
    assert sorted(getattr(iam, "list_%s_policies" % kind)(**name)["PolicyNames"]) == ["first", "second"]


def test_a_policy_name_is_refused_under_another_path_and_not_beside_an_aws_managed_one(moto):
    [account] = aws.create_member_accounts(moto.url, 1, prefix="local-aws-names")
    iam = aws.account_client(moto.url, account, "iam")
    iam.create_policy(PolicyName="Shared", Path="/team/", PolicyDocument=ALLOW_NOTHING_MORE)
    with pytest.raises(iam.exceptions.EntityAlreadyExistsException, match="A policy called Shared already exists"):
        iam.create_policy(PolicyName="Shared", Path="/", PolicyDocument=ALLOW_NOTHING_MORE)
    # AWS managed policies live in their own namespace (account "aws").
    created = iam.create_policy(PolicyName="AmazonSSMFullAccess", PolicyDocument=ALLOW_NOTHING_MORE)
    assert created["Policy"]["Arn"] == "arn:aws:iam::%s:policy/AmazonSSMFullAccess" % account
    # Another account may use the name.
    [other] = aws.create_member_accounts(moto.url, 1, prefix="local-aws-names-other")
    aws.account_client(moto.url, other, "iam").create_policy(PolicyName="Shared", PolicyDocument=ALLOW_NOTHING_MORE)
