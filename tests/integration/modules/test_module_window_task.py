"""maintenance_window_tasks_info and maintenance_window_task against the local AWS: windows
in two regions with tasks of every type, on the service-linked role, with no role, on the
custom role; a move changes the task's ServiceRoleArn and nothing else."""

from __future__ import annotations

import json

import pytest

from ansible_collections.fleetiam.maintenance_windows.plugins.module_utils.errors import (
    InvalidInputError,
    MaintenanceWindowError,
)
from ansible_collections.fleetiam.maintenance_windows.plugins.module_utils.window_task import (
    MaintenanceWindowTaskRole,
    TaskRefusedError,
)
from ansible_collections.fleetiam.maintenance_windows.plugins.module_utils.window_tasks import (
    MaintenanceWindowTasksInfo,
)

from tests.support import aws
from tests.support.window_tasks import (
    CUSTOM_ROLE,
    SAMPLE_TASKS,
    allow_passing_roles,
    create_window,
    full_tasks,
    role_arn,
    slr_arn,
)

REGIONS = ["us-east-1", "eu-west-1"]
TRUST_SSM = json.dumps({"Version": "2012-10-17", "Statement": [
    {"Effect": "Allow", "Principal": {"Service": "ssm.amazonaws.com"}, "Action": "sts:AssumeRole"}]})
# The Task 1 policy without Lambda (mw_policy_include_lambda: false).
WITHOUT_LAMBDA = json.dumps({"Version": "2012-10-17", "Statement": [
    {"Effect": "Allow", "Action": ["ssm:SendCommand", "ssm:StartAutomationExecution"], "Resource": "*"},
    {"Effect": "Allow", "Action": ["states:StartExecution"], "Resource": "arn:aws:states:*:*:stateMachine:*"}]})
WITH_LAMBDA = json.dumps({"Version": "2012-10-17", "Statement": [
    {"Effect": "Allow", "Action": "lambda:InvokeFunction", "Resource": "arn:aws:lambda:*:*:function:*"}]})


@pytest.fixture(scope="module")
def windows(moto, account):
    """{region: (window id, {task name: task id})}; the custom role has the policy without Lambda."""
    iam = aws.account_client(moto.url, account, "iam")
    iam.create_role(RoleName=CUSTOM_ROLE, AssumeRolePolicyDocument=TRUST_SSM)
    policy = iam.create_policy(PolicyName="MaintenanceWindowsServiceRolePolicy", PolicyDocument=WITHOUT_LAMBDA)
    iam.attach_role_policy(RoleName=CUSTOM_ROLE, PolicyArn=policy["Policy"]["Arn"])
    iam.create_role(RoleName="NotPassable", AssumeRolePolicyDocument=TRUST_SSM)
    iam.put_role_policy(RoleName="NotPassable", PolicyName="everything", PolicyDocument=json.dumps(
        {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}]}))
    allow_passing_roles(moto.url, account)
    iam.put_role_policy(RoleName=aws.ADMIN_ROLE, PolicyName="not-that-one", PolicyDocument=json.dumps(
        {"Version": "2012-10-17", "Statement": [{"Effect": "Deny", "Action": "iam:PassRole",
                                                 "Resource": role_arn(account, "NotPassable")}]}))
    return {region: create_window(moto.url, account, region) for region in REGIONS}


def _move(run, region, window, task, role, check_mode=False):
    return run(MaintenanceWindowTaskRole, check_mode=check_mode, region=region, window_id=window, task_id=task,
               service_role_arn=role)


def test_the_listing_finds_the_tasks_on_the_service_linked_role_or_none_in_each_region(run, windows):
    listed = run(MaintenanceWindowTasksInfo, regions=REGIONS)

    legacy = {name for name, shape in SAMPLE_TASKS.items() if shape[1] != "custom"}
    assert {(t["region"], t["task_name"]) for t in listed["legacy_role_tasks"]} == {
        (region, name) for region in REGIONS for name in legacy}
    assert (listed["maintenance_windows"], listed["maintenance_window_tasks"]) == (2, 2 * len(SAMPLE_TASKS))
    assert listed["region_errors"] == []
    lambda_slr = next(t for t in listed["legacy_role_tasks"] if t["task_name"] == "lambda-slr")
    assert (lambda_slr["task_type"], lambda_slr["targets"]) == ("LAMBDA", "InstanceIds=i-0123456789abcdef0")
    assert lambda_slr["reason"] == "runs with the service-linked role AWSServiceRoleForAmazonSSM"


