# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
name: known_account_id
short_description: The AWS account an inventory host names, before it connects
version_added: 0.1.0
description:
  - The host's C(mw_account_id) when it has one, else the 12-digit account of its
    C(mw_assume_role_arn), else an empty string (a host without either works in the hub's
    own account, which only its connection tells).
  - For messages and summaries of a host that failed before its connection said its account.
author: fleetiam maintainers (@fleetiam)
positional: account_id
options:
  _input:
    description: The host's C(mw_assume_role_arn) (may be empty).
    type: str
    required: true
  account_id:
    description: The host's C(mw_account_id) (may be empty).
    type: str
    default: ""
"""

EXAMPLES = r"""
- name: The account of a host whose role could not start
  ansible.builtin.set_fact:
    failed_account: >-
      {{ mw_assume_role_arn | default('') | fleetiam.maintenance_windows.known_account_id(mw_account_id | default('')) }}
"""

RETURN = r"""
_value:
  description: A 12-digit account id, or an empty string.
  type: str
"""

from ansible_collections.fleetiam.maintenance_windows.plugins.module_utils.arns import known_account_id


class FilterModule(object):
    def filters(self):
        return dict(known_account_id=known_account_id)
