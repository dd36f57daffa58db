# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Which accounts a policy attached to roots, OUs and accounts reaches, through the OU tree."""

from __future__ import annotations


def accounts_under(ctx, resource, target_ids, roots):
    """The ids of the accounts under ``target_ids``: a root reaches every account, an OU the
    accounts of its OUs, to any depth, an account itself. One ListAccounts for a root target,
    else ListAccountsForParent and ListOrganizationalUnitsForParent per OU."""
    root_ids = {root["Id"] for root in roots}
    if root_ids & set(target_ids):
        return {account["Id"] for account in ctx.pages("organizations", "list_accounts", "Accounts", resource)}
    reached = {target for target in target_ids if target.isdigit()}
    parents = [target for target in target_ids if target.startswith("ou-")]
    seen = set()
    while parents:
        parent = parents.pop()
        if parent in seen:
            continue
        seen.add(parent)
        reached.update(account["Id"] for account in ctx.pages(
            "organizations", "list_accounts_for_parent", "Accounts", resource, ParentId=parent))
        parents.extend(unit["Id"] for unit in ctx.pages(
            "organizations", "list_organizational_units_for_parent", "OrganizationalUnits", resource, ParentId=parent))
    return reached
