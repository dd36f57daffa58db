"""The local AWS of the tests, the demo, molecule and the benchmark: moto's server with the
project's additions where moto falls short of AWS's documented behaviour.

    python -m tests.support.local_aws -H 127.0.0.1 -p PORT

takes moto_server's arguments and serves the same app (every service, ``/moto-api/``,
``MOTO_IAM_LOAD_MANAGED_POLICIES``). Each addition is a function in ``ADDITIONS`` whose
docstring links the AWS reference it follows; docs/testing-on-moto.md lists them.
"""

from __future__ import annotations

import hashlib
import json
from urllib.parse import unquote
from uuid import uuid4

from moto import server
from moto.core.responses import ActionResult, EmptyResult
from moto.core.serialize import never_return, return_if_not_empty
from moto.core.utils import unix_time
from moto.ec2.responses.availability_zones_and_regions import AvailabilityZonesAndRegions
from moto.iam.exceptions import EntityAlreadyExists, IAMException
from moto.iam.models import AWSManagedPolicy, IAMBackend, User, iam_backends
from moto.iam.responses import IamResponse
from moto.organizations.exceptions import OrganizationsClientError, PolicyTypeNotEnabledException
from moto.organizations.responses import OrganizationsResponse
from moto.ssm.exceptions import DoesNotExistException
from moto.ssm.responses import SimpleSystemManagerResponse
from moto.ssoadmin.exceptions import ResourceNotFoundException
from moto.ssoadmin.models import PermissionSet, SSOAdminBackend
from moto.ssoadmin.responses import SSOAdminResponse
from moto.utilities.utils import get_partition as partition_for_region


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


# GetMaintenanceWindowTaskResult's fields and the task attributes moto keeps them in.
_WINDOW_TASK_FIELDS = (
    ("Targets", "targets"), ("TaskArn", "task_arn"), ("ServiceRoleArn", "service_role_arn"),
    ("TaskParameters", "task_parameters"), ("TaskInvocationParameters", "task_invocation_parameters"),
    ("Priority", "priority"), ("MaxConcurrency", "max_concurrency"), ("MaxErrors", "max_errors"),
    ("LoggingInfo", "logging_info"), ("Name", "name"), ("Description", "description"),
    ("CutoffBehavior", "cutoff_behavior"), ("AlarmConfiguration", "alarm_configurations"),
)
# What Replace=true leaves alone: the ids, and the fields RegisterTaskWithMaintenanceWindow requires.
_REQUIRED_ON_REPLACE = ("TaskArn",)


def _window_task(response):
    window_id, task_id = response._get_param("WindowId"), response._get_param("WindowTaskId")
    task = response.ssm_backend.get_maintenance_window(window_id).tasks.get(task_id)
    if task is None:
        raise DoesNotExistException(task_id)
    return task


def _window_task_result(task, with_type):
    result = {"WindowId": task.window_id, "WindowTaskId": task.window_task_id}
    if with_type:
        result["TaskType"] = task.task_type
    result.update({field: getattr(task, attribute) for field, attribute in _WINDOW_TASK_FIELDS
                   if getattr(task, attribute) not in (None, [], {})})
    return result


def describe_maintenance_window_tasks_names_the_type():
    """``DescribeMaintenanceWindowTasks`` names each task's type ``Type``, as its
    ``MaintenanceWindowTask`` shape does (moto answers ``TaskType``), and leaves out the fields
    a task does not have (moto answers null).

    https://docs.aws.amazon.com/systems-manager/latest/APIReference/API_DescribeMaintenanceWindowTasks.html
    https://docs.aws.amazon.com/systems-manager/latest/APIReference/API_MaintenanceWindowTask.html
    """
    def describe_maintenance_window_tasks(self):
        window = self.ssm_backend.get_maintenance_window(self._get_param("WindowId"))
        tasks = []
        for task in window.tasks.values():
            described = _window_task_result(task, with_type=False)
            described.pop("TaskInvocationParameters", None)  # not in the shape
            described["Type"] = task.task_type
            tasks.append(described)
        return ActionResult({"Tasks": tasks})

    SimpleSystemManagerResponse.describe_maintenance_window_tasks = describe_maintenance_window_tasks


def get_maintenance_window_task():
    """``GetMaintenanceWindowTask``: every field of one task (its type as ``TaskType``);
    ``DoesNotExistException`` for an unknown window or task.

    https://docs.aws.amazon.com/systems-manager/latest/APIReference/API_GetMaintenanceWindowTask.html
    """
    def get(self):
        return ActionResult(_window_task_result(_window_task(self), with_type=True))

    SimpleSystemManagerResponse.get_maintenance_window_task = get


