#!/usr/bin/env python
# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Run ``ansible-test sanity`` on this collection from a working tree.

ansible-test needs the collection at ``.../ansible_collections/<namespace>/<name>`` as a real
directory (the repository's .build link is followed to the repository root, which is not
such a path), so the files git would commit (tracked or new, not ignored: no virtualenvs,
build links or caches) are copied into a temporary one. It runs ``--local`` with the
Python running this script.

ansible-test creates one virtualenv per sanity test without pip and bootstraps pip with a
get-pip.py it downloads from ci-files.testing.ansible.com; only PyPI is reachable here, so a
stand-in at the cache path it checks first bootstraps pip with the standard library's
ensurepip, then installs the pinned pip and requirements from PyPI.

    tests/sanity/run.py                      # the default tests below
    tests/sanity/run.py --test pep8          # any ansible-test sanity arguments instead
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
NAMESPACE = "fleetiam"
NAME = "maintenance_windows"

# Every sanity test ansible-test has for collections, but pslint (PowerShell, of which
# there is none) and shellcheck (it needs the shellcheck program).
DEFAULT_TESTS = (
    "action-plugin-docs",
    "ansible-doc",
    "changelog",
    "compile",
    "empty-init",
    "ignores",
    "import",
    "line-endings",
    "no-assert",
    "no-get-exception",
    "no-illegal-filenames",
    "no-smart-quotes",
    "pep8",
    "pylint",
    "replace-urlopen",
    "runtime-metadata",
    "shebang",
    "symlinks",
    "use-argspec-type-path",
    "use-compat-six",
    "validate-modules",
    "yamllint",
)

GET_PIP_STAND_IN = '''\
"""Stand-in for get-pip.py, written by tests/sanity/run.py: ensurepip, then pip from PyPI."""
import subprocess
import sys

# get-pip.py options that pip install does not know.
GET_PIP_ONLY = ("--no-setuptools", "--no-wheel")

subprocess.check_call([sys.executable, "-m", "ensurepip", "--default-pip"])
arguments = [argument for argument in sys.argv[1:] if argument not in GET_PIP_ONLY]
sys.exit(subprocess.call([sys.executable, "-m", "pip", "install"] + arguments))
'''


def pip_bootstrap_version():
    """The pip version whose get-pip.py this ansible-test looks for."""
    from ansible_test._internal.python_requirements import get_venv_packages
    from ansible_test._internal.host_configs import NativePythonConfig

    version = "%d.%d" % sys.version_info[:2]
    return get_venv_packages(NativePythonConfig(version=version, path=sys.executable))["pip"]


def ensure_get_pip():
    """Write the get-pip.py stand-in where ansible-test looks before it downloads."""
    path = os.path.expanduser("~/.ansible/test/cache/get_pip_%s.py" % pip_bootstrap_version().replace(".", "_"))
    if not os.path.exists(path):
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "w") as handle:
            handle.write(GET_PIP_STAND_IN)
    return path


def collection_files():
    """The files git would commit now: tracked or new, not ignored (.venv, .build, caches)."""
    listing = subprocess.run(["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
                             cwd=REPO, check=True, capture_output=True).stdout.decode()
    # A tracked file deleted in the working tree is listed too.
    paths = set(path for path in listing.split("\0") if path and os.path.lexists(os.path.join(REPO, path)))
    # A virtualenv that .gitignore does not know yet is no part of the collection.
    virtualenvs = tuple(os.path.dirname(path) + "/" for path in paths if os.path.basename(path) == "pyvenv.cfg")
    return sorted(path for path in paths if not path.startswith(virtualenvs))


def copy_collection(root):
    target = os.path.join(root, "ansible_collections", NAMESPACE, NAME)
    for path in collection_files():
        destination = os.path.join(target, path)
        os.makedirs(os.path.dirname(destination), exist_ok=True)
        shutil.copy2(os.path.join(REPO, path), destination, follow_symlinks=False)
    return target


def sanity_command(arguments):
    python = "%d.%d" % sys.version_info[:2]
    ansible_test = os.path.join(os.path.dirname(sys.executable), "ansible-test")
    command = [ansible_test, "sanity", "--python", python, "--local", "--color", "no"]
    if arguments:
        return command + arguments
    return command + [option for test in DEFAULT_TESTS for option in ("--test", test)]


def main(arguments):
    ensure_get_pip()
    root = tempfile.mkdtemp(prefix="fleetiam-sanity-")
    try:
        collection = copy_collection(root)
        env = dict(os.environ)
        # ansible-test finds the collection by its working directory; a user's config and
        # collections path must not point it at the repository's own link.
        for name in ("ANSIBLE_CONFIG", "ANSIBLE_COLLECTIONS_PATH", "ANSIBLE_COLLECTIONS_PATHS"):
            env.pop(name, None)
        return subprocess.call(sanity_command(arguments), cwd=collection, env=env)
    finally:
        shutil.rmtree(root, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
