"""Throttling, 5xx and dropped connections on every IAM and STS call of a fleet run.

Ten accounts (half of them with five older versions of the Task 1 policy, so that a new
version needs room first) are set up through playbooks/setup.yml while the proxy in front
of moto throttles 30% of the calls, answers 3% with a 503 and drops 1% of the connections
(seeded). Every account ends exactly right (read with boto3 from moto itself), the next
run changes nothing, and every injected fault cost exactly one retry: none was given up
on, none was retried twice.
"""

from __future__ import annotations

import collections
import json
import time

import pytest

from tests.integration.fleet.iam_documents import AccountIam
from tests.support.aws_proxy import AwsProxy, FaultPlan
from tests.support.fleet import OPERATORS_AND_CONTRACTORS, Fleet

from .fleet_checks import api_retries_env, assert_account_right, leave_five_versions, read_json, task1_policy

FLEET_SIZE = 10
FAULTS = dict(throttle=0.30, server_error=0.03, drop=0.01)
SEED = 20261123

# One run through the faulty proxy: what the proxy injected and saw, and the api_retries
# the run's module results report per host (the censored AssumeRole results excepted).
FaultyRun = collections.namedtuple("FaultyRun", "run injected assume_role_faults calls retries seconds")


@pytest.fixture(scope="module")
def accounts(moto, new_accounts):
    """{host: account id}; the odd ones hold five older versions of the Task 1 policy."""
    hosts = {"account-%02d" % index: account for index, account in enumerate(new_accounts(FLEET_SIZE))}
    for index, account in enumerate(hosts.values()):
        if index % 2:
            leave_five_versions(AccountIam(moto.url, account))
    return hosts


@pytest.fixture(scope="module")
def proxy(moto):
    with AwsProxy(moto.url, FaultPlan(seed=SEED, **FAULTS)) as faulty:
        yield faulty


@pytest.fixture(scope="module")
def fleet(proxy, accounts, tmp_path_factory):
    return Fleet(tmp_path_factory.mktemp("faults"), proxy.url, accounts, group_vars=OPERATORS_AND_CONTRACTORS)


def run_through_faults(fleet, proxy, step):
    proxy.reset_counts()
    retries_file = "%s/%s-api-retries.json" % (fleet.workdir, step)
    started = time.monotonic()
    run = fleet.run(step, "setup.yml", env=api_retries_env(retries_file))
    seconds = time.monotonic() - started
    assume_role_faults = sum(1 for record in proxy.records if record.action == "AssumeRole" and record.fault)
    return FaultyRun(run, dict(proxy.injected), assume_role_faults, proxy.total_calls(), read_json(retries_file),
                     seconds)


@pytest.fixture(scope="module")
def first(fleet, proxy):
    return run_through_faults(fleet, proxy, "apply")


@pytest.fixture(scope="module")
def second(fleet, proxy, first):
    return run_through_faults(fleet, proxy, "apply-again")


def test_every_account_converges_exactly(first, moto, accounts):
    assert first.run.returncode == 0, first.run
    assert {host: row["status"] for host, row in first.run.summary.items()} == dict.fromkeys(accounts, "changed")
    for account in accounts.values():
        assert_account_right(AccountIam(moto.url, account), task1_policy(account))


def test_the_next_run_changes_nothing(second, moto, accounts):
    assert second.run.returncode == 0, second.run
    assert {host: counts["changed"] for host, counts in second.run.recap.items()} == dict.fromkeys(accounts, 0)
    assert {host: row["status"] for host, row in second.run.summary.items()} == dict.fromkeys(accounts, "unchanged")
    for account in accounts.values():
        assert_account_right(AccountIam(moto.url, account), task1_policy(account))


def test_each_injected_fault_cost_exactly_one_retry(first, second, capsys):
    assert set(first.injected) == set(FAULTS), first.injected
    for faulty in (first, second):
        assert sum(faulty.retries.values()) + faulty.assume_role_faults == sum(faulty.injected.values())
    with capsys.disabled():
        for name, faulty in (("apply", first), ("apply again", second)):
            print("\n[fleet faults] %s: %d accounts, %d calls, injected %s, api_retries %d (+%d AssumeRole), %.0f s"
                  % (name, FLEET_SIZE, faulty.calls, json.dumps(faulty.injected, sort_keys=True),
                     sum(faulty.retries.values()), faulty.assume_role_faults, faulty.seconds))
