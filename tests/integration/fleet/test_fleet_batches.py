"""The fleet in batches (mw_batch_size, the play's serial): every batch runs, including those
after a batch whose only account fails, and the summary covers the accounts of all batches."""

from __future__ import annotations

import pytest

from tests.integration.fleet.iam_documents import AccountIam, assert_holds_the_guide
from tests.support.fleet import CONTRACTORS_GROUP, OPERATORS_AND_CONTRACTORS, OPERATORS_GROUP, Fleet

BROKEN_HOST = "a-sandbox"  # first in the inventory, a batch of its own; its Task 3 group was never created
HEALTHY_HOSTS = ("b-payments", "c-web")
PLAY = "PLAY [Maintenance window permissions in every account]"


@pytest.fixture(scope="module")
def fleet(moto, new_accounts, tmp_path_factory):
    broken = new_accounts(1, groups=[CONTRACTORS_GROUP])
    healthy = new_accounts(len(HEALTHY_HOSTS))
    return Fleet(tmp_path_factory.mktemp("batches"), moto.url,
                 dict(zip((BROKEN_HOST,) + HEALTHY_HOSTS, broken + healthy)),
                 group_vars=OPERATORS_AND_CONTRACTORS)


@pytest.fixture(scope="module")
def apply(fleet):
    return fleet.run("apply", "setup.yml", "-e", "mw_batch_size=1")


@pytest.fixture(scope="module")
def apply_again(fleet, apply):
    return fleet.run("apply-again", "setup.yml", "-e", "mw_batch_size=2")


def test_each_batch_is_a_play_of_its_own(apply):
    assert apply.output.count(PLAY) == 3, apply


def test_the_batches_after_a_failed_batch_still_run(apply, fleet):
    assert apply.returncode != 0, apply
    assert {host: apply.summary[host]["status"] for host in (BROKEN_HOST,) + HEALTHY_HOSTS} == {
        BROKEN_HOST: "failed", "b-payments": "changed", "c-web": "changed"}
    assert OPERATORS_GROUP in apply.summary[BROKEN_HOST]["error"]
    for host in HEALTHY_HOSTS:
        assert_holds_the_guide(AccountIam(fleet.endpoint_url, fleet.accounts[host]), OPERATORS_GROUP, CONTRACTORS_GROUP)


def test_in_other_batches_the_converged_accounts_stay_unchanged(apply_again):
    assert apply_again.output.count(PLAY) == 2, apply_again
    assert {host: apply_again.summary[host]["status"] for host in HEALTHY_HOSTS} == dict.fromkeys(HEALTHY_HOSTS, "unchanged")
    assert apply_again.summary[BROKEN_HOST]["status"] == "failed"


def test_a_batch_size_in_the_inventory_stops_the_run_saying_to_give_it_with_e(moto, new_accounts, tmp_path_factory):
    fleet = Fleet(tmp_path_factory.mktemp("batch-size-in-inventory"), moto.url,
                  dict(zip(("one", "two"), new_accounts(2))), group_vars=dict(OPERATORS_AND_CONTRACTORS, mw_batch_size=1))
    run = fleet.run("audit", "audit.yml")
    assert run.returncode != 0, run
    assert "give it as an extra variable, ansible-playbook ... -e mw_batch_size=1" in run.output, run
    assert "Audit | The permissions role in check mode" not in run.output, run
