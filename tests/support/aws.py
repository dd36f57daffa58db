"""boto3 helpers for tests and the demo: admin clients, member accounts, sample principals."""

from __future__ import annotations

import json

import boto3

# moto accepts any key pair for the default account 123456789012.
HUB_CREDENTIALS = dict(aws_access_key_id="AKIAHUBEXAMPLE000001", aws_secret_access_key="hub-secret-key-not-real")
REGION = "us-east-1"
ADMIN_ROLE = "OrganizationAccountAccessRole"


def client(endpoint_url, service, region=REGION, **credentials):
    creds = credentials or HUB_CREDENTIALS
    return boto3.client(service, endpoint_url=endpoint_url, region_name=region, **creds)


def account_client(endpoint_url, account_id, service, region=REGION):
    """A client acting inside ``account_id`` (moto lets any role be assumed), in ``region``."""
    sts = client(endpoint_url, "sts")
    creds = sts.assume_role(RoleArn="arn:aws:iam::%s:role/%s" % (account_id, ADMIN_ROLE),
                            RoleSessionName="fleetiam-tests")["Credentials"]
    return client(endpoint_url, service, region, aws_access_key_id=creds["AccessKeyId"],
                  aws_secret_access_key=creds["SecretAccessKey"], aws_session_token=creds["SessionToken"])


def create_member_accounts(endpoint_url, count, prefix="member"):
    """An organization with ``count`` member accounts; returns their ids in order."""
    org = client(endpoint_url, "organizations")
    try:
        org.create_organization(FeatureSet="ALL")
    except org.exceptions.AlreadyInOrganizationException:
        pass
    ids = []
    for index in range(count):
        status = org.create_account(Email="%s-%d@example.com" % (prefix, index),
                                    AccountName="%s-%d" % (prefix, index))["CreateAccountStatus"]
        ids.append(status["AccountId"])
    return ids


def create_principals(endpoint_url, account_id, groups=(), users=(), roles=()):
    iam = account_client(endpoint_url, account_id, "iam")
    for group in groups:
        iam.create_group(GroupName=group)
    for user in users:
        iam.create_user(UserName=user)
    for role in roles:
        iam.create_role(RoleName=role, AssumeRolePolicyDocument=(
            '{"Version":"2012-10-17","Statement":[{"Effect":"Allow",'
            '"Principal":{"AWS":"arn:aws:iam::%s:root"},"Action":"sts:AssumeRole"}]}' % account_id))
    return iam


def service_control_policy(organizations, name):
    """The organisation's SCP of that name - its id, document and targets - or None."""
    found = [policy for policy in organizations.list_policies(Filter="SERVICE_CONTROL_POLICY")["Policies"]
             if policy["Name"] == name]
    if not found:
        return None
    policy_id = found[0]["Id"]
    targets = organizations.list_targets_for_policy(PolicyId=policy_id)["Targets"]
    return dict(id=policy_id, document=json.loads(organizations.describe_policy(PolicyId=policy_id)["Policy"]["Content"]),
                targets=sorted(target["TargetId"] for target in targets))


def scps_disabled(organizations):
    """Disable SCPs on the root (the session's one organisation is shared); the root's id."""
    root = organizations.list_roots()["Roots"][0]
    if any(kind["Type"] == "SERVICE_CONTROL_POLICY" for kind in root["PolicyTypes"]):
        organizations.disable_policy_type(RootId=root["Id"], PolicyType="SERVICE_CONTROL_POLICY")
    return root["Id"]


def identity_center_instance(endpoint_url):
    """The IAM Identity Center instance of the hub (the organisation's management account)."""
    return client(endpoint_url, "sso-admin").list_instances()["Instances"][0]["InstanceArn"]


def create_permission_set(endpoint_url, name, account_ids, group_id="operators-group-id"):
    """A permission set of the hub's Identity Center, assigned to a group in each of ``account_ids``
    (which provisions it there); returns its ARN."""
    sso = client(endpoint_url, "sso-admin")
    instance = identity_center_instance(endpoint_url)
    arn = sso.create_permission_set(Name=name, InstanceArn=instance)["PermissionSet"]["PermissionSetArn"]
    for account_id in account_ids:
        sso.create_account_assignment(InstanceArn=instance, PermissionSetArn=arn, TargetType="AWS_ACCOUNT",
                                      TargetId=account_id, PrincipalType="GROUP", PrincipalId=group_id)
    return arn
