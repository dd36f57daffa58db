"""The role's documentation, defaults and variable check all follow meta/argument_specs.yml."""

from __future__ import annotations

import glob
import importlib.util
import os
import re

import yaml

from ansible_collections.fleetiam.maintenance_windows.plugins.lookup import role_argument_errors

_REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
_SPEC = importlib.util.spec_from_file_location("generate_role_docs", os.path.join(_REPO, "docs", "generate_role_docs.py"))
generate_role_docs = importlib.util.module_from_spec(_SPEC)
_SPEC.loader.exec_module(generate_role_docs)

ROLE = os.path.join(generate_role_docs.REPO, "roles", "permissions")


def _load(*parts):
    with open(os.path.join(ROLE, *parts)) as handle:
        return yaml.safe_load(handle)


def test_role_page_is_generated_from_the_argument_spec():
    with open(generate_role_docs.PAGE) as handle:
        assert handle.read() == generate_role_docs.render(), "run: python docs/generate_role_docs.py"


def test_every_default_is_declared_with_the_same_default():
    options = _load("meta", "argument_specs.yml")["argument_specs"]["main"]["options"]
    for name, value in _load("defaults", "main.yml").items():
        assert options[name]["default"] == value, name


def test_every_use_of_a_bool_option_converts_it():
    # Argument validation accepts "false" for a bool (-e mw_manage_deny=false) and leaves the
    # string, which is true in a template: each use must go through | bool.
    options = _load("meta", "argument_specs.yml")["argument_specs"]["main"]["options"]
    bools = sorted(name for name, option in options.items() if option.get("type") == "bool")
    raw_use = re.compile(r"\b(%s)\b(?!\s*\|\s*bool)(?!:)" % "|".join(bools))
    # A bare name in a YAML list of names is no use of its value: the filter it goes to reads
    # toggles as the bool filter does (plugin_utils/step_catalog.truthy).
    name_in_a_list = re.compile(r"^\s*- mw_\w+\s*$")
    paths = (glob.glob(os.path.join(ROLE, "tasks", "**", "*.yml"), recursive=True) + glob.glob(os.path.join(ROLE, "templates", "*"))
             + [os.path.join(ROLE, "vars", "main.yml")] + glob.glob(os.path.join(_REPO, "playbooks", "*.yml")))
    assert any(os.sep + "steps" + os.sep in path for path in paths)
    raw = []
    for path in paths:
        with open(path) as handle:
            for number, line in enumerate(handle, 1):
                if raw_use.search(line) and not name_in_a_list.match(line):
                    raw.append("%s:%d: %s" % (os.path.relpath(path, _REPO), number, line.strip()))
    assert raw == []


def _check(values, names=None):
    """The role's own variable check (tasks/check_variables.yml) on these variables."""
    options = _load("meta", "argument_specs.yml")["argument_specs"]["main"]["options"]
    return role_argument_errors.argument_errors(options, values, list(names or values), "mw_",
                                                set(_load("vars", "main.yml")["__mw_role_results"]),
                                                "roles/permissions/meta/argument_specs.yml")


def test_right_variables_and_the_roles_own_results_pass():
    values = {"mw_state": "present", "mw_deny_groups": ["contractors"], "mw_manage_deny": "false"}
    assert _check(values, list(values) + ["mw_summary", "mw_connection", "mw_account", "other_variable"]) == []


def test_a_wrong_type_and_a_wrong_choice_are_named_with_the_fix():
    [message] = _check({"mw_pass_role_groups": {"ops": True}, "mw_state": "gone"})
    assert message.startswith("wrong values: ")
    assert "argument 'mw_pass_role_groups' is of type dict and we were unable to convert to list" in message
    assert "mw_state" in message and "gone" in message
    assert message.endswith("Fix: give each variable named here the type that "
                            "roles/permissions/meta/argument_specs.yml declares.")


def test_an_undeclared_mw_variable_is_a_typo():
    assert _check({}, ["mw_pass_role_group", "mw_deny_groups"]) == [
        "unknown role variables mw_pass_role_group. "
        "Fix: check their spelling against roles/permissions/meta/argument_specs.yml."]


def test_every_list_of_names_refuses_a_string():
    # Validation itself takes "ops" for a list of strings (a list of dicts it refuses).
    options = _load("meta", "argument_specs.yml")["argument_specs"]["main"]["options"]
    lists = sorted(name for name, option in options.items() if option.get("type") == "list" and option["elements"] == "str")
    assert len(lists) > 5
    assert _check(dict.fromkeys(lists, "ops")) == [
        "not lists: %s. Fix: give a YAML list, for example [ops] instead of ops." % ", ".join(lists)]


def test_every_entry_point_declares_the_same_options():
    entry_points = _load("meta", "argument_specs.yml")["argument_specs"]
    assert set(entry_points) == {"main", "policy", "service_role", "pass_role", "deny", "migrate_tasks",
                                 "permission_set_policies"}
    assert all(spec["options"] == entry_points["main"]["options"] for spec in entry_points.values())


def _role_calls(tasks):
    for task in tasks or []:
        for key in ("block", "rescue", "always"):
            yield from _role_calls(task.get(key))
        for action in ("ansible.builtin.include_role", "ansible.builtin.import_role"):
            if action in task:
                yield task[action]


def test_the_fleet_playbooks_leave_the_variable_check_to_the_role():
    # Ansible's own validation task would carry the whole spec back from every account.
    calls = []
    for path in glob.glob(os.path.join(_REPO, "playbooks", "*.yml")):
        with open(path) as handle:
            for play in yaml.safe_load(handle):
                assert "roles" not in play, path  # a play's roles: cannot turn the validation off
                calls.extend((os.path.basename(path), call) for call in _role_calls(play.get("tasks")))
    assert {path for path, call in calls} == {"setup.yml", "teardown.yml", "audit.yml", "migrate_tasks.yml"}
    assert all(call["rolespec_validate"] is False for path, call in calls), calls


def test_the_plays_that_run_the_role_take_their_batches_from_mw_batch_size():
    # The spec declares it (so that the role's check knows it); its default lives in the plays.
    assert "mw_batch_size" in _load("meta", "argument_specs.yml")["argument_specs"]["main"]["options"]
    serials = {}
    for path in glob.glob(os.path.join(_REPO, "playbooks", "*.yml")):
        with open(path) as handle:
            for play in yaml.safe_load(handle):
                if list(_role_calls(play.get("tasks"))) and play["hosts"] == "mw_accounts":
                    serials[os.path.basename(path)] = play.get("serial")
    assert serials == dict.fromkeys(("setup.yml", "teardown.yml", "audit.yml", "migrate_tasks.yml"),
                                    "{{ mw_batch_size | default(20) }}")


def test_an_error_points_a_user_of_the_collection_at_the_roles_ansible_doc_page():
    installed = "/home/ops/.ansible/collections/ansible_collections/fleetiam/maintenance_windows/roles/permissions"
    assert role_argument_errors.documented_at(installed) == "ansible-doc -t role fleetiam.maintenance_windows.permissions"
    assert role_argument_errors.documented_at("/srv/roles/mine") == "/srv/roles/mine/meta/argument_specs.yml"
