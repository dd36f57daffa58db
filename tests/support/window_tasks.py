"""Maintenance windows with tasks of every type and every kind of service role, for the
tests and the demo: on the service-linked role, with no role, on the custom role."""

from __future__ import annotations

from tests.support import aws

CUSTOM_ROLE = "MaintenanceWindowServiceRole"
SNS_ROLE = "MaintenanceWindowNotifications"
SLR_PATH = "aws-service-role/ssm.amazonaws.com/AWSServiceRoleForAmazonSSM"


def role_arn(account, name):
    return "arn:aws:iam::%s:role/%s" % (account, name)


def slr_arn(account):
    return role_arn(account, SLR_PATH)


def _task_arn(task_type, account, region):
    return {
        "RUN_COMMAND": "AWS-RunPatchBaseline",
        "AUTOMATION": "AWS-RestartEC2Instance",
        "STEP_FUNCTIONS": "arn:aws:states:%s:%s:stateMachine:patch-fleet" % (region, account),
        "LAMBDA": "arn:aws:lambda:%s:%s:function:patch-report" % (region, account),
    }[task_type]


def _invocation_parameters(task_type, account):
    return {
        # RunCommand.ServiceRoleArn is the SNS notification role, not the task's role.
        "RUN_COMMAND": {"RunCommand": {"Comment": "weekly patching", "TimeoutSeconds": 600,
                                       "ServiceRoleArn": role_arn(account, SNS_ROLE),
                                       "NotificationConfig": {"NotificationArn": "arn:aws:sns:us-east-1:%s:patching"
                                                              % account, "NotificationEvents": ["Failed"],
                                                              "NotificationType": "Command"},
                                       "Parameters": {"Operation": ["Install"]}}},
        "AUTOMATION": {"Automation": {"DocumentVersion": "$DEFAULT",
                                      "Parameters": {"InstanceId": ["{{ RESOURCE_ID }}"]}}},
        "STEP_FUNCTIONS": {"StepFunctions": {"Input": '{"wave": 1}', "Name": "patch-wave"}},
        "LAMBDA": {"Lambda": {"ClientContext": "e30=", "Payload": "eyJyZXBvcnQiOiB0cnVlfQ=="}},
    }[task_type]


# name -> (type, role: "slr", "none" or "custom")
SAMPLE_TASKS = {
    "run-command-slr-sns": ("RUN_COMMAND", "slr"),
    "run-command-none": ("RUN_COMMAND", "none"),
    "automation-slr": ("AUTOMATION", "slr"),
    "step-functions-none": ("STEP_FUNCTIONS", "none"),
    "lambda-slr": ("LAMBDA", "slr"),
    "run-command-custom": ("RUN_COMMAND", "custom"),
    "lambda-custom": ("LAMBDA", "custom"),
}


def create_window(endpoint_url, account, region, name="patching", tasks=None):
    """A window in ``region`` with ``tasks`` ({name: (type, role)}, default SAMPLE_TASKS);
    returns (window id, {task name: task id})."""
    ssm = aws.account_client(endpoint_url, account, "ssm", region=region)
    window = ssm.create_maintenance_window(Name=name, Schedule="cron(0 3 ? * SUN *)", Duration=3, Cutoff=1,
                                           AllowUnassociatedTargets=True)["WindowId"]
    ids = {}
    for task_name, (task_type, role) in (tasks or SAMPLE_TASKS).items():
        request = dict(WindowId=window, Name=task_name, TaskType=task_type, Priority=1,
                       TaskArn=_task_arn(task_type, account, region), MaxConcurrency="2", MaxErrors="1",
                       Description="%s task" % task_type.lower(),
                       Targets=[{"Key": "InstanceIds", "Values": ["i-0123456789abcdef0"]}],
                       TaskInvocationParameters=_invocation_parameters(task_type, account))
        if role != "none":
            request["ServiceRoleArn"] = slr_arn(account) if role == "slr" else role_arn(account, CUSTOM_ROLE)
        ids[task_name] = ssm.register_task_with_maintenance_window(**request)["WindowTaskId"]
    return window, ids


def full_tasks(endpoint_url, account, region):
    """Every task of every window of the region, as GetMaintenanceWindowTask answers: {task id: task}."""
    ssm = aws.account_client(endpoint_url, account, "ssm", region=region)
    tasks = {}
    for window in ssm.describe_maintenance_windows()["WindowIdentities"]:
        for task in ssm.describe_maintenance_window_tasks(WindowId=window["WindowId"])["Tasks"]:
            found = ssm.get_maintenance_window_task(WindowId=window["WindowId"], WindowTaskId=task["WindowTaskId"])
            found.pop("ResponseMetadata", None)
            tasks[task["WindowTaskId"]] = found
    return tasks


def allow_passing_roles(endpoint_url, account):
    """The automation's role may pass roles, as AWS's OrganizationAccountAccessRole (with
    AdministratorAccess) may; moto creates it with no policy."""
    iam = aws.account_client(endpoint_url, account, "iam")
    iam.put_role_policy(RoleName=aws.ADMIN_ROLE, PolicyName="pass-roles", PolicyDocument=(
        '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"iam:PassRole","Resource":"*"}]}'))
