"""The collection as users get it: ansible-doc renders every module, ``ansible-galaxy
collection build`` makes a tarball of the collection without the working tree's
virtualenvs, build link or caches, and the installed tarball documents and runs its
modules on its own (its module_utils, doc fragment and action plugins included), and
sets up and tears down a fleet with its playbooks by name, as in the README."""

from __future__ import annotations

import glob
import json
import os
import subprocess
import sys
import tarfile

import pytest
import yaml

from tests.support import aws, fleet

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
BIN = os.path.dirname(sys.executable)
COLLECTION = "fleetiam.maintenance_windows"
MODULES = sorted(os.path.basename(path)[:-3] for path in glob.glob(os.path.join(REPO, "plugins", "modules", "*.py"))
                 if not path.endswith("__init__.py"))
# Options every module has from the doc fragment plugins/doc_fragments/connection.py.
FRAGMENT_OPTIONS = {"assume_role_arn", "endpoint_url", "secret_key", "session_token", "account_id", "partition"}
# A guard against a hang (the repository holds a symlink loop through .build), not a speed check.
HANG_GUARD = 600


def ansible_env(**settings):
    """The environment without the user's Ansible or AWS settings, plain output, plus ``settings``."""
    env = {key: value for key, value in os.environ.items() if not key.startswith(("ANSIBLE_", "AWS_"))}
    env.update(ANSIBLE_NOCOLOR="1", ANSIBLE_FORCE_COLOR="0", AWS_EC2_METADATA_DISABLED="true")
    env.update(settings)
    return env


def run(command, cwd, env):
    result = subprocess.run(command, cwd=cwd, env=env, stdin=subprocess.DEVNULL, capture_output=True, text=True,
                            timeout=HANG_GUARD, check=False)
    assert result.returncode == 0, "%s\n%s\n%s" % (" ".join(command), result.stdout, result.stderr)
    return result


def warnings_in(stderr):
    return [line for line in stderr.splitlines() if line.startswith(("[WARNING]", "[ERROR]", "[DEPRECATION"))]


@pytest.fixture(scope="module")
def tarball(tmp_path_factory):
    """The tarball ``ansible-galaxy collection build`` makes from the working tree."""
    output = tmp_path_factory.mktemp("build")
    result = run([os.path.join(BIN, "ansible-galaxy"), "collection", "build", "--output-path", str(output)],
                 cwd=REPO, env=ansible_env(ANSIBLE_CONFIG=os.path.join(REPO, "ansible.cfg")))
    assert warnings_in(result.stderr) == []
    [path] = glob.glob(str(output / "fleetiam-maintenance_windows-*.tar.gz"))
    return path


@pytest.fixture(scope="module")
def installed(tarball, tmp_path_factory):
    """(collections path holding only the installed tarball, an environment that uses only it, its cwd)."""
    home = tmp_path_factory.mktemp("installed")
    collections = home / "collections"
    empty_config = home / "ansible.cfg"
    empty_config.write_text("[defaults]\n")
    env = ansible_env(ANSIBLE_CONFIG=str(empty_config), ANSIBLE_COLLECTIONS_PATH=str(collections),
                      ANSIBLE_COLLECTIONS_SCAN_SYS_PATH="false", ANSIBLE_LOCAL_TEMP=str(home / "tmp"))
    run([os.path.join(BIN, "ansible-galaxy"), "collection", "install", tarball, "-p", str(collections)],
        cwd=str(home), env=env)
    return str(collections), env, str(home)


def test_every_module_is_documented_with_the_connection_options_without_warnings():
    names = ["%s.%s" % (COLLECTION, module) for module in MODULES]
    result = run([os.path.join(BIN, "ansible-doc")] + names, cwd=REPO,
                 env=ansible_env(ANSIBLE_CONFIG=os.path.join(REPO, "ansible.cfg")))
    assert warnings_in(result.stderr) == []
    pages = {page.split()[0]: page for page in result.stdout.split("> MODULE ")[1:]}
    assert sorted(pages) == names
    for name, page in pages.items():
        for option in FRAGMENT_OPTIONS:
            assert "\n- %s " % option in page, (name, option)


