"""Every supported ansible-core, each in a virtual environment of its own (tests/support/compat.py):
the built tarball installed with that version's ansible-galaxy, ansible-doc of every plugin, and
the fleet job on two accounts from the installed copy - preview (writes nothing), apply, second
apply (0 changed), teardown - with the modules in-process and run as modules.

Lean on purpose (5 versions): the preview and the teardown run the modules in-process (the
default), the apply and the second apply run them as modules (FLEETIAM_MW_EXECUTION=module), so
that each execution mode reads, writes and finds nothing to do.
"""

from __future__ import annotations

import glob
import json
import os
import subprocess

import pytest

from tests.support import aws, compat, fleet

COLLECTION = "fleetiam.maintenance_windows"
PLUGIN_TYPES = ("module", "filter", "inventory", "lookup")
SERVICE_ROLE = "MaintenanceWindowServiceRole"


def plugin_names(plugin_type):
    folder = "modules" if plugin_type == "module" else plugin_type
    return sorted("%s.%s" % (COLLECTION, os.path.basename(path)[:-3])
                  for path in glob.glob(os.path.join(fleet.REPO, "plugins", folder, "*.py"))
                  if not os.path.basename(path).startswith("_"))


@pytest.fixture(scope="module")
def tarball(tmp_path_factory):
    output = tmp_path_factory.mktemp("compat-build")
    result = subprocess.run([os.path.join(fleet.BIN, "ansible-galaxy"), "collection", "build",
                             "--output-path", str(output), fleet.REPO],
                            cwd=str(output), capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stdout + result.stderr
    [path] = glob.glob(str(output / "*.tar.gz"))
    return path


class Core(object):
    """One ansible-core version: its bin directory, and the collection installed from the tarball."""

    def __init__(self, version, bin_dir, home):
        self.version, self.bin_dir, self.home = version, bin_dir, str(home)
        config = os.path.join(self.home, "ansible.cfg")
        with open(config, "w") as handle:
            handle.write("[defaults]\n")
        self.env = fleet.ansible_env()
        self.env.update(ANSIBLE_CONFIG=config, ANSIBLE_COLLECTIONS_PATH=os.path.join(self.home, "collections"),
                        ANSIBLE_COLLECTIONS_SCAN_SYS_PATH="false", ANSIBLE_LOCAL_TEMP=os.path.join(self.home, "tmp"),
                        PATH=bin_dir + os.pathsep + os.environ.get("PATH", ""))

    def run(self, tool, *args, env=None):
        return subprocess.run([os.path.join(self.bin_dir, tool)] + list(args), cwd=self.home,
                              env=dict(self.env, **(env or {})), capture_output=True, text=True, check=False)


@pytest.fixture(scope="module", params=sorted(compat.VERSIONS))
def core(request, tarball, tmp_path_factory):
    version = request.param
    bin_dir, missing = compat.environment(version)
    if missing:
        pytest.skip(missing)
    installed = Core(version, bin_dir, tmp_path_factory.mktemp("core-%s" % version))
    result = installed.run("ansible-galaxy", "collection", "install", tarball, "-p",
                           installed.env["ANSIBLE_COLLECTIONS_PATH"])
    assert result.returncode == 0, "ansible-core %s: %s%s" % (version, result.stdout, result.stderr)
    return installed


def test_the_environment_has_the_ansible_core_it_is_for(core):
    result = core.run("ansible", "--version")
    assert result.stdout.startswith("ansible [core %s." % core.version), result.stdout


@pytest.mark.parametrize("plugin_type", PLUGIN_TYPES)
def test_every_plugin_is_documented_without_warnings(core, plugin_type):
    names = plugin_names(plugin_type)
    result = core.run("ansible-doc", "--json", "-t", plugin_type, *names)
    assert result.returncode == 0 and "WARNING" not in result.stderr, (
        "ansible-core %s: %s" % (core.version, result.stderr))
    assert sorted(json.loads(result.stdout)) == names, "ansible-core %s" % core.version


@pytest.fixture(scope="module")
def fleet_job(core, moto):
    """The four runs of the fleet job on two fresh accounts, and the accounts holding the service
    role after the preview and after the teardown."""
    accounts = aws.create_member_accounts(moto.url, 2, prefix="core%s" % core.version.replace(".", ""))
    for account in accounts:
        aws.create_principals(moto.url, account, groups=[fleet.OPERATORS_GROUP, fleet.CONTRACTORS_GROUP])
    inventory = fleet.write_inventory(
        os.path.join(core.home, "inventory.yml"), moto.url, group_vars=fleet.OPERATORS_AND_CONTRACTORS,
        hosts={"account-%d" % index: fleet.account_host(account) for index, account in enumerate(accounts)})
    runs, holding = {}, {}
    for name, playbook, extra, execution in (("preview", "setup", ["--check", "--diff"], {}),
                                             ("apply", "setup", [], {"FLEETIAM_MW_EXECUTION": "module"}),
                                             ("second apply", "setup", [], {"FLEETIAM_MW_EXECUTION": "module"}),
                                             ("teardown", "teardown", [], {})):
        report_dir = os.path.join(core.home, name.replace(" ", "-"))
        result = core.run("ansible-playbook", "-i", inventory, "%s.%s" % (COLLECTION, playbook),
                          "-e", "mw_report_dir=%s" % report_dir, *extra, env=execution)
        run = fleet.PlaybookRun([playbook] + extra, result.returncode, result.stdout + result.stderr, report_dir)
        runs[name] = run
        if name in ("preview", "teardown"):
            holding[name] = sorted(account for account in accounts if SERVICE_ROLE in [
                role["RoleName"] for role in aws.account_client(moto.url, account, "iam").list_roles()["Roles"]])
    return runs, holding


def test_the_fleet_job_previews_applies_converges_and_tears_down(core, fleet_job):
    runs, holding = fleet_job
    statuses = {name: {host: row["status"] for host, row in (run.summary or {}).items()} for name, run in runs.items()}
    both = ("account-0", "account-1")
    failed = {name: run for name, run in runs.items() if run.returncode}
    assert statuses == {"preview": dict.fromkeys(both, "would change"),
                        "apply": dict.fromkeys(both, "changed"),
                        "second apply": dict.fromkeys(both, "unchanged"),
                        "teardown": dict.fromkeys(both, "changed")}, "ansible-core %s: %s" % (core.version, failed)
    assert not failed, "ansible-core %s: %s" % (core.version, failed)
    assert runs["second apply"].changed_hosts() == [], "ansible-core %s: %r" % (core.version, runs["second apply"])
    assert holding == {"preview": [], "teardown": []}, "ansible-core %s: the service role is where it must not be" % (
        core.version)


def test_no_warning_that_the_collection_does_not_support_this_version(core, fleet_job):
    runs = fleet_job[0]
    for name, run in runs.items():
        assert "does not support Ansible version" not in run.output, "ansible-core %s, %s: %r" % (core.version, name, run)
