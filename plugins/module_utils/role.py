# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Reconciler of one IAM role (setup Task 2): trust policy, settings, tags, attachments.

Read: GetRole, plus ListAttachedRolePolicies only when attachments are managed: two calls
when nothing changes. Attachments are added and, only with ``purge_managed_policies``,
removed. After a create, GetRole is polled (bounded) until IAM shows the new role.
Ownership (tags.py): a role is created with the owner tag; an existing role without it is
refused (check mode too) unless ``adopt``, and left alone by ``state=absent``.
"""

from __future__ import annotations

from ansible_collections.fleetiam.maintenance_windows.plugins.module_utils import policy as policies
from ansible_collections.fleetiam.maintenance_windows.plugins.module_utils.arns import (
    aws_managed_policy_arn,
    parse_iam_arn,
    role_arn,
    validate_name,
    validate_path,
)
from ansible_collections.fleetiam.maintenance_windows.plugins.module_utils.errors import (
    AwsApiError,
    InvalidInputError,
    ResourceConflictError,
)
from ansible_collections.fleetiam.maintenance_windows.plugins.module_utils.principal import (
    attach_managed_policy,
    require_policies,
)
from ansible_collections.fleetiam.maintenance_windows.plugins.module_utils.tags import (
    claim,
    left_alone,
    owner_settings,
    ownership,
    plan_tags,
    tag_list,
)


def role_options():
    return dict(
        name=dict(type="str", required=True),
        path=dict(type="str", default="/"),
        assume_role_policy=dict(type="raw"),
        description=dict(type="str"),
        max_session_duration=dict(type="int"),
        permissions_boundary=dict(type="str"),
        managed_policies=dict(type="list", elements="str"),
        new_managed_policies=dict(type="list", elements="str"),
        purge_managed_policies=dict(type="bool", default=False),
        tags=dict(type="dict"),
        purge_tags=dict(type="bool", default=True),
        adopt=dict(type="bool", default=False),
        state=dict(type="str", default="present", choices=["present", "absent"]),
        wait=dict(type="bool", default=True),
        wait_timeout=dict(type="int", default=60),
        policy_check=dict(type="str", default="refuse", choices=list(policies.POLICY_CHECKS)),
    )


class Role(object):
    services = ("iam",)  # warmed before Ansible forks (plugin_utils/in_process.py)

    def __init__(self, ctx, params, check_mode):
        self.ctx = ctx
        self.params = params
        self.check_mode = check_mode
        self.name = validate_name("role", params["name"])
        self.path = validate_path(params.get("path"), "role")
        self.resource = "role %s" % self.name
        self.present = params.get("state", "present") == "present"
        self.trust = None
        self.warnings = []
        if self.present and params.get("assume_role_policy") is not None:
            what = "trust policy of %s" % self.resource
            self.trust = policies.validate(params["assume_role_policy"], "trust", what, size_limit="trust",
                                           warnings=self.warnings, policy_check_mode=params.get("policy_check"))
        duration = params.get("max_session_duration")
        if duration is not None and not 3600 <= duration <= 43200:
            raise InvalidInputError("max_session_duration %s is outside 3600..43200 seconds" % duration,
                                    resource=self.resource, fix="give a number of seconds from 3600 to 43200")
        boundary = params.get("permissions_boundary")
        if boundary:
            parse_iam_arn(boundary, "policy", "permissions_boundary")
        self.adopt, self.wanted_tags, self.purge_tags = owner_settings(params)
        self.ownership = None
        self.changed = False

    @property
    def arn(self):
        return role_arn(self.ctx.partition, self.ctx.account_id, self.name, self.path)

    def _wanted_attachments(self):
        names = self.params.get("managed_policies")
        if names is None:
            return None
        arns = []
        for name in names:
            arn = aws_managed_policy_arn(self.ctx.partition, name)
            parse_iam_arn(arn, "policy", "managed policy %r" % name)
            arns.append(arn)
        return sorted(set(arns))

    # -- reading -------------------------------------------------------------------------
    def _read(self, with_attachments):
        found = self.ctx.read("iam", "get_role", self.resource, none_on="not_found", RoleName=self.name)
        if found is None:
            return None
        role = found["Role"]
        if with_attachments:
            attached = self.ctx.pages("iam", "list_attached_role_policies", "AttachedPolicies",
                                      self.resource, RoleName=self.name)
            role["AttachedPolicyArns"] = sorted(p["PolicyArn"] for p in attached)
        return role

    @staticmethod
    def _view(role):
        if role is None:
            return None
        view = dict(
            arn=role.get("Arn"),
            name=role.get("RoleName"),
            path=role.get("Path"),
            role_id=role.get("RoleId"),
            description=role.get("Description") or "",
            max_session_duration=role.get("MaxSessionDuration", 3600),
            permissions_boundary=(role.get("PermissionsBoundary") or {}).get("PermissionsBoundaryArn"),
            assume_role_policy_document=policies.for_display(role.get("AssumeRolePolicyDocument")),
            tags={t["Key"]: t["Value"] for t in role.get("Tags") or []},
        )
        if "AttachedPolicyArns" in role:
            view["managed_policies"] = role["AttachedPolicyArns"]
        return view

    # -- writing -------------------------------------------------------------------------
    def _write(self, operation, **kwargs):
        self.changed = True
        return self.ctx.write("iam", operation, self.resource, self.check_mode, **kwargs)

    def _wait_until_visible(self):
        """IAM is eventually consistent: poll GetRole until the new role can be read."""
        timeout = self.params.get("wait_timeout", 60)
        if not self.ctx.wait_until(
                lambda: self.ctx.read("iam", "get_role", self.resource, none_on="not_found", RoleName=self.name), timeout):
            raise AwsApiError("the new role did not become readable within %ss" % timeout, resource=self.resource,
                              account=self.ctx.account_id,
                              fix="run again; IAM is sometimes slow to show new roles (or raise wait_timeout)")

    def _attach(self, arn):
        self.changed = True
        attach_managed_policy(self.ctx, "attach_role_policy", self.resource, self.check_mode,
                              self.params.get("wait_timeout", 60), RoleName=self.name, PolicyArn=arn)

    def _require_policies(self, current, attachments):
        """The policies to attach and the boundary to set exist, or nothing is written."""
        current = current or {}
        wanted = set(attachments or ()) - set(current.get("AttachedPolicyArns", ()))
        boundary = self.params.get("permissions_boundary")
        if boundary and boundary != (current.get("PermissionsBoundary") or {}).get("PermissionsBoundaryArn"):
            wanted.add(boundary)
        new = self.params.get("new_managed_policies")
        if new is None:  # any customer-managed one may be created by an earlier task
            wanted = {arn for arn in wanted if parse_iam_arn(arn, "policy")["account"] == "aws"}
        require_policies(self.ctx, wanted - set(new or ()), self.resource)

    def _create(self, attachments):
        if self.trust is None:
            raise InvalidInputError("creating the role needs a trust policy", resource=self.resource,
                                    account=self.ctx.account_id, fix="give assume_role_policy")
        request = dict(RoleName=self.name, Path=self.path, AssumeRolePolicyDocument=policies.to_wire(self.trust))
        for option, key in (("description", "Description"), ("max_session_duration", "MaxSessionDuration"),
                            ("permissions_boundary", "PermissionsBoundary")):
            if self.params.get(option):
                request[key] = self.params[option]
        request["Tags"] = tag_list(self.wanted_tags)
        try:
            created = self._write("create_role", **request)
        except AwsApiError as exc:
            if exc.code != "EntityAlreadyExists":
                raise
            # Created by a concurrent run (or our own retried first attempt): converge onto it,
            # once IAM shows it (it can exist before it can be read).
            current = self._read(attachments is not None)
            if current is None:
                self._wait_until_visible()
                current = self._read(attachments is not None)
            return self._update(current, attachments)
        self.ownership = "created"
        if created and self.params.get("wait", True):
            self._wait_until_visible()
        for arn in attachments or []:
            self._attach(arn)
        role = dict(created["Role"]) if created else dict(
            Arn=self.arn, RoleName=self.name, Path=self.path, RoleId=None,
            Description=self.params.get("description"),
            MaxSessionDuration=self.params.get("max_session_duration") or 3600)
        role["AssumeRolePolicyDocument"] = self.trust
        role["Tags"] = tag_list(self.wanted_tags)
        if self.params.get("permissions_boundary"):
            role["PermissionsBoundary"] = dict(PermissionsBoundaryArn=self.params["permissions_boundary"])
        if attachments is not None:
            role["AttachedPolicyArns"] = attachments
        return self._view(role)

    def _update(self, role, attachments):
        view = self._view(role)
        self.ownership = claim(view["tags"], self.adopt, self.resource, self.ctx.account_id, "mw_role_name")
        after = dict(view)
        if role.get("Path") != self.path:
            raise ResourceConflictError(
                "it exists with path %s, not %s; IAM cannot move a role" % (role.get("Path"), self.path),
                resource=self.resource, account=self.ctx.account_id,
                fix="set the path to %s, or delete the role so that it is created anew" % role.get("Path"))
        if self.trust is not None and not policies.same_policy(role.get("AssumeRolePolicyDocument"), self.trust):
            self._write("update_assume_role_policy", RoleName=self.name, PolicyDocument=policies.to_wire(self.trust))
            after["assume_role_policy_document"] = policies.for_display(self.trust)
        settings = {}
        description = self.params.get("description")
        if description is not None and description != view["description"]:
            settings["Description"] = after["description"] = description
        duration = self.params.get("max_session_duration")
        if duration is not None and duration != view["max_session_duration"]:
            settings["MaxSessionDuration"] = after["max_session_duration"] = duration
        if settings:
            self._write("update_role", RoleName=self.name, **settings)
        boundary = self.params.get("permissions_boundary")
        if boundary is not None and boundary != (view["permissions_boundary"] or ""):
            if boundary:
                self._write("put_role_permissions_boundary", RoleName=self.name, PermissionsBoundary=boundary)
            else:
                self._write("delete_role_permissions_boundary", RoleName=self.name)
            after["permissions_boundary"] = boundary or None
        plan = plan_tags(view["tags"], self.wanted_tags, self.purge_tags)
        if plan.remove:
            self._write("untag_role", RoleName=self.name, TagKeys=plan.remove)
        if plan.set:
            self._write("tag_role", RoleName=self.name, Tags=tag_list(plan.set))
        after["tags"] = plan.result
        if attachments is not None:
            current = set(role.get("AttachedPolicyArns", []))
            for arn in sorted(set(attachments) - current):
                self._attach(arn)
            extra = sorted(current - set(attachments)) if self.params.get("purge_managed_policies") else []
            for arn in extra:
                self._write("detach_role_policy", RoleName=self.name, PolicyArn=arn)
            after["managed_policies"] = sorted((current | set(attachments)) - set(extra))
        return after

    def _delete(self):
        for attached in self.ctx.pages("iam", "list_attached_role_policies", "AttachedPolicies", self.resource,
                                       RoleName=self.name):
            self._write("detach_role_policy", RoleName=self.name, PolicyArn=attached["PolicyArn"])
        for inline in self.ctx.pages("iam", "list_role_policies", "PolicyNames", self.resource, RoleName=self.name):
            self._write("delete_role_policy", RoleName=self.name, PolicyName=inline)
        for profile in self.ctx.pages("iam", "list_instance_profiles_for_role", "InstanceProfiles", self.resource,
                                      RoleName=self.name):
            self._write("remove_role_from_instance_profile", RoleName=self.name,
                        InstanceProfileName=profile["InstanceProfileName"])
        self._write("delete_role", RoleName=self.name)

    def run(self):
        attachments = self._wanted_attachments() if self.present else None
        current = self._read(with_attachments=attachments is not None)
        before = self._view(current)
        if self.present:
            self._require_policies(current, attachments)
        kept = None
        if not self.present:
            after = None
            if current is not None:
                self.ownership = ownership(before["tags"], self.adopt) or "not ours"
            if self.ownership == "not ours":
                kept, after = left_alone(self.resource), before
            elif current is not None:
                self._delete()
        elif current is None:
            after = self._create(attachments)
        else:
            after = self._update(current, attachments)
        result = dict(changed=self.changed, arn=self.arn, role=after, ownership=self.ownership, warnings=self.warnings,
                      diff=self.ctx.diff(self.resource, before or {}, after or {}))
        if kept:
            result["kept"] = kept
        return result