def test_the_listing_selects_windows_and_types_and_defaults_to_the_enabled_regions(run, windows):
    listed = run(MaintenanceWindowTasksInfo, windows=["patching"], task_types=["AUTOMATION"])

    assert "eu-west-1" in listed["regions"] and "us-east-1" in listed["regions"]
    assert not [r for r in listed["regions"] if r.startswith(("cn-", "us-gov-"))]
    assert {(t["region"], t["task_name"]) for t in listed["legacy_role_tasks"]} == {
        (region, "automation-slr") for region in REGIONS}
    assert run(MaintenanceWindowTasksInfo, regions=REGIONS, windows=["no-such-window"])["legacy_role_tasks"] == []


def test_a_move_in_check_mode_writes_nothing_then_changes_only_the_service_role(moto, account, run, windows):
    region, (window, ids) = "eu-west-1", windows["eu-west-1"]
    custom = role_arn(account, CUSTOM_ROLE)
    before = full_tasks(moto.url, account, region)

    preview = _move(run, region, window, ids["run-command-slr-sns"], custom, check_mode=True)
    assert (preview["changed"], preview["change"]) == (True, "update")
    assert preview["diff"]["before"] == dict(window_id=window, task_id=ids["run-command-slr-sns"],
                                             name="run-command-slr-sns", type="RUN_COMMAND",
                                             service_role_arn=slr_arn(account))
    assert preview["diff"]["after"]["service_role_arn"] == custom
    assert full_tasks(moto.url, account, region) == before

    moved = _move(run, region, window, ids["run-command-slr-sns"], custom)
    assert (moved["changed"], moved["previous_service_role_arn"]) == (True, slr_arn(account))
    after = full_tasks(moto.url, account, region)
    expected = dict(before)
    expected[ids["run-command-slr-sns"]] = dict(before[ids["run-command-slr-sns"]], ServiceRoleArn=custom)
    assert after == expected
    # The SNS notification role is the Run Command parameters' own, and stays.
    assert after[ids["run-command-slr-sns"]]["TaskInvocationParameters"]["RunCommand"]["ServiceRoleArn"] == \
        role_arn(account, "MaintenanceWindowNotifications")

    again = _move(run, region, window, ids["run-command-slr-sns"], custom)
    assert (again["changed"], again["change"], again["api_calls"]) == (False, "none", 2)  # assume role, get task


def test_a_task_without_a_role_gets_one(moto, account, run, windows):
    region, (window, ids) = "eu-west-1", windows["eu-west-1"]
    moved = _move(run, region, window, ids["step-functions-none"], role_arn(account, CUSTOM_ROLE))
    assert (moved["changed"], moved["previous_service_role_arn"], moved["task_type"]) == (True, "", "STEP_FUNCTIONS")
    assert full_tasks(moto.url, account, region)[ids["step-functions-none"]]["ServiceRoleArn"] == \
        role_arn(account, CUSTOM_ROLE)


@pytest.mark.parametrize("task, role, reason, fix", [
    pytest.param("automation-slr", "NoSuchRole", "the role does not exist in this account", "run setup first",
                 id="the role does not exist yet"),
    pytest.param("lambda-slr", CUSTOM_ROLE, "do not allow lambda:InvokeFunction", "set mw_policy_include_lambda: true",
                 id="its policy leaves out what the task type needs"),
    pytest.param("automation-slr", "NotPassable", "may not pass the role", "grant it iam:PassRole",
                 id="the caller may not pass it"),
])
def test_a_move_the_role_is_not_ready_for_is_refused_before_any_write(moto, account, run, windows, task, role,
                                                                      reason, fix):
    region, (window, ids) = "us-east-1", windows["us-east-1"]
    before = full_tasks(moto.url, account, region)
    for check_mode in (True, False):
        with pytest.raises(TaskRefusedError) as refused:
            _move(run, region, window, ids[task], role_arn(account, role), check_mode=check_mode)
        message = refused.value.message()
        assert reason in message and fix in message
        assert "account %s" % account in message and window in message and ids[task] in message
        assert "region us-east-1" in message
    assert full_tasks(moto.url, account, region) == before


def test_a_task_goes_back_to_the_service_linked_role_unchecked(moto, account, run, windows):
    region, (window, ids) = "us-east-1", windows["us-east-1"]
    _move(run, region, window, ids["lambda-custom"], slr_arn(account))
    assert full_tasks(moto.url, account, region)[ids["lambda-custom"]]["ServiceRoleArn"] == slr_arn(account)
    assert _move(run, region, window, ids["lambda-custom"], slr_arn(account))["changed"] is False


def test_an_unknown_task_names_the_window_the_task_and_the_fix(account, run, windows):
    window = windows["us-east-1"][0]
    with pytest.raises(InvalidInputError) as unknown:
        _move(run, "us-east-1", window, "00000000-0000-0000-0000-000000000000", role_arn(account, CUSTOM_ROLE))
    assert "the task does not exist" in unknown.value.message()
    assert "check the window id, the task id and the region" in unknown.value.message()
    with pytest.raises(MaintenanceWindowError):
        _move(run, "eu-west-1", window, "x", "arn:aws:iam::1:role/short")
