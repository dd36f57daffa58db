#!/usr/bin/python
# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
module: maintenance_window_task
short_description: Set the service role of one maintenance window task
version_added: 0.1.0
description:
  - Sets the C(ServiceRoleArn) of one task of a maintenance window, in the connection's region,
    for example to move it off the service-linked role C(AWSServiceRoleForAmazonSSM) onto the
    custom service role of setup Task 2.
  - Changes only C(ServiceRoleArn). It never sends C(Replace=true) (which clears every field not
    sent) nor C(TaskInvocationParameters) (sending them replaces them all), so every other field
    of the task stays as it was.
  - C(TaskInvocationParameters.RunCommand.ServiceRoleArn) is the role that Systems Manager passes
    to SNS for Run Command notifications, not the role the task runs with; it is left as it is.
  - Before a change the move is refused, with the reason and the fix, when the role does not
    exist in the account (run setup first), when its policies do not allow what the task's type
    needs (C(ssm:SendCommand) for C(RUN_COMMAND), C(ssm:StartAutomationExecution) for
    C(AUTOMATION), C(states:StartExecution) for C(STEP_FUNCTIONS), C(lambda:InvokeFunction) for
    C(LAMBDA)), or when the caller's own policies do not allow C(iam:PassRole) on it. The
    evaluation is the audit's simplified one (permissions boundaries and SCPs are not evaluated).
  - Setting the service-linked role itself (undoing a migration) is not checked.
  - UpdateMaintenanceWindowTask cannot empty C(ServiceRoleArn) without C(Replace=true), so a task
    that had none is put back with the service-linked role's ARN, the role it ran with.
  - "IAM actions used: C(ssm:GetMaintenanceWindowTask), C(ssm:UpdateMaintenanceWindowTask),
    C(iam:PassRole) on the role, and for the checks C(iam:GetRole), C(iam:ListRolePolicies),
    C(iam:GetRolePolicy), C(iam:ListAttachedRolePolicies), C(iam:GetPolicy), C(iam:GetPolicyVersion)
    (a user caller also C(iam:ListUserPolicies), C(iam:GetUserPolicy), C(iam:ListAttachedUserPolicies),
    C(iam:ListGroupsForUser) and the group calls)."
author: fleetiam maintainers (@fleetiam)
extends_documentation_fragment:
  - fleetiam.maintenance_windows.connection
  - fleetiam.maintenance_windows.common
options:
  window_id:
    description: The maintenance window's id (C(mw-...)).
    type: str
    required: true
  task_id:
    description: The task's id (C(WindowTaskId)).
    type: str
    required: true
  service_role_arn:
    description: The role the task is to run with.
    type: str
    required: true
"""

EXAMPLES = r"""
- name: Run a task with the custom service role instead of the service-linked role
  fleetiam.maintenance_windows.maintenance_window_task:
    region: eu-west-1
    window_id: mw-0c50858d01EXAMPLE
    task_id: 4f7ca192-7e9a-40fe-9192-5cb15EXAMPLE
    service_role_arn: arn:aws:iam::111122223333:role/MaintenanceWindowServiceRole

- name: Put it back on the service-linked role (what a restore does)
  fleetiam.maintenance_windows.maintenance_window_task:
    region: eu-west-1
    window_id: mw-0c50858d01EXAMPLE
    task_id: 4f7ca192-7e9a-40fe-9192-5cb15EXAMPLE
    service_role_arn: arn:aws:iam::111122223333:role/aws-service-role/ssm.amazonaws.com/AWSServiceRoleForAmazonSSM
"""

RETURN = r"""
window_id:
  description: The maintenance window's id.
  returned: success
  type: str
task_id:
  description: The task's id.
  returned: success
  type: str
region:
  description: The task's region.
  returned: success
  type: str
task_name:
  description: The task's name (empty when it has none).
  returned: success
  type: str
task_type:
  description: C(RUN_COMMAND), C(AUTOMATION), C(STEP_FUNCTIONS) or C(LAMBDA).
  returned: success
  type: str
service_role_arn:
  description: The role the task runs with now (in check mode, would run with).
  returned: success
  type: str
previous_service_role_arn:
  description: The role it ran with before (empty when it had none).
  returned: success
  type: str
change:
  description: What was done (or in check mode would be done) to the resource - C(create),
    C(update), C(delete), or C(none) when nothing changed.
  returned: success
  type: str
  sample: create
api_calls:
  description: How many AWS API calls the task made.
  returned: success
  type: int
api_retries:
  description: How many of those were retries of transient failures.
  returned: success
  type: int
"""

from ansible.module_utils.basic import AnsibleModule

from ansible_collections.fleetiam.maintenance_windows.plugins.module_utils.runner import module_main
from ansible_collections.fleetiam.maintenance_windows.plugins.module_utils.window_task import (
    MaintenanceWindowTaskRole,
    window_task_options,
)


def main():
    module_main(AnsibleModule, MaintenanceWindowTaskRole, window_task_options())


if __name__ == "__main__":
    main()
