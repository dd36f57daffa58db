# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
name: hosts_sharing_accounts
short_description: The inventory hosts that resolve to one AWS account
version_added: 0.1.0
description:
  - Finds the hosts that work in one account - by the account their connection found in
    this run (C(__mw_account_result)), their C(mw_account_id) or the account of their
    C(mw_assume_role_arn); hosts without either (an empty C(mw_assume_role_arn)) share the
    hub's own account when they have the same C(mw_aws_profile) and C(mw_endpoint_url).
  - Returns, for each host that shares its account with another, the hosts of that account.
author: fleetiam maintainers (@fleetiam)
positional: hosts
options:
  _input:
    description: The hosts' variables (C(hostvars)), in the order of O(hosts).
    type: list
    elements: dict
    required: true
  hosts:
    description: The hosts' names.
    type: list
    elements: str
    required: true
"""

EXAMPLES = r"""
- name: The hosts of one account
  ansible.builtin.set_fact:
    __sharing: "{{ ansible_play_hosts_all | map('extract', hostvars) | fleetiam.maintenance_windows.hosts_sharing_accounts(ansible_play_hosts_all) }}"
  run_once: true
"""

RETURN = r"""
_value:
  description: "{host: [the hosts of its account]}, for the hosts that share an account only."
  type: dict
"""

from ansible_collections.fleetiam.maintenance_windows.plugins.plugin_utils.setting_checks import hosts_sharing_accounts


class FilterModule(object):
    def filters(self):
        return dict(hosts_sharing_accounts=hosts_sharing_accounts)
