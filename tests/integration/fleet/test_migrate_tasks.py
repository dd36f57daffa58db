"""Maintenance window tasks off the service-linked role on a fleet of three accounts, with a
window in two regions in each, holding tasks of every type: on the service-linked role, with
no role, already on the custom role, one with an SNS notification role.

``ready`` is set up and has a third region where every SSM call is denied (through the proxy);
``no-lambda`` is set up with a policy without Lambda (its LAMBDA tasks are refused);
``not-set-up`` has no service role (every task is refused: run setup first).
The story: audit, preview, apply, apply again, restore from the record.
"""

from __future__ import annotations

import json
import os

import pytest

from tests.support import window_tasks
from tests.support.aws_proxy import AwsProxy
from tests.support.fleet import OPERATORS_AND_CONTRACTORS, Fleet
from tests.support.window_tasks import CUSTOM_ROLE, SAMPLE_TASKS, create_window, full_tasks, role_arn, slr_arn

READY, NO_LAMBDA, NOT_SET_UP = "ready", "no-lambda", "not-set-up"
HOSTS = (READY, NO_LAMBDA, NOT_SET_UP)
REGIONS = ["us-east-1", "eu-west-1"]
DENIED_REGION = "ap-southeast-2"
HOST_VARS = {READY: {"mw_regions": REGIONS + [DENIED_REGION]},
             NO_LAMBDA: {"mw_policy_include_lambda": False}}
LEGACY = sorted(name for name, shape in SAMPLE_TASKS.items() if shape[1] != "custom")
LAMBDA_TASKS = sorted(name for name in LEGACY if SAMPLE_TASKS[name][0] == "LAMBDA")


@pytest.fixture(scope="module")
def fleet(moto, new_accounts, tmp_path_factory):
    """The fleet through a proxy that denies SSM in DENIED_REGION; setup run in two accounts."""
    accounts = dict(zip(HOSTS, new_accounts(len(HOSTS))))
    with AwsProxy(moto.url, denied_regions={DENIED_REGION}) as proxy:
        fleet = Fleet(tmp_path_factory.mktemp("migrate"), proxy.url, accounts,
                      group_vars=dict(OPERATORS_AND_CONTRACTORS, mw_regions=REGIONS), host_vars=HOST_VARS)
        setup = fleet.run("setup", "setup.yml", "--limit", "%s,%s" % (READY, NO_LAMBDA))
        assert setup.returncode == 0, setup
        for account in accounts.values():
            window_tasks.allow_passing_roles(moto.url, account)
            for region in REGIONS:
                create_window(moto.url, account, region)
        yield fleet


def _tasks(moto, fleet):
    """{(host, region, task name): the task as GetMaintenanceWindowTask answers}."""
    return {(host, region, task["Name"]): task for host, account in fleet.accounts.items() for region in REGIONS
            for task in full_tasks(moto.url, account, region).values()}


@pytest.fixture(scope="module")
def original(moto, fleet):
    return _tasks(moto, fleet)


def _record(run, name="migrate-tasks.json"):
    with open(os.path.join(run.run_dir, name)) as handle:
        return {row["host"]: row for row in json.load(handle)["accounts"]}


def _statuses(row):
    return {(t["region"], t["task_name"]): t["status"] for t in row["tasks"]}


@pytest.fixture(scope="module")
def audit(fleet, original):
    run = fleet.run("audit", "audit.yml")
    with open(os.path.join(run.report_dir, "latest", "audit.json")) as handle:
        rows = {row["host"]: row for row in json.load(handle)["accounts"]}
    with open(os.path.join(run.report_dir, "latest", "audit.html")) as handle:
        html = handle.read()
    return rows, html


def test_the_audit_finds_exactly_the_tasks_on_the_service_linked_role_or_none_in_both_regions(audit, fleet):
    rows, html = audit
    for host in HOSTS:
        assert sorted((t["region"], t["task_name"]) for t in rows[host]["legacy_role_tasks"]) == sorted(
            (region, name) for region in REGIONS for name in LEGACY), host
        assert rows[host]["maintenance_window_tasks"] == len(REGIONS) * len(SAMPLE_TASKS)
    sns = next(t for t in rows[READY]["legacy_role_tasks"] if t["task_name"] == "run-command-slr-sns")
    assert (sns["task_type"], sns["targets"]) == ("RUN_COMMAND", "InstanceIds=i-0123456789abcdef0")
    # The region where SSM is denied is reported, and the others were read.
    [denied] = rows[READY]["region_errors"]
    assert denied["region"] == DENIED_REGION and "AccessDeniedException" in denied["error"]
    assert 'id="legacy-summary"' in html and "3 accounts still have %d maintenance window tasks" % (
        3 * len(REGIONS) * len(LEGACY)) in html
    assert html.count('class="count legacy-found"') == 3


