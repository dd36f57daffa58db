#!/usr/bin/python
# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
module: organizations_scp
short_description: Manage one service control policy of AWS Organizations and exactly the targets it is attached to
version_added: 0.1.0
description:
  - Creates a service control policy (SCP) of the organisation, updates its document and
    description in place (C(UpdatePolicy)), attaches it to exactly the roots, OUs and accounts
    of O(targets) and detaches it from any other; with O(state=absent) detaches it from every
    target and deletes it.
  - The policy is this module's by its name and the tag C(managed-by=fleetiam.maintenance_windows),
    which it sets at creation. A policy of that name without the tag is refused (and left
    alone on O(state=absent)). Every target of the policy was attached by it, or is drift, so
    targets not in O(targets) are detached; no other policy is read or changed.
  - Refused before any write, naming the organisation, the policy and the fix - a document
    that breaks the SCP grammar (a C(Principal), an C(Effect) other than C(Allow) or C(Deny),
    no C(Action) or C(Resource)) or is over 5,120 characters without white space (the module
    sends it without white space, and AWS Organizations counts what is sent); a target that
    is no root, OU or account of this organisation; SCPs not enabled on the root, unless
    O(enable_policy_type=true), which enables them (C(EnablePolicyType)).
  - Warns on every run with O(state=present) that SCPs do not apply to the management account.
  - Run it in the management account (or a delegated administrator for policy management).
    It is the organisation step C(scp) of the role C(fleetiam.maintenance_windows.organization).
  - "AWS calls: C(organizations:DescribeOrganization), C(ListRoots), C(ListPolicies),
    C(ListTagsForResource), C(DescribePolicy), C(ListTargetsForPolicy), C(DescribeAccount),
    C(DescribeOrganizationalUnit); to change C(CreatePolicy), C(UpdatePolicy), C(AttachPolicy),
    C(DetachPolicy), C(DeletePolicy), C(EnablePolicyType); with O(account_ids) C(ListAccounts) or
    C(ListAccountsForParent) and C(ListOrganizationalUnitsForParent)."
author: fleetiam maintainers (@fleetiam)
extends_documentation_fragment:
  - fleetiam.maintenance_windows.connection
  - fleetiam.maintenance_windows.common
options:
  name:
    description: The policy's name (1 to 128 characters), unique among the organisation's SCPs.
    type: str
    required: true
  description:
    description: The policy's description.
    type: str
    default: ''
  policy:
    description:
      - The SCP document, as a mapping or a JSON string. Required when O(state=present).
      - Compared by meaning with the stored one (key and list order, case of action names).
    type: raw
  targets:
    description:
      - The ids of the roots (C(r-...)), OUs (C(ou-...-...)) and accounts (12 digits) to attach the
        policy to; it is detached from every other target.
    type: list
    elements: str
    default: []
  enable_policy_type:
    description:
      - Enable SCPs on the organisation's root when they are not (C(EnablePolicyType); AWS then attaches
        C(FullAWSAccess) to every root, OU and account). Without it, SCPs not enabled are refused.
    type: bool
    default: false
  account_ids:
    description:
      - Accounts (ids, or ARNs that name an account) to report coverage for - which of them the policy
        reaches through its targets and the OU tree (RV(covered_accounts), RV(uncovered_accounts)).
    type: list
    elements: str
    default: []
  state:
    description: Whether the policy should exist.
    type: str
    default: present
    choices: [present, absent]
"""

EXAMPLES = r"""
- name: Deny maintenance window task registration to everyone but the operators, in two OUs
  fleetiam.maintenance_windows.organizations_scp:
    name: DenyMaintenanceWindowTaskRegistration
    description: Only the operators register maintenance window tasks
    policy:
      Version: "2012-10-17"
      Statement:
        - Effect: Deny
          Action: [ssm:RegisterTaskWithMaintenanceWindow, ssm:UpdateMaintenanceWindowTask]
          Resource: "*"
          Condition:
            ArnNotLike:
              aws:PrincipalArn:
                - arn:aws:iam::*:role/aws-reserved/sso.amazonaws.com/*AWSReservedSSO_MaintenanceOperators_*
                - arn:aws:iam::*:role/OrganizationAccountAccessRole
    targets: [ou-ab12-cdef3456, ou-ab12-ghij7890]

- name: Remove it (detached from its targets first)
  fleetiam.maintenance_windows.organizations_scp:
    name: DenyMaintenanceWindowTaskRegistration
    state: absent
"""

RETURN = r"""
name:
  description: The policy's name.
  returned: success
  type: str
arn:
  description: The policy's ARN; in check mode before it exists, the resource's name instead.
  returned: success
  type: str
policy_id:
  description: The policy's id (C(p-...)); null in check mode before it exists.
  returned: success
  type: str
organization_id:
  description: The organisation's id.
  returned: success
  type: str
management_account_id:
  description: The management account, which no SCP applies to.
  returned: success
  type: str
targets:
  description: The targets the policy is attached to afterwards (none after O(state=absent)).
  returned: success
  type: list
  elements: str
policy:
  description: The document afterwards, normalised (null after O(state=absent)).
  returned: success
  type: dict
covered_accounts:
  description: The accounts of O(account_ids) the policy reaches through its targets (never the management account).
  returned: when O(account_ids) is given
  type: list
  elements: str
uncovered_accounts:
  description: The accounts of O(account_ids) it does not reach.
  returned: when O(account_ids) is given
  type: list
  elements: str
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
from ansible_collections.fleetiam.maintenance_windows.plugins.module_utils.scp import (
    ServiceControlPolicy,
    organizations_scp_options,
)


def main():
    module_main(AnsibleModule, ServiceControlPolicy, organizations_scp_options())


if __name__ == "__main__":
    main()
