#!/usr/bin/python
# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
module: iam_inline_policy
short_description: Manage one named inline policy on an IAM user, group or role
version_added: 0.1.0
description:
  - Puts or deletes one inline policy, for example the C(iam:PassRole) grant of setup
    Task 3 or the explicit Deny of Task 4.
  - An unchanged policy costs one read call. Documents are compared by meaning.
  - A policy that is not there yet costs two reads. The principal's list of inline policies
    tells whether the principal exists, and names the others, whose sizes count against
    IAM's limit for all of them together.
  - The user, group or role must exist; a missing one is an error that names it and its
    account. This module never creates users, groups or roles.
  - "With O(state=absent) a missing principal is not an error: there is nothing to remove."
author: fleetiam maintainers (@fleetiam)
extends_documentation_fragment:
  - fleetiam.maintenance_windows.connection
  - fleetiam.maintenance_windows.common
  - fleetiam.maintenance_windows.policy_check
options:
  principal_type:
    description: The kind of principal the policy is on.
    type: str
    required: true
    choices: [user, group, role]
  principal_name:
    description: The name of the user, group or role.
    type: str
    required: true
  principal_pending:
    description:
      - Whether the principal is still to be created by an earlier task of the same run, as a
        role whose check-mode result says C(change=create).
      - In check mode a principal that does not exist is then not an error, and the policy is
        previewed as created (C(change=create)), so that a preview of a new role and its inline policies tells what
        the apply will do. Outside check mode the principal must exist.
    type: bool
    default: false
  policy_name:
    description: The inline policy's name (at most 128 characters).
    type: str
    required: true
  policy:
    description:
      - The policy document, as a mapping or a JSON string. Required when O(state=present).
      - Validated before any write, including IAM's size limit for the principal kind.
    type: raw
  state:
    description: Whether the inline policy should exist.
    type: str
    default: present
    choices: [present, absent]
"""

EXAMPLES = r"""
- name: Task 3 - let the operators group pass the service role
  fleetiam.maintenance_windows.iam_inline_policy:
    principal_type: group
    principal_name: maintenance-operators
    policy_name: MaintenanceWindowPassRole
    policy:
      Version: "2012-10-17"
      Statement:
        - Effect: Allow
          Action: iam:PassRole
          Resource: "{{ mw_role.arn }}"

- name: Task 4 - deny task registration to contractors
  fleetiam.maintenance_windows.iam_inline_policy:
    principal_type: group
    principal_name: contractors
    policy_name: DenyMaintenanceWindowTaskRegistration
    policy:
      Version: "2012-10-17"
      Statement:
        - Effect: Deny
          Action: ssm:RegisterTaskWithMaintenanceWindow
          Resource: "*"
- name: Preview a new role's inline policy with the role (check mode, role not created yet)
  fleetiam.maintenance_windows.iam_inline_policy:
    principal_type: role
    principal_name: MaintenanceWindowServiceRole
    policy_name: MaintenanceWindowSnsPassRole
    policy: "{{ lookup('file', 'sns-pass-role.json') }}"
    principal_pending: "{{ mw_role.change == 'create' }}"  # mw_role: the iam_role task's result

- name: Remove the Deny again
  fleetiam.maintenance_windows.iam_inline_policy:
    principal_type: group
    principal_name: contractors
    policy_name: DenyMaintenanceWindowTaskRegistration
    state: absent
"""

RETURN = r"""
policy_name:
  description: The inline policy's name.
  returned: always
  type: str
principal_type:
  description: The kind of principal.
  returned: always
  type: str
principal_name:
  description: The principal's name.
  returned: always
  type: str
principal_exists:
  description: Whether the principal exists (false only with O(state=absent)).
  returned: always
  type: bool
document:
  description: The policy document after the task, normalised (null when absent).
  returned: always
  type: dict
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

from ansible_collections.fleetiam.maintenance_windows.plugins.module_utils.inline_policy import (
    InlinePolicy,
    inline_policy_options,
)
from ansible_collections.fleetiam.maintenance_windows.plugins.module_utils.runner import module_main


def main():
    module_main(AnsibleModule, InlinePolicy, inline_policy_options())


if __name__ == "__main__":
    main()
