"""Each setup task has its own tag and toggle: a run can select one task, or leave one out.

One fleet of two accounts, in order: only Task 4 by its tag; the setup without Task 3 by
its toggle; a teardown that keeps Task 4 by its toggle.
"""

from __future__ import annotations

import pytest

from tests.integration.fleet.iam_documents import (
    DENY_POLICY_NAME, PASS_ROLE_POLICY_NAME, POLICY_NAME, ROLE_NAME, TASK1_POLICY, TASK4_DENY_POLICY, AccountIam,
    policy_arn, reference, same)
from tests.support.fleet import CONTRACTORS_GROUP, OPERATORS_AND_CONTRACTORS, OPERATORS_GROUP, Fleet

HOSTS = ("tagged-one", "tagged-two")


@pytest.fixture(scope="module")
def fleet(moto, new_accounts, tmp_path_factory):
    return Fleet(tmp_path_factory.mktemp("tags"), moto.url, dict(zip(HOSTS, new_accounts(len(HOSTS)))),
                 group_vars=OPERATORS_AND_CONTRACTORS)


@pytest.fixture(scope="module")
def iam(fleet):
    return [AccountIam(fleet.endpoint_url, account) for account in fleet.accounts.values()]


@pytest.fixture(scope="module")
def deny_only(fleet):
    return fleet.run("deny-only", "setup.yml", "--tags", "mw_task4")


@pytest.fixture(scope="module")
def without_pass_role(fleet, deny_only):
    return fleet.run("without-pass-role", "setup.yml", "-e", "mw_manage_pass_role=false")


@pytest.fixture(scope="module")
def teardown_keeping_deny(fleet, without_pass_role):
    return fleet.run("teardown-keeping-deny", "teardown.yml", "-e", "mw_manage_deny=false")


def _steps(run):
    assert run.summary is not None, "no fleet summary: %r" % run
    return {host: [change["step"] for change in reported["changes"]] for host, reported in run.summary.items()}


def test_a_tag_runs_its_task_alone(deny_only, iam):
    assert deny_only.returncode == 0, deny_only
    assert _steps(deny_only) == dict.fromkeys(HOSTS, ["Task 4 Deny"])
    for account in iam:
        assert same(account.inline("group", CONTRACTORS_GROUP, DENY_POLICY_NAME),
                    reference(TASK4_DENY_POLICY, account.account))
        assert POLICY_NAME not in account.customer_policy_names()
        assert ROLE_NAME not in account.role_names()
        assert account.inline_names("group", OPERATORS_GROUP) == []


def test_a_toggle_leaves_its_task_out(without_pass_role, iam):
    assert without_pass_role.returncode == 0, without_pass_role
    # Task 4 is in place from the tagged run: the setup has Tasks 1 and 2 to do.
    assert _steps(without_pass_role) == dict.fromkeys(HOSTS, ["Task 1 policy", "Task 2 role"])
    for account in iam:
        assert same(account.policy_document(), reference(TASK1_POLICY, account.account))
        assert account.attached_to_role() == [policy_arn(account.account)]
        assert account.inline_names("group", OPERATORS_GROUP) == []
        assert account.inline_names("group", CONTRACTORS_GROUP) == [DENY_POLICY_NAME]


def test_a_toggle_keeps_its_task_in_a_teardown(teardown_keeping_deny, iam):
    assert teardown_keeping_deny.returncode == 0, teardown_keeping_deny
    for account in iam:
        assert account.policy_document() is None
        assert ROLE_NAME not in account.role_names()
        assert account.inline_names("group", CONTRACTORS_GROUP) == [DENY_POLICY_NAME]
        assert PASS_ROLE_POLICY_NAME not in account.inline_names("group", OPERATORS_GROUP)