def update_maintenance_window_task():
    """``UpdateMaintenanceWindowTask``: a field given is set, a field not given is left as it
    was; ``TaskInvocationParameters``, when given, replaces the task's whole set; with
    ``Replace`` true every optional field not given is cleared. The answer holds the task's
    fields (not its type).

    https://docs.aws.amazon.com/systems-manager/latest/APIReference/API_UpdateMaintenanceWindowTask.html
    """
    def update(self):
        task = _window_task(self)
        replace = self._get_param("Replace") in (True, "true")
        for field, attribute in _WINDOW_TASK_FIELDS:
            value = self._get_param(field)
            if value is not None:
                setattr(task, attribute, value)
            elif replace and field not in _REQUIRED_ON_REPLACE:
                setattr(task, attribute, None)
        return ActionResult(_window_task_result(task, with_type=False))

    SimpleSystemManagerResponse.update_maintenance_window_task = update


def describe_regions_lists_the_enabled_regions_of_the_partition():
    """``DescribeRegions`` without ``AllRegions`` lists the regions enabled for the account,
    of the caller's partition only: not opt-in regions that are not opted in (moto lists every
    region of every partition, opted in or not); ``AllRegions`` lists them all.

    https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_DescribeRegions.html
    """
    describes = AvailabilityZonesAndRegions.describe_regions

    def describe_regions(self):
        answer = describes(self)
        if self._get_param("AllRegions") in (True, "true"):
            return answer
        partition = partition_for_region(self.region)
        answer.result["Regions"] = [
            region for region in answer.result["Regions"]
            if region.opt_in_status != "not-opted-in" and partition_for_region(region.name) == partition]
        return answer

    AvailabilityZonesAndRegions.describe_regions = describe_regions


def policy_attachments_answer_as_organizations_does():
    """``AttachPolicy`` refuses a policy whose type is not enabled on the root
    (``PolicyTypeNotEnabledException``) and a policy already attached to the target
    (``DuplicatePolicyAttachmentException``); ``DetachPolicy`` refuses a policy that is not
    attached to the target (``PolicyNotAttachedException``).

    https://docs.aws.amazon.com/organizations/latest/APIReference/API_AttachPolicy.html
    https://docs.aws.amazon.com/organizations/latest/APIReference/API_DetachPolicy.html
    """
    attaches, detaches = OrganizationsResponse.attach_policy, OrganizationsResponse.detach_policy

    def attached(self):
        backend = self.organizations_backend
        policy = backend.get_policy_by_id(self._get_param("PolicyId"))
        targets = backend.list_targets_for_policy(PolicyId=policy.id)["Targets"]
        return policy, self._get_param("TargetId") in [target["TargetId"] for target in targets]

    def attach_policy(self):
        policy, already = attached(self)
        roots = [unit for unit in self.organizations_backend.ou if unit.type == "ROOT"]
        if not any(kind["Type"] == policy.type for root in roots for kind in root.policy_types):
            raise PolicyTypeNotEnabledException()
        if already:
            raise OrganizationsClientError("DuplicatePolicyAttachmentException",
                                           "The selected policy is already attached to the specified target.")
        return attaches(self)

    def detach_policy(self):
        if not attached(self)[1]:
            raise OrganizationsClientError("PolicyNotAttachedException",
                                           "The policy isn't attached to the specified target in the specified root.")
        return detaches(self)

    OrganizationsResponse.attach_policy = attach_policy
    OrganizationsResponse.detach_policy = detach_policy


SSO_ROLE_PATH = "/aws-reserved/sso.amazonaws.com/"
PROTECTED_ROLE_WRITES = (
    "put_role_policy", "delete_role_policy", "attach_role_policy", "detach_role_policy",
    "update_assume_role_policy", "update_role", "update_role_description", "delete_role",
    "put_role_permissions_boundary", "delete_role_permissions_boundary", "tag_role", "untag_role",
)


def permission_set_arns_have_aws_format():
    """Permission set ARNs as IAM Identity Center makes them, ``arn:aws:sso:::permissionSet/
    ssoins-.../ps-...`` (https://docs.aws.amazon.com/singlesignon/latest/APIReference/API_PermissionSet.html,
    the pattern of ``PermissionSetArn``); moto makes ``<instance ARN>/ps-...``, which the
    collection's check of every request against the service model refuses."""
    def generate_id(instance_arn):
        partition, instance = instance_arn.split(":")[1], instance_arn.rpartition("/")[2]
        return "arn:%s:sso:::permissionSet/%s/ps-%s" % (partition, instance, _random_hex(16))

    PermissionSet.generate_id = staticmethod(generate_id)


