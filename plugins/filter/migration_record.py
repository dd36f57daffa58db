# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
name: migration_record
short_description: One account's record of a maintenance window task migration (or its restore)
version_added: 0.1.0
description:
  - Turns the registered loop of M(fleetiam.maintenance_windows.maintenance_window_task) into one row
    per task - where it is, what it is, the role C(before) and C(after), and its C(status) -
    C(moved), C(would move), C(restored), C(would restore), C(unchanged), C(refused) (with the reason)
    or C(failed) (with the error).
  - Only a C(moved) task is put back by a restore from the record; its C(before) is the role it had.
author: fleetiam maintainers (@fleetiam)
positional: check_mode, restoring
options:
  _input:
    description: The loop's results (C(results) of the registered variable), each with its C(item) - the task as
      M(fleetiam.maintenance_windows.maintenance_window_tasks_info) or the restored record lists it.
    type: list
    elements: dict
    required: true
  check_mode:
    description: Whether the run is a preview.
    type: bool
    default: false
  restoring:
    description: Whether the run puts tasks back from a record.
    type: bool
    default: false
"""

EXAMPLES = r"""
- name: Migrate tasks | This account's record
  ansible.builtin.set_fact:
    migrated: "{{ moves.results | default([]) | fleetiam.maintenance_windows.migration_record(ansible_check_mode) }}"
"""

RETURN = r"""
_value:
  description: One row per task - C(region), C(window_id), C(window_name), C(task_id), C(task_name), C(task_type),
    C(targets), C(before), C(after), C(status) and C(error) (empty unless refused or failed).
  type: list
  elements: dict
"""

# The item keys a row keeps, from the listing (or from the record being restored).
_TASK_KEYS = ("region", "window_id", "window_name", "task_id", "task_name", "task_type", "targets")


def _status(result, check_mode, restoring):
    if result.get("failed"):
        return "refused" if result.get("error_kind") == "refused" else "failed"
    if not result.get("changed"):
        return "unchanged"
    verb = "restore" if restoring else "move"
    return "would %s" % verb if check_mode else ("restored" if restoring else "moved")


def migration_record(results, check_mode=False, restoring=False):
    rows = []
    for result in results or []:
        item = result.get("item") or {}
        row = {key: item.get(key, "") for key in _TASK_KEYS}
        row["task_name"] = row["task_name"] or result.get("task_name", "")
        row["task_type"] = row["task_type"] or result.get("task_type", "")
        # A restore's "before" is the role the migration set, its "after" the one put back.
        before = result.get("previous_service_role_arn", item.get("after" if restoring else "service_role_arn", ""))
        status = _status(result, check_mode, restoring)
        # A preview's "after" is the role it would set; its status says that nothing was written.
        rows.append(dict(row, before=before, after=result.get("service_role_arn") if result.get("changed") else before,
                         status=status, error=result.get("msg", "") if result.get("failed") else ""))
    return rows


class FilterModule(object):
    def filters(self):
        return dict(migration_record=migration_record)
