#!/usr/bin/python
# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
module: maintenance_window_tasks_info
short_description: Maintenance window tasks still on the service-linked role, in every region
version_added: 0.1.0
description:
  - Read-only, it never writes to AWS, with or without check mode.
  - Lists the maintenance window tasks that run with the service-linked role
    C(AWSServiceRoleForAmazonSSM), or without a C(ServiceRoleArn) (Systems Manager then uses that
    role), in each of O(regions) - by default every region enabled in the account.
  - One session serves every region. A region that cannot be read (access denied there, for
    example) is listed in RV(region_errors) and the other regions are read all the same.
  - "IAM actions used: C(ec2:DescribeRegions) (when O(regions) is not given),
    C(ssm:DescribeMaintenanceWindows), C(ssm:DescribeMaintenanceWindowTasks)."
author: fleetiam maintainers (@fleetiam)
extends_documentation_fragment:
  - fleetiam.maintenance_windows.connection
  - fleetiam.maintenance_windows.common.read_only
options:
  regions:
    description: The regions to read; by default every region enabled in the account (opt-in regions not enabled are left out).
    type: list
    elements: str
  windows:
    description: Only these maintenance windows, by id or name; by default all.
    type: list
    elements: str
    default: []
  task_types:
    description: Only tasks of these types.
    type: list
    elements: str
    choices: [RUN_COMMAND, AUTOMATION, STEP_FUNCTIONS, LAMBDA]
    default: [RUN_COMMAND, AUTOMATION, STEP_FUNCTIONS, LAMBDA]
"""

EXAMPLES = r"""
- name: Tasks on the service-linked role in every enabled region
  fleetiam.maintenance_windows.maintenance_window_tasks_info:
    assume_role_arn: arn:aws:iam::111122223333:role/OrganizationAccountAccessRole
  register: legacy

- name: Only the Lambda tasks of one window, in two regions
  fleetiam.maintenance_windows.maintenance_window_tasks_info:
    regions: [eu-west-1, us-east-1]
    windows: [nightly-patching]
    task_types: [LAMBDA]
"""

RETURN = r"""
account_id:
  description: The account read.
  returned: success
  type: str
regions:
  description: The regions read (or tried).
  returned: success
  type: list
  elements: str
legacy_role_tasks:
  description: The tasks without a C(ServiceRoleArn) or with C(AWSServiceRoleForAmazonSSM), by region.
  returned: success
  type: list
  elements: dict
  contains:
    region:
      description: The task's region.
      type: str
    window_id:
      description: The maintenance window's id.
      type: str
    window_name:
      description: The maintenance window's name.
      type: str
    task_id:
      description: The task's id.
      type: str
    task_name:
      description: The task's name (empty when it has none).
      type: str
    task_type:
      description: C(RUN_COMMAND), C(AUTOMATION), C(STEP_FUNCTIONS) or C(LAMBDA).
      type: str
    task_arn:
      description: The document, function or state machine the task runs.
      type: str
    targets:
      description: The task's targets, for example C(WindowTargetIds=e3a...; InstanceIds=i-0123), or C(no targets).
      type: str
    service_role_arn:
      description: The task's service role (empty when it has none).
      type: str
    reason:
      description: Why the task is listed.
      type: str
maintenance_windows:
  description: How many maintenance windows were read, in every region.
  returned: success
  type: int
maintenance_window_tasks:
  description: How many of their tasks were read.
  returned: success
  type: int
region_errors:
  description: The regions that could not be read, each with C(region) and C(error).
  returned: success
  type: list
  elements: dict
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
from ansible_collections.fleetiam.maintenance_windows.plugins.module_utils.window_tasks import (
    MaintenanceWindowTasksInfo,
    window_tasks_options,
)


def main():
    module_main(AnsibleModule, MaintenanceWindowTasksInfo, window_tasks_options())


if __name__ == "__main__":
    main()
