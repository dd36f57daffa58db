# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The service role of one maintenance window task (module maintenance_window_task).

Only the task's ``ServiceRoleArn`` is ever changed: ``UpdateMaintenanceWindowTask`` leaves a
field that is not sent as it was, but replaces all of ``TaskInvocationParameters`` when they
are sent and clears every field not sent under ``Replace=true``; so neither is ever sent.
``TaskInvocationParameters.RunCommand.ServiceRoleArn`` is the role SSM passes to SNS for
Run Command notifications, not the task's role, and stays as it is.

Before a change, the move is refused (``TaskRefusedError``) when the new role does not exist
in the account, when its policies do not allow what the task's type needs, or when the
caller may not pass it (the simplified evaluation of audit.py over the caller's own
policies). Moving a task back to the service-linked role (a restore) is not checked: that
is the role SSM ran it with.

Calls: GetMaintenanceWindowTask; when a change is due, GetRole, the role's and the caller's
policies (ListRolePolicies, GetRolePolicy, ListAttachedRolePolicies, GetPolicy,
GetPolicyVersion; a user caller's groups too), then UpdateMaintenanceWindowTask (not in
check mode).
"""

from __future__ import annotations

from ansible_collections.fleetiam.maintenance_windows.plugins.module_utils.arns import parse_iam_arn
from ansible_collections.fleetiam.maintenance_windows.plugins.module_utils.audit import (
    PASS_ROLE,
    evaluate,
    principal_policy_sources,
)
from ansible_collections.fleetiam.maintenance_windows.plugins.module_utils.errors import (
    InvalidInputError,
    MaintenanceWindowError,
)
from ansible_collections.fleetiam.maintenance_windows.plugins.module_utils.principal import Principal
from ansible_collections.fleetiam.maintenance_windows.plugins.module_utils.window_tasks import SERVICE_LINKED_ROLE_NAME

# What SSM does with the service role to run a task of each type, and the setup variable
# that puts it in the Task 1 policy (RUN_COMMAND's actions are always there).
TASK_NEEDS = {
    "RUN_COMMAND": ("ssm:SendCommand", None),
    "AUTOMATION": ("ssm:StartAutomationExecution", "mw_policy_include_automation"),
    "STEP_FUNCTIONS": ("states:StartExecution", "mw_policy_include_step_functions"),
    "LAMBDA": ("lambda:InvokeFunction", "mw_policy_include_lambda"),
}


class TaskRefusedError(MaintenanceWindowError):
    """The task was not moved to the role: the role is not ready for it, or the caller may not pass it."""

    kind = "refused"


def window_task_options():
    return dict(
        window_id=dict(type="str", required=True),
        task_id=dict(type="str", required=True),
        service_role_arn=dict(type="str", required=True),
    )


def task_resource_arn(task, partition, region, account_id):
    """What the task's action acts on: its TaskArn, or the ARN a name stands for."""
    arn = task.get("TaskArn") or ""
    if arn.startswith("arn:"):
        return arn
    return {
        "RUN_COMMAND": "arn:%s:ssm:%s::document/%s" % (partition, region, arn),
        "AUTOMATION": "arn:%s:ssm:%s:%s:automation-definition/%s:$DEFAULT" % (partition, region, account_id, arn),
        "LAMBDA": "arn:%s:lambda:%s:%s:function:%s" % (partition, region, account_id, arn),
        "STEP_FUNCTIONS": "arn:%s:states:%s:%s:stateMachine:%s" % (partition, region, account_id, arn),
    }.get(task.get("TaskType"), arn)


def caller_principal(caller_arn):
    """The IAM user or role behind the caller's ARN (an assumed-role session is its role),
    or None for the account's root user, who may pass any role."""
    parts = (caller_arn or "").split(":", 5)
    if len(parts) != 6 or parts[5] == "root":
        return None
    kind, rest = (parts[5].split("/", 1) + [""])[:2]
    if kind == "assumed-role":
        return Principal("role", rest.split("/")[0])
    return Principal(kind, rest.rsplit("/", 1)[-1])


class MaintenanceWindowTaskRole(object):
    services = ("iam", "ssm")  # warmed before Ansible forks (plugin_utils/in_process.py)

    def __init__(self, ctx, params, check_mode):
        self.ctx = ctx
        self.check_mode = check_mode
        self.window_id = params["window_id"]
        self.task_id = params["task_id"]
        self.role_arn = params["service_role_arn"]
        self.role = parse_iam_arn(self.role_arn, "role", what="service_role_arn")
        self.resource = "region %s: maintenance window %s, task %s" % (ctx.region, self.window_id, self.task_id)

    def refuse(self, problem, fix):
        raise TaskRefusedError("not moved to %s: %s" % (self.role_arn, problem), resource=self.resource,
                               account=self.ctx.account_id, fix=fix)

    def _check_role_is_ready(self, task):
        if self.role["account"] != self.ctx.account_id:
            self.refuse("the role is in account %s" % self.role["account"], "give a role of this account")
        role_name = self.role["name"]
        if self.ctx.read("iam", "get_role", "role %s" % role_name, none_on="not_found", RoleName=role_name) is None:
            self.refuse("the role does not exist in this account",
                        "run setup first (playbooks/setup.yml) in this account, then migrate again")
        action, variable = TASK_NEEDS.get(task.get("TaskType"), (None, None))
        resource = task_resource_arn(task, self.ctx.partition, self.ctx.region, self.ctx.account_id)
        if action and not evaluate(principal_policy_sources(self.ctx, Principal("role", role_name)), action, resource):
            self.refuse("its policies do not allow %s on %s, which a %s task needs" % (action, resource, task["TaskType"]),
                        "set %s: true (and the resource lists) and run setup again" % variable if variable
                        else "give the role the Task 1 policy (run setup)")
        caller = caller_principal(self.ctx.identity()["caller_arn"])
        if caller and not evaluate(principal_policy_sources(self.ctx, caller), PASS_ROLE, self.role_arn):
            self.refuse("the caller %s may not pass the role (iam:PassRole)" % caller,
                        "grant it iam:PassRole on %s (docs/least-privilege.md)" % self.role_arn)

    def run(self):
        task = self.ctx.read("ssm", "get_maintenance_window_task", self.resource, none_on="not_found",
                             WindowId=self.window_id, WindowTaskId=self.task_id)
        if task is None:
            raise InvalidInputError("the task does not exist", resource=self.resource, account=self.ctx.account_id,
                                    fix="check the window id, the task id and the region")
        current = task.get("ServiceRoleArn") or ""
        before = dict(window_id=self.window_id, task_id=self.task_id, name=task.get("Name") or "",
                      type=task.get("TaskType") or "", service_role_arn=current)
        result = dict(window_id=self.window_id, task_id=self.task_id, region=self.ctx.region,
                      task_name=before["name"], task_type=before["type"], service_role_arn=self.role_arn,
                      previous_service_role_arn=current)
        if current == self.role_arn:
            return dict(result, changed=False, diff=self.ctx.diff(self.resource, before, before))
        if self.role["name"] != SERVICE_LINKED_ROLE_NAME:
            self._check_role_is_ready(task)
        self.ctx.write("ssm", "update_maintenance_window_task", self.resource, self.check_mode,
                       WindowId=self.window_id, WindowTaskId=self.task_id, ServiceRoleArn=self.role_arn)
        after = dict(before, service_role_arn=self.role_arn)
        return dict(result, changed=True, diff=self.ctx.diff(self.resource, before, after))
