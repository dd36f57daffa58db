# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
name: record_step
short_description: Add what one step of a role did to the account's summary
version_added: 0.1.0
description:
  - The one recording path of the collection's roles - every step ends with it (the roles'
    C(tasks/record.yml)). It adds the changes of the step's registered results to
    C(mw_summary.changes) (each with C(step), C(resource), and C(action) - C(created),
    C(updated), C(deleted), for an attachment C(attached) or C(detached), or in check mode
    C(would create), C(would attach) and so on), and, when asked, the
    outcome of each result (without documents or diffs) to C(mw_summary.outcomes), for the audit.
  - The step and the labels of its results come from the step catalog
    (C(plugins/plugin_utils/step_catalog.py)). A failed result ends the step - the results after
    it did not run this time.
author: fleetiam maintainers (@fleetiam)
positional: step, registered, check_mode, keep_outcomes
options:
  _input:
    description: The account's summary so far (C(mw_summary)).
    type: dict
    required: true
  step:
    description: The step's id in the step catalog, for example C(service_role).
    type: str
    required: true
  registered:
    description: The step's registered results, in the order of the catalog's C(results).
    type: list
    elements: raw
    required: true
  check_mode:
    description: Whether the results are of a check-mode run.
    type: bool
    default: false
  keep_outcomes:
    description: Keep the outcome of each result in C(outcomes), for a caller that reports on each step.
    type: bool
    default: false
"""

EXAMPLES = r"""
- name: Task 2 | Record what it did
  ansible.builtin.set_fact:
    mw_summary: >-
      {{ mw_summary | fleetiam.maintenance_windows.record_step('service_role', [__mw_result, __mw_second_result],
                                                               ansible_check_mode) }}
  # Nothing to add where the step found everything in place.
  when: "[__mw_result, __mw_second_result] | fleetiam.maintenance_windows.has_record('service_role')"
"""

RETURN = r"""
_value:
  description: The summary with the step's changes added (and its outcomes, when kept).
  type: dict
"""

from ansible.errors import AnsibleFilterError

from ansible_collections.fleetiam.maintenance_windows.plugins.plugin_utils.step_catalog import UnknownStepError
from ansible_collections.fleetiam.maintenance_windows.plugins.plugin_utils.step_results import record_step


def record_step_filter(summary, step, registered, check_mode=False, keep_outcomes=False):
    try:
        return record_step(summary, step, registered, check_mode, keep_outcomes)
    except (UnknownStepError, ValueError) as err:
        raise AnsibleFilterError("record_step: %s" % (err.args[0] if err.args else err))


class FilterModule(object):
    def filters(self):
        return dict(record_step=record_step_filter)
