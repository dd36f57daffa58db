#!/usr/bin/python
# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
module: organization_info
short_description: The AWS Organization of the credentials - its id, management account, roots and accounts
version_added: 0.1.0
description:
  - Reads the organisation from its management account or a delegated administrator - its id,
    management account and feature set, its roots with the policy types enabled on them (for
    example C(SERVICE_CONTROL_POLICY)), and its accounts with their state.
  - With O(account_ids) (the inventory's accounts) it also says which of them are not members of
    the organisation and which active members are not among them.
  - This is the organisation step C(organization_accounts) of the role
    C(fleetiam.maintenance_windows.organization), which runs on the one host of the inventory
    group C(mw_organization).
  - "AWS calls: C(organizations:DescribeOrganization), C(ListRoots) and C(ListAccounts) (one per page)."
author: fleetiam maintainers (@fleetiam)
extends_documentation_fragment:
  - fleetiam.maintenance_windows.connection
  - fleetiam.maintenance_windows.common.read_only
options:
  account_ids:
    description:
      - The accounts the inventory acts in, to compare with the organisation's members - account ids,
        or ARNs that name an account (such as an inventory host's C(mw_assume_role_arn)).
    type: list
    elements: str
    default: []
"""

EXAMPLES = r"""
- name: The organisation, from its management account
  fleetiam.maintenance_windows.organization_info:
    assume_role_arn: arn:aws:iam::111111111111:role/OrganizationAccountAccessRole
  register: organization

- name: Which accounts of the inventory are not in the organisation, and which members are not in the inventory
  fleetiam.maintenance_windows.organization_info:
    account_ids: "{{ groups['mw_accounts'] | map('extract', hostvars, 'mw_account_id') | select | list }}"
  register: coverage

- name: Say so
  ansible.builtin.debug:
    msg: "not in the inventory: {{ coverage.members_not_listed | join(', ') or 'none' }}"
"""

RETURN = r"""
organization:
  description: The organisation - C(id), C(arn), C(management_account_id) and C(feature_set).
  returned: success
  type: dict
  sample: {id: o-exampleorgid, arn: "arn:aws:organizations::111111111111:organization/o-exampleorgid",
           management_account_id: "111111111111", feature_set: ALL}
caller_account_id:
  description: The account the organisation was read from (the management account or a delegated administrator).
  returned: success
  type: str
roots:
  description: The roots, each with C(id), C(name) and C(policy_types) (C(type) and C(status), as AWS lists them).
  returned: success
  type: list
  elements: dict
accounts:
  description: Every account of the organisation, with C(id), C(name) and C(status) (C(ACTIVE), C(SUSPENDED), ...).
  returned: success
  type: list
  elements: dict
listed_not_members:
  description: The ids of O(account_ids) that are not accounts of this organisation.
  returned: success
  type: list
  elements: str
members_not_listed:
  description: The active accounts of the organisation that are not in O(account_ids).
  returned: success
  type: list
  elements: str
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

from ansible_collections.fleetiam.maintenance_windows.plugins.module_utils.organization import (
    OrganizationInfo,
    organization_info_options,
)
from ansible_collections.fleetiam.maintenance_windows.plugins.module_utils.runner import module_main


def main():
    module_main(AnsibleModule, OrganizationInfo, organization_info_options())


if __name__ == "__main__":
    main()
