# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
name: account_report
short_description: One row of the fleet report from an account's summary and inventory host
version_added: 0.1.0
description:
  - Joins the C(mw_summary) fact of the permissions role with the account's inventory host
    name and the run's mode (C(preview) or C(apply)).
author: fleetiam maintainers
positional: check_mode
options:
  _input:
    description: A two-item list, the account's C(mw_summary) and its inventory host name.
    type: list
    required: true
  check_mode:
    description: Whether the run was a preview.
    type: bool
    default: false
"""

EXAMPLES = r"""
- name: Fleet report rows
  ansible.builtin.debug:
    msg: >-
      {{ ansible_play_hosts_all | map('extract', hostvars) | map(attribute='mw_summary')
         | zip(ansible_play_hosts_all) | map('fleetiam.maintenance_windows.account_report', ansible_check_mode) }}
"""

RETURN = r"""
_value:
  description: The summary with C(host) and C(mode) added.
  type: dict
"""


def account_report(summary_and_host, check_mode=False):
    summary, host = summary_and_host
    row = dict(summary)
    row.update(host=host, mode="preview" if check_mode else "apply")
    return row


class FilterModule(object):
    def filters(self):
        return dict(account_report=account_report)
