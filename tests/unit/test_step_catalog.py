"""The step catalog is the one declaration of a step: each role's task files, entry points, tags,
toggles and argument spec follow it."""

from __future__ import annotations

import os

import pytest
import yaml

from ansible_collections.fleetiam.maintenance_windows.plugins.plugin_utils.step_catalog import (
    ROLE_OF_SCOPE,
    STEPS,
    UnknownStepError,
    step_of_result,
    steps_with_work,
    steps,
)

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def _load(*parts):
    with open(os.path.join(REPO, *parts)) as handle:
        return yaml.safe_load(handle)


def _role(step):
    return os.path.join("roles", ROLE_OF_SCOPE[step["scope"]])


@pytest.mark.parametrize("step", STEPS, ids=lambda step: step["id"])
def test_a_step_is_a_task_file_with_the_catalog_toggle_and_tags(step):
    [block] = _load(_role(step), "tasks", "steps", "%s.yml" % step["id"])
    assert block["when"] == "%s | bool" % step["toggle"]
    assert block["tags"] == list(step["tags"])


@pytest.mark.parametrize("step", STEPS, ids=lambda step: step["id"])
def test_a_step_is_an_entry_point_of_its_role_with_the_same_options_as_main(step):
    specs = _load(_role(step), "meta", "argument_specs.yml")["argument_specs"]
    assert specs[step["id"]]["options"] == specs["main"]["options"]
    assert specs["main"]["options"][step["toggle"]]["type"] == "bool"
    [entry] = _load(_role(step), "tasks", "%s.yml" % step["id"])
    assert entry["vars"]["__mw_entry_step"] == step["id"]
    if step["scope"] == "account":
        assert entry["ansible.builtin.import_tasks"]["file"] == "main.yml"
    else:  # the permissions role runs the steps of every scope
        assert entry["ansible.builtin.include_role"]["name"] == "fleetiam.maintenance_windows.permissions"
        assert entry["vars"]["__mw_scope"] == step["scope"]


def test_the_organization_role_declares_its_variables_as_the_permissions_role_does():
    declared = _load("roles", "permissions", "meta", "argument_specs.yml")["argument_specs"]["main"]["options"]
    read = _load("roles", "organization", "meta", "argument_specs.yml")["argument_specs"]["main"]["options"]
    assert read and all(read[name] == declared[name] for name in read)


# Entry points that are not steps: the task migration changes the account's own maintenance
# window tasks, which no step owns (docs/architecture.md).
NOT_STEPS = {"permissions": {"migrate_tasks"}}


@pytest.mark.parametrize("scope", sorted({step["scope"] for step in STEPS}))
def test_the_role_of_a_scope_has_no_entry_point_but_main_and_its_steps(scope):
    role = os.path.join("roles", ROLE_OF_SCOPE[scope])
    entry_points = set(_load(role, "meta", "argument_specs.yml")["argument_specs"])
    assert entry_points == {"main"} | {step["id"] for step in steps(scope)} | NOT_STEPS.get(ROLE_OF_SCOPE[scope], set())


def test_the_step_loops_are_selected_by_every_tag_of_every_step():
    loops = [task for task in _load("roles", "permissions", "tasks", "main.yml")[0]["block"]
             if "tasks/steps/{{ __mw_step.id }}.yml" in repr(task)]
    assert len(loops) == 2  # the preflight and the steps
    for task in loops:
        assert set(task["tags"]) == {tag for step in STEPS for tag in step["tags"]}
        assert task["loop"] == "{{ __mw_steps }}"


def test_removal_runs_the_steps_in_reverse():
    assert [s["id"] for s in steps("account", "absent")] == [s["id"] for s in steps("account")][::-1]
    assert [s["id"] for s in steps("account", only="deny")] == ["deny"]


def test_every_result_label_belongs_to_one_step():
    labels = [label for step in STEPS for label in step["results"]]
    assert len(labels) == len(set(labels))
    assert step_of_result("Task 2 SNS PassRole")["id"] == "service_role"


def test_an_unknown_step_or_scope_names_what_exists():
    with pytest.raises(UnknownStepError, match="policy, service_role"):
        steps("account", only="polcy")
    with pytest.raises(UnknownStepError, match="scopes: account"):
        steps("acount")


def test_a_step_has_work_when_toggled_on_and_given_one_of_the_lists_it_works_on():
    settings = {entry["toggle"]: True for entry in STEPS}
    settings.update(mw_pass_role_groups=["operators"], mw_deny_users=[], mw_manage_deny="yes",
                    mw_manage_policy="false", mw_pass_role_permission_sets=[], mw_deny_permission_sets=[])
    assert steps_with_work(steps("account"), settings) == ["service_role", "pass_role"]
    settings.update(mw_deny_roles=["contractor"], mw_deny_permission_sets=["Contractors"])
    assert steps_with_work(steps("account", "absent"), settings) == [
        "permission_set_policies", "deny", "pass_role", "service_role"]
