# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
name: service_role_policy
short_description: The AWS guide's policy for the maintenance window service role (Task 1)
version_added: 0.1.0
description:
  - The customer-managed policy document of the guide's Task 1 for the service role given as
    input, with the guide's customisation advice as options - each statement the guide marks as
    optional can be left out or narrowed to named resources.
  - Its last statement lets the role pass itself, to Systems Manager only.
author: fleetiam maintainers (@fleetiam)
options:
  _input:
    description: The service role's ARN.
    type: str
    required: true
  partition:
    description: The account's partition, for the ARNs of the Step Functions and Lambda statements.
    type: str
    required: true
  automation:
    description: Allow Automation (C(ssm:GetAutomationExecution), C(ssm:StartAutomationExecution)).
    type: bool
    default: true
  describe_instance_information:
    description: Allow C(ssm:DescribeInstanceInformation).
    type: bool
    default: true
  step_functions:
    description: The Step Functions statement.
    type: bool
    default: true
  state_machine_arns:
    description:
      - The state machines the Step Functions statement is narrowed to (with their executions,
        which C(states:DescribeExecution) takes); empty for all of them.
    type: list
    elements: str
    default: []
  lambda_functions:
    description: The Lambda statement.
    type: bool
    default: true
  lambda_function_arns:
    description: The functions the Lambda statement is narrowed to; empty for all of them.
    type: list
    elements: str
    default: []
  extra_statements:
    description: Statements added at the end.
    type: list
    elements: dict
    default: []
"""

EXAMPLES = r"""
- name: The guide's policy, without Lambda
  ansible.builtin.debug:
    msg: >-
      {{ 'arn:aws:iam::111122223333:role/MaintenanceWindowServiceRole'
         | fleetiam.maintenance_windows.service_role_policy(partition='aws', lambda_functions=false) }}
"""

RETURN = r"""
_value:
  description: The policy document.
  type: dict
"""

from ansible_collections.fleetiam.maintenance_windows.plugins.plugin_utils.service_role_policy import service_role_policy


class FilterModule(object):
    def filters(self):
        return dict(service_role_policy=service_role_policy)
