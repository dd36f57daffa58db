"""The IAM documents of the AWS guide, and what an account holds, read with boto3.

The documents are those of the project's reference page (shared/reference/
maintenance-window-permissions.md), copied as the page prints them (placeholders ACCOUNT, PARTITION, ROLE_NAME), so that a test
compares what the role wrote with the guide and not with the role's own templates. One
deliberate difference: Task 3's iam:ListRoles (TASK3_PASS_ROLE_POLICY, and the guide's own
text as TASK3_PASS_ROLE_POLICY_AS_GUIDE).
"""

from __future__ import annotations

import json

from ansible_collections.fleetiam.maintenance_windows.plugins.module_utils.policy import same_policy

from tests.support import aws

POLICY_NAME = "MaintenanceWindowServiceRolePolicy"
ROLE_NAME = "MaintenanceWindowServiceRole"
PASS_ROLE_POLICY_NAME = "MaintenanceWindowPassRole"
DENY_POLICY_NAME = "DenyMaintenanceWindowTaskRegistration"
SNS_PASS_ROLE_POLICY_NAME = "MaintenanceWindowSnsPassRole"
AWS_MANAGED_POLICY_ARN = "arn:aws:iam::aws:policy/service-role/AmazonSSMMaintenanceWindowRole"
SSM_FULL_ACCESS_ARN = "arn:aws:iam::aws:policy/AmazonSSMFullAccess"

TASK1_POLICY = """
{"Version": "2012-10-17", "Statement": [
  {"Effect": "Allow", "Action": [
     "ssm:SendCommand", "ssm:CancelCommand", "ssm:ListCommands", "ssm:ListCommandInvocations",
     "ssm:GetCommandInvocation", "ssm:GetAutomationExecution", "ssm:StartAutomationExecution",
     "ssm:ListTagsForResource", "ssm:DescribeInstanceInformation", "ssm:GetParameters"],
   "Resource": "*"},
  {"Effect": "Allow", "Action": ["states:DescribeExecution", "states:StartExecution"],
   "Resource": ["arn:PARTITION:states:*:*:execution:*:*", "arn:PARTITION:states:*:*:stateMachine:*"]},
  {"Effect": "Allow", "Action": ["lambda:InvokeFunction"],
   "Resource": ["arn:PARTITION:lambda:*:*:function:*"]},
  {"Effect": "Allow", "Action": ["resource-groups:ListGroups", "resource-groups:ListGroupResources"],
   "Resource": ["*"]},
  {"Effect": "Allow", "Action": ["tag:GetResources"], "Resource": ["*"]},
  {"Effect": "Allow", "Action": "iam:PassRole",
   "Resource": "arn:PARTITION:iam::ACCOUNT:role/ROLE_NAME",
   "Condition": {"StringEquals": {"iam:PassedToService": ["ssm.amazonaws.com"]}}}
]}
"""

TRUST_POLICY = """
{"Version": "2012-10-17", "Statement": [
  {"Effect": "Allow", "Principal": {"Service": "ssm.amazonaws.com"}, "Action": "sts:AssumeRole"}]}
"""

# The guide's Task 3 text, written with mw_pass_role_list_roles_as_guide: its ListRoles
# statements grant nothing, since iam:ListRoles supports no resource-level permissions.
TASK3_PASS_ROLE_POLICY_AS_GUIDE = """
{"Version": "2012-10-17", "Statement": [
  {"Effect": "Allow", "Action": "iam:PassRole", "Resource": "arn:PARTITION:iam::ACCOUNT:role/ROLE_NAME"},
  {"Effect": "Allow", "Action": "iam:ListRoles", "Resource": "arn:PARTITION:iam::ACCOUNT:role/"},
  {"Effect": "Allow", "Action": "iam:ListRoles",
   "Resource": "arn:PARTITION:iam::ACCOUNT:role/aws-service-role/ssm.amazonaws.com/"}]}
"""

# What the role writes by default: the guide's Task 3 with iam:ListRoles on "*", the only
# Resource that matches it (AWS Service Authorization Reference; docs/policy-check.md).
TASK3_PASS_ROLE_POLICY = """
{"Version": "2012-10-17", "Statement": [
  {"Effect": "Allow", "Action": "iam:PassRole", "Resource": "arn:PARTITION:iam::ACCOUNT:role/ROLE_NAME"},
  {"Effect": "Allow", "Action": "iam:ListRoles", "Resource": "*"}]}
"""

