"""Fleet playbooks as ansible-runner jobs, the way AWX runs them: a sliced job is N jobs, each on
a slice of the inventory, each with its own artifact directory.
"""

from __future__ import annotations

import json
import os

import ansible_runner

from tests.support import fleet


def slices(hosts, count):
    """AWX's job slicing: the inventory's hosts by name, taken in turn (host index % count)."""
    ordered = sorted(hosts)
    return [{host: hosts[host] for host in ordered[number::count]} for number in range(count)]


def start(workdir, name, playbook, hosts, endpoint_url, group_vars=None, extravars=None):
    """Start one job of ``playbook`` on ``hosts`` ({host: host vars}) in ``workdir/name``;
    returns (thread, runner): join the thread, then read runner.status and runner.config.artifact_dir."""
    private = os.path.join(str(workdir), name)
    os.makedirs(private, exist_ok=True)
    inventory = fleet.write_inventory(os.path.join(private, "inventory.yml"), endpoint_url, hosts=hosts,
                                      group_vars=group_vars)
    env = fleet.ansible_env()
    env["PATH"] = fleet.BIN + os.pathsep + env.get("PATH", "")
    return ansible_runner.run_async(
        private_data_dir=private, ident=name, playbook=os.path.join(fleet.PLAYBOOKS, playbook),
        inventory=inventory, envvars=env, extravars=dict(extravars or {}, mw_report_dir=os.path.join(private, "reports")),
        quiet=True)


def run_sliced(workdir, playbook, hosts, count, endpoint_url, group_vars=None):
    """``playbook`` on ``hosts`` as ``count`` concurrent slice jobs; returns their runners, in slice order."""
    jobs = [start(workdir, "slice%d" % (number + 1), playbook, part, endpoint_url, group_vars)
            for number, part in enumerate(slices(hosts, count))]
    for thread, runner in jobs:
        thread.join()
    return [runner for thread, runner in jobs]


def artifacts(runner):
    """The job's artifacts (its set_stats data), as AWX reads them from the stats event."""
    stats = [event for event in runner.events if event.get("event") == "playbook_on_stats"]
    return stats[-1]["event_data"].get("artifact_data", {}) if stats else {}


def merge(workdir, artifact_dirs):
    """playbooks/merge_reports.yml on the artifact directories; (the run, its report directory)."""
    report_dir = os.path.join(str(workdir), "merged")
    extra = ["-e", json.dumps({"mw_artifact_dirs": list(artifact_dirs)})]
    return fleet.run_playbook("merge_reports.yml", "localhost,", report_dir, extra), report_dir
