# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
name: change_summary
short_description: What the permissions role did (or would do) in one account
version_added: 0.1.0
description:
  - Turns the registered results of the role's setup tasks into one summary per account
    for the fleet report - created, updated, deleted, or in check mode "would create",
    "would update", "would delete", or failed and why.
author: fleetiam maintainers
positional: check_mode
options:
  _input:
    description: A mapping of step name (for example C(Task 1 policy)) to the registered result.
    type: dict
    required: true
  check_mode:
    description: Whether the run was a preview.
    type: bool
    default: false
"""

EXAMPLES = r"""
- name: Summarise
  ansible.builtin.set_fact:
    mw_summary: "{{ {'Task 1 policy': result_policy} | fleetiam.maintenance_windows.change_summary(ansible_check_mode) }}"
"""

RETURN = r"""
_value:
  description: C(status) (C(changed), C(would change), C(unchanged)) and C(changes), a list of
    C(step), C(resource) and C(action).
  type: dict
"""


def _resource(result):
    if result.get("policy_name"):
        return "inline policy %s on %s %s" % (result["policy_name"], result.get("principal_type"),
                                              result.get("principal_name"))
    item = result.get("item")
    if result.get("policy_arn") and isinstance(item, (list, tuple)) and len(item) == 2:
        return "%s attached to %s %s" % (result["policy_arn"], item[0], item[1])
    return result.get("arn") or result.get("policy_arn") or "?"


def _action(result, check_mode):
    verb = result["change"]
    if check_mode:
        return "would " + verb
    return {"create": "created", "delete": "deleted", "update": "updated"}[verb]


def change_summary(results, check_mode=False):
    changes = []
    for step, registered in results.items():
        if not isinstance(registered, dict) or registered.get("skipped"):
            continue
        for result in registered.get("results", [registered]):
            if result.get("changed") and not result.get("skipped"):
                changes.append(dict(step=step, resource=_resource(result), action=_action(result, check_mode)))
    status = "unchanged"
    if changes:
        status = "would change" if check_mode else "changed"
    return dict(status=status, changes=changes)


class FilterModule(object):
    def filters(self):
        return dict(change_summary=change_summary)
