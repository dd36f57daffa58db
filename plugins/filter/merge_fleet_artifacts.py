# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
name: merge_fleet_artifacts
short_description: One fleet run from the job artifacts of several jobs
version_added: 0.1.0
description:
  - Joins the artifacts that P(fleetiam.maintenance_windows.fleet_artifacts#filter) made in several
    jobs (the slices of a sliced job) into one run - C(run) and C(rows), sorted by host.
  - Fails on artifacts of different runs (another playbook, state, mode or workflow job), on an
    account reported twice, and on a source without any fleet result, naming them.
author: fleetiam maintainers (@fleetiam)
options:
  _input:
    description:
      - The jobs, each C(source) (a name for messages, for example the artifact directory) and
        C(artifacts) (that job's artifacts, a dict).
    type: list
    elements: dict
    required: true
"""

EXAMPLES = r"""
- name: One fleet from the artifacts of two slices
  ansible.builtin.set_fact:
    fleet: "{{ [{'source': 'slice 1', 'artifacts': one}, {'source': 'slice 2', 'artifacts': two}]
               | fleetiam.maintenance_windows.merge_fleet_artifacts }}"
"""

RETURN = r"""
_value:
  description: C(run) (the identity the sources share) and C(rows) (every account once).
  type: dict
"""

from ansible.errors import AnsibleFilterError

from ansible_collections.fleetiam.maintenance_windows.plugins.filter.fleet_artifacts import PREFIX, RUN_KEYS


def _describe(run):
    return ", ".join("%s %s" % (key, run.get(key) or "-") for key in RUN_KEYS)


def merge_fleet_artifacts(sources):
    run, first, rows, seen = None, None, [], {}
    for source in sources:
        name, artifacts = source["source"], source.get("artifacts") or {}
        results = [value for key, value in sorted(artifacts.items()) if key.startswith(PREFIX)]
        if not results:
            raise AnsibleFilterError(
                "%s holds no fleet results (no %s* artifact). Fix: give the artifacts of jobs of setup.yml, "
                "teardown.yml or audit.yml of this collection, which hand them to set_stats in their "
                "summary." % (name, PREFIX))
        for result in results:
            host = result["row"]["host"]
            if run is None:
                run, first = result["run"], name
            elif result["run"] != run:
                raise AnsibleFilterError(
                    "%s is another run than %s: %s against %s (account %s). Fix: merge the slices of one "
                    "run only." % (name, first, _describe(result["run"]), _describe(run), host))
            if host in seen:
                raise AnsibleFilterError(
                    "account host %s is in both %s and %s: slices of one run never share a host. Fix: merge "
                    "each job once, and the slices of one run only." % (host, seen[host], name))
            seen[host] = name
            rows.append(result["row"])
    if run is None:
        raise AnsibleFilterError("no artifacts to merge. Fix: name the jobs' artifact directories in mw_artifact_dirs.")
    return dict(run=run, rows=sorted(rows, key=lambda row: row["host"]))


class FilterModule(object):
    def filters(self):
        return dict(merge_fleet_artifacts=merge_fleet_artifacts)
