"""What an operator reads on the console with the collection's stdout callback
(fleetiam.maintenance_windows.fleet): a line per account and resource that changes or fails,
the diffs under --diff, an error once where it happens and once in the summary, the progress
of each batch, the recap counting real changes; -v prints Ansible's default output."""

from __future__ import annotations

import re

import pytest

from tests.support.fleet import CONTRACTORS_GROUP, OPERATORS_AND_CONTRACTORS, OPERATORS_GROUP, Fleet

BROKEN_HOST = "a-broken"  # first in the inventory: its Task 3 group was never created
HOST = "b-good"
CALLBACK = {"ANSIBLE_STDOUT_CALLBACK": "fleetiam.maintenance_windows.fleet"}
MISSING_GROUP_ERROR = "group maintenance-operators: the group does not exist"


@pytest.fixture(scope="module")
def fleet(moto, new_accounts, tmp_path_factory):
    broken = new_accounts(1, groups=[CONTRACTORS_GROUP])
    good = new_accounts(1)
    return Fleet(tmp_path_factory.mktemp("console"), moto.url, {BROKEN_HOST: broken[0], HOST: good[0]},
                 group_vars=OPERATORS_AND_CONTRACTORS)


@pytest.fixture(scope="module")
def preview(fleet):
    return fleet.run("preview", "setup.yml", "--check", "--diff", env=CALLBACK)


@pytest.fixture(scope="module")
def apply(fleet, preview):
    return fleet.run("apply", "setup.yml", "-e", "mw_batch_size=1", env=CALLBACK)


@pytest.fixture(scope="module")
def verbose(fleet, apply):
    return fleet.run("verbose", "setup.yml", "--check", "-v", env=CALLBACK)


def lines_of(run, host, status="changed"):
    return [line for line in run.output.splitlines() if line.startswith("%-8s %s  " % (status, host))]


def test_a_preview_prints_a_line_per_change_and_the_diffs_not_every_task(preview, fleet):
    assert "TASK [" not in preview.output, preview
    assert [line.split("  ", 2)[2] for line in lines_of(preview, HOST)] == [
        "Task 1 | Policy /MaintenanceWindowServiceRolePolicy: would create",
        "Task 2 | Role /MaintenanceWindowServiceRole: would create",
        "Task 3 | Inline policy MaintenanceWindowPassRole (group %s): would create" % OPERATORS_GROUP,
        "Task 4 | Inline policy DenyMaintenanceWindowTaskRegistration (group %s): would create" % CONTRACTORS_GROUP]
    assert "+++ after: account %s: role MaintenanceWindowServiceRole" % fleet.accounts[HOST] in preview.output
    assert "# Maintenance window permissions: setup preview" in preview.output


def test_an_apply_prints_each_real_change_once_and_the_recap_counts_them(apply):
    assert [line.rpartition(": ")[2] for line in lines_of(apply, HOST)] == ["created"] * 4, apply
    assert apply.recap[HOST]["changed"] == 4, apply
    assert "would create" not in apply.output, apply  # the preflight is not shown


def test_an_error_is_printed_where_it_happens_and_in_the_summary(apply):
    assert apply.returncode != 0
    assert apply.output.count(MISSING_GROUP_ERROR) == 2, apply
    [where] = [line for line in lines_of(apply, BROKEN_HOST, "FAILED") if MISSING_GROUP_ERROR in line]
    assert "Task 3 | Inline policy MaintenanceWindowPassRole" in where
    assert "- FAILED in Task 3 | Inline policy MaintenanceWindowPassRole: " in apply.summary_markdown


def test_each_later_batch_prints_the_progress_so_far(apply):
    [progress] = [line for line in apply.output.splitlines() if line.startswith("progress: ")]
    assert re.fullmatch(r"progress: 1 of 2 accounts done, 1 failed so far, [0-9]+s elapsed, about [0-9]+s left",
                        progress), progress


def test_verbose_restores_the_default_output(verbose):
    assert verbose.returncode != 0
    assert "TASK [fleetiam.maintenance_windows.permissions : Task 1 | Policy /MaintenanceWindowServiceRolePolicy]" in (
        verbose.output), verbose