def test_the_preview_writes_nothing_and_lists_what_it_would_move(moto, fleet, original, audit):
    preview = fleet.run("preview", "migrate_tasks.yml", "--check", "--diff")
    assert _tasks(moto, fleet) == original
    record = _record(preview)
    every_legacy_task = {(region, name) for region in REGIONS for name in LEGACY}
    assert set(_statuses(record[READY]).items()) == {(key, "would move") for key in every_legacy_task}
    assert _statuses(record[NO_LAMBDA]) == {
        key: "refused" if key[1] in LAMBDA_TASKS else "would move" for key in every_legacy_task}
    assert set(_statuses(record[NOT_SET_UP]).values()) == {"refused"}
    assert "--- before: account %s" % fleet.accounts[READY] in preview.output


@pytest.fixture(scope="module")
def applied(fleet, original):
    return fleet.run("apply", "migrate_tasks.yml")


def test_the_apply_moves_them_and_changes_nothing_else(moto, fleet, original, applied):
    after = _tasks(moto, fleet)
    custom = {host: role_arn(account, CUSTOM_ROLE) for host, account in fleet.accounts.items()}
    moved = {(host, region, name) for host in (READY, NO_LAMBDA) for region in REGIONS for name in LEGACY
             if not (host == NO_LAMBDA and name in LAMBDA_TASKS)}
    expected = {key: dict(task, ServiceRoleArn=custom[key[0]]) if key in moved else task
                for key, task in original.items()}
    assert after == expected
    record = _record(applied)
    sns = next(t for t in record[READY]["tasks"] if t["task_name"] == "run-command-slr-sns")
    assert (sns["status"], sns["before"], sns["after"]) == ("moved", slr_arn(fleet.accounts[READY]), custom[READY])
    assert after[(READY, "us-east-1", "run-command-slr-sns")]["TaskInvocationParameters"]["RunCommand"][
        "ServiceRoleArn"] == role_arn(fleet.accounts[READY], window_tasks.SNS_ROLE)


def test_a_refused_task_says_why_and_the_others_go_on(fleet, applied):
    record = _record(applied)
    refused = [t for t in record[NO_LAMBDA]["tasks"] if t["status"] == "refused"]
    assert sorted((t["region"], t["task_name"]) for t in refused) == sorted(
        (region, name) for region in REGIONS for name in LAMBDA_TASKS)
    assert all("do not allow lambda:InvokeFunction" in t["error"] and "mw_policy_include_lambda" in t["error"]
               and t["task_id"] in t["error"] and fleet.accounts[NO_LAMBDA] in t["error"] for t in refused)
    assert all("the role does not exist in this account" in t["error"] and "run setup first" in t["error"]
               for t in record[NOT_SET_UP]["tasks"])
    # The region denied in one account is reported; its other regions were migrated.
    assert [e["region"] for e in record[READY]["region_errors"]] == [DENIED_REGION]
    assert {t["status"] for t in record[READY]["tasks"]} == {"moved"}
    assert applied.returncode != 0 and {h for h, c in applied.recap.items() if c["failed"]} == set(HOSTS)
    with open(os.path.join(applied.run_dir, "migrate-tasks.md")) as handle:
        report = handle.read()
    assert "REGION %s NOT READ" % DENIED_REGION in report


def test_a_second_apply_changes_nothing(moto, fleet, applied):
    moved = _tasks(moto, fleet)
    # Into the same mw_report_dir as the apply: a folder of its own, and the apply's record stays.
    again = fleet.run("apply", "migrate_tasks.yml")
    assert _tasks(moto, fleet) == moved
    assert all(counts["changed"] == 0 for counts in again.recap.values()), again
    assert _record(again)[READY]["tasks"] == []
    assert again.run_dir != applied.run_dir and os.path.dirname(again.run_dir) == os.path.dirname(applied.run_dir)
    assert {t["status"] for t in _record(applied)[READY]["tasks"]} == {"moved"}
    with open(os.path.join(again.run_dir, "migrate-tasks.json")) as handle:
        assert json.load(handle)["run"]["playbook"] == "migrate_tasks.yml"


def test_a_file_that_is_not_a_migration_record_is_refused_before_any_call(moto, fleet, audit):
    moved = _tasks(moto, fleet)
    refused = fleet.run("wrong-record", "migrate_tasks.yml", "-e",
                        "mw_migrate_restore_from=%s" % os.path.join(fleet.workdir, "reports", "audit", "latest", "audit.json"))
    assert refused.returncode != 0, refused
    assert "is not the record of a migration" in refused.output
    assert _tasks(moto, fleet) == moved


def test_the_record_puts_every_task_back(moto, fleet, original, applied):
    restore = fleet.run("restore", "migrate_tasks.yml", "-e",
                        "mw_migrate_restore_from=%s" % os.path.join(applied.run_dir, "migrate-tasks.json"))
    assert restore.returncode == 0, restore
    # A task that had no role gets the service-linked role's ARN: the role it ran with (an
    # update cannot empty the field without Replace, which would re-send every field).
    expected = {key: dict(task, ServiceRoleArn=slr_arn(fleet.accounts[key[0]]))
                if "ServiceRoleArn" not in task and key[0] in (READY, NO_LAMBDA)
                and not (key[0] == NO_LAMBDA and key[2] in LAMBDA_TASKS) else task
                for key, task in original.items()}
    assert _tasks(moto, fleet) == expected
    assert {t["status"] for t in _record(restore, "restore-tasks.json")[READY]["tasks"]} == {"restored"}
