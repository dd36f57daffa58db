# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Reconciler of one named inline policy on a user, group or role (Tasks 2, 3 and 4).

Read: one Get{User,Group,Role}Policy. Only when that says NoSuchEntity are the principal's
inline policies listed: NoSuchEntity again means no such principal; otherwise the names are
those the aggregate size check reads, so a policy to create costs two reads.
"""

from __future__ import annotations

from ansible_collections.fleetiam.maintenance_windows.plugins.module_utils import policy as policies
from ansible_collections.fleetiam.maintenance_windows.plugins.module_utils.arns import validate_name
from ansible_collections.fleetiam.maintenance_windows.plugins.module_utils.errors import InvalidInputError
from ansible_collections.fleetiam.maintenance_windows.plugins.module_utils.principal import (
    Principal,
    previews_pending_principal,
    principal_options,
)


def inline_policy_options():
    options = principal_options()
    options.update(
        policy_name=dict(type="str", required=True),
        policy=dict(type="raw"),
        state=dict(type="str", default="present", choices=["present", "absent"]),
        policy_check=dict(type="str", default="refuse", choices=list(policies.POLICY_CHECKS)),
    )
    return options


class InlinePolicy(object):
    services = ("iam",)  # warmed before Ansible forks (plugin_utils/in_process.py)

    def __init__(self, ctx, params, check_mode):
        self.ctx = ctx
        self.check_mode = check_mode
        self.principal = Principal(params["principal_type"], params["principal_name"])
        self.policy_name = validate_name("inline policy", params["policy_name"])
        self.resource = "inline policy %s on %s" % (self.policy_name, self.principal)
        self.present = params.get("state", "present") == "present"
        self.pending = previews_pending_principal(params, check_mode)
        self.document = None
        self.warnings = []
        if self.present:
            if params.get("policy") is None:
                raise InvalidInputError("state=present needs a policy document", resource=self.resource,
                                        fix="give policy: {Version: ..., Statement: [...]}")
            what = "policy document of %s" % self.resource
            self.document = policies.validate(params["policy"], "identity", what, partition=ctx.partition,
                                              size_limit=self.principal.kind, warnings=self.warnings,
                                              policy_check_mode=params.get("policy_check"))

    def _policy_names(self):
        """The principal's inline policy names; None when the principal does not exist."""
        p = self.principal
        return self.ctx.pages("iam", p.operation("list_%s_policies"), "PolicyNames", self.resource,
                              none_on="not_found", **p.request())

    def _check_aggregate_size(self, names):
        """IAM limits a principal's inline policies together (whitespace not counted): read
        the others, only when this one is to be written, so that a preflight refuses it."""
        p = self.principal
        others = [name for name in names or () if name != self.policy_name]
        sizes = {}
        for name in others:
            found = self.ctx.read("iam", p.operation("get_%s_policy"), self.resource, none_on="not_found",
                                  **p.request(PolicyName=name))
            if found:
                sizes[name] = policies.size_without_whitespace(found["PolicyDocument"])
        own, others_size = policies.size_without_whitespace(self.document), sum(sizes.values())
        limit = policies.SIZE_LIMITS[p.kind]
        if own + others_size > limit:
            raise InvalidInputError(
                "the %s's inline policies would be %d characters together without white space (this one %d, %s %d); "
                "IAM allows %d for a %s" % (p.kind, own + others_size, own, ", ".join(sorted(sizes)), others_size,
                                            limit, p.kind),
                resource=self.resource, account=self.ctx.account_id,
                fix="make room on the %s (remove or shrink its other inline policies, or use managed policies), "
                    "or give the policy to another principal" % p.kind)

    def run(self):
        p = self.principal
        found = self.ctx.read("iam", p.operation("get_%s_policy"), self.resource, none_on="not_found",
                              **p.request(PolicyName=self.policy_name))
        current = policies.parse(found["PolicyDocument"]) if found else None
        names = self._policy_names() if current is None else None
        if current is None and names is None:
            if self.present and self.pending:
                after = policies.for_display(self.document)
                return dict(changed=True, principal_exists=False, policy_name=self.policy_name,
                            principal_type=p.kind, principal_name=p.name, document=after,
                            diff=self.ctx.diff(self.resource, {}, after))
            if self.present:
                raise p.not_found(self.ctx)
            return dict(changed=False, principal_exists=False, policy_name=self.policy_name,
                        principal_type=p.kind, principal_name=p.name, document=None,
                        diff=dict(before={}, after={}))
        changed = False
        if self.present and not policies.same_policy(current, self.document):
            changed = True
            self._check_aggregate_size(self._policy_names() if names is None else names)
            p.write(self.ctx, p.operation("put_%s_policy"), self.resource, self.check_mode,
                    **p.request(PolicyName=self.policy_name, PolicyDocument=policies.to_wire(self.document)))
        elif not self.present and current is not None:
            changed = True
            p.write(self.ctx, p.operation("delete_%s_policy"), self.resource, self.check_mode,
                    **p.request(PolicyName=self.policy_name))
        after = policies.for_display(self.document) if self.present else None
        return dict(changed=changed, principal_exists=True, policy_name=self.policy_name,
                    principal_type=p.kind, principal_name=p.name, document=after, warnings=self.warnings,
                    diff=self.ctx.diff(self.resource, policies.for_display(current) or {}, after or {}))
