"""The organisation steps: one host of mw_organization (the management account) beside the
account hosts. Setup runs them after the accounts and teardown before them; the fleet summary
has the organisation's row; an inventory account outside the organisation is a warning; a host
in both groups is refused."""

from __future__ import annotations

import re

import pytest

from tests.support.fleet import OPERATORS_AND_CONTRACTORS, Fleet, assume_role_arn

MANAGEMENT_ACCOUNT = "123456789012"  # moto's default account: the hub, which made the organisation
OUTSIDER = "000000000042"  # an account the hub can assume a role in, not a member of the organisation
ORGANIZATION = {"organization": {"mw_assume_role_arn": assume_role_arn(MANAGEMENT_ACCOUNT)}}


@pytest.fixture(scope="module")
def fleet(moto, new_accounts, tmp_path_factory):
    [member] = new_accounts(1)
    return Fleet(tmp_path_factory.mktemp("organization"), moto.url, {"member": member, "outsider": OUTSIDER},
                 group_vars=OPERATORS_AND_CONTRACTORS,
                 host_vars={"outsider": {"mw_pass_role_groups": [], "mw_deny_groups": []}},
                 organization=ORGANIZATION)


@pytest.fixture(scope="module")
def setup(fleet):
    return fleet.run("setup", "setup.yml")


@pytest.fixture(scope="module")
def teardown(fleet, setup):
    return fleet.run("teardown", "teardown.yml")


def _plays(run):
    return re.findall(r"^PLAY \[(.*)\] \*", run.output, re.MULTILINE)


def test_setup_runs_the_organisation_steps_after_the_accounts(setup):
    assert setup.returncode == 0, setup
    plays = _plays(setup)
    assert plays.index("Organisation steps, once for the organisation") > plays.index(
        "Maintenance window permissions in every account")
    assert setup.recap["organization"]["failed"] == 0


def test_the_fleet_summary_has_the_organisations_row(setup):
    row = setup.summary["organization"]
    assert (row["account_id"], row["status"], row["changes"], row["failed"]) == (
        MANAGEMENT_ACCOUNT, "unchanged", [], False)
    assert set(setup.summary) == {"member", "outsider", "organization"}


def test_an_inventory_account_outside_the_organisation_is_a_warning(setup):
    warnings = " ".join(line for line in setup.output.splitlines() if "WARNING" in line or line.startswith(" "))
    assert "the inventory's accounts %s are not accounts of this organisation" % OUTSIDER in " ".join(warnings.split())


def test_teardown_runs_the_organisation_steps_before_the_accounts(teardown):
    assert teardown.returncode == 0, teardown
    plays = _plays(teardown)
    assert plays.index("Remove the organisation steps, once for the organisation") < plays.index(
        "Remove the maintenance window permissions from every account")
    assert teardown.summary["organization"]["status"] == "unchanged"


def test_a_host_in_both_groups_is_refused(moto, new_accounts, tmp_path_factory):
    [member] = new_accounts(1)
    both = Fleet(tmp_path_factory.mktemp("organization-twice"), moto.url, {"member": member},
                 group_vars=OPERATORS_AND_CONTRACTORS, organization={"member": {}})
    run = both.run("setup", "setup.yml", "--check")
    assert run.returncode != 0 and run.recap["member"]["failed"] == 1, run
    assert "host member is in both mw_accounts and mw_organization" in " ".join(run.failures()["member"].split())
