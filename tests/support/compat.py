"""The ansible-core versions the collection supports, each in a virtual environment of its own.

A version's environment is built once and reused: it lives outside the repository, in
``~/.cache/fleetiam-compat`` (``FLEETIAM_COMPAT_CACHE`` overrides it), so that a fresh
clone of the repository on the same machine (CI) finds it; its directory name holds a
hash of its pins, so changed pins build a new one. pip's own cache serves the builds.
"""

from __future__ import annotations

import fcntl
import glob
import hashlib
import os
import shutil
import subprocess

# ansible-core version: (the Pythons it is tested with, first found wins; the requirement pins).
# The oldest core runs with the lowest supported botocore and boto3 (requirements.txt's
# lower bounds), the others with the newest.
VERSIONS = {
    "2.16": (("3.11",), ("ansible-core>=2.16,<2.17", "botocore==1.31.0", "boto3==1.28.0")),
    "2.17": (("3.11",), ("ansible-core>=2.17,<2.18", "botocore", "boto3")),
    "2.18": (("3.11",), ("ansible-core>=2.18,<2.19", "botocore", "boto3")),
    "2.19": (("3.11",), ("ansible-core>=2.19,<2.20", "botocore", "boto3")),
    "2.20": (("3.12", "3.13"), ("ansible-core>=2.20,<2.21", "botocore", "boto3")),
}
CACHE = os.environ.get("FLEETIAM_COMPAT_CACHE") or os.path.expanduser("~/.cache/fleetiam-compat")
_PYENV = os.path.expanduser("~/.pyenv/versions")


def interpreter(python_version):
    """A python<version> executable of this machine, or None: pyenv's builds first, then PATH."""
    candidates = sorted(glob.glob(os.path.join(_PYENV, python_version + ".*", "bin", "python" + python_version)),
                        reverse=True)
    on_path = shutil.which("python" + python_version)
    for candidate in candidates + ([on_path] if on_path else []):
        probe = subprocess.run([candidate, "-c", "import sys, venv; print('%d.%d' % sys.version_info[:2])"],
                               capture_output=True, text=True, check=False)
        if probe.returncode == 0 and probe.stdout.strip() == python_version:
            return candidate
    return None


def environment(core_version):
    """(the bin directory of ``core_version``'s environment, building it if need be; None) or
    (None, why it cannot be built here)."""
    pythons, pins = VERSIONS[core_version]
    found = [(version, interpreter(version)) for version in pythons]
    found = [(version, path) for version, path in found if path]
    if not found:
        return None, "ansible-core %s: no Python %s on this machine (looked in %s and PATH)" % (
            core_version, " or ".join(pythons), _PYENV)
    python_version, python = found[0]
    key = hashlib.sha256("\n".join((python_version,) + pins).encode()).hexdigest()[:12]
    home = os.path.join(CACHE, "%s-py%s-%s" % (core_version, python_version, key))
    stamp = os.path.join(home, ".installed")
    bin_dir = os.path.join(home, "bin")
    os.makedirs(CACHE, exist_ok=True)
    # Concurrent test runs share the cache: one builds, the others wait for it.
    with open(home + ".lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not os.path.exists(stamp):
            shutil.rmtree(home, ignore_errors=True)
            for command in ([python, "-m", "venv", home],
                            [os.path.join(bin_dir, "python"), "-m", "pip", "install", "--quiet",
                             "--disable-pip-version-check"] + list(pins)):
                built = subprocess.run(command, capture_output=True, text=True, check=False)
                if built.returncode != 0:
                    raise RuntimeError("ansible-core %s: building %s failed:\n%s%s" % (
                        core_version, home, built.stdout, built.stderr))
            with open(stamp, "w") as handle:
                handle.write("\n".join(pins) + "\n")
    return bin_dir, None


if __name__ == "__main__":
    # Build every environment ahead of the tests: python -m tests.support.compat
    for name in VERSIONS:
        print(name, environment(name))
