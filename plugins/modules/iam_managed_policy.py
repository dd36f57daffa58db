#!/usr/bin/python
# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
module: iam_managed_policy
short_description: Manage one customer-managed IAM policy, idempotently and with diffs
version_added: 0.1.0
description:
  - Creates, updates or deletes one customer-managed IAM policy, found by the ARN computed
    from its account, path and name (C(iam:GetPolicy)). Only before creating it does it list the
    account's own policies (C(iam:ListPolicies)), since IAM policy names are unique in an account
    whatever the path - a name taken under another path is refused, naming both paths.
  - An unchanged policy costs two read calls. Documents are compared by meaning (key and
    list order, a one-item list against a string, empty C(Sid), duplicates and the case of
    action names do not count as changes).
  - An update makes a new default version, or reuses an identical existing version. At
    IAM's limit of five versions the oldest non-default version is deleted first, so an
    update never fails with C(LimitExceeded).
  - Deleting detaches the policy from every user, group and role first; it refuses, with a
    message naming them, while the policy is a permissions boundary.
  - Ownership - a policy this module creates carries the tag C(fleetiam:maintenance-windows=managed).
    An existing policy without it is refused, in check mode too, before any write, unless
    O(adopt=true), which tags it and takes it over. O(state=absent) deletes only a policy with
    the tag (or any with O(adopt=true)) and leaves any other, saying so in RV(kept).
  - In check mode nothing is written and the result, including RV(arn), is what an apply
    would return, so later tasks of a preview can use it.
author: fleetiam maintainers (@fleetiam)
extends_documentation_fragment:
  - fleetiam.maintenance_windows.connection
  - fleetiam.maintenance_windows.common
  - fleetiam.maintenance_windows.policy_check
options:
  name:
    description: The policy name (at most 128 characters of C([A-Za-z0-9+=,.@_-])).
    type: str
    required: true
  path:
    description: The policy path; starts and ends with C(/).
    type: str
    default: /
  policy:
    description:
      - The policy document, as a mapping or a JSON string. Required when O(state=present).
      - Validated before any write (JSON, Effect, Action, Resource, IAM's 6,144 character limit).
    type: raw
  description:
    description:
      - The description, set at creation. IAM cannot change it later; a different value
        gives a warning.
    type: str
  tags:
    description: Tags of the policy. Not managed when omitted.
    type: dict
  purge_tags:
    description: Remove tags that are not in O(tags) (never the ownership tag).
    type: bool
    default: true
  adopt:
    description:
      - Take over an existing policy that this collection did not create (it gets the ownership
        tag), and with O(state=absent) delete it. Without it such a policy is refused, or left by
        O(state=absent).
    type: bool
    default: false
  state:
    description: Whether the policy should exist.
    type: str
    default: present
    choices: [present, absent]
"""

EXAMPLES = r"""
- name: Task 1 - the policy of the maintenance window service role
  fleetiam.maintenance_windows.iam_managed_policy:
    name: MaintenanceWindowServicePolicy
    policy:
      Version: "2012-10-17"
      Statement:
        - Effect: Allow
          Action: [ssm:SendCommand, ssm:CancelCommand, ssm:ListCommands]
          Resource: "*"
  register: mw_policy

- name: Remove it again (detaches it from every principal first)
  fleetiam.maintenance_windows.iam_managed_policy:
    name: MaintenanceWindowServicePolicy
    state: absent
- name: Under a path, with a description and tags (others' tags are kept)
  fleetiam.maintenance_windows.iam_managed_policy:
    name: MaintenanceWindowServicePolicy
    path: /automation/
    description: Permissions of the maintenance window service role
    policy: "{{ lookup('file', 'service-role-policy.json') }}"
    tags: {team: platform}
    purge_tags: false
"""

RETURN = r"""
arn:
  description: The policy's ARN, computed, so it is returned in check mode too.
  returned: always
  type: str
  sample: arn:aws:iam::111122223333:policy/MaintenanceWindowServicePolicy
policy:
  description: The policy after the task (null when absent).
  returned: always
  type: dict
  contains:
    arn:
      description: The ARN.
      type: str
    name:
      description: The name.
      type: str
    path:
      description: The path.
      type: str
    policy_id:
      description: The policy id (null for a policy a check run would create).
      type: str
    default_version_id:
      description: The default version.
      type: str
    attachment_count:
      description: How many principals it is attached to.
      type: int
    description:
      description: The description.
      type: str
    document:
      description: The default version's document, normalised.
      type: dict
    tags:
      description: The tags, the ownership tag included.
      type: dict
ownership:
  description:
    - Whose the policy is - C(created) (by this task, or in check mode to be created), C(owned) (it
      has the tag C(fleetiam:maintenance-windows=managed)), C(adopted) (it had not, and O(adopt) made
      it this collection's), C(not ours) (O(state=absent) left it), or null when there is none.
  returned: always
  type: str
  sample: owned
kept:
  description: Why O(state=absent) left the policy as it is (it is not this collection's).
  returned: when the policy was left
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

from ansible_collections.fleetiam.maintenance_windows.plugins.module_utils.managed_policy import (
    ManagedPolicy,
    managed_policy_options,
)
from ansible_collections.fleetiam.maintenance_windows.plugins.module_utils.runner import module_main


def main():
    module_main(AnsibleModule, ManagedPolicy, managed_policy_options())


if __name__ == "__main__":
    main()
