#!/usr/bin/python
# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
module: iam_policy_attachment
short_description: Attach or detach one managed policy on an existing IAM user, group or role
version_added: 0.1.0
description:
  - Attaches a managed policy (AWS managed or customer managed) to a user, group or role
    without restating anything else about that principal, for example
    C(AmazonSSMFullAccess) for the users who register maintenance window tasks.
  - An unchanged attachment costs one read call.
  - The principal must exist; a missing one is an error that names it and its account.
  - Ownership - an attachment this module makes to a user or role is recorded in the principal's
    tag C(fleetiam:maintenance-windows:attached) (the policies, space-separated, without
    C(arn:PARTITION:iam::)). O(state=absent) detaches only a recorded attachment, and removes its
    record; one that was there before (not recorded) is left, and so is every attachment to a
    group (IAM groups cannot be tagged), with the reason in RV(kept). O(adopt=true) detaches it
    all the same.
author: fleetiam maintainers (@fleetiam)
extends_documentation_fragment:
  - fleetiam.maintenance_windows.connection
  - fleetiam.maintenance_windows.common
options:
  principal_type:
    description: The kind of principal.
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
      - In check mode a principal that does not exist is then not an error, and the attachment is
        previewed as created (C(change=create)), so that a preview of a new role and its attachments tells what
        the apply will do. Outside check mode the principal must exist.
    type: bool
    default: false
  policy_arn:
    description:
      - The managed policy's ARN, or the name of an AWS managed policy with its path
        under C(policy/) (C(AmazonSSMFullAccess), C(service-role/AmazonSSMMaintenanceWindowRole)).
    type: str
    required: true
  adopt:
    description:
      - With O(state=absent), detach the policy even if nothing records that this collection
        attached it (an attachment made before, or any attachment to a group).
    type: bool
    default: false
  state:
    description: Whether the policy should be attached.
    type: str
    default: present
    choices: [present, absent]
  wait_timeout:
    description:
      - IAM is eventually consistent, so a customer-managed policy created a moment ago may
        not be attachable yet. An attach that does not find one is tried again, with waits
        from 0.5 to 5 seconds, for at most this many seconds; then the policy does not
        exist. An AWS managed policy that is not found fails at once.
    type: int
    default: 60
"""

EXAMPLES = r"""
- name: Task 3 - operators need the Systems Manager API as well
  fleetiam.maintenance_windows.iam_policy_attachment:
    principal_type: group
    principal_name: maintenance-operators
    policy_arn: AmazonSSMFullAccess
- name: Attach the account's own policy, created a moment ago (wait up to 2 minutes for IAM)
  fleetiam.maintenance_windows.iam_policy_attachment:
    principal_type: role
    principal_name: MaintenanceWindowServiceRole
    policy_arn: "{{ mw_policy.arn }}"
    wait_timeout: 120
    principal_pending: "{{ mw_role.change == 'create' }}"  # in check mode, a role still to be created

- name: Detach it again
  fleetiam.maintenance_windows.iam_policy_attachment:
    principal_type: group
    principal_name: maintenance-operators
    policy_arn: AmazonSSMFullAccess
    state: absent
"""

RETURN = r"""
policy_arn:
  description: The full ARN of the managed policy.
  returned: always
  type: str
  sample: arn:aws:iam::aws:policy/AmazonSSMFullAccess
attached:
  description: Whether the policy is attached after the task.
  returned: always
  type: bool
principal_exists:
  description: Whether the principal exists (false only with O(state=absent)).
  returned: always
  type: bool
kept:
  description: Why O(state=absent) left the attachment (nothing records that this collection made it).
  returned: when the attachment was left
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

from ansible_collections.fleetiam.maintenance_windows.plugins.module_utils.attachment import (
    PolicyAttachment,
    attachment_options,
)
from ansible_collections.fleetiam.maintenance_windows.plugins.module_utils.runner import module_main


def main():
    module_main(AnsibleModule, PolicyAttachment, attachment_options())


if __name__ == "__main__":
    main()
