# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
name: steps_with_work
short_description: The ids of the steps that have something to do under a host's settings
version_added: 0.1.0
description:
  - Of the steps given (from P(fleetiam.maintenance_windows.steps#lookup)), those whose toggle
    is on and, for a step that works on lists of principals or permission sets (its
    C(works_on)), with one of those lists not empty. A step left out has nothing to do in this
    account, whatever the account holds.
  - The permissions role keeps each host's ids, so that a run leaves out the steps that none of
    its hosts has work for.
author: fleetiam maintainers (@fleetiam)
positional: settings
options:
  _input:
    description: The steps, as the lookup P(fleetiam.maintenance_windows.steps#lookup) returns them.
    type: list
    elements: dict
    required: true
  settings:
    description: The values of the steps' toggles and C(works_on) variables, by name.
    type: dict
    required: true
"""

EXAMPLES = r"""
- name: The account steps this host has something to do in
  ansible.builtin.debug:
    msg: >-
      {{ __steps | fleetiam.maintenance_windows.steps_with_work(dict(__names | zip(query('ansible.builtin.vars', *__names)))) }}
  vars:
    __steps: "{{ query('fleetiam.maintenance_windows.steps', 'account') }}"
    __names: "{{ __steps | map(attribute='toggle') | list + __steps | map(attribute='works_on') | flatten }}"
"""

RETURN = r"""
_value:
  description: The ids of the steps with something to do, in the order given.
  type: list
  elements: str
"""

from ansible_collections.fleetiam.maintenance_windows.plugins.plugin_utils.step_catalog import steps_with_work


class FilterModule(object):
    def filters(self):
        return dict(steps_with_work=steps_with_work)
