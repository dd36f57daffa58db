# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
name: fleet_artifacts
short_description: A fleet run's account rows as job artifacts, one key per account
version_added: 0.1.0
description:
  - Turns the report rows of a run into the C(data) of M(ansible.builtin.set_stats) - one top-level
    key per account, C(mw_fleet_result_<host>), holding the run's identity and the account's row.
    AWX merges the artifacts of a sliced job's slices (and of a workflow's earlier nodes) key by
    key, so one key per account keeps every slice's accounts.
  - P(fleetiam.maintenance_windows.merge_fleet_artifacts#filter) joins them again.
author: fleetiam maintainers (@fleetiam)
positional: run
options:
  _input:
    description: The run's report rows, each with C(host).
    type: list
    elements: dict
    required: true
  run:
    description: The run's identity - C(playbook), C(state), C(mode), C(workflow_job_id).
    type: dict
    required: true
"""

EXAMPLES = r"""
- name: Fleet summary | Job artifacts, one key per account
  ansible.builtin.set_stats:
    data: "{{ rows | fleetiam.maintenance_windows.fleet_artifacts({'playbook': 'setup', 'state': 'present',
              'mode': 'apply', 'workflow_job_id': ''}) }}"
    per_host: false
    aggregate: true
"""

RETURN = r"""
_value:
  description:
    - C(mw_fleet_result_<host>) (the host name with any character other than letters, digits and
      C(_) as C(_)) for each row, each C(run) and C(row).
  type: dict
"""

import re

PREFIX = "mw_fleet_result_"
RUN_KEYS = ("playbook", "state", "mode", "workflow_job_id")


def fleet_artifacts(rows, run):
    identity = {key: str(run.get(key) or "") for key in RUN_KEYS}
    return {PREFIX + re.sub(r"\W", "_", row["host"], flags=re.ASCII): {"run": identity, "row": row} for row in rows}


class FilterModule(object):
    def filters(self):
        return dict(fleet_artifacts=fleet_artifacts)
