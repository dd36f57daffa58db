#!/usr/bin/python
# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
module: iam_role
short_description: Manage one IAM role, its trust policy and managed-policy attachments
version_added: 0.1.0
description:
  - Creates, updates or deletes one IAM role, for example the maintenance window service
    role trusted by C(ssm.amazonaws.com).
  - An unchanged role costs one read call (two when O(managed_policies) is given).
    The trust policy is compared by meaning; the diff shows it normalised.
  - Attachments in O(managed_policies) are added; others are removed only with
    O(purge_managed_policies=true).
  - After a create the module waits, within O(wait_timeout), until IAM shows the role; a
    customer-managed policy in O(managed_policies) that is not attachable yet (created a
    moment ago) is waited for within O(wait_timeout) too.
  - Deleting detaches managed policies, deletes inline policies and removes the role from
    instance profiles first.
  - IAM cannot move a role to another path; a role found under another path is an error
    that says so, not a silent re-create.
  - Ownership - a role this module creates carries the tag C(fleetiam:maintenance-windows=managed).
    An existing role without it is another team's - the module refuses it, in check mode too,
    before any write, unless O(adopt=true), which tags it and takes it over as it is (its
    trust policy, settings and attachments are then managed like a created role's).
    O(state=absent) deletes only a role with the tag (or any with O(adopt=true)) and leaves any
    other, saying so in RV(kept).
author: fleetiam maintainers (@fleetiam)
extends_documentation_fragment:
  - fleetiam.maintenance_windows.connection
  - fleetiam.maintenance_windows.common
  - fleetiam.maintenance_windows.policy_check
options:
  name:
    description: The role name (at most 64 characters of C([A-Za-z0-9+=,.@_-])).
    type: str
    required: true
  path:
    description: The role path; starts and ends with C(/).
    type: str
    default: /
  assume_role_policy:
    description:
      - The trust policy, as a mapping or a JSON string. Required to create the role; when
        omitted for an existing role, its trust policy is left as it is.
    type: raw
  description:
    description: The role's description. Left alone when omitted.
    type: str
  max_session_duration:
    description: The maximum session duration in seconds (3600 to 43200). Left alone when omitted.
    type: int
  permissions_boundary:
    description: The ARN of a managed policy to use as permissions boundary; an empty string removes it.
    type: str
  managed_policies:
    description:
      - Managed policies to attach, by ARN, or by name for AWS managed policies
        (C(AmazonSSMFullAccess), C(service-role/AmazonSSMMaintenanceWindowRole)).
      - Not managed when omitted.
    type: list
    elements: str
  new_managed_policies:
    description:
      - Of O(managed_policies), the ARNs of those that an earlier task of the same run creates
        (in check mode that task wrote nothing, so they need not exist yet).
      - When given, even empty, every other policy to attach and O(permissions_boundary) must
        exist before anything is written, in check mode too. When omitted, only AWS managed
        policies are checked so; a customer-managed one is waited for when it is attached.
    type: list
    elements: str
  purge_managed_policies:
    description: Detach managed policies that are not in O(managed_policies).
    type: bool
    default: false
  tags:
    description: Tags of the role. Not managed when omitted.
    type: dict
  purge_tags:
    description: Remove tags that are not in O(tags) (never the ownership tag).
    type: bool
    default: true
  adopt:
    description:
      - Take over an existing role that this collection did not create (it gets the ownership
        tag), and with O(state=absent) delete it. Without it such a role is refused, or left by
        O(state=absent).
    type: bool
    default: false
  state:
    description: Whether the role should exist.
    type: str
    default: present
    choices: [present, absent]
  wait:
    description: After creating the role, wait until IAM shows it.
    type: bool
    default: true
  wait_timeout:
    description:
      - How many seconds to wait at most, for a new role to become readable, and for a
        customer-managed policy to become attachable. An AWS managed policy that is not
        found fails at once.
    type: int
    default: 60
"""

EXAMPLES = r"""
- name: Task 2 - the maintenance window service role
  fleetiam.maintenance_windows.iam_role:
    name: MaintenanceWindowServiceRole
    description: Performs maintenance window tasks on your behalf
    assume_role_policy:
      Version: "2012-10-17"
      Statement:
        - Effect: Allow
          Principal: {Service: ssm.amazonaws.com}
          Action: sts:AssumeRole
    managed_policies:
      - "{{ mw_policy.arn }}"
  register: mw_role

- name: Legacy variant with the AWS managed policy
  fleetiam.maintenance_windows.iam_role:
    name: my-maintenance-window-role
    assume_role_policy: "{{ lookup('file', 'legacy-trust.json') }}"
    managed_policies:
      - service-role/AmazonSSMMaintenanceWindowRole
- name: A role under a path, with a permissions boundary, longer sessions and tags
  fleetiam.maintenance_windows.iam_role:
    name: MaintenanceWindowServiceRole
    path: /automation/
    assume_role_policy: "{{ lookup('file', 'trust.json') }}"
    max_session_duration: 7200
    permissions_boundary: arn:aws:iam::111122223333:policy/AutomationBoundary
    tags: {team: platform}
    purge_tags: false  # keep the tags others put on it
    wait_timeout: 120  # IAM can be slow to show a new role

- name: Exactly these managed policies, detaching any other
  fleetiam.maintenance_windows.iam_role:
    name: MaintenanceWindowServiceRole
    managed_policies: ["{{ mw_policy.arn }}"]
    purge_managed_policies: true

- name: Delete the role (its attachments, inline policies and instance profiles first)
  fleetiam.maintenance_windows.iam_role:
    name: MaintenanceWindowServiceRole
    state: absent
"""

RETURN = r"""
arn:
  description: The role's ARN, computed, so it is returned in check mode too.
  returned: always
  type: str
  sample: arn:aws:iam::111122223333:role/MaintenanceWindowServiceRole
role:
  description: The role after the task (null when absent).
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
    role_id:
      description: The role id (null for a role a check run would create).
      type: str
    description:
      description: The description.
      type: str
    max_session_duration:
      description: The maximum session duration.
      type: int
    permissions_boundary:
      description: The boundary's ARN.
      type: str
    assume_role_policy_document:
      description: The trust policy, normalised.
      type: dict
    managed_policies:
      description: ARNs of the attached managed policies, when O(managed_policies) was given.
      type: list
      elements: str
    tags:
      description: The tags, the ownership tag included.
      type: dict
ownership:
  description:
    - Whose the role is - C(created) (by this task, or in check mode to be created), C(owned) (it
      has the tag C(fleetiam:maintenance-windows=managed)), C(adopted) (it had not, and O(adopt) made
      it this collection's), C(not ours) (O(state=absent) left it), or null when there is none.
  returned: always
  type: str
  sample: owned
kept:
  description: Why O(state=absent) left the role as it is (it is not this collection's).
  returned: when the role was left
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

from ansible_collections.fleetiam.maintenance_windows.plugins.module_utils.role import Role, role_options
from ansible_collections.fleetiam.maintenance_windows.plugins.module_utils.runner import module_main


def main():
    module_main(AnsibleModule, Role, role_options())


if __name__ == "__main__":
    main()
