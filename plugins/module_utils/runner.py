# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""What every module's ``main()`` calls: connect, reconcile, and name the account on failure.

``module_main`` is the module edge (the only place a module exits); ``reconcile`` is shared
with the in-process action plugins (plugin_utils/in_process.py)."""

from __future__ import annotations

from ansible_collections.fleetiam.maintenance_windows.plugins.module_utils.arguments import build_argument_spec
from ansible_collections.fleetiam.maintenance_windows.plugins.module_utils.arns import account_of_arn
from ansible_collections.fleetiam.maintenance_windows.plugins.module_utils.aws_sdk import require_botocore
from ansible_collections.fleetiam.maintenance_windows.plugins.module_utils.context import AwsContext
from ansible_collections.fleetiam.maintenance_windows.plugins.module_utils.errors import (
    AwsApiError,
    MaintenanceWindowError,
)


def change_of(result):
    """What a resource's result did: create, update or delete (from its diff), or none."""
    if not result.get("changed"):
        return "none"
    diff = result.get("diff") or {}
    if diff.get("after") and not diff.get("before"):
        return "create"
    if diff.get("before") and not diff.get("after"):
        return "delete"
    return "update"


def reconcile(reconciler_class, params, check_mode, retry_policy=None, diff_mode=True):
    """Run one reconciler; every failure leaves as a ``MaintenanceWindowError``.

    Outside diff mode the result has no ``diff``: a fleet run's controller holds every
    account's registered results at once, and the documents in a diff are most of them.
    """
    ctx = None
    try:
        require_botocore()
        ctx = AwsContext(params, retry_policy)
        result = reconciler_class(ctx, params, check_mode).run()
        warnings = result.pop("warnings", None)
        if warnings:  # read from many accounts at once: each names its account
            result["warnings"] = ["account %s: %s" % (ctx.account_id, warning) for warning in warnings]
        if "diff" in result:
            result["change"] = change_of(result)
            if not diff_mode:
                del result["diff"]
        result["api_calls"] = sum(ctx.calls.values())
        result["api_retries"] = ctx.retries
        return result
    except MaintenanceWindowError as err:
        if not err.account:
            known = ctx and getattr(ctx, "_account_id", None)
            err.account = known or params.get("account_id") or account_of_arn(params.get("assume_role_arn"))
        raise
    except Exception as exc:  # botocore's own errors (parameter validation, config) and the like
        if type(exc).__module__.startswith("botocore"):
            account = getattr(ctx, "_account_id", None) or params.get("account_id")
            raise AwsApiError("AWS client error: %s" % exc, account=account, code=type(exc).__name__,
                              fix="check the connection options and the input")
        raise


def module_main(module_class, reconciler_class, resource_options):
    """A module's main(): ``module_class`` is AnsibleModule (imported by the module itself)."""
    module = module_class(argument_spec=build_argument_spec(resource_options), supports_check_mode=True)
    try:
        result = reconcile(reconciler_class, module.params, module.check_mode, diff_mode=module._diff)
    except MaintenanceWindowError as err:
        module.fail_json(**err.to_result())
    module.exit_json(**result)
