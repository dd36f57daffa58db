# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Task 1's document: the AWS guide's policy for the custom maintenance window service role,
with the guide's customisation advice as options (filter ``service_role_policy``).

The guide's statements, in its order: Run Command and Automation (``ssm:``), Step Functions,
Lambda, resource groups and tags, and ``iam:PassRole`` on the service role itself, for
Systems Manager only. Compared with what IAM holds by meaning, not by text.
"""

from __future__ import annotations

import re

RUN_COMMAND_ACTIONS = ["ssm:SendCommand", "ssm:CancelCommand", "ssm:ListCommands", "ssm:ListCommandInvocations",
                       "ssm:GetCommandInvocation"]
AUTOMATION_ACTIONS = ["ssm:GetAutomationExecution", "ssm:StartAutomationExecution"]
_STATE_MACHINE_ARN = re.compile(r"^(arn:[^:]+:states:[^:]*:[^:]*):stateMachine:([^:]+)")


def executions_of(state_machine_arns):
    """``states:DescribeExecution`` takes execution ARNs only: each state machine brings its
    executions' (``arn:...:execution:NAME:*``), or the statement could never match it
    (docs/policy-check.md)."""
    found = (_STATE_MACHINE_ARN.match(str(arn)) for arn in state_machine_arns)
    return ["%s:execution:%s:*" % match.groups() for match in found if match]


def service_role_policy(role_arn, partition, automation=True, describe_instance_information=True,
                        step_functions=True, state_machine_arns=(), lambda_functions=True, lambda_function_arns=(),
                        extra_statements=()):
    """The document, for the service role ``role_arn`` in ``partition``."""
    ssm_actions = (RUN_COMMAND_ACTIONS + (AUTOMATION_ACTIONS if automation else []) + ["ssm:ListTagsForResource"]
                   + (["ssm:DescribeInstanceInformation"] if describe_instance_information else [])
                   + ["ssm:GetParameters"])
    statements = [{"Effect": "Allow", "Action": ssm_actions, "Resource": "*"}]
    if step_functions:
        statements.append({"Effect": "Allow", "Action": ["states:DescribeExecution", "states:StartExecution"],
                           "Resource": (list(state_machine_arns) + executions_of(state_machine_arns)
                                        if state_machine_arns else
                                        ["arn:%s:states:*:*:execution:*:*" % partition,
                                         "arn:%s:states:*:*:stateMachine:*" % partition])})
    if lambda_functions:
        statements.append({"Effect": "Allow", "Action": ["lambda:InvokeFunction"],
                           "Resource": list(lambda_function_arns) or ["arn:%s:lambda:*:*:function:*" % partition]})
    statements += [
        {"Effect": "Allow", "Action": ["resource-groups:ListGroups", "resource-groups:ListGroupResources"],
         "Resource": ["*"]},
        {"Effect": "Allow", "Action": ["tag:GetResources"], "Resource": ["*"]},
        {"Effect": "Allow", "Action": "iam:PassRole", "Resource": role_arn,
         "Condition": {"StringEquals": {"iam:PassedToService": ["ssm.amazonaws.com"]}}},
    ]
    return {"Version": "2012-10-17", "Statement": statements + list(extra_statements)}
