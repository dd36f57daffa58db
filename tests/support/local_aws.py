"""The local AWS of the tests, the demo, molecule and the benchmark: moto's server with the
project's additions where moto falls short of AWS's documented behaviour.

    python -m tests.support.local_aws -H 127.0.0.1 -p PORT

takes moto_server's arguments and serves the same app (every service, ``/moto-api/``,
``MOTO_IAM_LOAD_MANAGED_POLICIES``). Each addition is a function in ``ADDITIONS`` whose
docstring links the AWS reference it follows; docs/testing-on-moto.md lists them.
"""

from __future__ import annotations

import json
from urllib.parse import unquote

from moto import server
from moto.iam.exceptions import IAMException
from moto.core.responses import ActionResult, EmptyResult
from moto.core.serialize import never_return, return_if_not_empty
from moto.iam.models import User
from moto.iam.responses import IamResponse


def users_keep_their_permissions_boundary():
    """``CreateUser``'s ``PermissionsBoundary``, ``PutUserPermissionsBoundary`` and
    ``DeleteUserPermissionsBoundary`` set and clear a user's permissions boundary, and
    ``GetUser`` returns it, as the role calls do for a role.

    https://docs.aws.amazon.com/IAM/latest/APIReference/API_CreateUser.html
    https://docs.aws.amazon.com/IAM/latest/APIReference/API_PutUserPermissionsBoundary.html
    https://docs.aws.amazon.com/IAM/latest/APIReference/API_DeleteUserPermissionsBoundary.html
    https://docs.aws.amazon.com/IAM/latest/APIReference/API_GetUser.html
    """
    User.permissions_boundary_arn = None
    User.permissions_boundary = property(lambda user: {
        "PermissionsBoundaryType": "PermissionsBoundaryPolicy",
        "PermissionsBoundaryArn": user.permissions_boundary_arn,
    } if user.permissions_boundary_arn else None)
    IamResponse.RESPONSE_KEY_PATH_TO_TRANSFORMER.update({
        "CreateUserResponse.User.PermissionsBoundary": return_if_not_empty,
        "GetUserResponse.User.PermissionsBoundary": return_if_not_empty,
        # IAM's lists leave it out, as moto already does for ListRoles.
        "ListUsersResponse.Users.User.PermissionsBoundary": never_return,
    })

    def valid_boundary(response):
        policy_arn = response._get_param("PermissionsBoundary")
        if policy_arn and not response.backend.policy_arn_regex.match(policy_arn):
            raise IAMException("InvalidParameterValue",
                               "Value (%s) for parameter PermissionsBoundary is invalid." % policy_arn)
        return policy_arn

    creates_user = IamResponse.create_user

    def create_user(self):
        policy_arn = valid_boundary(self)
        result = creates_user(self)
        self.backend.get_user(self._get_param("UserName")).permissions_boundary_arn = policy_arn
        return result

    def put_user_permissions_boundary(self):
        policy_arn = valid_boundary(self)
        self.backend.get_user(self._get_param("UserName")).permissions_boundary_arn = policy_arn
        return EmptyResult()

    def delete_user_permissions_boundary(self):
        self.backend.get_user(self._get_param("UserName")).permissions_boundary_arn = None
        return EmptyResult()

    IamResponse.create_user = create_user
    IamResponse.put_user_permissions_boundary = put_user_permissions_boundary
    IamResponse.delete_user_permissions_boundary = delete_user_permissions_boundary


def list_entities_for_policy_honours_policy_usage_filter():
    """``ListEntitiesForPolicy``'s ``PolicyUsageFilter``: ``PermissionsPolicy`` lists the
    users, groups and roles the policy is attached to, ``PermissionsBoundary`` the users and
    roles that have it as their permissions boundary, and no filter lists both.

    https://docs.aws.amazon.com/IAM/latest/APIReference/API_ListEntitiesForPolicy.html
    """
    lists_attached = IamResponse.list_entities_for_policy

    def list_entities_for_policy(self):
        usage = self._get_param("PolicyUsageFilter")
        if usage == "PermissionsPolicy":
            return lists_attached(self)
        entities = {"PolicyUsers": [], "PolicyRoles": [], "PolicyGroups": [], "IsTruncated": False}
        if usage != "PermissionsBoundary":
            entities.update(lists_attached(self).result)
        policy_arn = self._get_param("PolicyArn")
        wanted = self._get_param("EntityFilter")
        path_prefix = self._get_param("PathPrefix") or "/"
        bounded = {
            "PolicyUsers": self.backend.users.values() if wanted in (None, "", "User") else [],
            "PolicyRoles": self.backend.roles.values() if wanted in (None, "", "Role") else [],
        }
        for key, principals in bounded.items():
            listed = {principal.name for principal in entities[key]}
            entities[key] = entities[key] + [
                principal for principal in principals
                if principal.permissions_boundary_arn == policy_arn and principal.name not in listed
                and principal.path.startswith(path_prefix)]
        return ActionResult(entities)

    IamResponse.list_entities_for_policy = list_entities_for_policy


# IAM's quotas of a principal's inline policies together, in characters without white space.
INLINE_POLICY_AGGREGATE_LIMITS = {"user": 2048, "group": 5120, "role": 10240}


def inline_policies_together_within_iams_aggregate_limits():
    """``PutUserPolicy``, ``PutGroupPolicy`` and ``PutRolePolicy`` answer ``LimitExceeded``
    when the principal's inline policies together (white space not counted) would exceed
    IAM's quota: 2,048 characters for a user, 5,120 for a group, 10,240 for a role.

    https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_iam-quotas.html
    https://docs.aws.amazon.com/IAM/latest/APIReference/API_PutRolePolicy.html
    """
    def size(document):
        text = unquote(document) if document.lstrip().startswith("%") else document
        return len(json.dumps(json.loads(text), separators=(",", ":")))

    def within_limit(kind, puts):
        def put_policy(self):
            principal = getattr(self.backend, "get_%s" % kind)(self._get_param("%sName" % kind.capitalize()))
            name, document = self._get_param("PolicyName"), self._get_param("PolicyDocument")
            together = size(document) + sum(size(other) for other_name, other in principal.policies.items()
                                            if other_name != name)
            limit = INLINE_POLICY_AGGREGATE_LIMITS[kind]
            if together > limit:
                raise IAMException("LimitExceeded", "Maximum policy size of %d bytes exceeded for %s %s"
                                   % (limit, kind, principal.name))
            return puts(self)
        return put_policy

    for kind in INLINE_POLICY_AGGREGATE_LIMITS:
        operation = "put_%s_policy" % kind
        setattr(IamResponse, operation, within_limit(kind, getattr(IamResponse, operation)))


# The boundary listing reads users' boundaries, so users keep them first.
ADDITIONS = (
    users_keep_their_permissions_boundary,
    list_entities_for_policy_honours_policy_usage_filter,
    inline_policies_together_within_iams_aggregate_limits,
)


def apply_additions():
    for addition in ADDITIONS:
        addition()


def main(argv=None):
    apply_additions()
    server.main(argv)


if __name__ == "__main__":
    main()
