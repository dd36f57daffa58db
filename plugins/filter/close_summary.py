# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
name: close_summary
short_description: The account's summary as the fleet reports read it
version_added: 0.1.0
description:
  - Ends a role's run in one account - sets C(status) (C(changed), C(would change), C(unchanged),
    or C(failed) with the C(error) and the C(failed_task)) and the C(account_id).
  - In an apply only the changes written are kept - the preflight's C(would ...) changes are
    dropped, so an account whose preflight failed reports no change. In check mode only the
    C(would ...) changes are kept.
author: fleetiam maintainers (@fleetiam)
positional: check_mode
options:
  _input:
    description: The account's summary (C(mw_summary)), as P(fleetiam.maintenance_windows.record_step#filter) left it.
    type: dict
    required: true
  check_mode:
    description: Whether the run is a preview.
    type: bool
    default: false
  account_id:
    description: The account's id, where known.
    type: str
    default: ""
  error:
    description: Why the account failed; empty when it did not.
    type: str
    default: ""
  failed_task:
    description: The task that failed.
    type: str
    default: ""
"""

EXAMPLES = r"""
- name: Summary | Record what changed in this account
  ansible.builtin.set_fact:
    mw_summary: "{{ mw_summary | fleetiam.maintenance_windows.close_summary(ansible_check_mode, account_id=mw_account.account_id) }}"
"""

RETURN = r"""
_value:
  description: C(account_id), C(status), C(changes) (each with C(step), C(resource) and C(action)), C(failed),
    C(error), C(failed_task) for a failure, and C(outcomes) where kept.
  type: dict
"""

from ansible_collections.fleetiam.maintenance_windows.plugins.plugin_utils.step_results import close_summary


class FilterModule(object):
    def filters(self):
        return dict(close_summary=close_summary)
