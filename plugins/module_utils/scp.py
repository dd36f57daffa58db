# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Reconciler of one service control policy of AWS Organizations and its attachments.

The policy is the collection's by its name and its owner tag (``OWNER_TAG``): a policy of
that name without the tag is someone else's and is never changed. Being ours, every target
it is attached to is one of ours: those not listed are detached, so that it is attached to
exactly the listed targets. No other policy is read or touched.

Every refusal comes before any write: the document's grammar and size, the targets (each a
root, OU or account of this organisation), and SCPs enabled on the root (enabled only when
asked, with EnablePolicyType).
Read: DescribeOrganization, ListRoots, ListPolicies (SCPs, by page), then for our policy
ListTagsForResource, DescribePolicy and ListTargetsForPolicy; DescribeOrganizationalUnit or
DescribeAccount per OU or account target.
"""

from __future__ import annotations

import re

from ansible_collections.fleetiam.maintenance_windows.plugins.module_utils import policy as policies
from ansible_collections.fleetiam.maintenance_windows.plugins.module_utils.arns import account_of_arn
from ansible_collections.fleetiam.maintenance_windows.plugins.module_utils.errors import (
    AwsApiError,
    InvalidInputError,
    ResourceConflictError,
)
from ansible_collections.fleetiam.maintenance_windows.plugins.module_utils.organization_tree import accounts_under

SCP = "SERVICE_CONTROL_POLICY"
OWNER_TAG = dict(Key="managed-by", Value="fleetiam.maintenance_windows")
# Organizations' id patterns (the RootId, OrganizationalUnitId and AccountId shapes of its API).
TARGET_KINDS = (
    ("root", re.compile(r"^r-[0-9a-z]{4,32}$")),
    ("organizational unit", re.compile(r"^ou-[0-9a-z]{4,32}-[a-z0-9]{8,32}$")),
    ("account", re.compile(r"^\d{12}$")),
)
ENABLE_TIMEOUT = 60  # seconds for EnablePolicyType to take effect
MANAGEMENT_ACCOUNT_WARNING = ("SCPs do not apply to the management account %s: the per-account Task 4 Deny "
                              "(mw_deny_groups, mw_deny_users, mw_deny_roles) stays the control there")


def organizations_scp_options():
    return dict(
        name=dict(type="str", required=True),
        description=dict(type="str", default=""),
        policy=dict(type="raw"),
        targets=dict(type="list", elements="str", default=[]),
        enable_policy_type=dict(type="bool", default=False),
        account_ids=dict(type="list", elements="str", default=[]),
        state=dict(type="str", default="present", choices=["present", "absent"]),
    )


def target_kind(target_id):
    for kind, pattern in TARGET_KINDS:
        if pattern.match(target_id):
            return kind
    return None


def scp_enabled(root):
    """Whether SCPs are enabled (or being enabled) on a root, as ListRoots reports it."""
    return any(kind["Type"] == SCP and kind["Status"] in ("ENABLED", "PENDING_ENABLE")
               for kind in root.get("PolicyTypes") or [])


class ServiceControlPolicy(object):
    services = ("organizations",)  # warmed before Ansible forks (plugin_utils/in_process.py)

    def __init__(self, ctx, params, check_mode):
        self.ctx = ctx
        self.params = params
        self.check_mode = check_mode
        self.name = params["name"]
        self.present = params.get("state", "present") == "present"
        self.resource = "service control policy %s" % self.name
        self.targets = sorted(set(params.get("targets") or []))
        self.changed = False
        self.warnings = []
        self.document = None
        if not self.name or len(self.name) > 128:
            raise InvalidInputError("the policy name %r is empty or longer than 128 characters" % self.name,
                                    resource=self.resource, fix="give a name of 1 to 128 characters")
        if self.present:
            self.document = self._validated(params.get("policy"))
            malformed = [target for target in self.targets if not target_kind(target)]
            if malformed:
                raise InvalidInputError(
                    "the targets %s are not ids of a root, an OU or an account" % ", ".join(malformed),
                    resource=self.resource, fix="list ids such as r-ab12, ou-ab12-cdef3456 or 111122223333")

    def _validated(self, document):
        what = "document of %s" % self.resource
        if document is None:
            raise InvalidInputError("state=present needs a policy document", resource=self.resource,
                                    fix="give policy: {Version: ..., Statement: [...]}")
        document = policies.validate(document, "scp", what, partition=self.ctx.partition)
        size = policies.size_without_whitespace(document)
        if size > policies.SCP_SIZE_LIMIT:
            raise InvalidInputError(
                "the %s is %d characters without white space; AWS Organizations allows %d"
                % (what, size, policies.SCP_SIZE_LIMIT), resource=self.resource,
                fix="exempt fewer, broader ARN patterns (for example one per permission set), or deny fewer actions")
        return document

    # -- reading -------------------------------------------------------------------------
    def _read_organization(self):
        try:
            organization = self.ctx.read("organizations", "describe_organization", self.resource)["Organization"]
        except AwsApiError as err:
            if err.code == "AWSOrganizationsNotInUseException":
                err.fix = "point the mw_organization host at the organisation's management account"
            raise
        self.resource = "service control policy %s of organization %s" % (self.name, organization["Id"])
        roots = self.ctx.pages("organizations", "list_roots", "Roots", self.resource)
        return organization, roots

    def _read_policy(self):
        """Our policy (summary, content, targets), or None; a foreign one of our name is refused."""
        summaries = self.ctx.pages("organizations", "list_policies", "Policies", self.resource, Filter=SCP)
        found = next((summary for summary in summaries if summary["Name"] == self.name), None)
        if found is None:
            return None
        tags = self.ctx.pages("organizations", "list_tags_for_resource", "Tags", self.resource, ResourceId=found["Id"])
        if OWNER_TAG not in [dict(Key=tag["Key"], Value=tag["Value"]) for tag in tags]:
            if not self.present:
                self.warnings.append("%s: the policy of this name (%s) is not this collection's (no tag %s=%s); "
                                     "left alone" % (self.resource, found["Id"], OWNER_TAG["Key"], OWNER_TAG["Value"]))
                return None
            raise ResourceConflictError(
                "a policy of this name (%s) exists without the tag %s=%s, so it is not this collection's"
                % (found["Id"], OWNER_TAG["Key"], OWNER_TAG["Value"]), resource=self.resource,
                account=self.ctx.account_id,
                fix="choose another mw_scp_name, or tag that policy %s=%s to let the collection manage it"
                    % (OWNER_TAG["Key"], OWNER_TAG["Value"]))
        described = self.ctx.read("organizations", "describe_policy", self.resource, PolicyId=found["Id"])["Policy"]
        targets = self.ctx.pages("organizations", "list_targets_for_policy", "Targets", self.resource,
                                 PolicyId=found["Id"])
        return dict(id=found["Id"], arn=found["Arn"], description=found.get("Description") or "",
                    document=policies.parse(described["Content"]),
                    targets=sorted(target["TargetId"] for target in targets))

    def _unknown_targets(self, roots):
        """The listed targets that are no root, OU or account of this organisation."""
        root_ids = {root["Id"] for root in roots}
        unknown = []
        for target in self.targets:
            kind = target_kind(target)
            if kind == "root":
                known = target in root_ids
            elif kind == "account":
                known = self.ctx.read("organizations", "describe_account", self.resource, none_on="not_found",
                                      AccountId=target) is not None
            else:
                known = self.ctx.read("organizations", "describe_organizational_unit", self.resource,
                                      none_on="not_found", OrganizationalUnitId=target) is not None
            if not known:
                unknown.append(target)
        return unknown

    # -- writing -------------------------------------------------------------------------
    def _write(self, operation, none_on=(), **request):
        self.changed = True
        try:
            return self.ctx.write("organizations", operation, self.resource, self.check_mode, **request)
        except AwsApiError as err:
            if err.code in none_on:  # a concurrent run did it already
                return None
            raise

    def _enable_scps(self, organization, roots):
        disabled = [root for root in roots if not scp_enabled(root)]
        if not disabled:
            return
        if not self.params.get("enable_policy_type"):
            raise InvalidInputError(
                "service control policies are not enabled on the root %s" % disabled[0]["Id"],
                resource=self.resource, account=self.ctx.account_id,
                fix="set mw_scp_enable_policy_type: true to let the collection enable them, or enable them yourself: "
                    "aws organizations enable-policy-type --root-id %s --policy-type %s (it attaches "
                    "FullAWSAccess everywhere, so nothing else is denied)" % (disabled[0]["Id"], SCP))
        if organization.get("FeatureSet") != "ALL":
            raise InvalidInputError("the organisation has only consolidated billing features", resource=self.resource,
                                    account=self.ctx.account_id,
                                    fix="enable all features of the organisation first (AWS Organizations console)")
        for root in disabled:
            self._write("enable_policy_type", ("PolicyTypeAlreadyEnabledException",), RootId=root["Id"], PolicyType=SCP)
        if not self.check_mode:
            # EnablePolicyType is asynchronous (PENDING_ENABLE); AttachPolicy needs it ENABLED.
            self.ctx.wait_until(lambda: all(
                kind["Type"] != SCP or kind["Status"] == "ENABLED"
                for root in self.ctx.pages("organizations", "list_roots", "Roots", self.resource)
                for kind in root.get("PolicyTypes") or []), ENABLE_TIMEOUT)

    def _converge(self, current):
        request = dict(Content=policies.to_wire(self.document), Description=self.params.get("description") or "")
        if current is None:
            created = self._write("create_policy", Name=self.name, Type=SCP, Tags=[OWNER_TAG], **request)
            summary = (created or {}).get("Policy", {}).get("PolicySummary", {})
            current = dict(id=summary.get("Id"), arn=summary.get("Arn"), targets=[])
        elif (not policies.same_policy(current["document"], self.document)
              or current["description"] != request["Description"]):
            self._write("update_policy", PolicyId=current["id"], **request)
        for target in self.targets:
            if target not in current["targets"]:
                self._write("attach_policy", ("DuplicatePolicyAttachmentException",),
                            PolicyId=current["id"], TargetId=target)
        for target in current["targets"]:
            if target not in self.targets:
                self._write("detach_policy", PolicyId=current["id"], TargetId=target)
        return current

    def _remove(self, current):
        for target in current["targets"]:
            self._write("detach_policy", PolicyId=current["id"], TargetId=target)
        self._write("delete_policy", PolicyId=current["id"])

    # -- the run -------------------------------------------------------------------------
    def _view(self, current, scps_enabled):
        if current is None:
            return {}
        return dict(name=self.name, description=current["description"],
                    document=policies.for_display(current["document"]), targets=current["targets"],
                    scps_enabled_on_root=scps_enabled)

    def run(self):
        organization, roots = self._read_organization()
        current = self._read_policy()
        enabled = all(scp_enabled(root) for root in roots)
        before = self._view(current, enabled)
        management = organization.get("MasterAccountId", "")
        if not self.present:
            if current is not None:
                self._remove(current)
            after = {}
        else:
            unknown = self._unknown_targets(roots)
            if unknown:
                raise InvalidInputError(
                    "the targets %s are not a root, OU or account of organization %s"
                    % (", ".join(unknown), organization["Id"]), resource=self.resource, account=self.ctx.account_id,
                    fix="list the ids of this organisation's roots, OUs or accounts in mw_scp_targets "
                        "(aws organizations list-roots, list-organizational-units-for-parent, list-accounts)")
            self._enable_scps(organization, roots)
            current = self._converge(current)
            after = dict(name=self.name, description=self.params.get("description") or "",
                         document=policies.for_display(self.document), targets=self.targets,
                         scps_enabled_on_root=True)
            self.warnings.append(MANAGEMENT_ACCOUNT_WARNING % management)
        targets = after.get("targets", [])
        result = dict(changed=self.changed, name=self.name, organization_id=organization["Id"],
                      management_account_id=management, policy_id=(current or {}).get("id"),
                      arn=(current or {}).get("arn") or self.resource, targets=targets,
                      policy=after.get("document"), diff=self.ctx.diff(self.resource, before, after))
        if self.params.get("account_ids"):
            covered = accounts_under(self.ctx, self.resource, targets, roots) - {management}
            listed = sorted({account_of_arn(value) if value.startswith("arn:") else value
                             for value in self.params["account_ids"]})
            result.update(covered_accounts=[account for account in listed if account in covered],
                          uncovered_accounts=[account for account in listed if account not in covered])
        if self.warnings:
            result["warnings"] = self.warnings
        return result
