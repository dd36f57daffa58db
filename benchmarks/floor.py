"""Ansible's own cost per task and host, with and without state per host; no AWS.

    .venv/bin/python benchmarks/floor.py --sizes 50,200

Runs floor.yml (20 no-op tasks per host) and floor-state.yml (the same after each host has
set a fact of about 250 KB) on N local hosts, and prints wall time, CPU time (the process
tree's) and the CPU milliseconds per task and host.
"""

from __future__ import annotations

import argparse
import os
import resource
import subprocess
import sys
import tempfile
import time

import yaml

BENCH = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(BENCH)
PLAYBOOKS = (("floor.yml", 20), ("floor-state.yml", 21))


def inventory(path, size):
    hosts = {"host-%03d" % index: None for index in range(size)}
    with open(path, "w") as handle:
        yaml.safe_dump({"mw_accounts": {"vars": {"ansible_connection": "local",
                                                 "ansible_python_interpreter": "{{ ansible_playbook_python }}"},
                                        "hosts": hosts}}, handle)


def run(playbook, inventory_path):
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    subprocess.run([os.path.join(os.path.dirname(sys.executable), "ansible-playbook"), "-i", inventory_path,
                    os.path.join(BENCH, playbook)], env=dict(os.environ, ANSIBLE_CONFIG=os.path.join(REPO, "ansible.cfg")),
                   stdout=subprocess.DEVNULL, check=True)
    wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return wall, after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="50,200", help="numbers of hosts, comma-separated")
    args = parser.parse_args()
    print("| N | playbook | wall s | CPU s | CPU ms per task and host |")
    print("|---|---|---|---|---|")
    with tempfile.TemporaryDirectory() as workdir:
        for size in [int(value) for value in args.sizes.split(",")]:
            path = os.path.join(workdir, "inventory-%d.yml" % size)
            inventory(path, size)
            for playbook, tasks in PLAYBOOKS:
                wall, cpu = run(playbook, path)
                print("| %d | %s | %.1f | %.1f | %.1f |" % (size, playbook, wall, cpu, 1000.0 * cpu / (size * tasks)),
                      flush=True)


if __name__ == "__main__":
    main()
