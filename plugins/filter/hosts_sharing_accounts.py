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

from ansible.errors import AnsibleUndefinedVariable
from jinja2 import Undefined

from ansible_collections.fleetiam.maintenance_windows.plugins.plugin_utils.setting_checks import (
    ACCOUNT_KEY_VARIABLES,
    hosts_sharing_accounts,
)

# A value that uses a variable its host lacks: that host's own variables check names it, and
# it counts here as naming no account, so that the other hosts are compared all the same.
_UNRESOLVED = "(uses an undefined variable)"


def _readable(host_vars):
    values = {}
    for name in ACCOUNT_KEY_VARIABLES:
        try:
            value = host_vars.get(name)
        except AnsibleUndefinedVariable:  # ansible-core before 2.19 raises; 2.19 returns a marker
            value = _UNRESOLVED
        values[name] = _UNRESOLVED if isinstance(value, Undefined) else value
    return values


def hosts_sharing_accounts_filter(every_host_vars, hosts):
    return hosts_sharing_accounts([_readable(host_vars) for host_vars in every_host_vars], hosts)


class FilterModule(object):
    def filters(self):
        return dict(hosts_sharing_accounts=hosts_sharing_accounts_filter)
