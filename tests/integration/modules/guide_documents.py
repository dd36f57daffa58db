"""The IAM documents of the AWS guide (shared/reference/maintenance-window-permissions.md),
for one account, as the module tests give them to the modules."""

from __future__ import annotations

import copy

ROLE_NAME = "MaintenanceWindowServiceRole"
POLICY_NAME = "MaintenanceWindowServicePolicy"
PASS_ROLE_POLICY_NAME = "MaintenanceWindowPassRole"
DENY_POLICY_NAME = "DenyMaintenanceWindowRegistration"

TRUST = {"Version": "2012-10-17", "Statement": [
    {"Sid": "", "Effect": "Allow", "Principal": {"Service": "ssm.amazonaws.com"}, "Action": "sts:AssumeRole"}]}

LEGACY_TRUST = {"Version": "2012-10-17", "Statement": [
    {"Effect": "Allow", "Principal": {"Service": ["ec2.amazonaws.com", "ssm.amazonaws.com", "sns.amazonaws.com"]},
     "Action": "sts:AssumeRole"}]}

DENY = {"Version": "2012-10-17", "Statement": [
    {"Effect": "Deny", "Action": "ssm:RegisterTaskWithMaintenanceWindow", "Resource": "*"}]}


def role_arn(account, name=ROLE_NAME):
    return "arn:aws:iam::%s:role/%s" % (account, name)


def policy_arn(account, name=POLICY_NAME):
    return "arn:aws:iam::%s:policy/%s" % (account, name)


def service_role_policy(account):
    """Task 1: the policy of the custom maintenance window service role."""
    return {"Version": "2012-10-17", "Statement": [
        {"Effect": "Allow", "Action": [
            "ssm:SendCommand", "ssm:CancelCommand", "ssm:ListCommands", "ssm:ListCommandInvocations",
            "ssm:GetCommandInvocation", "ssm:GetAutomationExecution", "ssm:StartAutomationExecution",
            "ssm:ListTagsForResource", "ssm:DescribeInstanceInformation", "ssm:GetParameters"],
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


def without_automation(document):
    """The Task 1 policy without the two Automation actions (the guide's customisation)."""
    trimmed = copy.deepcopy(document)
    actions = trimmed["Statement"][0]["Action"]
    trimmed["Statement"][0]["Action"] = [a for a in actions if "Automation" not in a]
    return trimmed


def pass_role_policy(account):
    """Task 3: the inline policy of those who register maintenance window tasks, with
    iam:ListRoles on "*" (the only Resource that matches it) where the guide names role paths."""
    return {"Version": "2012-10-17", "Statement": [
        {"Effect": "Allow", "Action": "iam:PassRole", "Resource": role_arn(account)},
        {"Effect": "Allow", "Action": "iam:ListRoles", "Resource": "*"},
    ]}


def pass_role_policy_as_guide(account):
    """Task 3 as the guide prints it: its iam:ListRoles statements grant nothing."""
    return {"Version": "2012-10-17", "Statement": [
        {"Effect": "Allow", "Action": "iam:PassRole", "Resource": role_arn(account)},
        {"Effect": "Allow", "Action": "iam:ListRoles", "Resource": "arn:aws:iam::%s:role/" % account},
        {"Effect": "Allow", "Action": "iam:ListRoles",
         "Resource": "arn:aws:iam::%s:role/aws-service-role/ssm.amazonaws.com/" % account},
    ]}
