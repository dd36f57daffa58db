"""The local AWS of the tests, the demo, molecule and the benchmark: moto's server with the
project's additions where moto falls short of AWS's documented behaviour.

    python -m tests.support.local_aws -H 127.0.0.1 -p PORT

takes moto_server's arguments and serves the same app (every service, ``/moto-api/``,
``MOTO_IAM_LOAD_MANAGED_POLICIES``). Each addition is a function in ``ADDITIONS`` whose
docstring links the AWS reference it follows; docs/testing-on-moto.md lists them.
"""

from __future__ import annotations

from moto import server
from moto.iam.exceptions import EntityAlreadyExists, IAMException
from moto.core.responses import ActionResult, EmptyResult
from moto.core.serialize import never_return, return_if_not_empty
from moto.iam.models import AWSManagedPolicy, IAMBackend, User
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


def policy_names_are_unique_whatever_the_path():
    """``CreatePolicy`` answers ``EntityAlreadyExists`` when the account holds a customer-managed
    policy of the same name under any path: IAM's names of policies are unique in an account
    (moto compares whole ARNs, path included).

    https://docs.aws.amazon.com/IAM/latest/APIReference/API_CreatePolicy.html
    https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_identifiers.html#identifiers-friendly-names
    """
    creates_policy = IAMBackend.create_policy

    def create_policy(self, description, path, policy_document, policy_name, tags):
        if any(policy.name == policy_name for policy in self.managed_policies.values()
               if not isinstance(policy, AWSManagedPolicy)):
            raise EntityAlreadyExists(
                "A policy called %s already exists. Duplicate names are not allowed." % policy_name)
        return creates_policy(self, description, path, policy_document, policy_name, tags)

    IAMBackend.create_policy = create_policy


# The boundary listing reads users' boundaries, so users keep them first.
ADDITIONS = (
    users_keep_their_permissions_boundary,
    list_entities_for_policy_honours_policy_usage_filter,
    policy_names_are_unique_whatever_the_path,
)


def apply_additions():
    for addition in ADDITIONS:
        addition()


def main(argv=None):
    apply_additions()
    server.main(argv)


if __name__ == "__main__":
    main()
