"""The task migration's rules without AWS: who the caller is, what a task acts on, how its
targets read, and the record a run leaves (the undo of the next)."""

from __future__ import annotations

import pytest

from ansible_collections.fleetiam.maintenance_windows.plugins.filter.migration_record import migration_record
from ansible_collections.fleetiam.maintenance_windows.plugins.module_utils.window_task import (
    caller_principal,
    task_resource_arn,
)
from ansible_collections.fleetiam.maintenance_windows.plugins.module_utils.window_tasks import target_summary


@pytest.mark.parametrize("caller, principal", [
    ("arn:aws:sts::111122223333:assumed-role/MaintenanceWindowsAutomation/ansible", "role MaintenanceWindowsAutomation"),
    ("arn:aws:iam::111122223333:user/ops/alice", "user alice"),
    ("arn:aws:iam::111122223333:role/team/ci-runner", "role ci-runner"),
    ("arn:aws:iam::111122223333:root", None),
])
def test_the_caller_is_the_user_or_role_behind_its_arn(caller, principal):
    found = caller_principal(caller)
    assert (str(found) if found else None) == principal


@pytest.mark.parametrize("task, arn", [
    ({"TaskType": "RUN_COMMAND", "TaskArn": "AWS-RunPatchBaseline"}, "arn:aws:ssm:eu-west-1::document/AWS-RunPatchBaseline"),
    ({"TaskType": "AUTOMATION", "TaskArn": "AWS-RestartEC2Instance"},
     "arn:aws:ssm:eu-west-1:111122223333:automation-definition/AWS-RestartEC2Instance:$DEFAULT"),
    ({"TaskType": "LAMBDA", "TaskArn": "report"}, "arn:aws:lambda:eu-west-1:111122223333:function:report"),
    ({"TaskType": "LAMBDA", "TaskArn": "arn:aws:lambda:eu-west-1:111122223333:function:report"},
     "arn:aws:lambda:eu-west-1:111122223333:function:report"),
])
def test_a_task_acts_on_its_arn_or_the_arn_its_name_stands_for(task, arn):
    assert task_resource_arn(task, "aws", "eu-west-1", "111122223333") == arn


def test_targets_read_as_key_and_values():
    assert target_summary([{"Key": "WindowTargetIds", "Values": ["a", "b"]}, {"Key": "tag:Env", "Values": ["prod"]}]) \
        == "WindowTargetIds=a,b; tag:Env=prod"
    assert target_summary(None) == "no targets"


TASK = dict(region="eu-west-1", window_id="mw-1", window_name="patching", task_id="t-1", task_name="patch",
            task_type="LAMBDA", targets="no targets", service_role_arn="")
NEW_ROLE = "arn:aws:iam::111122223333:role/MaintenanceWindowServiceRole"


def test_the_record_says_per_task_what_was_done_and_the_role_before_and_after():
    moved = dict(item=TASK, changed=True, previous_service_role_arn="", service_role_arn=NEW_ROLE)
    refused = dict(item=dict(TASK, task_id="t-2"), failed=True, error_kind="refused", msg="not moved: why")
    failed = dict(item=dict(TASK, task_id="t-3"), failed=True, error_kind="aws_api", msg="AccessDenied")
    unchanged = dict(item=dict(TASK, task_id="t-4"), changed=False, previous_service_role_arn=NEW_ROLE,
                     service_role_arn=NEW_ROLE)
    rows = migration_record([moved, refused, failed, unchanged])
    assert [(r["task_id"], r["status"], r["before"], r["after"], r["error"]) for r in rows] == [
        ("t-1", "moved", "", NEW_ROLE, ""),
        ("t-2", "refused", "", "", "not moved: why"),
        ("t-3", "failed", "", "", "AccessDenied"),
        ("t-4", "unchanged", NEW_ROLE, NEW_ROLE, ""),
    ]
    assert migration_record([moved], check_mode=True)[0]["status"] == "would move"


def test_a_restore_records_the_role_it_put_back():
    restoring = dict(TASK, before="", after=NEW_ROLE, status="moved")
    put_back = dict(item=restoring, changed=True, previous_service_role_arn=NEW_ROLE, service_role_arn="slr")
    [row] = migration_record([put_back], restoring=True)
    assert (row["status"], row["before"], row["after"]) == ("restored", NEW_ROLE, "slr")
