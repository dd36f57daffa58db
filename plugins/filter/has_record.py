# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
name: has_record
short_description: Whether a step's results add anything to the account's summary
version_added: 0.1.0
description:
  - True when one of the step's registered results changed (or, in check mode, would change) its
    resource, or left one in place that the collection does not own - what
    P(fleetiam.maintenance_windows.record_step#filter) adds to C(mw_summary) when it keeps no
    outcomes. A step that found everything in place needs no record, so the roles record only then.
  - As for P(fleetiam.maintenance_windows.record_step#filter), a failed result ends the step.
author: fleetiam maintainers (@fleetiam)
positional: step
options:
  _input:
    description: The step's registered results, in the order of the catalog's C(results).
    type: list
    elements: raw
    required: true
  step:
    description: The step's id in the step catalog, for example C(service_role).
    type: str
    required: true
"""

EXAMPLES = r"""
- name: Whether the service role step changed, or left in place, anything
  ansible.builtin.debug:
    msg: "{{ [__mw_result, __mw_second_result] | fleetiam.maintenance_windows.has_record('service_role') }}"
"""

RETURN = r"""
_value:
  description: Whether recording the results changes the summary.
  type: bool
"""

from ansible.errors import AnsibleFilterError

from ansible_collections.fleetiam.maintenance_windows.plugins.plugin_utils.step_catalog import UnknownStepError
from ansible_collections.fleetiam.maintenance_windows.plugins.plugin_utils.step_results import has_record


def has_record_filter(registered, step):
    try:
        return has_record(step, registered)
    except (UnknownStepError, ValueError) as err:
        raise AnsibleFilterError("has_record: %s" % (err.args[0] if err.args else err))


class FilterModule(object):
    def filters(self):
        return dict(has_record=has_record_filter)
