"""Two inventory hosts that resolve to one account would each write its IAM with settings of
their own, and never agree: they are refused before any write, naming the hosts, whatever
their batches, while the other accounts converge. One run of playbooks/setup.yml in batches of
two: twin-a (batch 1) and twin-b (batch 2) name one account; hub-a and hub-b have no
mw_assume_role_arn, so both act in the hub's own account."""

from __future__ import annotations

import collections
import os

import pytest

from tests.integration.fleet.iam_documents import AccountIam
from tests.integration.reliability.setup_tasks import iam_snapshot
from tests.support import aws
from tests.support.fleet import OPERATORS_AND_CONTRACTORS, account_host, run_playbook, write_inventory

TWINS = ("twin-a", "twin-b")
HUB_HOSTS = ("hub-a", "hub-b")
FAILED_TASK = "Account | One host per account"
SharedRun = collections.namedtuple("SharedRun", "run twin_account before after")
HUB_ACCOUNT = "123456789012"  # moto's default account: where the hub's own credentials act


@pytest.fixture(scope="module")
def shared_run(moto, new_accounts, tmp_path_factory):
    twin_account, single_account = new_accounts(2)
    hosts = {"twin-a": account_host(twin_account), "single": account_host(single_account),
             "twin-b": account_host(twin_account),
             "hub-a": dict(mw_assume_role_arn=""), "hub-b": dict(mw_assume_role_arn="")}
    workdir = str(tmp_path_factory.mktemp("shared-accounts"))
    inventory = write_inventory(os.path.join(workdir, "inventory.yml"), moto.url, hosts=hosts,
                                group_vars=OPERATORS_AND_CONTRACTORS)
    accounts = {"twin": AccountIam(moto.url, twin_account).iam, "hub": aws.client(moto.url, "iam")}
    before = {name: iam_snapshot(iam) for name, iam in accounts.items()}
    run = run_playbook("setup.yml", inventory, os.path.join(workdir, "reports"), ("-e", "mw_batch_size=2"))
    after = {name: iam_snapshot(iam) for name, iam in accounts.items()}
    return SharedRun(run, twin_account, before, after)


def test_hosts_of_one_account_are_refused_before_any_write_naming_the_hosts(shared_run):
    run, twin_account = shared_run.run, shared_run.twin_account
    assert shared_run.after == shared_run.before
    for hosts in (TWINS, HUB_HOSTS):
        for host in hosts:
            reported = run.summary[host]
            assert (reported["status"], reported["changes"]) == ("failed", []), run
            assert reported["failed_task"] == FAILED_TASK
            assert "the inventory hosts %s resolve to this one account" % ", ".join(hosts) in reported["error"]
            assert "Fix: keep one host per account in the inventory" in reported["error"]
    assert run.summary["twin-a"]["error"].startswith("account %s: " % twin_account)
    assert run.summary["hub-a"]["error"].startswith("account %s: " % HUB_ACCOUNT)


def test_the_other_account_converges(shared_run):
    run = shared_run.run
    assert run.summary["single"]["status"] == "changed", run
    assert run.recap["single"]["failed"] == 0
