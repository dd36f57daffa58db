# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
name: step_outcome
short_description: A registered result of the permissions role, reduced to its outcome
version_added: 0.1.0
description:
  - Keeps what the fleet summary (P(fleetiam.maintenance_windows.change_summary#filter)) and the
    audit (P(fleetiam.maintenance_windows.audit_account#filter)) read of a registered result - whether
    it changed, was skipped or failed, its message, the kind of change and the resource it names -
    for a loop's results too, and drops the rest (policy documents, diffs, role details).
  - The permissions role applies it to its step results once its summary is made. Ansible keeps
    every host's facts until the playbook ends, so on a fleet of accounts they are kept small.
author: fleetiam maintainers (@fleetiam)
options:
  _input:
    description: One registered result of a module of this collection, or of a loop over one.
    type: dict
    required: true
"""

EXAMPLES = r"""
- name: Keep only the outcome of the policy step
  ansible.builtin.set_fact:
    result_policy: "{{ result_policy | fleetiam.maintenance_windows.step_outcome }}"
"""

RETURN = r"""
_value:
  description:
    - The result with only C(changed), C(skipped), C(failed), C(msg), C(change), C(arn),
      C(policy_arn), C(policy_name), C(principal_type), C(principal_name), C(item) and C(error_kind),
      those that it has; C(results), the loop's results, reduced in the same way.
  type: dict
"""

OUTCOME_KEYS = ("changed", "skipped", "failed", "msg", "change", "arn", "policy_arn", "policy_name",
                "principal_type", "principal_name", "item", "error_kind")


def step_outcome(registered):
    if not isinstance(registered, dict):
        return registered
    outcome = {key: registered[key] for key in OUTCOME_KEYS if key in registered}
    if isinstance(registered.get("results"), list):
        outcome["results"] = [step_outcome(result) for result in registered["results"]]
    return outcome


class FilterModule(object):
    def filters(self):
        return dict(step_outcome=step_outcome)
