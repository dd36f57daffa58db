"""One run over accounts that want different things: each keeps its own order of steps.

Ansible's linear strategy merges the includes of all hosts into one sequence, in the order
it first meets them. The role's steps are includes, so a fleet where one account removes
the setup (state absent, reverse order) while another sets it up, and a third leaves a
task out by its toggle, must still run each account's steps in that account's order.

One fleet of three accounts: "leaving" is set up first, then one setup run removes it
(mw_state: absent), sets up "joining" and sets up "without-deny" with its Deny toggled off.
"""

from __future__ import annotations

import re

import pytest

from tests.integration.fleet.iam_documents import (
    DENY_POLICY_NAME, PASS_ROLE_POLICY_NAME, POLICY_NAME, ROLE_NAME, TASK1_POLICY, AccountIam, policy_arn,
    reference, same)
from tests.support.fleet import CONTRACTORS_GROUP, OPERATORS_AND_CONTRACTORS, OPERATORS_GROUP, Fleet

HOSTS = ("leaving", "joining", "without-deny")
TASK_HEADER = re.compile(r"^TASK \[(?:[^\]]* : )?Task (?P<number>\d) \|")
RESULT_LINE = re.compile(r"^(?:ok|changed|failed|fatal): \[(?P<host>[^\]\s]+)\]")


def step_order(run, host):
    """The numbers of the setup tasks that ran (not skipped) on ``host``, in output order,
    each repeat collapsed: [1, 2, 3, 4] for one run of the setup."""
    numbers, task = [], None
    for line in run.output.splitlines():
        header = TASK_HEADER.match(line)
        if line.startswith("TASK ["):
            task = int(header.group("number")) if header else None
            continue
        result = RESULT_LINE.match(line)
        if task and result and result.group("host") == host and (not numbers or numbers[-1] != task):
            numbers.append(task)
    return numbers


@pytest.fixture(scope="module")
def accounts(new_accounts):
    return dict(zip(HOSTS, new_accounts(len(HOSTS))))


@pytest.fixture(scope="module")
def iam(moto, accounts):
    return {host: AccountIam(moto.url, account) for host, account in accounts.items()}


@pytest.fixture(scope="module")
def leaving_set_up(moto, accounts, tmp_path_factory):
    fleet = Fleet(tmp_path_factory.mktemp("mixed-before"), moto.url, accounts, group_vars=OPERATORS_AND_CONTRACTORS)
    return fleet.run("set-up-leaving", "setup.yml", "--limit", "leaving")


@pytest.fixture(scope="module")
def mixed_run(moto, accounts, leaving_set_up, tmp_path_factory):
    assert leaving_set_up.returncode == 0, leaving_set_up
    fleet = Fleet(tmp_path_factory.mktemp("mixed"), moto.url, accounts, group_vars=OPERATORS_AND_CONTRACTORS,
                  host_vars={"leaving": {"mw_state": "absent"}, "without-deny": {"mw_manage_deny": False}})
    return fleet.run("mixed", "setup.yml")


def test_the_mixed_run_succeeds_everywhere(mixed_run):
    assert mixed_run.returncode == 0, mixed_run
    assert mixed_run.changed_hosts() == sorted(HOSTS)


def test_each_account_runs_its_steps_in_its_own_order(mixed_run):
    # The preflight, then the setup: twice each account's order.
    assert step_order(mixed_run, "leaving") == [4, 3, 2, 1] * 2
    assert step_order(mixed_run, "joining") == [1, 2, 3, 4] * 2
    assert step_order(mixed_run, "without-deny") == [1, 2, 3] * 2


def test_the_removed_account_has_nothing_left(mixed_run, iam):
    account = iam["leaving"]
    assert POLICY_NAME not in account.customer_policy_names()
    assert ROLE_NAME not in account.role_names()
    assert account.inline_names("group", OPERATORS_GROUP) == []
    assert account.inline_names("group", CONTRACTORS_GROUP) == []


def test_the_new_accounts_are_set_up_as_each_asked(mixed_run, iam):
    for host in ("joining", "without-deny"):
        account = iam[host]
        assert same(account.policy_document(), reference(TASK1_POLICY, account.account))
        assert account.attached_to_role() == [policy_arn(account.account)]
        assert account.inline_names("group", OPERATORS_GROUP) == [PASS_ROLE_POLICY_NAME]
    assert iam["joining"].inline_names("group", CONTRACTORS_GROUP) == [DENY_POLICY_NAME]
    assert iam["without-deny"].inline_names("group", CONTRACTORS_GROUP) == []
    assert POLICY_NAME in iam["without-deny"].customer_policy_names()