@pytest.mark.parametrize("plugin_type", ["filter", "inventory", "lookup", "callback"])
def test_every_other_plugin_is_documented_without_warnings(plugin_type):
    names = sorted("%s.%s" % (COLLECTION, os.path.basename(path)[:-3])
                   for path in glob.glob(os.path.join(REPO, "plugins", plugin_type, "*.py"))
                   if not os.path.basename(path).startswith("_"))
    result = run([os.path.join(BIN, "ansible-doc"), "--json", "-t", plugin_type] + names, cwd=REPO,
                 env=ansible_env(ANSIBLE_CONFIG=os.path.join(REPO, "ansible.cfg")))
    assert warnings_in(result.stderr) == []
    pages = json.loads(result.stdout)
    assert names and sorted(pages) == names
    for name, page in pages.items():
        assert page["doc"]["short_description"] and page["doc"]["description"], name


def test_the_tarball_holds_the_collection(tarball):
    with tarfile.open(tarball) as archive:
        names = set(archive.getnames())
        manifest = json.load(archive.extractfile("MANIFEST.json"))["collection_info"]
    with open(os.path.join(REPO, "galaxy.yml")) as handle:
        galaxy = yaml.safe_load(handle)
    assert (manifest["namespace"], manifest["name"], manifest["version"]) == (
        galaxy["namespace"], galaxy["name"], galaxy["version"])
    needed = {"README.md", "meta/runtime.yml", "plugins/doc_fragments/connection.py",
              "plugins/plugin_utils/in_process.py", "roles/permissions/tasks/main.yml"}
    needed |= {"plugins/modules/%s.py" % module for module in MODULES}
    needed |= {"plugins/action/%s.py" % module for module in MODULES}
    needed |= {os.path.relpath(path, REPO) for path in glob.glob(os.path.join(REPO, "plugins", "module_utils", "*.py"))}
    assert needed - names == set()


# Everything a user of the collection gets, at the top of the tarball; the repository's
# development files (Makefile, ansible.cfg, demo, benchmarks, tests, test requirements) stay out.
TARBALL_TOP_LEVEL = {"MANIFEST.json", "FILES.json", "README.md", "meta", "plugins", "roles", "playbooks", "docs",
                     "changelogs", "requirements.txt", "bindep.txt", "execution-environment.yml"}


def test_the_tarball_holds_what_a_user_needs_and_none_of_the_development_files(tarball):
    with tarfile.open(tarball) as archive:
        names = archive.getnames()
    assert {name.split("/")[0] for name in names} == TARBALL_TOP_LEVEL
    assert [name for name in names if name.endswith((".png", "ansible.cfg", "Makefile"))] == []


def test_the_tarball_leaves_out_virtualenvs_the_build_link_and_caches(tarball):
    with tarfile.open(tarball) as archive:
        names = archive.getnames()
    top_level = {name.split("/")[0] for name in names}
    assert top_level.isdisjoint({".venv", ".build", ".git", ".pytest_cache", ".ansible", "reports"})
    assert [n for n in names if "__pycache__" in n or n.endswith((".pyc", ".tar.gz")) or "/.venv" in n] == []
    # Nothing that git ignores (virtualenvs, benchmark results, demo fleets, test output...).
    shipped = "\n".join(n for n in names if n not in ("MANIFEST.json", "FILES.json")) + "\n"
    ignored = subprocess.run(["git", "check-ignore", "--stdin"], cwd=REPO, input=shipped, capture_output=True,
                             text=True, check=False)
    assert ignored.returncode in (0, 1), ignored.stderr  # 1: nothing matched
    assert ignored.stdout.split() == []


def test_the_installed_collection_documents_its_modules_from_its_own_files(installed):
    collections, env, home = installed
    names = ["%s.%s" % (COLLECTION, module) for module in MODULES]
    result = run([os.path.join(BIN, "ansible-doc"), "--json"] + names, cwd=home, env=env)
    assert warnings_in(result.stderr) == []
    docs = json.loads(result.stdout)
    assert sorted(docs) == names
    for name, doc in docs.items():
        assert doc["doc"]["filename"].startswith(collections + os.sep), name
        assert FRAGMENT_OPTIONS <= set(doc["doc"]["options"]), name


def test_the_installed_collection_runs_a_module_with_its_own_module_utils(installed, moto):
    collections, env, home = installed
    module_args = dict(endpoint_url=moto.url, region=aws.REGION, access_key=aws.HUB_CREDENTIALS["aws_access_key_id"],
                       secret_key=aws.HUB_CREDENTIALS["aws_secret_access_key"])
    # As a module: the action plugin loads, then the module is packaged with the
    # installed copy's module_utils and run by the venv's Python.
    result = run([os.path.join(BIN, "ansible"), "localhost", "-i", "localhost,", "-c", "local", "-vvv",
                  "-e", "ansible_python_interpreter=%s" % sys.executable,
                  "-m", "%s.aws_account_info" % COLLECTION, "-a", json.dumps(module_args)],
                 cwd=home, env=dict(env, FLEETIAM_MW_EXECUTION="module"))
    assert "Using module file %s" % os.path.join(
        collections, "ansible_collections", "fleetiam", "maintenance_windows", "plugins", "modules",
        "aws_account_info.py") in result.stdout
    assert "localhost | SUCCESS" in result.stdout
    assert '"account_id": "123456789012"' in result.stdout
    assert aws.HUB_CREDENTIALS["aws_secret_access_key"] not in result.stdout + result.stderr


