# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Reconciler of one managed-policy attachment to a user, group or role (Task 3's
``AmazonSSMFullAccess``). Read: one ListAttached{User,Group,Role}Policies."""

from __future__ import annotations

from ansible_collections.fleetiam.maintenance_windows.plugins.module_utils.arns import (
    aws_managed_policy_arn,
    parse_iam_arn,
)
from ansible_collections.fleetiam.maintenance_windows.plugins.module_utils.principal import (
    Principal,
    attach_managed_policy,
    previews_pending_principal,
    principal_options,
)


def attachment_options():
    options = principal_options()
    options.update(
        policy_arn=dict(type="str", required=True),
        state=dict(type="str", default="present", choices=["present", "absent"]),
        wait_timeout=dict(type="int", default=60),
    )
    return options


class PolicyAttachment(object):
    services = ("iam",)  # warmed before Ansible forks (plugin_utils/in_process.py)

    def __init__(self, ctx, params, check_mode):
        self.ctx = ctx
        self.check_mode = check_mode
        self.principal = Principal(params["principal_type"], params["principal_name"])
        self.policy_ref = params["policy_arn"]
        self.present = params.get("state", "present") == "present"
        self.wait_timeout = params.get("wait_timeout", 60)
        self.pending = previews_pending_principal(params, check_mode)

    def run(self):
        p = self.principal
        arn = aws_managed_policy_arn(self.ctx.partition, self.policy_ref)
        parse_iam_arn(arn, "policy", "policy_arn")
        resource = "attachment of %s to %s" % (arn, p)
        attached = self.ctx.pages("iam", p.operation("list_attached_%s_policies"), "AttachedPolicies", resource,
                                  none_on="not_found", **p.request())
        if attached is None:
            if self.present and self.pending:
                return dict(changed=True, principal_exists=False, attached=True, policy_arn=arn,
                            diff=self.ctx.diff("managed policies of %s" % p, {}, dict(managed_policies=[arn])))
            if self.present:
                raise p.not_found(self.ctx)
            return dict(changed=False, principal_exists=False, attached=False, policy_arn=arn,
                        diff=dict(before={}, after={}))
        names = sorted(a["PolicyArn"] for a in attached)
        is_attached = arn in names
        changed = is_attached != self.present
        if changed and self.present:
            attach_managed_policy(self.ctx, p.operation("attach_%s_policy"), resource, self.check_mode, self.wait_timeout,
                                  **p.request(PolicyArn=arn))
        elif changed:
            p.write(self.ctx, p.operation("detach_%s_policy"), resource, self.check_mode, **p.request(PolicyArn=arn))
        after = sorted(set(names) | {arn}) if self.present else sorted(set(names) - {arn})
        return dict(changed=changed, principal_exists=True, attached=self.present, policy_arn=arn,
                    change=("create" if self.present else "delete") if changed else "none",
                    diff=self.ctx.diff("managed policies of %s" % p,
                                       dict(managed_policies=names), dict(managed_policies=after)))
