# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
name: step_outcomes
short_description: The registered results of the permissions role's steps, reduced to their outcomes
version_added: 0.1.0
description:
  - Keeps what the fleet summary (P(fleetiam.maintenance_windows.change_summary#filter)) and the
    audit (P(fleetiam.maintenance_windows.audit_account#filter)) read of each registered result - whether
    it changed, was skipped or failed, its message, the kind of change and the resource it names -
    for a loop's results too, and drops the rest (policy documents, diffs, role details).
  - The permissions role drops its registered step results once its summary is made, and keeps
    them reduced, as one fact (C(__mw_step_outcomes)), only for the audit playbook, which reads
    them. Ansible keeps every host's facts until the playbook ends, each host its own copy.
author: fleetiam maintainers (@fleetiam)
options:
  _input:
    description:
      - The registered results by step, for example C(Task 1 policy) (the role's C(__mw_step_results)).
      - A step that did not run has an empty result (or none).
    type: dict
    required: true
"""

EXAMPLES = r"""
- name: Keep only the outcome of each step
  ansible.builtin.set_fact:
    step_outcomes: "{{ {'Task 1 policy': result_policy, 'Task 2 role': result_role} | fleetiam.maintenance_windows.step_outcomes }}"
"""

RETURN = r"""
_value:
  description:
    - The same steps, each result with only C(changed), C(skipped), C(failed), C(msg), C(change), C(arn),
      C(policy_arn), C(policy_name), C(principal_type), C(principal_name), C(item) and C(error_kind),
      those that it has; C(results), the loop's results, reduced in the same way. A step without a
      result has an empty one.
    - On ansible-core 2.19 and later, in built-in types without data tags (a built-in string
      is untrusted there, never templated); before 2.19, the values as Ansible marked them.
  type: dict
"""

OUTCOME_KEYS = ("changed", "skipped", "failed", "msg", "change", "arn", "policy_arn", "policy_name",
                "principal_type", "principal_name", "item", "error_kind")


def _data_tagging():
    """ansible-core 2.19 and later tag every value with its origin and trust."""
    try:
        import ansible.module_utils.datatag  # noqa: F401 pylint: disable=unused-import
    except ImportError:
        return False
    return True


def _builtin(value):
    """The value in built-in types. A tagged string of a registered result costs about ten times
    its characters (its tags, its origin) in the facts that Ansible keeps for every host; a
    built-in string there is untrusted, so it is never templated."""
    if isinstance(value, dict):
        return {_builtin(key): _builtin(item) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [_builtin(item) for item in value]
    if isinstance(value, str):
        return str.__str__(value)
    if isinstance(value, bool):
        return bool(value)
    if isinstance(value, int):
        return int(value)
    return value


def _outcome(registered):
    if not isinstance(registered, dict):
        return {}
    outcome = {key: registered[key] for key in OUTCOME_KEYS if key in registered}
    if isinstance(registered.get("results"), list):
        outcome["results"] = [_outcome(result) for result in registered["results"]]
    return outcome


def step_outcomes(step_results):
    outcomes = {step: _outcome(registered) for step, registered in step_results.items()}
    # Before 2.19 a built-in string in a fact is a template: there the values stay unsafe.
    return _builtin(outcomes) if _data_tagging() else outcomes


class FilterModule(object):
    def filters(self):
        return dict(step_outcomes=step_outcomes)
