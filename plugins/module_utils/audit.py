# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Read-only findings of the maintenance-window audit that the setup role cannot give.

Whether the four setup tasks are in place is the role's own check mode (playbooks/audit.yml);
this reads what setup never looks at:

* who can pass the service role: every user, group and role of the account whose policies
  allow ``iam:PassRole`` on its ARN, by a simplified evaluation (see ``can_pass_role``);
* maintenance window tasks that still run with the service-linked role
  ``AWSServiceRoleForAmazonSSM``, or without a ``ServiceRoleArn`` (SSM then uses that role),
  in every region asked for (window_tasks.py).

Calls: GetAccountAuthorizationDetails (every principal, its inline policies and the documents
of the account's customer-managed policies, in pages), GetPolicy and GetPolicyVersion once
per AWS managed policy attached to someone, and those of window_tasks.py. Nothing is ever
written.
"""

from __future__ import annotations

import re

from ansible_collections.fleetiam.maintenance_windows.plugins.module_utils import policy as policies
from ansible_collections.fleetiam.maintenance_windows.plugins.module_utils import policy_check
from ansible_collections.fleetiam.maintenance_windows.plugins.module_utils.arns import (
    role_arn,
    validate_name,
    validate_path,
)
from ansible_collections.fleetiam.maintenance_windows.plugins.module_utils.window_tasks import WindowTaskListing

PASS_ROLE = "iam:PassRole"
# The detail kinds of GetAccountAuthorizationDetails: principals and the account's own policies.
AUTHORIZATION_FILTER = ["User", "Group", "Role", "LocalManagedPolicy"]


def audit_options():
    return dict(
        service_role_name=dict(type="str", default="MaintenanceWindowServiceRole"),
        service_role_path=dict(type="str", default="/"),
        regions=dict(type="list", elements="str"),
        pass_role_policy_name=dict(type="str", default="MaintenanceWindowPassRole"),
        deny_policy_name=dict(type="str", default="DenyMaintenanceWindowTaskRegistration"),
    )


# -- the simplified policy evaluation ----------------------------------------------------
def _wildcard(pattern, ignore_case):
    """IAM's ``*`` (any run of characters) and ``?`` (one character) as a regular expression."""
    body = "".join(".*" if c == "*" else "." if c == "?" else re.escape(c) for c in pattern)
    return re.compile("^%s$" % body, re.DOTALL | (re.IGNORECASE if ignore_case else 0))


def _matches_any(patterns, value, ignore_case):
    return any(_wildcard(pattern, ignore_case).match(value) for pattern in patterns)


def _as_list(value):
    if value is None:
        return []
    return value if isinstance(value, list) else [value]


def statement_applies(statement, action, resource):
    """Whether a statement covers ``action`` on ``resource``: Action/NotAction (names are
    case-insensitive) and Resource/NotResource (ARNs are case-sensitive), with wildcards."""
    if "Action" in statement:
        action_covered = _matches_any(_as_list(statement["Action"]), action, ignore_case=True)
    else:
        action_covered = not _matches_any(_as_list(statement.get("NotAction")), action, ignore_case=True)
    if "Resource" in statement:
        resource_covered = _matches_any(_as_list(statement["Resource"]), resource, ignore_case=False)
    else:
        resource_covered = not _matches_any(_as_list(statement.get("NotResource")), resource, ignore_case=False)
    return action_covered and resource_covered


def evaluate(sources, action, resource):
    """Evaluate ``action`` on ``resource`` over one principal's policies.

    ``sources`` is a list of (label, document). Simplified on purpose: an applicable Allow
    grants, an applicable Deny without a Condition overrides every Allow; a Deny with a
    Condition is taken not to apply and an Allow with one to apply (an audit errs towards
    showing who might do it). Permissions boundaries, SCPs, session policies and policy
    variables are not evaluated.

    Returns None when the principal cannot, else ``allowed_by`` (the labels of the granting
    policies) and ``conditional`` (every granting statement has a Condition).
    """
    allowed_by = []
    unconditional = False
    for label, document in sources:
        for statement in _as_list(policies.parse(document, label).get("Statement")):
            if not statement_applies(statement, action, resource):
                continue
            if statement.get("Effect") == "Deny" and not statement.get("Condition"):
                return None
            if statement.get("Effect") == "Allow":
                if label not in allowed_by:
                    allowed_by.append(label)
                unconditional = unconditional or not statement.get("Condition")
    if not allowed_by:
        return None
    return dict(allowed_by=allowed_by, conditional=not unconditional)


def can_pass_role(sources, target_role_arn):
    """``evaluate`` of ``iam:PassRole`` on ``target_role_arn``."""
    return evaluate(sources, PASS_ROLE, target_role_arn)


def managed_policy_document(ctx, arn):
    """The default version's document of a managed policy (GetPolicy, GetPolicyVersion)."""
    resource = "managed policy %s" % arn
    found = ctx.read("iam", "get_policy", resource, PolicyArn=arn)["Policy"]
    return ctx.read("iam", "get_policy_version", resource, PolicyArn=arn,
                    VersionId=found["DefaultVersionId"])["PolicyVersion"]["Document"]


def principal_policy_sources(ctx, principal, owner=""):
    """(label, document) of one user's or role's (a ``principal.Principal``) inline and
    attached policies, and for a user those of its groups, read one by one."""
    what = str(principal)
    sources = []
    for name in ctx.pages("iam", principal.operation("list_%s_policies"), "PolicyNames", what,
                          **principal.request()):
        inline = ctx.read("iam", principal.operation("get_%s_policy"), what, PolicyName=name,
                          **principal.request())
        sources.append(("%sinline %s" % (owner, name), inline["PolicyDocument"]))
    for attached in ctx.pages("iam", principal.operation("list_attached_%s_policies"), "AttachedPolicies", what,
                              **principal.request()):
        arn = attached["PolicyArn"]
        sources.append(("%smanaged %s" % (owner, arn), managed_policy_document(ctx, arn)))
    if principal.kind == "user":
        for group in ctx.pages("iam", "list_groups_for_user", "Groups", what, UserName=principal.name):
            sources += principal_policy_sources(ctx, type(principal)("group", group["GroupName"]),
                                                owner="group %s: " % group["GroupName"])
    return sources


# -- reading the account -----------------------------------------------------------------
class MaintenanceWindowAudit(object):
    """Read-only: ``check_mode`` changes nothing, there is nothing to write."""

    services = ("ec2", "iam", "ssm")  # warmed before Ansible forks (plugin_utils/in_process.py)

    def __init__(self, ctx, params, check_mode):
        self.ctx = ctx
        self.role_name = validate_name("role", params["service_role_name"])
        self.role_path = validate_path(params.get("service_role_path"), "role")
        self.inline_names = {params.get("pass_role_policy_name"), params.get("deny_policy_name")} - {None}
        self._aws_managed_documents = {}
        self.tasks = WindowTaskListing(ctx, params.get("regions"))

    def _authorization_details(self):
        return self.ctx.pages("iam", "get_account_authorization_details",
                              ("UserDetailList", "GroupDetailList", "RoleDetailList", "Policies"),
                              "the account's IAM principals", Filter=AUTHORIZATION_FILTER)

    def _aws_managed_document(self, arn):
        """The default version of an AWS managed policy, read once per policy."""
        if arn not in self._aws_managed_documents:
            self._aws_managed_documents[arn] = managed_policy_document(self.ctx, arn)
        return self._aws_managed_documents[arn]

    def _policy_sources(self, entity, inline_key, local_documents, owner=""):
        """(label, document) of one user's, group's or role's inline and attached policies."""
        sources = [("%sinline %s" % (owner, inline["PolicyName"]), inline["PolicyDocument"])
                   for inline in entity.get(inline_key) or []]
        for attached in entity.get("AttachedManagedPolicies") or []:
            arn = attached["PolicyArn"]
            document = local_documents.get(arn)
            if document is None:  # not the account's own: an AWS managed policy
                document = self._aws_managed_document(arn)
            sources.append(("%smanaged %s" % (owner, arn), document))
        return sources

    @staticmethod
    def _local_documents(details):
        local_documents = {}
        for managed in details["Policies"]:
            for version in managed.get("PolicyVersionList") or []:
                if version.get("IsDefaultVersion"):
                    local_documents[managed["Arn"]] = version["Document"]
        return local_documents

    def policy_findings(self, details):
        """The policy check's findings on the service role's policies and the Task 3/4 inline
        policies as they are in AWS (None without the reference): drift can make one meaningless."""
        sources = []
        for kind, inline_key in (("user", "UserPolicyList"), ("group", "GroupPolicyList"), ("role", "RolePolicyList")):
            for entity in details["%sDetailList" % kind.capitalize()]:
                owner = "%s %s: " % (kind, entity["%sName" % kind.capitalize()])
                if kind == "role" and entity["RoleName"] == self.role_name:
                    sources += self._policy_sources(entity, inline_key, self._local_documents(details), owner)
                    continue
                sources += [("%sinline %s" % (owner, inline["PolicyName"]), inline["PolicyDocument"])
                            for inline in entity.get(inline_key) or [] if inline["PolicyName"] in self.inline_names]
        found = []
        for label, document in sources:
            checked = policy_check.check(policies.parse(document, label))
            if checked is None:
                return None
            found += [dict(finding, document=label) for finding in checked]
        return found

    def pass_role_principals(self, target_role_arn, details):
        local_documents = self._local_documents(details)
        groups = {group["GroupName"]: group for group in details["GroupDetailList"]}
        principals = []

        def consider(kind, entity, sources):
            verdict = can_pass_role(sources, target_role_arn)
            if verdict:
                principals.append(dict(type=kind, name=entity["%sName" % kind.capitalize()],
                                       arn=entity["Arn"], **verdict))

        for user in details["UserDetailList"]:
            # A user has its own policies and those of its groups, Denies included.
            sources = self._policy_sources(user, "UserPolicyList", local_documents)
            for group_name in user.get("GroupList") or []:
                if group_name in groups:
                    sources += self._policy_sources(groups[group_name], "GroupPolicyList", local_documents,
                                                    owner="group %s: " % group_name)
            consider("user", user, sources)
        for group in details["GroupDetailList"]:
            consider("group", group, self._policy_sources(group, "GroupPolicyList", local_documents))
        for role in details["RoleDetailList"]:
            consider("role", role, self._policy_sources(role, "RolePolicyList", local_documents))
        return sorted(principals, key=lambda p: (p["type"], p["name"]))

    def run(self):
        target = role_arn(self.ctx.partition, self.ctx.account_id, self.role_name, self.role_path)
        details = self._authorization_details()
        principals = self.pass_role_principals(target, details)
        return dict(self.tasks.run(), changed=False, account_id=self.ctx.account_id, region=self.ctx.region,
                    service_role_arn=target, pass_role_principals=principals,
                    policy_findings=self.policy_findings(details))
