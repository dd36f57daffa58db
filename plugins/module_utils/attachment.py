# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Reconciler of one managed-policy attachment to a user, group or role (Task 3's
``AmazonSSMFullAccess``). Read: one ListAttached{User,Group,Role}Policies.

Ownership: an attachment this module makes to a user or role is recorded in a tag on that
principal (tags.ATTACHED_TAG_KEY), read only when the attachment is to be removed (or adopted);
``state=absent`` detaches only a recorded one, or any with ``adopt``. IAM groups cannot be
tagged: a group's attachment is detached only with ``adopt``, and otherwise kept, with the reason.
An attachment that was there before setup is not recorded, so teardown leaves it."""

from __future__ import annotations

from ansible_collections.fleetiam.maintenance_windows.plugins.module_utils.arns import (
    aws_managed_policy_arn,
    parse_iam_arn,
)
from ansible_collections.fleetiam.maintenance_windows.plugins.module_utils.tags import ATTACHED_TAG_KEY
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
        adopt=dict(type="bool", default=False),
        state=dict(type="str", default="present", choices=["present", "absent"]),
        wait_timeout=dict(type="int", default=60),
    )
    return options


def record_entry(arn):
    """How the principal's tag names an attached policy: aws:policy/AmazonSSMFullAccess."""
    return arn.split(":", 4)[4]


class PolicyAttachment(object):
    services = ("iam",)  # warmed before Ansible forks (plugin_utils/in_process.py)

    def __init__(self, ctx, params, check_mode):
        self.ctx = ctx
        self.check_mode = check_mode
        self.principal = Principal(params["principal_type"], params["principal_name"])
        self.policy_ref = params["policy_arn"]
        self.present = params.get("state", "present") == "present"
        self.wait_timeout = params.get("wait_timeout", 60)
        self.adopt = params.get("adopt", False)
        self.pending = previews_pending_principal(params, check_mode)

    def _records(self, resource):
        """The policies this collection recorded as attached by it (a tag of the user or role)."""
        p = self.principal
        if p.kind == "group":
            return None
        tags = self.ctx.pages("iam", p.operation("list_%s_tags"), "Tags", resource, **p.request())
        value = {t["Key"]: t["Value"] for t in tags}.get(ATTACHED_TAG_KEY, "")
        return set(value.split())

    def _record(self, resource, records):
        """Write ``records`` (the policies attached by this collection) to the principal's tag."""
        p = self.principal
        if records:
            self.ctx.write("iam", p.operation("tag_%s"), resource, self.check_mode,
                           **p.request(Tags=[dict(Key=ATTACHED_TAG_KEY, Value=" ".join(sorted(records)))]))
        else:
            self.ctx.write("iam", p.operation("untag_%s"), resource, self.check_mode,
                           **p.request(TagKeys=[ATTACHED_TAG_KEY]))

    def _kept(self, arn):
        if self.principal.kind == "group":
            why = "IAM groups cannot be tagged, so nothing records whether this collection attached it"
        else:
            why = "it was attached before this collection (no %s tag on the %s names it)" % (
                ATTACHED_TAG_KEY, self.principal.kind)
        return "%s left attached to %s: %s; detach it by hand if no one needs it, or remove with adopt " \
            "(mw_adopt_existing)" % (arn, self.principal, why)

    def _attach(self, resource, arn):
        p = self.principal
        attach_managed_policy(self.ctx, p.operation("attach_%s_policy"), resource, self.check_mode,
                              self.wait_timeout, **p.request(PolicyArn=arn))
        records = self._records(resource)
        if records is not None and record_entry(arn) not in records:
            self._record(resource, records | {record_entry(arn)})

    def _detach(self, resource, arn):
        """Detach what this collection attached (or, with ``adopt``, any); False: kept."""
        p = self.principal
        records = self._records(resource)
        ours = records is not None and record_entry(arn) in records
        if not (ours or self.adopt):
            return False
        p.write(self.ctx, p.operation("detach_%s_policy"), resource, self.check_mode, **p.request(PolicyArn=arn))
        if ours:
            self._record(resource, records - {record_entry(arn)})
        return True

    def run(self):
        p = self.principal
        arn = aws_managed_policy_arn(self.ctx.partition, self.policy_ref)
        parse_iam_arn(arn, "policy", "policy_arn")
        resource = "attachment of %s to %s" % (arn, p)
        attached = self.ctx.pages("iam", p.operation("list_attached_%s_policies"), "AttachedPolicies", resource,
                                  none_on="not_found", **p.request())
        if attached is None:
            if self.present and self.pending:
                return dict(changed=True, principal_exists=False, attached=True, policy_arn=arn, change="create",
                            diff=self.ctx.diff("managed policies of %s" % p, {}, dict(managed_policies=[arn])))
            if self.present:
                raise p.not_found(self.ctx)
            return dict(changed=False, principal_exists=False, attached=False, policy_arn=arn,
                        diff=dict(before={}, after={}))
        names = sorted(a["PolicyArn"] for a in attached)
        is_attached = arn in names
        kept = None
        changed = is_attached != self.present
        if changed and self.present:
            self._attach(resource, arn)
        elif changed and not self._detach(resource, arn):
            changed, kept = False, self._kept(arn)
        now_attached = is_attached if not changed else self.present
        after = sorted(set(names) | {arn}) if now_attached else sorted(set(names) - {arn})
        result = dict(changed=changed, principal_exists=True, attached=now_attached, policy_arn=arn,
                      change=("create" if self.present else "delete") if changed else "none",
                      diff=self.ctx.diff("managed policies of %s" % p,
                                         dict(managed_policies=names), dict(managed_policies=after)))
        if kept:
            result["kept"] = kept
        return result