SNS_PASS_ROLE_POLICY = """
{"Version": "2012-10-17", "Statement": [
  {"Effect": "Allow", "Action": "iam:PassRole", "Resource": "SNS_ROLE_ARN"}]}
"""

TASK4_DENY_POLICY = """
{"Version": "2012-10-17", "Statement": [
  {"Effect": "Deny", "Action": "ssm:RegisterTaskWithMaintenanceWindow", "Resource": "*"}]}
"""


def reference(document, account, partition="aws", role_name=ROLE_NAME, sns_role_arn=None):
    """One of the documents above with its placeholders filled in, as a dict."""
    text = document.replace("PARTITION", partition).replace("ACCOUNT", account).replace("ROLE_NAME", role_name)
    if sns_role_arn:
        text = text.replace("SNS_ROLE_ARN", sns_role_arn)
    return json.loads(text)


def role_arn(account, name=ROLE_NAME):
    return "arn:aws:iam::%s:role/%s" % (account, name)


def policy_arn(account, name=POLICY_NAME):
    return "arn:aws:iam::%s:policy/%s" % (account, name)


def same(actual, expected):
    """Same meaning (statement order, one-item lists, action case do not matter)."""
    return actual is not None and same_policy(actual, expected)


def assert_holds_the_guide(account, pass_role_group, deny_group):
    """The account holds exactly the documents of the reference page, and nothing more."""
    number = account.account
    assert same(account.policy_document(), reference(TASK1_POLICY, number))
    assert same(account.trust_policy(), reference(TRUST_POLICY, number))
    assert account.attached_to_role() == [policy_arn(number)]
    assert account.inline_names("role", ROLE_NAME) == []
    assert account.inline_names("group", pass_role_group) == [PASS_ROLE_POLICY_NAME]
    assert same(account.inline("group", pass_role_group, PASS_ROLE_POLICY_NAME),
                reference(TASK3_PASS_ROLE_POLICY, number))
    assert account.inline_names("group", deny_group) == [DENY_POLICY_NAME]
    assert same(account.inline("group", deny_group, DENY_POLICY_NAME), reference(TASK4_DENY_POLICY, number))


class AccountIam(object):
    """What one account holds of the maintenance window setup, read anew on each call."""

    def __init__(self, endpoint_url, account):
        self.account = account
        self.iam = aws.account_client(endpoint_url, account, "iam")

    def _missing(self, call, **request):
        try:
            return call(**request)
        except self.iam.exceptions.NoSuchEntityException:
            return None

    def policy_document(self, name=POLICY_NAME):
        """The default version's document of the customer-managed policy, or None."""
        policy = self._missing(self.iam.get_policy, PolicyArn=policy_arn(self.account, name))
        if policy is None:
            return None
        version = self.iam.get_policy_version(PolicyArn=policy_arn(self.account, name),
                                              VersionId=policy["Policy"]["DefaultVersionId"])
        return version["PolicyVersion"]["Document"]

    def role(self, name=ROLE_NAME):
        found = self._missing(self.iam.get_role, RoleName=name)
        return found["Role"] if found else None

    def trust_policy(self, name=ROLE_NAME):
        role = self.role(name)
        return role["AssumeRolePolicyDocument"] if role else None

    def attached_to_role(self, name=ROLE_NAME):
        return sorted(p["PolicyArn"] for p in self.iam.list_attached_role_policies(RoleName=name)["AttachedPolicies"])

    def attached_to_group(self, group):
        return sorted(p["PolicyArn"] for p in self.iam.list_attached_group_policies(GroupName=group)["AttachedPolicies"])

    def inline(self, principal_type, principal_name, policy_name):
        """An inline policy's document, or None; ``principal_type`` is user, group or role."""
        call = getattr(self.iam, "get_%s_policy" % principal_type)
        found = self._missing(call, PolicyName=policy_name, **{principal_type.capitalize() + "Name": principal_name})
        return found["PolicyDocument"] if found else None

    def inline_names(self, principal_type, principal_name):
        call = getattr(self.iam, "list_%s_policies" % principal_type)
        return sorted(call(**{principal_type.capitalize() + "Name": principal_name})["PolicyNames"])

    def customer_policy_names(self):
        return sorted(p["PolicyName"] for p in self.iam.list_policies(Scope="Local")["Policies"])

    def role_names(self):
        return sorted(r["RoleName"] for r in self.iam.list_roles()["Roles"])
