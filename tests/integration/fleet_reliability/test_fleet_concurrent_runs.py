"""Two runs of playbooks/setup.yml on the same three accounts at the same time, one with
the default Task 1 policy and one without its Lambda statement (each with its own report
directory), end in a consistent state: each account holds one of the two policies, in one
default version of at most five, and the rest of the setup exactly once; the next run with
the policy each account ended with changes nothing.

The accounts start with five older versions of the policy, so that both runs must make
room for their new version at the same time (IAM's limit of five).
"""

from __future__ import annotations

import collections
import json
from concurrent.futures import ThreadPoolExecutor

import pytest

from tests.integration.fleet.iam_documents import AccountIam, same
from tests.support.aws_proxy import AwsProxy, FaultPlan
from tests.support.fleet import OPERATORS_AND_CONTRACTORS, Fleet

from .fleet_checks import assert_account_right, default_document, leave_five_versions, task1_policy

HOSTS = ("shared-1", "shared-2", "shared-3")
WITHOUT_LAMBDA = ("-e", "mw_policy_include_lambda=false")
# Each request waits this long in the proxy: the two runs' reads and writes interleave.
LATENCY = 0.01


@pytest.fixture(scope="module")
def accounts(moto, new_accounts):
    hosts = dict(zip(HOSTS, new_accounts(len(HOSTS))))
    for account in hosts.values():
        leave_five_versions(AccountIam(moto.url, account))
    return hosts


@pytest.fixture(scope="module")
def proxy(moto):
    with AwsProxy(moto.url, FaultPlan(latency=LATENCY)) as slow:
        yield slow


@pytest.fixture(scope="module")
def race(accounts, proxy, tmp_path_factory):
    """(default run, run without Lambda, IAM's conflict answers {action: count}) of the two runs at once."""
    fleet = Fleet(tmp_path_factory.mktemp("concurrent"), proxy.url, accounts, group_vars=OPERATORS_AND_CONTRACTORS)
    with ThreadPoolExecutor(2) as pool:
        default = pool.submit(fleet.run, "default", "setup.yml")
        without_lambda = pool.submit(fleet.run, "without-lambda", "setup.yml", *WITHOUT_LAMBDA)
        runs = default.result(), without_lambda.result()
    conflicts = collections.Counter(record.action for record in proxy.records if record.status == 409)
    return runs + (dict(conflicts),)


@pytest.fixture(scope="module")
def winners(moto, accounts, race):
    """{host: whether its policy ended with the Lambda statement}."""
    ended = {}
    for host, account in accounts.items():
        document = default_document(AccountIam(moto.url, account))
        ended[host] = same(document, task1_policy(account))
        assert ended[host] or same(document, task1_policy(account, include_lambda=False)), document
    return ended


def test_both_runs_succeed_without_hitting_the_version_limit(race, capsys):
    default, without_lambda, conflicts = race
    for run in (default, without_lambda):
        assert run.returncode == 0, run
        assert "LimitExceeded" not in run.output
        assert {host: row["status"] for host, row in run.summary.items()} == dict.fromkeys(HOSTS, "changed")
    with capsys.disabled():
        print("\n[concurrent runs] conflicts IAM answered (409) and the runs resolved: %s"
              % json.dumps(conflicts, sort_keys=True))


def test_each_account_holds_one_of_the_two_setups_exactly_once(moto, accounts, winners):
    for host, account in accounts.items():
        assert_account_right(AccountIam(moto.url, account), task1_policy(account, include_lambda=winners[host]))


def test_the_next_run_with_the_policy_each_account_ended_with_changes_nothing(proxy, accounts, winners,
                                                                              tmp_path_factory):
    fleet = Fleet(tmp_path_factory.mktemp("after-race"), proxy.url, accounts, group_vars=OPERATORS_AND_CONTRACTORS,
                  host_vars={host: dict(mw_policy_include_lambda=with_lambda) for host, with_lambda in winners.items()})
    run = fleet.run("again", "setup.yml")
    assert run.returncode == 0, run
    assert {host: counts["changed"] for host, counts in run.recap.items()} == dict.fromkeys(HOSTS, 0)
    assert {host: row["status"] for host, row in run.summary.items()} == dict.fromkeys(HOSTS, "unchanged")
