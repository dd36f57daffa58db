"""The collection in Ansible's ecosystem: its execution environment, ansible-test sanity, ansible-lint.

Each runs the real tool offline (PyPI excepted), as CI and AWX would.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import tarfile

import pytest
import yaml

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
BIN = os.path.dirname(sys.executable)

# ansible-test's own environment could not be set up here (its pip bootstrap or PyPI), as
# opposed to sanity tests that ran and failed.
_BOOTSTRAP_FAILURES = re.compile(
    r"^.*(Download failed|pip is unavailable|No matching distribution found|Failed to establish a new connection"
    r"|Could not find a version that satisfies the requirement).*$", re.MULTILINE)


def tool_env(repository_config):
    """The environment of a tool: with the repository's ansible.cfg, or with no configuration
    at all (its collections path would show this collection as installed already)."""
    env = dict(os.environ)
    for name in ("ANSIBLE_CONFIG", "ANSIBLE_COLLECTIONS_PATH", "ANSIBLE_COLLECTIONS_PATHS"):
        env.pop(name, None)
    if repository_config:
        env["ANSIBLE_CONFIG"] = os.path.join(REPO, "ansible.cfg")
    env.update(ANSIBLE_NOCOLOR="1", NO_COLOR="1")
    return env


def run(command, cwd=REPO):
    """Run ``command`` in the repository with its configuration, or elsewhere without any."""
    return subprocess.run(command, cwd=cwd, env=tool_env(repository_config=cwd == REPO),
                          capture_output=True, text=True, check=False)


def git_files():
    """The files git would commit: tracked or new, not ignored."""
    listing = subprocess.run(["git", "ls-files", "--cached", "--others", "--exclude-standard"],
                             cwd=REPO, check=True, capture_output=True, text=True).stdout
    return {path for path in listing.splitlines() if os.path.lexists(os.path.join(REPO, path))}


def test_execution_environment_build_context_installs_the_collection_and_its_requirements(tmp_path):
    with open(os.path.join(REPO, "galaxy.yml")) as handle:
        galaxy = yaml.safe_load(handle)
    tarball_name = "%s-%s-%s.tar.gz" % (galaxy["namespace"], galaxy["name"], galaxy["version"])
    # The EE file and what it names, in a directory of their own: the build writes nothing
    # into the repository.
    for name in ("execution-environment.yml", "requirements.txt", "bindep.txt"):
        shutil.copy(os.path.join(REPO, name), tmp_path / name)

    build = run([os.path.join(BIN, "ansible-galaxy"), "collection", "build", "--force",
                 "--output-path", str(tmp_path / ".build" / "ee"), REPO], cwd=tmp_path)
    assert build.returncode == 0, build.stdout + build.stderr
    create = run([os.path.join(BIN, "ansible-builder"), "create", "--file", "execution-environment.yml",
                  "--context", "context", "--output-filename", "Containerfile"], cwd=tmp_path)
    assert create.returncode == 0, create.stdout + create.stderr

    context = tmp_path / "context" / "_build"
    containerfile = (tmp_path / "context" / "Containerfile").read_text()
    assert 'ARG PYCMD="/usr/bin/python3.11"' in containerfile
    assert "ansible-core>=2.19,<2.20 ansible-runner" in containerfile
    assert (context / "collections" / tarball_name).is_file(), "execution-environment.yml names another version than galaxy.yml"
    assert {"botocore>=1.31.0", "boto3>=1.28.0", "policy_sentry>=0.15.2"} <= set((context / "requirements.txt").read_text().splitlines())
    assert "ca-certificates [platform:rpm platform:dpkg]" in (context / "bindep.txt").read_text().splitlines()

    # The tarball holds what git holds (no virtualenvs, caches, reports), plus its manifests.
    with tarfile.open(context / "collections" / tarball_name) as tarball:
        shipped = {member.name for member in tarball.getmembers() if not member.isdir()}
    assert shipped - {"MANIFEST.json", "FILES.json"} <= git_files()
    assert "plugins/inventory/aws_accounts.py" in shipped

    # The image's galaxy stage (ansible-galaxy in _build, offline: a file requirement),
    # then its builder stage's introspection of the installed collections.
    collections = tmp_path / "collections"
    install = run([os.path.join(BIN, "ansible-galaxy"), "collection", "install", "-r", "requirements.yml",
                   "--collections-path", str(collections)], cwd=context)
    assert install.returncode == 0, install.stdout + install.stderr
    installed = collections / "ansible_collections" / galaxy["namespace"] / galaxy["name"]
    assert (installed / "plugins" / "inventory" / "aws_accounts.py").is_file()
    introspect = run([os.path.join(BIN, "ansible-builder"), "introspect", "--sanitize", str(collections)], cwd=tmp_path)
    assert introspect.returncode == 0, introspect.stdout + introspect.stderr
    assert "botocore>=1.31.0  # from collection fleetiam.maintenance_windows" in introspect.stdout


def test_ansible_test_sanity():
    sanity = run([sys.executable, os.path.join(REPO, "tests", "sanity", "run.py")])
    output = sanity.stdout + sanity.stderr
    bootstrap_failure = _BOOTSTRAP_FAILURES.search(output)
    if sanity.returncode != 0 and bootstrap_failure:
        pytest.skip("ansible-test could not set up its environment offline: %s" % bootstrap_failure.group(0).strip())
    # ansible-test prints each failure as an ERROR line; the pip logs are noise.
    errors = "\n".join(line for line in output.splitlines() if line.startswith(("ERROR", "FATAL", "Traceback")))
    assert sanity.returncode == 0, errors or output[-5000:]


def test_ansible_lint_production_profile():
    targets = [name for name in ("roles", "playbooks")
               if os.path.isdir(os.path.join(REPO, name)) and os.listdir(os.path.join(REPO, name))]
    if not targets:
        pytest.skip("no roles/ or playbooks/ yet")
    lint = run([os.path.join(BIN, "ansible-lint"), "--offline", "--profile", "production", "--nocolor",
                "--format", "pep8"] + targets)
    assert lint.returncode == 0, lint.stdout + lint.stderr