def test_the_installed_collection_sets_up_and_tears_down_a_fleet_by_playbook_name(installed, moto, tmp_path):
    """The README's three commands, run from the installed copy alone (no repository, no
    ansible.cfg of ours): preview, apply, teardown of two accounts."""
    collections, env, home = installed
    accounts = aws.create_member_accounts(moto.url, 2, prefix="installed")
    for account in accounts:
        aws.create_principals(moto.url, account, groups=[fleet.OPERATORS_GROUP, fleet.CONTRACTORS_GROUP])
    inventory = fleet.write_inventory(
        str(tmp_path / "inventory.yml"), moto.url, group_vars=fleet.OPERATORS_AND_CONTRACTORS,
        hosts={"account-%d" % index: fleet.account_host(account) for index, account in enumerate(accounts)})
    env = dict(env, AWS_ACCESS_KEY_ID=aws.HUB_CREDENTIALS["aws_access_key_id"],
               AWS_SECRET_ACCESS_KEY=aws.HUB_CREDENTIALS["aws_secret_access_key"], AWS_DEFAULT_REGION=aws.REGION)
    statuses = {}
    for step, playbook, extra in (("preview", "setup", ["--check", "--diff"]), ("apply", "setup", []),
                                  ("teardown", "teardown", [])):
        report_dir = str(tmp_path / step)
        command = [os.path.join(BIN, "ansible-playbook"), "-i", inventory, "%s.%s" % (COLLECTION, playbook),
                   "-e", "mw_report_dir=%s" % report_dir] + extra
        result = run(command, cwd=home, env=env)
        statuses[step] = {host: row["status"] for host, row in
                          fleet.PlaybookRun(command, 0, result.stdout, report_dir).summary.items()}
    assert statuses == {"preview": {"account-0": "would change", "account-1": "would change"},
                        "apply": {"account-0": "changed", "account-1": "changed"},
                        "teardown": {"account-0": "changed", "account-1": "changed"}}
    for account in accounts:
        iam = aws.account_client(moto.url, account, "iam")
        assert "MaintenanceWindowServiceRole" not in [role["RoleName"] for role in iam.list_roles()["Roles"]]
        assert iam.list_group_policies(GroupName=fleet.OPERATORS_GROUP)["PolicyNames"] == []
        assert iam.list_group_policies(GroupName=fleet.CONTRACTORS_GROUP)["PolicyNames"] == []


def module_docs(module):
    """The DOCUMENTATION and RETURN of a module file, parsed as ansible-doc reads them."""
    import ast

    with open(os.path.join(REPO, "plugins", "modules", module + ".py")) as source:
        tree = ast.parse(source.read())
    strings = {node.targets[0].id: node.value.value for node in tree.body
               if isinstance(node, ast.Assign) and getattr(node.targets[0], "id", None) in ("DOCUMENTATION", "RETURN")}
    return yaml.safe_load(strings["DOCUMENTATION"]), yaml.safe_load(strings["RETURN"])


@pytest.mark.parametrize("module", MODULES)
def test_every_module_returns_the_common_values_as_the_fragment_documents_them(module):
    """ansible-core merges no RETURN from doc fragments: each module repeats the common entries,
    and they must be the fragment's word for word."""
    import importlib.util

    path = os.path.join(REPO, "plugins", "doc_fragments", "common.py")
    spec = importlib.util.spec_from_file_location("common_fragment", path)
    common = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(common)
    documentation, returned = module_docs(module)
    expected = yaml.safe_load(common.ModuleDocFragment.RETURN)
    fragments = documentation["extends_documentation_fragment"]
    if "%s.common" % COLLECTION in fragments:
        expected.update(yaml.safe_load(common.ModuleDocFragment.CHANGE))
    else:
        assert "%s.common.read_only" % COLLECTION in fragments
    assert {key: returned.get(key) for key in expected} == expected
    assert "attributes" not in documentation  # they come from the fragment
