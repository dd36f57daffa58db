"""Settings of one run: a principal named twice (IAM's names ignore case) counts once, so the
preview predicts the apply change for change; a negative mw_batch_size is refused in every
account before any write."""

from __future__ import annotations

import pytest

from tests.integration.fleet.iam_documents import AccountIam
from tests.integration.reliability.setup_tasks import iam_snapshot
from tests.support.fleet import CONTRACTORS_GROUP, OPERATORS_GROUP, Fleet

NAMED_TWICE = {"mw_pass_role_groups": [OPERATORS_GROUP, OPERATORS_GROUP.upper(), OPERATORS_GROUP],
               "mw_deny_groups": [CONTRACTORS_GROUP, CONTRACTORS_GROUP]}


@pytest.fixture(scope="module")
def fleet(moto, new_accounts, tmp_path_factory):
    return Fleet(tmp_path_factory.mktemp("settings"), moto.url, {"twice": new_accounts(1)[0]}, group_vars=NAMED_TWICE)


def test_a_negative_batch_size_is_refused_before_any_write(fleet, moto):
    iam = AccountIam(moto.url, fleet.accounts["twice"]).iam
    before = iam_snapshot(iam)
    run = fleet.run("negative-batch", "setup.yml", "-e", "mw_batch_size=-1")
    assert iam_snapshot(iam) == before
    reported = run.summary["twice"]
    assert (reported["status"], reported["changes"]) == ("failed", []), run
    assert "mw_batch_size is -1. Fix: give the number of accounts per batch" in reported["error"]


def test_a_principal_named_twice_counts_once_in_the_preview_and_the_apply(fleet):
    preview = fleet.run("preview", "setup.yml", "--check")
    apply = fleet.run("apply", "setup.yml")
    assert apply.returncode == 0, apply
    predicted = [(change["step"], change["resource"]) for change in preview.summary["twice"]["changes"]]
    made = [(change["step"], change["resource"]) for change in apply.summary["twice"]["changes"]]
    assert predicted == made
    assert len(made) == 4
