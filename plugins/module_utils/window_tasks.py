# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Maintenance window tasks still on the service-linked role, in every region of an account.

Maintenance windows are regional and IAM is global: one session (``ctx``) serves every
region through ``ctx.in_region``. The regions are the caller's, or every region enabled in
the account (``ec2:DescribeRegions``, which lists only enabled ones; opt-in regions not
opted in are left out). A region that cannot be read is reported with its error and the
others are read all the same.

Calls per region: DescribeMaintenanceWindows, DescribeMaintenanceWindowTasks once per window
(both in pages); DescribeRegions once when no regions are given. Nothing is written.
"""

from __future__ import annotations

from ansible_collections.fleetiam.maintenance_windows.plugins.module_utils.errors import MaintenanceWindowError

SERVICE_LINKED_ROLE_NAME = "AWSServiceRoleForAmazonSSM"
TASK_TYPES = ("RUN_COMMAND", "AUTOMATION", "STEP_FUNCTIONS", "LAMBDA")


def service_linked_role_arn(partition, account_id):
    return "arn:%s:iam::%s:role/aws-service-role/ssm.amazonaws.com/%s" % (
        partition, account_id, SERVICE_LINKED_ROLE_NAME)


def legacy_role_reason(service_role_arn):
    """Why a maintenance window task counts as still on the old default role, or None."""
    if not service_role_arn:
        return "no ServiceRoleArn: SSM uses the service-linked role %s" % SERVICE_LINKED_ROLE_NAME
    if service_role_arn.rsplit("/", 1)[-1] == SERVICE_LINKED_ROLE_NAME:
        return "runs with the service-linked role %s" % SERVICE_LINKED_ROLE_NAME
    return None


def target_summary(targets):
    """``WindowTargetIds=e3a...; tag:Env=prod`` for a task's Targets; ``no targets``."""
    parts = ["%s=%s" % (target.get("Key", ""), ",".join(target.get("Values") or [])) for target in targets or []]
    return "; ".join(parts) or "no targets"


def window_tasks_options():
    return dict(
        regions=dict(type="list", elements="str"),
        windows=dict(type="list", elements="str", default=[]),
        task_types=dict(type="list", elements="str", choices=list(TASK_TYPES), default=list(TASK_TYPES)),
    )


def enabled_regions(ctx):
    """Every region enabled in the account, sorted."""
    regions = ctx.read("ec2", "describe_regions", "the account's regions")["Regions"]
    return sorted(region["RegionName"] for region in regions
                  if region.get("OptInStatus", "opt-in-not-required") != "not-opted-in")


class WindowTaskListing(object):
    """The tasks of the selected windows and types that run with the service-linked role."""

    def __init__(self, ctx, regions=None, windows=(), task_types=TASK_TYPES):
        self.ctx = ctx
        self.regions = list(regions) if regions else None
        self.windows = set(windows or ())
        self.task_types = set(task_types or TASK_TYPES)

    def _in_region(self, region):
        ctx = self.ctx.in_region(region)
        windows = ctx.pages("ssm", "describe_maintenance_windows", "WindowIdentities",
                            "maintenance windows in %s" % region)
        if self.windows:
            windows = [w for w in windows if w["WindowId"] in self.windows or w.get("Name") in self.windows]
        found, task_count = [], 0
        for window in windows:
            tasks = ctx.pages("ssm", "describe_maintenance_window_tasks", "Tasks",
                              "maintenance window %s in %s" % (window["WindowId"], region),
                              WindowId=window["WindowId"])
            task_count += len(tasks)
            for task in tasks:
                reason = legacy_role_reason(task.get("ServiceRoleArn"))
                if reason and task.get("Type") in self.task_types:
                    found.append(dict(
                        region=region, window_id=window["WindowId"], window_name=window.get("Name") or "",
                        task_id=task["WindowTaskId"], task_name=task.get("Name") or "",
                        task_type=task.get("Type") or "", task_arn=task.get("TaskArn") or "",
                        targets=target_summary(task.get("Targets")),
                        service_role_arn=task.get("ServiceRoleArn") or "", reason=reason))
        return found, len(windows), task_count

    def run(self):
        regions = self.regions or enabled_regions(self.ctx)
        result = dict(regions=regions, legacy_role_tasks=[], maintenance_windows=0, maintenance_window_tasks=0,
                      region_errors=[])
        for region in regions:
            try:
                found, window_count, task_count = self._in_region(region)
            except MaintenanceWindowError as err:  # that region is reported; the others are read
                result["region_errors"].append(dict(region=region, error=err.message()))
                continue
            result["legacy_role_tasks"] += found
            result["maintenance_windows"] += window_count
            result["maintenance_window_tasks"] += task_count
        return result


class MaintenanceWindowTasksInfo(object):
    """Read-only: ``check_mode`` changes nothing, there is nothing to write."""

    services = ("ec2", "ssm")  # warmed before Ansible forks (plugin_utils/in_process.py)

    def __init__(self, ctx, params, check_mode):
        self.listing = WindowTaskListing(ctx, params.get("regions"), params.get("windows"), params.get("task_types"))
        self.ctx = ctx

    def run(self):
        return dict(self.listing.run(), changed=False, account_id=self.ctx.account_id)
