"""Task 1's document: the guide's policy with its customisation advice as options (filter
service_role_policy)."""

from __future__ import annotations

import json

from ansible_collections.fleetiam.maintenance_windows.plugins.plugin_utils.service_role_policy import (
    executions_of,
    service_role_policy,
)
from tests.integration.fleet.iam_documents import TASK1_POLICY, reference, role_arn

ACCOUNT = "111122223333"


def _statement(document, action):
    return [statement for statement in document["Statement"] if action in json.dumps(statement["Action"])]


def test_the_defaults_are_the_guides_document():
    assert service_role_policy(role_arn(ACCOUNT), "aws") == reference(TASK1_POLICY, ACCOUNT)


def test_the_partition_makes_the_wildcard_arns():
    document = service_role_policy("arn:aws-cn:iam::%s:role/R" % ACCOUNT, "aws-cn")
    assert _statement(document, "lambda:InvokeFunction")[0]["Resource"] == ["arn:aws-cn:lambda:*:*:function:*"]
    assert _statement(document, "states:StartExecution")[0]["Resource"] == [
        "arn:aws-cn:states:*:*:execution:*:*", "arn:aws-cn:states:*:*:stateMachine:*"]


def test_each_optional_part_can_be_left_out():
    document = service_role_policy(role_arn(ACCOUNT), "aws", automation=False, describe_instance_information=False,
                                   step_functions=False, lambda_functions=False)
    assert document["Statement"][0]["Action"] == [
        "ssm:SendCommand", "ssm:CancelCommand", "ssm:ListCommands", "ssm:ListCommandInvocations",
        "ssm:GetCommandInvocation", "ssm:ListTagsForResource", "ssm:GetParameters"]
    assert not _statement(document, "states:") and not _statement(document, "lambda:")
    assert document["Statement"][-1]["Action"] == "iam:PassRole"


def test_narrowed_state_machines_bring_their_executions_and_functions_are_named():
    machines = ["arn:aws:states:us-east-1:%s:stateMachine:Patch" % ACCOUNT,
                "arn:aws:states:us-east-1:%s:stateMachine:Other:v1" % ACCOUNT]
    document = service_role_policy(role_arn(ACCOUNT), "aws", state_machine_arns=machines,
                                   lambda_function_arns=["arn:aws:lambda:us-east-1:%s:function:F" % ACCOUNT])
    assert _statement(document, "states:StartExecution")[0]["Resource"] == machines + [
        "arn:aws:states:us-east-1:%s:execution:Patch:*" % ACCOUNT,
        "arn:aws:states:us-east-1:%s:execution:Other:*" % ACCOUNT]
    assert _statement(document, "lambda:InvokeFunction")[0]["Resource"] == [
        "arn:aws:lambda:us-east-1:%s:function:F" % ACCOUNT]
    assert executions_of(["not-an-arn"]) == []


def test_extra_statements_come_last_and_the_role_passes_only_itself_to_systems_manager():
    extra = {"Sid": "Reports", "Effect": "Allow", "Action": "s3:PutObject", "Resource": "arn:aws:s3:::reports/*"}
    document = service_role_policy(role_arn(ACCOUNT), "aws", extra_statements=[extra])
    assert document["Statement"][-1] == extra
    [pass_role] = _statement(document, "iam:PassRole")
    assert (pass_role["Resource"], pass_role["Condition"]) == (
        role_arn(ACCOUNT), {"StringEquals": {"iam:PassedToService": ["ssm.amazonaws.com"]}})
