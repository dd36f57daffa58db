# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Reconciler of the policies this collection gives one IAM Identity Center permission set
(Tasks 3 and 4 for people who arrive as ``AWSReservedSSO_`` roles): its customer-managed
policy references and AWS managed policies, then its provisioning to the accounts it is
provisioned to, waited for.

Never creates a permission set or an account assignment, and touches nothing else of the set
(inline policy, other references and policies, boundary, session duration, tags).
Read: ListInstances (unless given), ListPermissionSets and DescribePermissionSet until the name
matches, ListCustomerManagedPolicyReferencesInPermissionSet, ListManagedPoliciesInPermissionSet,
ListAccountsForProvisionedPermissionSet (all, then those not holding its latest version).
"""

from __future__ import annotations

from ansible_collections.fleetiam.maintenance_windows.plugins.module_utils.arns import (
    account_of_arn,
    aws_managed_policy_arn,
    validate_name,
    validate_path,
)
from ansible_collections.fleetiam.maintenance_windows.plugins.module_utils.context import ACCESS_DENIED_CODES
from ansible_collections.fleetiam.maintenance_windows.plugins.module_utils.errors import (
    AwsApiError,
    InvalidInputError,
    ResourceConflictError,
)

SSO_ADMIN_FIX = ("grant the automation's identity in the Identity Center account sso-admin:ListInstances, "
                 "ListPermissionSets, DescribePermissionSet, the permission set's policy calls and "
                 "ProvisionPermissionSet (see docs/least-privilege.md)")


def permission_set_options():
    return dict(
        permission_set=dict(type="str", required=True),
        instance_arn=dict(type="str"),
        customer_managed_policies=dict(type="list", elements="dict", default=[], options=dict(
            name=dict(type="str", required=True), path=dict(type="str", default="/"))),
        managed_policies=dict(type="list", elements="str", default=[]),
        policy_accounts=dict(type="list", elements="str"),
        provision=dict(type="bool", default=True),
        provision_timeout=dict(type="int", default=600),
        state=dict(type="str", default="present", choices=["present", "absent"]),
    )


def reference_key(reference):
    return reference.get("Path", "/") + reference["Name"]


class PermissionSetPolicies(object):
    services = ("sso-admin",)  # warmed before Ansible forks (plugin_utils/in_process.py)

    def __init__(self, ctx, params, check_mode):
        self.ctx = ctx
        self.check_mode = check_mode
        self.name = params["permission_set"]
        if not self.name:
            raise InvalidInputError("the permission set name is empty", fix="give the permission set's name")
        self.instance_arn = params.get("instance_arn") or None
        self.present = params.get("state", "present") == "present"
        self.references = [dict(Name=validate_name("policy", ref["name"]),
                                Path=validate_path(ref.get("path"), "policy"))
                           for ref in params.get("customer_managed_policies") or []]
        self.managed = [aws_managed_policy_arn(ctx.partition, arn) for arn in params.get("managed_policies") or []]
        accounts = params.get("policy_accounts")
        # An inventory host names its account by id, or by the ARN of the role it assumes there.
        self.policy_accounts = None if accounts is None else {
            account_of_arn(a) if str(a).startswith("arn:") else str(a) for a in accounts}
        self.provision = params.get("provision", True)
        self.timeout = params.get("provision_timeout", 600)
        self.resource = "permission set %s" % self.name

    # -- reading -------------------------------------------------------------------------
    def _instance(self):
        if self.instance_arn:
            return self.instance_arn
        instances = self.ctx.pages("sso-admin", "list_instances", "Instances", self.resource)
        if len(instances) == 1:
            return instances[0]["InstanceArn"]
        if not instances:
            raise InvalidInputError(
                "this account has no IAM Identity Center instance", resource=self.resource,
                fix="point the mw_organization host at the account that holds Identity Center (the management "
                    "account or its delegated administrator), or set mw_identity_center_instance_arn")
        raise InvalidInputError(
            "this account has %d IAM Identity Center instances: %s" % (
                len(instances), ", ".join(sorted(i["InstanceArn"] for i in instances))),
            resource=self.resource, fix="set mw_identity_center_instance_arn to the one to use")

    def _permission_set_arn(self, instance):
        for arn in self.ctx.pages("sso-admin", "list_permission_sets", "PermissionSets", self.resource,
                                  InstanceArn=instance):
            found = self.ctx.read("sso-admin", "describe_permission_set", self.resource, none_on="not_found",
                                  InstanceArn=instance, PermissionSetArn=arn)
            if found and found["PermissionSet"].get("Name") == self.name:
                return arn
        raise InvalidInputError(
            "the instance has no permission set of this name (this collection never creates one)",
            resource=self.resource,
            fix="create the permission set in IAM Identity Center first, or correct its name in "
                "mw_pass_role_permission_sets / mw_deny_permission_sets")

    def _accounts(self, request, status=None):
        if status:
            request = dict(request, ProvisioningStatus=status)
        return sorted(self.ctx.pages("sso-admin", "list_accounts_for_provisioned_permission_set", "AccountIds",
                                     self.resource, **request))

    # -- writing -------------------------------------------------------------------------
    def _write(self, operation, **request):
        return self.ctx.write("sso-admin", operation, self.resource, self.check_mode, **request)

    def _provision(self, request, instance, accounts):
        started = self._write("provision_permission_set", TargetType="ALL_PROVISIONED_ACCOUNTS", **request)
        if started is None:
            return dict(status="would provision", accounts=accounts)
        status = started["PermissionSetProvisioningStatus"]
        request_id = status["RequestId"]

        def finished():
            current = self.ctx.read("sso-admin", "describe_permission_set_provisioning_status", self.resource,
                                    InstanceArn=instance, ProvisionPermissionSetRequestId=request_id)
            current = current["PermissionSetProvisioningStatus"]
            return current if current.get("Status") != "IN_PROGRESS" else None

        outcome = status if status.get("Status") != "IN_PROGRESS" else self.ctx.wait_until(finished, self.timeout)
        if outcome is None:
            raise AwsApiError(
                "provisioning request %s to accounts %s did not finish within %ss"
                % (request_id, ", ".join(accounts), self.timeout), resource=self.resource, code="ProvisioningTimeout",
                fix="run again once it has finished (IAM Identity Center console, permission set, Accounts), "
                    "or raise mw_permission_set_provision_timeout")
        if outcome.get("Status") != "SUCCEEDED":
            raise AwsApiError(
                "provisioning request %s to accounts %s failed: %s" % (
                    request_id, ", ".join(accounts), outcome.get("FailureReason") or outcome.get("Status")),
                resource=self.resource, code="ProvisioningFailed",
                fix="make sure every account the permission set is assigned to holds the referenced policies "
                    "(run the setup on those accounts), then run again")
        return dict(status="provisioned", accounts=accounts, request_id=request_id)

    def _reconcile(self):
        instance = self._instance()
        self.resource = "permission set %s of instance %s" % (self.name, instance)
        arn = self._permission_set_arn(instance)
        request = dict(InstanceArn=instance, PermissionSetArn=arn)
        references = self.ctx.pages("sso-admin", "list_customer_managed_policy_references_in_permission_set",
                                    "CustomerManagedPolicyReferences", self.resource, **request)
        attached = self.ctx.pages("sso-admin", "list_managed_policies_in_permission_set", "AttachedManagedPolicies",
                                  self.resource, **request)
        managed = [p["Arn"] for p in attached]
        held = {reference_key(r) for r in references}
        if self.present:
            attach = [r for r in self.references if reference_key(r) not in held]
            attach_managed = [p for p in self.managed if p not in managed]
            detach, detach_managed = [], []
        else:
            attach, attach_managed = [], []
            detach = [r for r in self.references if reference_key(r) in held]
            detach_managed = [p for p in self.managed if p in managed]
        accounts = self._accounts(request)
        if self.present and self.policy_accounts is not None:
            lacking = [a for a in accounts if a not in self.policy_accounts]
            if lacking:
                raise ResourceConflictError(
                    "it is provisioned to accounts %s, which do not hold the referenced policies %s, so its "
                    "provisioning would fail there" % (", ".join(lacking), ", ".join(
                        reference_key(r) for r in self.references)),
                    resource=self.resource,
                    fix="add those accounts to the inventory group mw_accounts, or remove the permission set's "
                        "assignments to them")
        for reference in attach:
            self._write("attach_customer_managed_policy_reference_to_permission_set",
                        CustomerManagedPolicyReference=reference, **request)
        for policy in attach_managed:
            self._write("attach_managed_policy_to_permission_set", ManagedPolicyArn=policy, **request)
        for reference in detach:
            self._write("detach_customer_managed_policy_reference_from_permission_set",
                        CustomerManagedPolicyReference=reference, **request)
        for policy in detach_managed:
            self._write("detach_managed_policy_from_permission_set", ManagedPolicyArn=policy, **request)
        changed = bool(attach or attach_managed or detach or detach_managed)
        # Accounts not holding the set's latest version: a change here, or one an earlier run
        # (or someone else) made and whose provisioning did not finish.
        outdated = changed or bool(accounts and self._accounts(request, "LATEST_PERMISSION_SET_NOT_PROVISIONED"))
        provisioning = None
        if self.provision and outdated and accounts:
            provisioning = self._provision(request, instance, accounts)
        after_references = sorted((held | {reference_key(r) for r in attach}) - {reference_key(r) for r in detach})
        after_managed = sorted((set(managed) | set(attach_managed)) - set(detach_managed))
        before = dict(customer_managed_policy_references=sorted(held), managed_policies=sorted(managed))
        after = dict(customer_managed_policy_references=after_references, managed_policies=after_managed)
        if provisioning:
            after["provisioning"] = "%s to accounts %s" % (provisioning["status"], ", ".join(accounts))
        return dict(changed=changed or provisioning is not None, instance_arn=instance, permission_set_arn=arn,
                    permission_set_name=self.name, customer_managed_policy_references=after_references,
                    managed_policies=after_managed, accounts=accounts, provisioning=provisioning,
                    holds_references=all(reference_key(r) in held for r in self.references)
                    and all(p in managed for p in self.managed),
                    diff=self.ctx.diff(self.resource, before, after))

    def run(self):
        try:
            return self._reconcile()
        except AwsApiError as err:
            if err.code in ACCESS_DENIED_CODES:
                err.fix = SSO_ADMIN_FIX
            elif err.code == "ResourceNotFoundException" and self.instance_arn:
                err.fix = "check mw_identity_center_instance_arn (sso-admin ListInstances lists the instances)"
            raise
