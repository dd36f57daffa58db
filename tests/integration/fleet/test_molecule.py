"""The molecule scenario extensions/molecule/default, as `molecule test` runs it by hand.

Its create step starts a moto server of its own and its destroy step stops it; converge,
idempotence, check and verify run the role against two accounts there. The outer
ANSIBLE_CONFIG and ANSIBLE_COLLECTIONS_PATH are removed, so that molecule's own
configuration is what must find the collection (verify asserts it is this repository).
"""

from __future__ import annotations

import os
import re
import subprocess

from tests.support.fleet import BIN, REPO

_ANSI = re.compile(r"\x1b\[[0-9;]*m")


def test_molecule_default_scenario_passes():
    env = {name: value for name, value in os.environ.items()
           if name not in ("ANSIBLE_CONFIG", "ANSIBLE_COLLECTIONS_PATH", "ANSIBLE_COLLECTIONS_PATHS",
                           "MOLECULE_GLOB", "AWS_PROFILE")}
    env["PATH"] = BIN + os.pathsep + env.get("PATH", "")  # molecule calls ansible-config, ansible-playbook
    completed = subprocess.run([os.path.join(BIN, "molecule"), "test", "--scenario-name", "default"], cwd=REPO,
                               env=env, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                               stderr=subprocess.STDOUT, text=True, check=False)
    output = _ANSI.sub("", completed.stdout)
    assert completed.returncode == 0, output
    for step in ("create", "prepare", "converge", "idempotence", "check", "verify", "destroy"):
        assert "default ➜ %s: Executed: Successful" % step in output, output
