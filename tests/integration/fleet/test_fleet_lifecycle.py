"""One fleet of three accounts through its whole life with the fleet playbooks.

Preview on fresh accounts, apply, apply again, drift made out of band in one account and
repaired, teardown, teardown again. Each step is a module fixture that runs after the one
before it, so a test can be run alone and still see the fleet in the state it expects.
"""

from __future__ import annotations

import json

import pytest

from tests.integration.fleet.iam_documents import (
    DENY_POLICY_NAME, POLICY_NAME, ROLE_NAME, TASK1_POLICY, TRUST_POLICY, AccountIam, assert_holds_the_guide,
    policy_arn, reference)
from tests.support.fleet import CONTRACTORS_GROUP, OPERATORS_AND_CONTRACTORS, OPERATORS_GROUP, Fleet

HOSTS = ("payments-prod", "web-prod", "sandbox")
DRIFTED_HOST = "web-prod"
ALL_FOUR_STEPS = ["Task 1 policy", "Task 2 role", "Task 3 PassRole", "Task 4 Deny"]


@pytest.fixture(scope="module")
def fleet(moto, new_accounts, tmp_path_factory):
    accounts = new_accounts(len(HOSTS), users=("alice", "bob"))
    for account in accounts:
        iam = AccountIam(moto.url, account).iam
        iam.add_user_to_group(GroupName=OPERATORS_GROUP, UserName="alice")
        iam.add_user_to_group(GroupName=CONTRACTORS_GROUP, UserName="bob")
    return Fleet(tmp_path_factory.mktemp("lifecycle"), moto.url, dict(zip(HOSTS, accounts)),
                 group_vars=OPERATORS_AND_CONTRACTORS)


@pytest.fixture(scope="module")
def iam(fleet):
    """{host: AccountIam} of the fleet's accounts."""
    return {host: AccountIam(fleet.endpoint_url, account) for host, account in fleet.accounts.items()}


@pytest.fixture(scope="module")
def preview(fleet):
    return fleet.run("preview", "setup.yml", "--check", "--diff")


@pytest.fixture(scope="module")
def first_apply(fleet, preview):
    return fleet.run("apply", "setup.yml")


@pytest.fixture(scope="module")
def second_apply(fleet, first_apply):
    return fleet.run("apply-again", "setup.yml")


@pytest.fixture(scope="module")
def drift(fleet, iam, second_apply):
    """Out-of-band changes in one account, then its preview and the apply that repairs it."""
    account = iam[DRIFTED_HOST]
    arn = policy_arn(account.account)
    narrowed = reference(TASK1_POLICY, account.account)
    narrowed["Statement"] = narrowed["Statement"][:1]
    account.iam.create_policy_version(PolicyArn=arn, PolicyDocument=json.dumps(narrowed), SetAsDefault=True)
    widened_trust = reference(TRUST_POLICY, account.account)
    widened_trust["Statement"][0]["Principal"]["Service"] = ["ssm.amazonaws.com", "ec2.amazonaws.com"]
    account.iam.update_assume_role_policy(RoleName=ROLE_NAME, PolicyDocument=json.dumps(widened_trust))
    account.iam.delete_group_policy(GroupName=CONTRACTORS_GROUP, PolicyName=DENY_POLICY_NAME)
    return dict(preview=fleet.run("drift-preview", "setup.yml", "--check", "--diff"),
                apply=fleet.run("drift-apply", "setup.yml"))


@pytest.fixture(scope="module")
def teardown(fleet, drift):
    return fleet.run("teardown", "teardown.yml")


@pytest.fixture(scope="module")
def second_teardown(fleet, teardown):
    return fleet.run("teardown-again", "teardown.yml")


def _assert_nothing_of_the_setup(account):
    assert account.policy_document() is None
    assert account.role() is None
    assert POLICY_NAME not in account.customer_policy_names()
    assert ROLE_NAME not in account.role_names()
    assert account.inline_names("group", OPERATORS_GROUP) == []
    assert account.inline_names("group", CONTRACTORS_GROUP) == []


def _account_hosts(recap):
    return {host: counts for host, counts in recap.items() if host in HOSTS}


def test_preview_of_a_fresh_fleet_writes_nothing(preview, iam):
    assert preview.returncode == 0, preview
    for account in iam.values():
        _assert_nothing_of_the_setup(account)