def _random_hex(length):
    return uuid4().hex[:length]


def sso_roles_are_protected():
    """IAM refuses every change to a role that IAM Identity Center made in an account (path
    under ``/aws-reserved/sso.amazonaws.com/``) with ``UnmodifiableEntity``; only the
    provisioning of its permission set changes it.

    https://docs.aws.amazon.com/singlesignon/latest/userguide/using-service-linked-roles.html
    https://docs.aws.amazon.com/IAM/latest/APIReference/API_PutRolePolicy.html (Errors: UnmodifiableEntity)
    """
    def guarded(write):
        def refuse_protected(self):
            name = self._get_param("RoleName")
            role = next((r for r in self.backend.roles.values() if r.name == name), None)
            if role is not None and role.path.startswith(SSO_ROLE_PATH):
                raise IAMException("UnmodifiableEntity",
                                   "Cannot perform the operation on the protected role '%s' - "
                                   "this role is only modifiable by AWS" % name)
            return write(self)
        return refuse_protected

    for operation in PROTECTED_ROLE_WRITES:
        setattr(IamResponse, operation, guarded(getattr(IamResponse, operation)))


def _permission_set_content(permission_set):
    """What provisioning copies into an account: a change to it leaves the account outdated."""
    return json.dumps([sorted(p.arn for p in permission_set.managed_policies),
                       sorted(p.path + p.name for p in permission_set.customer_managed_policies),
                       permission_set.inline_policy], sort_keys=True)


def _provision_to_account(backend, permission_set, account_id):
    """Make or update the account's AWSReservedSSO_ role: the set's managed policies and its
    customer-managed policy references, each of which must exist in that account. The
    account's error, or None."""
    iam = iam_backends[account_id][backend.partition]
    suffix = hashlib.sha256((permission_set.permission_set_arn + account_id).encode()).hexdigest()[:16]
    name = "AWSReservedSSO_%s_%s" % (permission_set.name, suffix)
    wanted = ["arn:%s:iam::%s:policy%s%s" % (backend.partition, account_id, ref.path, ref.name)
              for ref in permission_set.customer_managed_policies]
    missing = [arn for arn in wanted if arn not in iam.managed_policies]
    if missing:
        return ("Received a 404 status error: Not supported policy %s in account %s"
                % (", ".join(missing), account_id))
    role = next((r for r in iam.roles.values() if r.name == name), None)
    if role is None:
        trust = {"Version": "2012-10-17", "Statement": [{
            "Effect": "Allow", "Action": ["sts:AssumeRoleWithSAML", "sts:TagSession"],
            "Principal": {"Federated": "arn:%s:iam::%s:saml-provider/AWSSSO_%s_DO_NOT_DELETE"
                                       % (backend.partition, account_id, suffix)}}]}
        role = iam.create_role(name, json.dumps(trust), SSO_ROLE_PATH, None, "", [], None)
    wanted += [policy.arn for policy in permission_set.managed_policies]
    for arn in set(role.managed_policies) - set(wanted):
        iam.detach_role_policy(arn, name)
    for arn in set(wanted) - set(role.managed_policies):
        iam.attach_role_policy(arn, name)
    backend.provisioned_content.setdefault(permission_set.permission_set_arn, {})[account_id] = (
        _permission_set_content(permission_set))
    return None


