"""boto3 helpers for tests and the demo: admin clients, member accounts, sample principals."""

from __future__ import annotations

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
