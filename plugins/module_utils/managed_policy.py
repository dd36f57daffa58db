# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Reconciler of one customer-managed IAM policy (setup Task 1).

Read: GetPolicy by the computed ARN (ListPolicies only before a create) and GetPolicyVersion of the
default version: two calls when nothing changes. Update: reuse an identical existing
version, else create a new default version, deleting the oldest non-default version first
when five exist. Delete: detach from every principal, delete old versions, then the policy.
Ownership (tags.py): a policy is created with the owner tag; an existing one without it is
refused (check mode too) unless ``adopt``, and left alone by ``state=absent``. Policy names
are unique per account whatever the path: before a create, ListPolicies (local) finds a
policy of the same name under another path, which is refused.
"""

from __future__ import annotations

from ansible_collections.fleetiam.maintenance_windows.plugins.module_utils import policy as policies
from ansible_collections.fleetiam.maintenance_windows.plugins.module_utils.arns import (
    policy_arn,
    validate_name,
    validate_path,
)
from ansible_collections.fleetiam.maintenance_windows.plugins.module_utils.errors import (
    AwsApiError,
    InvalidInputError,
    ResourceConflictError,
)
from ansible_collections.fleetiam.maintenance_windows.plugins.module_utils.tags import (
    claim,
    left_alone,
    owner_settings,
    ownership,
    plan_tags,
    tag_list,
)

MAX_VERSIONS = 5


def managed_policy_options():
    return dict(
        name=dict(type="str", required=True),
        path=dict(type="str", default="/"),
        policy=dict(type="raw"),
        description=dict(type="str"),
        tags=dict(type="dict"),
        purge_tags=dict(type="bool", default=True),
        adopt=dict(type="bool", default=False),
        state=dict(type="str", default="present", choices=["present", "absent"]),
        policy_check=dict(type="str", default="refuse", choices=list(policies.POLICY_CHECKS)),
    )


def versions_to_delete(versions, keep_free=1):
    """Oldest non-default versions to delete so that ``keep_free`` new ones fit in five."""
    spare = [v for v in versions if not v.get("IsDefaultVersion")]
    spare.sort(key=lambda v: (str(v.get("CreateDate")), int(str(v["VersionId"]).lstrip("v") or 0)))
    excess = len(versions) + keep_free - MAX_VERSIONS
    return [v["VersionId"] for v in spare[:max(0, excess)]]


class ManagedPolicy(object):
    services = ("iam",)  # warmed before Ansible forks (plugin_utils/in_process.py)

    def __init__(self, ctx, params, check_mode):
        self.ctx = ctx
        self.params = params
        self.check_mode = check_mode
        self.name = validate_name("policy", params["name"])
        self.path = validate_path(params.get("path"), "policy")
        self.resource = "managed policy %s%s" % (self.path, self.name)
        self.document = None
        self.warnings = []
        if params.get("state", "present") == "present":
            if params.get("policy") is None:
                raise InvalidInputError("state=present needs a policy document", resource=self.resource,
                                        fix="give policy: {Version: ..., Statement: [...]}")
            self.document = policies.validate(params["policy"], "identity", "policy document of %s" % self.resource,
                                              partition=ctx.partition, size_limit="managed", warnings=self.warnings,
                                              policy_check_mode=params.get("policy_check"))
        self.adopt, self.wanted_tags, self.purge_tags = owner_settings(params)
        self.ownership = None
        self.changed = False

    @property
    def arn(self):
        return policy_arn(self.ctx.partition, self.ctx.account_id, self.name, self.path)

    # -- reading -------------------------------------------------------------------------
    def _read(self):
        found = self.ctx.read("iam", "get_policy", self.resource, none_on="not_found", PolicyArn=self.arn)
        if found is None:
            return None
        current = found["Policy"]
        version = self.ctx.read("iam", "get_policy_version", self.resource, PolicyArn=self.arn,
                                VersionId=current["DefaultVersionId"])
        current["Document"] = policies.parse(version["PolicyVersion"]["Document"])
        return current

    def _view(self, current):
        if current is None:
            return None
        return dict(
            arn=current.get("Arn", self.arn),
            name=self.name,
            path=current.get("Path", self.path),
            policy_id=current.get("PolicyId"),
            default_version_id=current.get("DefaultVersionId"),
            attachment_count=current.get("AttachmentCount", 0),
            description=current.get("Description"),
            document=policies.for_display(current.get("Document")),
            tags={t["Key"]: t["Value"] for t in current.get("Tags") or []},
        )

    # -- writing -------------------------------------------------------------------------
    def _write(self, operation, **kwargs):
        self.changed = True
        return self.ctx.write("iam", operation, self.resource, self.check_mode, **kwargs)

    def _refuse_name_under_other_path(self):
        """IAM refuses a second policy of the same name under another path: say so first."""
        for found in self.ctx.pages("iam", "list_policies", "Policies", self.resource, Scope="Local"):
            if found["PolicyName"] == self.name and found.get("Path", "/") != self.path:
                raise ResourceConflictError(
                    "a policy of this name exists under path %s (%s), and IAM policy names are unique in an "
                    "account whatever the path" % (found["Path"], found["Arn"]),
                    resource=self.resource, account=self.ctx.account_id,
                    fix="set the path to %s (mw_policy_path) to manage that policy, or choose another name "
                        "(mw_policy_name)" % found["Path"])

    def _create(self):
        self._refuse_name_under_other_path()
        request = dict(PolicyName=self.name, Path=self.path, PolicyDocument=policies.to_wire(self.document),
                       Tags=tag_list(self.wanted_tags))
        if self.params.get("description"):
            request["Description"] = self.params["description"]
        try:
            self._write("create_policy", **request)
        except AwsApiError as exc:
            if exc.code != "EntityAlreadyExists":
                raise
            # Another run created it between our read and our write: converge onto it.
            current = self._read()
            if current is None:  # created under another path meanwhile
                self._refuse_name_under_other_path()
                raise
            return self._update(current)
        self.ownership = "created"
        return dict(arn=self.arn, name=self.name, path=self.path, policy_id=None,
                    default_version_id="v1", attachment_count=0,
                    description=self.params.get("description"),
                    document=policies.for_display(self.document), tags=dict(self.wanted_tags))

    def _identical_version(self, versions, default_too):
        """The id of a stored version holding our document (made the default), or None."""
        for version in versions:
            if version.get("IsDefaultVersion") and not default_too:
                continue
            # NoSuchEntity: a concurrent run pruned it since we listed.
            stored = self.ctx.read("iam", "get_policy_version", self.resource, none_on="not_found",
                                   PolicyArn=self.arn, VersionId=version["VersionId"])
            if stored and policies.same_policy(stored["PolicyVersion"]["Document"], self.document):
                if not version.get("IsDefaultVersion"):
                    self._write("set_default_policy_version", PolicyArn=self.arn, VersionId=version["VersionId"])
                return version["VersionId"]
        return None

    def _set_document(self, current):
        for attempt in range(3):
            versions = self.ctx.pages("iam", "list_policy_versions", "Versions", self.resource, PolicyArn=self.arn)
            # The default was read just now and differs; after a failed create it may be ours.
            reused = self._identical_version(versions, default_too=attempt > 0)
            if reused:
                return reused
            for version_id in versions_to_delete(versions):
                self._write("delete_policy_version", PolicyArn=self.arn, VersionId=version_id)
            retries_before = self.ctx.retries
            try:
                created = self._write("create_policy_version", PolicyArn=self.arn,
                                      PolicyDocument=policies.to_wire(self.document), SetAsDefault=True)
            except AwsApiError as exc:
                # A concurrent run added a version after we listed them, or our own create was
                # applied before its retry met the limit: list again, then reuse or prune.
                if exc.code != "LimitExceeded" or attempt == 2:
                    raise
                continue
            if created is None:
                return "v(next)"
            version_id = created["PolicyVersion"]["VersionId"]
            if self.ctx.retries > retries_before:
                # CreatePolicyVersion is not idempotent: an attempt that failed may have been applied.
                self._delete_copies(version_id)
            return version_id

    def _delete_copies(self, keep):
        for version in self.ctx.pages("iam", "list_policy_versions", "Versions", self.resource, PolicyArn=self.arn):
            if version["VersionId"] == keep or version.get("IsDefaultVersion"):
                continue
            stored = self.ctx.read("iam", "get_policy_version", self.resource, none_on="not_found",
                                   PolicyArn=self.arn, VersionId=version["VersionId"])
            if stored and policies.same_policy(stored["PolicyVersion"]["Document"], self.document):
                self._write("delete_policy_version", PolicyArn=self.arn, VersionId=version["VersionId"])

    def _update(self, current):
        view = self._view(current)
        self.ownership = claim(view["tags"], self.adopt, self.resource, self.ctx.account_id, "mw_policy_name")
        after = dict(view)
        if not policies.same_policy(current["Document"], self.document):
            after["default_version_id"] = self._set_document(current)
            after["document"] = policies.for_display(self.document)
        wanted_description = self.params.get("description")
        if wanted_description is not None and wanted_description != (current.get("Description") or ""):
            self.warnings.append("%s: IAM cannot change a managed policy's description after creation; "
                                 "it stays %r" % (self.resource, current.get("Description") or ""))
        plan = plan_tags(view["tags"], self.wanted_tags, self.purge_tags)
        if plan.remove:
            self._write("untag_policy", PolicyArn=self.arn, TagKeys=plan.remove)
        if plan.set:
            self._write("tag_policy", PolicyArn=self.arn, Tags=tag_list(plan.set))
        after["tags"] = plan.result
        return after

    def _entities(self, usage):
        """Users, groups and roles that use the policy as ``usage`` (a PolicyUsageFilter)."""
        keys = {kind: "Policy%ss" % kind.capitalize() for kind in ("group", "user", "role")}
        found = self.ctx.pages("iam", "list_entities_for_policy", tuple(keys.values()), self.resource,
                               PolicyArn=self.arn, PolicyUsageFilter=usage)
        return {kind: [e[kind.capitalize() + "Name"] for e in found[key]] for kind, key in keys.items()}

    def _delete(self):
        boundary_of = self._entities("PermissionsBoundary")
        bounded = ["role %s" % n for n in boundary_of["role"]] + ["user %s" % n for n in boundary_of["user"]]
        if bounded:
            raise ResourceConflictError(
                "cannot delete it while it is the permissions boundary of %s" % ", ".join(bounded),
                resource=self.resource, account=self.ctx.account_id,
                fix="remove the permissions boundary from those principals first")
        attached = self._entities("PermissionsPolicy")
        for kind, names in attached.items():
            for name in names:
                try:
                    self._write("detach_%s_policy" % kind, PolicyArn=self.arn, **{kind.capitalize() + "Name": name})
                except AwsApiError as exc:
                    if exc.code != "UnmodifiableEntity":
                        raise
                    # An IAM Identity Center role: only its permission set's provisioning detaches it.
                    raise ResourceConflictError(
                        "cannot delete it while IAM Identity Center's role %s holds it" % name,
                        resource=self.resource, account=self.ctx.account_id,
                        fix="remove the reference to it from the permission set and provision the set first "
                            "(teardown.yml runs the mw_organization host before the accounts)")
        for version in self.ctx.pages("iam", "list_policy_versions", "Versions", self.resource, PolicyArn=self.arn):
            if not version.get("IsDefaultVersion"):
                self._write("delete_policy_version", PolicyArn=self.arn, VersionId=version["VersionId"])
        self._write("delete_policy", PolicyArn=self.arn)

    def run(self):
        current = self._read()
        before = self._view(current)
        kept = None
        if self.params.get("state", "present") == "absent":
            after = None
            if current is not None:
                self.ownership = ownership(before["tags"], self.adopt) or "not ours"
            if self.ownership == "not ours":
                kept, after = left_alone(self.resource), before
            elif current is not None:
                self._delete()
        elif current is None:
            after = self._create()
        else:
            after = self._update(current)
        result = dict(changed=self.changed, arn=self.arn, policy=after, ownership=self.ownership,
                      diff=self.ctx.diff(self.resource, before or {}, after or {}))
        if kept:
            result["kept"] = kept
        if self.warnings:
            result["warnings"] = self.warnings
        return result
