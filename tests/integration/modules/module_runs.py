"""Module runs in-process, as the action plugins make them, and the state they leave in IAM."""

from __future__ import annotations

import json

from ansible_collections.fleetiam.maintenance_windows.plugins.module_utils import runner
from ansible_collections.fleetiam.maintenance_windows.plugins.module_utils.account import (
    AccountInfo,
    account_info_options,
)
from ansible_collections.fleetiam.maintenance_windows.plugins.module_utils.attachment import (
    PolicyAttachment,
    attachment_options,
)
from ansible_collections.fleetiam.maintenance_windows.plugins.module_utils.inline_policy import (
    InlinePolicy,
    inline_policy_options,
)
from ansible_collections.fleetiam.maintenance_windows.plugins.module_utils.managed_policy import (
    ManagedPolicy,
    managed_policy_options,
)
from ansible_collections.fleetiam.maintenance_windows.plugins.module_utils.organization import (
    OrganizationInfo,
    organization_info_options,
)
from ansible_collections.fleetiam.maintenance_windows.plugins.module_utils.permission_set import (
    PermissionSetPolicies,
    permission_set_options,
)
from ansible_collections.fleetiam.maintenance_windows.plugins.module_utils.role import Role, role_options
from ansible_collections.fleetiam.maintenance_windows.plugins.module_utils.tags import OWNER_TAG_KEY, OWNER_TAG_VALUE
from ansible_collections.fleetiam.maintenance_windows.plugins.module_utils.window_task import (
    MaintenanceWindowTaskRole,
    window_task_options,
)
from ansible_collections.fleetiam.maintenance_windows.plugins.module_utils.window_tasks import (
    MaintenanceWindowTasksInfo,
    window_tasks_options,
)

from tests.conftest import module_params

OPTIONS = {
    AccountInfo: account_info_options,
    ManagedPolicy: managed_policy_options,
    Role: role_options,
    InlinePolicy: inline_policy_options,
    PolicyAttachment: attachment_options,
    OrganizationInfo: organization_info_options,
    MaintenanceWindowTasksInfo: window_tasks_options,
    MaintenanceWindowTaskRole: window_task_options,
    PermissionSetPolicies: permission_set_options,
}
# The tag of what this collection created: as IAM lists it, and as a module's view shows it.
OWNED = [{"Key": OWNER_TAG_KEY, "Value": OWNER_TAG_VALUE}]
OWNED_VIEW = {OWNER_TAG_KEY: OWNER_TAG_VALUE}
AUTHORIZATION_DETAILS = ("UserDetailList", "GroupDetailList", "RoleDetailList", "Policies")


def run_module(reconciler, connection, check_mode=False, **values):
    """The module's result, as ``main()`` would return it, for the module options ``values``."""
    params = module_params(OPTIONS[reconciler](), **dict(connection, **values))
    return runner.reconcile(reconciler, params, check_mode)


def _without_last_used(value):
    # Assuming a role into the account (as every module run does) updates RoleLastUsed.
    if isinstance(value, dict):
        return {key: _without_last_used(item) for key, item in value.items() if key != "RoleLastUsed"}
    if isinstance(value, list):
        return [_without_last_used(item) for item in value]
    return value


def iam_snapshot(iam):
    """Every user, group, role (trust, attachments, inline policies, instance profiles, tags)
    and customer-managed policy (all versions, tags) of the account, comparable with ``==``."""
    details = {key: [] for key in AUTHORIZATION_DETAILS}
    paginator = iam.get_paginator("get_account_authorization_details")
    for page in paginator.paginate(Filter=["User", "Group", "Role", "LocalManagedPolicy"]):
        for key in AUTHORIZATION_DETAILS:
            details[key].extend(page.get(key, []))
    for policy in details["Policies"]:
        policy["Tags"] = iam.list_policy_tags(PolicyArn=policy["Arn"])["Tags"]
    return json.loads(json.dumps(_without_last_used(details), default=str, sort_keys=True))


def policy_versions(iam, arn):
    """{version id: (is default, document)} of a managed policy."""
    found = {}
    for version in iam.list_policy_versions(PolicyArn=arn)["Versions"]:
        stored = iam.get_policy_version(PolicyArn=arn, VersionId=version["VersionId"])["PolicyVersion"]
        found[version["VersionId"]] = (version["IsDefaultVersion"], stored["Document"])
    return found


def default_document(iam, arn):
    [document] = [doc for default, doc in policy_versions(iam, arn).values() if default]
    return document