def permission_sets_are_provisioned_to_their_accounts():
    """IAM Identity Center provisions a permission set to the accounts it is assigned to:
    ``CreateAccountAssignment`` provisions it to the assignment's account, and
    ``ProvisionPermissionSet`` to one account (``TargetType`` ``AWS_ACCOUNT``, ``TargetId``) or
    to every account it is provisioned to (``ALL_PROVISIONED_ACCOUNTS``), answering
    ``IN_PROGRESS`` and a request id; ``DescribePermissionSetProvisioningStatus`` answers the
    request's outcome (``SUCCEEDED``, or ``FAILED`` with a ``FailureReason`` when an account
    lacks a customer-managed policy the set references). In each account the set is an
    ``AWSReservedSSO_<name>_<suffix>`` role under ``/aws-reserved/sso.amazonaws.com/`` holding
    its policies. ``ListAccountsForProvisionedPermissionSet`` lists the accounts it is
    provisioned to; ``ProvisioningStatus`` ``LATEST_PERMISSION_SET_PROVISIONED`` keeps those
    holding its current policies, ``LATEST_PERMISSION_SET_NOT_PROVISIONED`` those that do not.

    https://docs.aws.amazon.com/singlesignon/latest/APIReference/API_ProvisionPermissionSet.html
    https://docs.aws.amazon.com/singlesignon/latest/APIReference/API_DescribePermissionSetProvisioningStatus.html
    https://docs.aws.amazon.com/singlesignon/latest/APIReference/API_ListAccountsForProvisionedPermissionSet.html
    https://docs.aws.amazon.com/singlesignon/latest/APIReference/API_CreateAccountAssignment.html
    """
    SSOAdminBackend.provisioned_content = property(
        lambda backend: backend.__dict__.setdefault("_provisioned_content", {}))
    SSOAdminBackend.provisioning_requests = property(
        lambda backend: backend.__dict__.setdefault("_provisioning_requests", {}))

    def provision(backend, permission_set, account_ids):
        failures = [error for error in (_provision_to_account(backend, permission_set, account)
                                        for account in account_ids) if error]
        request_id = str(uuid4())
        status = dict(Status="FAILED" if failures else "SUCCEEDED", RequestId=request_id,
                      PermissionSetArn=permission_set.permission_set_arn, CreatedDate=unix_time())
        if len(account_ids) == 1:
            status["AccountId"] = account_ids[0]
        if failures:
            status["FailureReason"] = "; ".join(failures)
        backend.provisioning_requests[request_id] = status
        started = dict(status, Status="IN_PROGRESS")
        started.pop("FailureReason", None)
        return started

    creates_assignment = SSOAdminResponse.create_account_assignment

    def create_account_assignment(self):
        answer = creates_assignment(self)
        backend = self.ssoadmin_backend
        permission_set = backend._find_permission_set(self._get_param("InstanceArn"),
                                                      self._get_param("PermissionSetArn"))
        provision(backend, permission_set, [self._get_param("TargetId")])
        return answer

    def provision_permission_set(self):
        backend = self.ssoadmin_backend
        permission_set = backend._find_permission_set(self._get_param("InstanceArn"),
                                                      self._get_param("PermissionSetArn"))
        if self._get_param("TargetType") == "AWS_ACCOUNT":
            accounts = [self._get_param("TargetId")]
        else:
            accounts = sorted(backend.provisioned_content.get(permission_set.permission_set_arn, {}))
        return json.dumps({"PermissionSetProvisioningStatus": provision(backend, permission_set, accounts)})

    def describe_permission_set_provisioning_status(self):
        request_id = self._get_param("ProvisionPermissionSetRequestId")
        status = self.ssoadmin_backend.provisioning_requests.get(request_id)
        if status is None:
            raise ResourceNotFoundException("Could not find provisioning request %s" % request_id)
        return json.dumps({"PermissionSetProvisioningStatus": status})

    def list_accounts_for_provisioned_permission_set(self):
        backend = self.ssoadmin_backend
        permission_set = backend._find_permission_set(self._get_param("InstanceArn"),
                                                      self._get_param("PermissionSetArn"))
        content = _permission_set_content(permission_set)
        accounts = backend.provisioned_content.get(permission_set.permission_set_arn, {})
        wanted = self._get_param("ProvisioningStatus")
        return json.dumps({"AccountIds": sorted(
            account for account, provisioned in accounts.items()
            if wanted is None or (provisioned == content) == (wanted == "LATEST_PERMISSION_SET_PROVISIONED"))})

    SSOAdminResponse.create_account_assignment = create_account_assignment
    SSOAdminResponse.provision_permission_set = provision_permission_set
    SSOAdminResponse.describe_permission_set_provisioning_status = describe_permission_set_provisioning_status
    SSOAdminResponse.list_accounts_for_provisioned_permission_set = list_accounts_for_provisioned_permission_set
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
    describe_maintenance_window_tasks_names_the_type,
    get_maintenance_window_task,
    update_maintenance_window_task,
    describe_regions_lists_the_enabled_regions_of_the_partition,
    policy_attachments_answer_as_organizations_does,
    permission_set_arns_have_aws_format,
    sso_roles_are_protected,
    permission_sets_are_provisioned_to_their_accounts,
    inline_policies_together_within_iams_aggregate_limits,
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
