# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The organisation as the organisation steps see it, read-only: its id and management
account, its roots (with the policy types enabled on them) and its accounts, and how the
inventory's accounts compare with them."""

from __future__ import annotations

from ansible_collections.fleetiam.maintenance_windows.plugins.module_utils.arns import account_of_arn
from ansible_collections.fleetiam.maintenance_windows.plugins.module_utils.errors import (
    AwsApiError,
    InvalidInputError,
)

READ_FIX = ("run it from the management account or a delegated administrator of AWS Organizations, with "
            "organizations:DescribeOrganization, ListRoots and ListAccounts (see docs/least-privilege.md)")


def organization_info_options():
    return dict(account_ids=dict(type="list", elements="str", default=[]))


class OrganizationInfo(object):
    services = ("organizations",)  # warmed before Ansible forks (plugin_utils/in_process.py)

    def __init__(self, ctx, params, check_mode):
        self.ctx = ctx
        # An inventory host names its account by id, or by the ARN of the role it assumes there.
        self.account_ids = {account_of_arn(value) if value.startswith("arn:") else value
                            for value in params.get("account_ids") or []}

    def run(self):
        resource = "organization"
        try:
            organization = self.ctx.read("organizations", "describe_organization", resource)["Organization"]
            resource = "organization %s" % organization["Id"]
            roots = self.ctx.pages("organizations", "list_roots", "Roots", resource)
            accounts = self.ctx.pages("organizations", "list_accounts", "Accounts", resource)
        except AwsApiError as err:
            if err.code == "AWSOrganizationsNotInUseException":
                raise InvalidInputError("this account is not in an AWS Organization", resource=resource,
                                        account=self.ctx.account_id,
                                        fix="point the mw_organization host at the organisation's management "
                                            "account or a delegated administrator")
            if err.code in ("AccessDeniedException", "AccessDenied"):
                err.fix = READ_FIX
            raise
        members = [dict(id=account["Id"], name=account.get("Name", ""),
                        status=account.get("State") or account.get("Status", "")) for account in accounts]
        member_ids = {member["id"] for member in members}
        listed = sorted(set(self.account_ids))
        result = dict(
            changed=False,
            organization=dict(id=organization["Id"], arn=organization["Arn"],
                              management_account_id=organization.get("MasterAccountId", ""),
                              feature_set=organization.get("FeatureSet", "")),
            caller_account_id=self.ctx.account_id,
            roots=[dict(id=root["Id"], name=root.get("Name", ""),
                        policy_types=[dict(type=kind["Type"], status=kind["Status"])
                                      for kind in root.get("PolicyTypes", [])]) for root in roots],
            accounts=members,
            listed_not_members=[account_id for account_id in listed if account_id not in member_ids],
            members_not_listed=sorted(member["id"] for member in members
                                      if member["id"] not in listed and member["status"] == "ACTIVE"),
        )
        if result["listed_not_members"]:
            result["warnings"] = ["organization %s: the inventory's accounts %s are not accounts of this organisation"
                                  % (organization["Id"], ", ".join(result["listed_not_members"]))]
        return result
