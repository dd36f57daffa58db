"""organization_info against moto: the organisation from its management account, its roots and
accounts against the inventory's, read-only in check mode too; an account outside any
organisation is named with the fix."""

from __future__ import annotations

import pytest

from ansible_collections.fleetiam.maintenance_windows.plugins.module_utils.errors import InvalidInputError
from ansible_collections.fleetiam.maintenance_windows.plugins.module_utils.organization import OrganizationInfo

from tests.integration.modules.module_runs import run_module
from tests.support import aws

MANAGEMENT_ACCOUNT = "123456789012"  # moto's default account: the hub, which made the organisation


@pytest.fixture
def management(moto):
    return dict(endpoint_url=moto.url, region=aws.REGION, access_key=aws.HUB_CREDENTIALS["aws_access_key_id"],
                secret_key=aws.HUB_CREDENTIALS["aws_secret_access_key"],
                assume_role_arn="arn:aws:iam::%s:role/%s" % (MANAGEMENT_ACCOUNT, aws.ADMIN_ROLE))


@pytest.mark.parametrize("check_mode", [False, True], ids=["apply", "check"])
def test_the_organisation_and_its_accounts_against_the_inventorys(management, account, check_mode):
    outside = "000000000042"
    info = run_module(OrganizationInfo, management, check_mode,
                      account_ids=[account, "arn:aws:iam::%s:role/Admin" % outside])

    assert info["changed"] is False
    assert info["organization"]["management_account_id"] == MANAGEMENT_ACCOUNT
    assert info["organization"]["id"].startswith("o-") and info["roots"][0]["id"].startswith("r-")
    assert next(member for member in info["accounts"] if member["id"] == account)["status"] == "ACTIVE"
    assert info["listed_not_members"] == [outside]
    assert account not in info["members_not_listed"] and MANAGEMENT_ACCOUNT in info["members_not_listed"]
    assert info["warnings"] == ["organization %s: the inventory's accounts %s are not accounts of this organisation"
                                % (info["organization"]["id"], outside)]
    assert info["api_calls"] >= 4  # AssumeRole, DescribeOrganization, ListRoots, ListAccounts (pages)


def test_an_account_outside_any_organisation_is_named_with_the_fix(moto, management):
    outside = dict(management, assume_role_arn="arn:aws:iam::000000000043:role/%s" % aws.ADMIN_ROLE)
    with pytest.raises(InvalidInputError) as raised:
        run_module(OrganizationInfo, outside)
    assert raised.value.message().startswith("account 000000000043, organization: this account is not in an AWS "
                                             "Organization. Fix: point the mw_organization host at")
