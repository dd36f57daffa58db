"""The local AWS of the tests, the demo, molecule and the benchmark: moto's server with the
project's additions where moto falls short of AWS's documented behaviour.

    python -m tests.support.local_aws -H 127.0.0.1 -p PORT

takes moto_server's arguments and serves the same app (every service, ``/moto-api/``,
``MOTO_IAM_LOAD_MANAGED_POLICIES``). Each addition is a function in ``ADDITIONS`` whose
docstring links the AWS reference it follows; docs/testing-on-moto.md lists them.
"""

from __future__ import annotations

from moto import server
from moto.utilities.utils import get_partition as partition_for_region
from moto.core.responses import ActionResult, EmptyResult
from moto.core.serialize import never_return, return_if_not_empty
from moto.iam.exceptions import EntityAlreadyExists, IAMException
from moto.iam.models import AWSManagedPolicy, IAMBackend, User
from moto.iam.responses import IamResponse
from moto.ec2.responses.availability_zones_and_regions import AvailabilityZonesAndRegions
from moto.ssm.exceptions import DoesNotExistException
from moto.ssm.responses import SimpleSystemManagerResponse


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
