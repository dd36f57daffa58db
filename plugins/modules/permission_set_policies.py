#!/usr/bin/python
# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
module: permission_set_policies
short_description: The policies of an IAM Identity Center permission set, and its provisioning to its accounts
version_added: 0.1.0
description:
  - Gives an existing IAM Identity Center permission set customer-managed policy references
    (O(customer_managed_policies), by name and path) and AWS managed policies (O(managed_policies)),
    or with O(state=absent) detaches exactly those; then provisions the permission set to every account
    it is provisioned to (C(ALL_PROVISIONED_ACCOUNTS)) and waits for the outcome within O(provision_timeout).
  - People who sign in through Identity Center arrive in each account as a role C(AWSReservedSSO_<set>_<suffix>)
    under C(/aws-reserved/sso.amazonaws.com/), which IAM refuses to change; only its permission set can give
    them the Task 3 PassRole and the Task 4 Deny. A customer-managed policy reference names a policy that must
    exist in every account the set is provisioned to, or the provisioning fails there.
  - With O(policy_accounts) (the accounts holding the referenced policies), a permission set provisioned to
    any other account fails before any write, naming those accounts.
  - It provisions only when it changed the set, or when some account does not hold the set's latest
    version (an earlier change whose provisioning did not finish); a second run changes nothing.
  - It never creates a permission set or an account assignment, and touches nothing else of the set - its
    inline policy, its other references and managed policies, its permissions boundary, session duration, tags.
  - This is the organisation step C(permission_sets) of the role C(fleetiam.maintenance_windows.organization).
  - "AWS calls: C(sso-admin:ListInstances) (unless O(instance_arn) is given), C(ListPermissionSets) and
    C(DescribePermissionSet) until the name matches, C(ListCustomerManagedPolicyReferencesInPermissionSet),
    C(ListManagedPoliciesInPermissionSet), C(ListAccountsForProvisionedPermissionSet) (twice); to change,
    C(AttachCustomerManagedPolicyReferenceToPermissionSet), C(DetachCustomerManagedPolicyReferenceFromPermissionSet),
    C(AttachManagedPolicyToPermissionSet), C(DetachManagedPolicyFromPermissionSet), C(ProvisionPermissionSet) and
    C(DescribePermissionSetProvisioningStatus)."
author: fleetiam maintainers (@fleetiam)
extends_documentation_fragment:
  - fleetiam.maintenance_windows.connection
  - fleetiam.maintenance_windows.common
options:
  permission_set:
    description: The permission set's name (it must exist).
    type: str
    required: true
  instance_arn:
    description:
      - The IAM Identity Center instance; without it, the one instance C(ListInstances) returns
        (more than one is an error that names them).
    type: str
  customer_managed_policies:
    description:
      - The customer-managed policy references to hold (or with O(state=absent) to detach), each the name
        and path of a policy that exists in every account the set is provisioned to.
    type: list
    elements: dict
    default: []
    suboptions:
      name:
        description: The policy's name.
        type: str
        required: true
      path:
        description: The policy's IAM path.
        type: str
        default: /
  managed_policies:
    description:
      - AWS managed policies to attach (or with O(state=absent) to detach), by name (C(AmazonSSMFullAccess))
        or ARN.
    type: list
    elements: str
    default: []
  policy_accounts:
    description:
      - The accounts where the referenced policies exist (or will, in this run). When given, a permission set
        provisioned to any other account fails before any write. Omit to skip the check.
    type: list
    elements: str
  provision:
    description: Provision the permission set when it changed or an account does not hold its latest version.
    type: bool
    default: true
  provision_timeout:
    description: Seconds to wait for the provisioning to finish.
    type: int
    default: 600
  state:
    description: Whether the references and managed policies should be on the permission set.
    type: str
    choices: [present, absent]
    default: present
"""

EXAMPLES = r"""
- name: Task 3 through Identity Center - the PassRole policy of every account on the operators' permission set
  fleetiam.maintenance_windows.permission_set_policies:
    permission_set: MaintenanceOperators
    customer_managed_policies:
      - name: mw-pass-role-permission-set
        path: /maintenance-windows/
    managed_policies: [AmazonSSMFullAccess]
    policy_accounts: ["111111111111", "222222222222"]

- name: Take it away again
  fleetiam.maintenance_windows.permission_set_policies:
    permission_set: MaintenanceOperators
    customer_managed_policies:
      - name: mw-pass-role-permission-set
        path: /maintenance-windows/
    managed_policies: [AmazonSSMFullAccess]
    state: absent
"""

RETURN = r"""
instance_arn:
  description: The IAM Identity Center instance.
  returned: success
  type: str
permission_set_arn:
  description: The permission set's ARN.
  returned: success
  type: str
permission_set_name:
  description: The permission set's name.
  returned: success
  type: str
customer_managed_policy_references:
  description: Every customer-managed policy reference of the set afterwards, as C(path + name).
  returned: success
  type: list
  elements: str
managed_policies:
  description: Every AWS managed policy of the set afterwards (ARNs).
  returned: success
  type: list
  elements: str
holds_references:
  description:
    - Whether the set held all of O(customer_managed_policies) and O(managed_policies) when it was read, before
      any change of this task (what an audit in check mode reports).
  returned: success
  type: bool
accounts:
  description: The accounts the permission set is provisioned to (those it reaches).
  returned: success
  type: list
  elements: str
provisioning:
  description:
    - The provisioning of this run - C(status) (C(provisioned), or C(would provision) in check mode), C(accounts)
      and C(request_id); null when none was needed.
  returned: success
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

from ansible_collections.fleetiam.maintenance_windows.plugins.module_utils.permission_set import (
    PermissionSetPolicies,
    permission_set_options,
)
from ansible_collections.fleetiam.maintenance_windows.plugins.module_utils.runner import module_main


def main():
    module_main(AnsibleModule, PermissionSetPolicies, permission_set_options())


if __name__ == "__main__":
    main()