def test_preview_reports_the_four_changes_of_every_account(preview, fleet):
    assert sorted(preview.summary) == sorted(HOSTS), preview
    for host, account in fleet.accounts.items():
        reported = preview.summary[host]
        assert (reported["status"], reported["mode"], reported["account_id"]) == ("would change", "preview", account)
        assert [change["step"] for change in reported["changes"]] == ALL_FOUR_STEPS
        assert {change["action"] for change in reported["changes"]} == {"would create"}
    assert {host: counts["changed"] for host, counts in _account_hosts(preview.recap).items()} == dict.fromkeys(HOSTS, 4)
    assert "3 accounts, 3 would change, 0 unchanged, 0 failed" in preview.summary_markdown


def test_preview_diff_shows_the_documents_of_each_account(preview, fleet):
    diffs = preview.diffs()
    for host, account in fleet.accounts.items():
        shown = diffs[host]
        for content in ("ssm:SendCommand", "states:StartExecution", "iam:PassedToService",  # Task 1
                        "ssm.amazonaws.com", "sts:AssumeRole",  # Task 2
                        "arn:aws:iam::%s:role/%s" % (account, ROLE_NAME), "iam:ListRoles",  # Task 3
                        "ssm:RegisterTaskWithMaintenanceWindow"):  # Task 4
            assert content in shown, "%s: %r not in its diff:\n%s" % (host, content, shown)


def test_apply_creates_the_documents_of_the_guide(first_apply, iam):
    assert first_apply.returncode == 0, first_apply
    assert {host: reported["status"] for host, reported in first_apply.summary.items()} == dict.fromkeys(HOSTS, "changed")
    for account in iam.values():
        assert_holds_the_guide(account, OPERATORS_GROUP, CONTRACTORS_GROUP)


def test_second_apply_changes_nothing(second_apply):
    assert second_apply.returncode == 0, second_apply
    assert {host: counts["changed"] for host, counts in _account_hosts(second_apply.recap).items()} == dict.fromkeys(HOSTS, 0)
    assert {host: reported["status"] for host, reported in second_apply.summary.items()} == dict.fromkeys(HOSTS, "unchanged")
    assert "3 accounts, 0 changed, 3 unchanged, 0 failed" in second_apply.summary_markdown


def test_preview_shows_drift_in_the_drifted_account_only(drift, fleet):
    preview = drift["preview"]
    assert preview.returncode == 0, preview
    assert preview.changed_hosts() == [DRIFTED_HOST]
    statuses = {host: reported["status"] for host, reported in preview.summary.items()}
    assert statuses == dict(dict.fromkeys(HOSTS, "unchanged"), **{DRIFTED_HOST: "would change"})
    assert {(c["step"], c["action"]) for c in preview.summary[DRIFTED_HOST]["changes"]} == {
        ("Task 1 policy", "would update"), ("Task 2 role", "would update"), ("Task 4 Deny", "would create")}
    shown = preview.diffs()[DRIFTED_HOST]
    assert fleet.accounts[DRIFTED_HOST] in shown
    assert "ec2.amazonaws.com" in shown  # the trusted service that was added out of band
    assert "ssm:RegisterTaskWithMaintenanceWindow" in shown  # the Deny that was deleted


def test_apply_repairs_the_drift(drift, iam):
    repair = drift["apply"]
    assert repair.returncode == 0, repair
    assert repair.changed_hosts() == [DRIFTED_HOST]
    assert_holds_the_guide(iam[DRIFTED_HOST], OPERATORS_GROUP, CONTRACTORS_GROUP)


def test_teardown_removes_the_setup_and_keeps_the_principals(teardown, iam):
    assert teardown.returncode == 0, teardown
    assert {host: reported["status"] for host, reported in teardown.summary.items()} == dict.fromkeys(HOSTS, "changed")
    for account in iam.values():
        _assert_nothing_of_the_setup(account)
        assert {g["GroupName"] for g in account.iam.list_groups()["Groups"]} == {OPERATORS_GROUP, CONTRACTORS_GROUP}
        assert {u["UserName"] for u in account.iam.list_users()["Users"]} == {"alice", "bob"}
        assert [u["UserName"] for u in account.iam.get_group(GroupName=OPERATORS_GROUP)["Users"]] == ["alice"]


def test_second_teardown_changes_nothing(second_teardown):
    assert second_teardown.returncode == 0, second_teardown
    assert {host: counts["changed"] for host, counts in _account_hosts(second_teardown.recap).items()} == dict.fromkeys(HOSTS, 0)
    assert {host: reported["status"] for host, reported in second_teardown.summary.items()} == dict.fromkeys(HOSTS, "unchanged")
