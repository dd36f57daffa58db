"""One account of the fleet cannot be set up: it fails, says why, and the others converge."""

from __future__ import annotations

import pytest

from tests.integration.fleet.iam_documents import AccountIam, assert_holds_the_guide
from tests.support.fleet import CONTRACTORS_GROUP, OPERATORS_AND_CONTRACTORS, OPERATORS_GROUP, Fleet

HEALTHY_HOSTS = ("payments-prod", "web-prod")
BROKEN_HOST = "sandbox"  # its Task 3 group was never created


@pytest.fixture(scope="module")
def fleet(moto, new_accounts, tmp_path_factory):
    healthy = new_accounts(len(HEALTHY_HOSTS))
    broken = new_accounts(1, groups=[CONTRACTORS_GROUP])
    return Fleet(tmp_path_factory.mktemp("failures"), moto.url,
                 dict(zip(HEALTHY_HOSTS + (BROKEN_HOST,), healthy + broken)),
                 group_vars=OPERATORS_AND_CONTRACTORS)


@pytest.fixture(scope="module")
def apply(fleet):
    return fleet.run("apply", "setup.yml")


def test_the_run_fails_because_of_the_broken_account_only(apply):
    assert apply.returncode != 0, apply
    assert {host: apply.recap[host]["failed"] for host in HEALTHY_HOSTS + (BROKEN_HOST,)} == {
        "payments-prod": 0, "web-prod": 0, BROKEN_HOST: 1}


def test_the_failure_names_the_account_and_the_missing_group(apply, fleet):
    message = apply.failures()[BROKEN_HOST]
    assert fleet.accounts[BROKEN_HOST] in message
    assert OPERATORS_GROUP in message


def test_the_summary_says_which_account_failed_and_why(apply, fleet):
    broken = apply.summary[BROKEN_HOST]
    assert broken["status"] == "failed"
    assert fleet.accounts[BROKEN_HOST] in broken["error"] and OPERATORS_GROUP in broken["error"]
    assert {host: apply.summary[host]["status"] for host in HEALTHY_HOSTS} == dict.fromkeys(HEALTHY_HOSTS, "changed")
    assert "3 accounts, 2 changed, 0 unchanged, 1 failed" in apply.summary_markdown
    assert "FAILED" in apply.summary_markdown and OPERATORS_GROUP in apply.summary_markdown


def test_the_other_accounts_converge(apply, fleet):
    for host in HEALTHY_HOSTS:
        assert_holds_the_guide(AccountIam(fleet.endpoint_url, fleet.accounts[host]), OPERATORS_GROUP, CONTRACTORS_GROUP)
