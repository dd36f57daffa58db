# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Reconciler of one named inline policy on a user, group or role (Tasks 2, 3 and 4).

Read: one Get{User,Group,Role}Policy. Only when that says NoSuchEntity is the principal
itself looked up, to tell "no such policy yet" from "no such principal".
"""

from __future__ import annotations

from ansible_collections.fleetiam.maintenance_windows.plugins.module_utils import policy as policies
from ansible_collections.fleetiam.maintenance_windows.plugins.module_utils.arns import validate_name
from ansible_collections.fleetiam.maintenance_windows.plugins.module_utils.errors import InvalidInputError
from ansible_collections.fleetiam.maintenance_windows.plugins.module_utils.principal import (
    Principal,
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

    def run(self):
        p = self.principal
        found = self.ctx.read("iam", p.operation("get_%s_policy"), self.resource, none_on="not_found",
                              **p.request(PolicyName=self.policy_name))
        current = policies.parse(found["PolicyDocument"]) if found else None
        if current is None and not p.exists(self.ctx):
            if self.present:
                raise p.not_found(self.ctx)
            return dict(changed=False, principal_exists=False, policy_name=self.policy_name,
                        principal_type=p.kind, principal_name=p.name, document=None,
                        diff=dict(before={}, after={}))
        changed = False
        if self.present and not policies.same_policy(current, self.document):
            changed = True
            self.ctx.write("iam", p.operation("put_%s_policy"), self.resource, self.check_mode,
                           **p.request(PolicyName=self.policy_name, PolicyDocument=policies.to_wire(self.document)))
        elif not self.present and current is not None:
            changed = True
            self.ctx.write("iam", p.operation("delete_%s_policy"), self.resource, self.check_mode,
                           **p.request(PolicyName=self.policy_name))
        after = policies.for_display(self.document) if self.present else None
        return dict(changed=changed, principal_exists=True, policy_name=self.policy_name,
                    principal_type=p.kind, principal_name=p.name, document=after, warnings=self.warnings,
                    diff=self.ctx.diff(self.resource, policies.for_display(current) or {}, after or {}))
