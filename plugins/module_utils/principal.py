# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""A user, group or role that policies are put on or attached to; never created here."""

from __future__ import annotations

from ansible_collections.fleetiam.maintenance_windows.plugins.module_utils.arns import (
    account_of_arn,
    validate_name,
)
from ansible_collections.fleetiam.maintenance_windows.plugins.module_utils.errors import (
    AwsApiError,
    InvalidInputError,
    PrincipalNotFoundError,
)

PRINCIPAL_TYPES = ("user", "group", "role")
# IAM Identity Center's roles in an account: AWSReservedSSO_<permission set>_<suffix>, under
# /aws-reserved/sso.amazonaws.com/; IAM refuses every change to them (UnmodifiableEntity).
SSO_ROLE_PREFIX = "AWSReservedSSO_"


def principal_options():
    return dict(
        principal_type=dict(type="str", required=True, choices=list(PRINCIPAL_TYPES)),
        principal_name=dict(type="str", required=True),
        principal_pending=dict(type="bool", default=False),
    )


def previews_pending_principal(params, check_mode):
    """Whether a missing principal is one that an earlier task of this run would create (a
    preview's "would create" role): its children are then previewed as created, not refused."""
    return bool(check_mode and params.get("principal_pending"))


class Principal(object):
    def __init__(self, kind, name):
        self.kind = kind
        if (name or "").startswith("arn:"):
            raise InvalidInputError(
                "the %s is given as the ARN %r, where IAM wants its name" % (kind, name), resource="%s %s" % (kind, name),
                fix="give the %s's name, %r (the part after the last '/')" % (kind, name.rsplit("/", 1)[-1]))
        self.name = validate_name(kind, name)
        self.name_key = kind.capitalize() + "Name"  # UserName, GroupName, RoleName
        if kind == "role" and name.startswith(SSO_ROLE_PREFIX):
            raise self.protected()

    def __str__(self):
        return "%s %s" % (self.kind, self.name)

    def operation(self, pattern):
        """``get_%s_policy`` -> ``get_group_policy`` for a group."""
        return pattern % self.kind

    def request(self, **kwargs):
        kwargs[self.name_key] = self.name
        return kwargs

    def protected(self, account=None):
        return InvalidInputError(
            "the role is IAM Identity Center's (under /aws-reserved/sso.amazonaws.com/), which IAM refuses to "
            "change", resource=str(self), account=account,
            fix="remove %r from mw_pass_role_roles / mw_deny_roles and name its permission set in "
                "mw_pass_role_permission_sets / mw_deny_permission_sets instead" % self.name)

    def write(self, ctx, operation, resource, check_mode, **request):
        """``ctx.write`` of a change to this principal; IAM's UnmodifiableEntity (a protected role)
        becomes the message that says to use its permission set."""
        try:
            return ctx.write("iam", operation, resource, check_mode, **request)
        except AwsApiError as err:
            if err.code == "UnmodifiableEntity":
                raise self.protected(ctx.account_id)
            raise

    def not_found(self, ctx):
        return PrincipalNotFoundError(
            "the %s does not exist (this collection never creates users, groups or roles)" % self.kind,
            resource=str(self), account=ctx.account_id,
            fix="create the %s first, or remove %r from the list of %ss" % (self.kind, self.name, self.kind))


def attach_managed_policy(ctx, operation, resource, check_mode, wait_timeout, **request):
    """Attach ``request["PolicyArn"]`` with ``operation`` (skipped in check mode). The
    account's own policy may have been created a moment ago (Task 1) and not be attachable
    yet: its NoSuchEntity is waited out within ``wait_timeout``. An AWS managed policy that
    IAM does not find does not exist."""
    if check_mode:
        return None
    arn = request["PolicyArn"]
    waited = 0 if account_of_arn(arn) == "aws" else wait_timeout
    attached = ctx.wait_until(lambda: ctx.read("iam", operation, resource, none_on="not_found", **request), waited)
    if attached is None:
        waited_for = " (waited %ss for IAM to show it)" % waited if waited else ""
        raise InvalidInputError(
            "the managed policy %s does not exist%s" % (arn, waited_for),
            resource=resource, account=ctx.account_id,
            fix="check the policy name or ARN (AWS managed policies need their path, e.g. "
                "service-role/AmazonSSMMaintenanceWindowRole); create a customer-managed policy first")
    return attached


def require_policies(ctx, arns, resource):
    """Raise ``InvalidInputError`` naming the managed policies of ``arns`` that do not exist:
    read before the first write, so that an attachment or a boundary that cannot work fails
    the preflight, not the apply halfway."""
    missing = [arn for arn in sorted(arns)
               if ctx.read("iam", "get_policy", resource, none_on="not_found", PolicyArn=arn) is None]
    if missing:
        raise InvalidInputError(
            "the managed %s %s %s not exist" % ("policies" if len(missing) > 1 else "policy", ", ".join(missing),
                                                "do" if len(missing) > 1 else "does"),
            resource=resource, account=ctx.account_id,
            fix="check the policy name or ARN (AWS managed policies need their path, e.g. "
                "service-role/AmazonSSMMaintenanceWindowRole); create a customer-managed policy first")
