# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
name: steps
short_description: The collection's steps of one scope, in the order they run
version_added: 0.1.0
description:
  - Reads the step catalog (C(plugins/plugin_utils/step_catalog.py)), the one declaration of every
    step - its C(id) (its task file C(tasks/steps/<id>.yml) and C(tasks_from) entry point of its C(role)), the
    guide's C(task) number, C(title), C(scope), C(toggle), C(tags), C(works_on), C(label) and the
    labels of the C(results) it records.
  - The roles loop over it; the audit reads it for its columns.
author: fleetiam maintainers (@fleetiam)
options:
  _terms:
    description: The scope - C(account) (role C(permissions)) or C(organization) (role C(organization)).
    type: list
    elements: str
    required: true
  state:
    description: C(present) gives the steps in setup order, C(absent) in reverse (removal) order.
    type: str
    default: present
    choices: [present, absent]
  only:
    description: Only this step (a C(tasks_from) entry point); empty for all of the scope.
    type: str
    default: ""
"""

EXAMPLES = r"""
- name: Every account step in order
  ansible.builtin.include_tasks:
    file: "steps/{{ __mw_step.id }}.yml"
  loop: "{{ query('fleetiam.maintenance_windows.steps', 'account', state=mw_state) }}"
  loop_control:
    loop_var: __mw_step
"""

RETURN = r"""
_raw:
  description: The steps, each a dict with C(id), C(task), C(title), C(label), C(scope), C(role), C(toggle), C(tags),
    C(works_on) (the lists it works on; empty for a step that its toggle alone decides), C(results) and the
    C(state) asked for.
  type: list
  elements: dict
"""

from ansible.errors import AnsibleError
from ansible.plugins.lookup import LookupBase

from ansible_collections.fleetiam.maintenance_windows.plugins.plugin_utils.step_catalog import (
    ROLE_OF_SCOPE,
    UnknownStepError,
    label,
    steps,
)


class LookupModule(LookupBase):

    def run(self, terms, variables=None, **kwargs):
        self.set_options(var_options=variables, direct=kwargs)
        chosen = []
        state = self.get_option("state")
        try:
            for scope in terms:
                chosen.extend(steps(scope, state, self.get_option("only") or None))
        except UnknownStepError as err:
            raise AnsibleError("steps: %s" % err.args[0])
        # The state in each item keeps the includes of hosts that set up apart from those of
        # hosts that remove: the linear strategy merges equal includes of all hosts into one,
        # in the order it first meets them.
        return [dict(entry, tags=list(entry["tags"]), results=list(entry["results"]),
                     works_on=list(entry.get("works_on", ())), label=label(entry),
                     role=ROLE_OF_SCOPE[entry["scope"]], state=state) for entry in chosen]
