# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Run a module's reconciler inside the controller's worker instead of a new Python process.

Account hosts are API targets with ``ansible_connection: local``: their modules would run
on the controller anyway, each one paying for a Python start, module packaging, the
botocore import and the loading of AWS service models (about 0.5 s of CPU per task).
Ansible's strategies import action plugins in the main process before forking workers,
so the imports below, the service models each action plugin's reconciler names in
``services`` (with a client of each), the Jinja plugins the roles' templates use and the
policy check's reference of the collection's own documents (all warmed when the action
plugin class is defined) are inherited by every worker.
The result is the module's result: same argument validation, check mode, diff, errors.

Any other connection, a task ``environment``, or ``FLEETIAM_MW_EXECUTION=module`` runs the
module itself, the ordinary way.
"""

from __future__ import annotations

import functools
import os

from ansible.module_utils.common.arg_spec import ArgumentSpecValidator
from ansible.module_utils.common.parameters import remove_values
from ansible.plugins.action import ActionBase
from ansible.plugins.loader import filter_loader, lookup_loader, test_loader

from ansible_collections.fleetiam.maintenance_windows.plugins.module_utils.arguments import build_argument_spec
from ansible_collections.fleetiam.maintenance_windows.plugins.module_utils import policy_reference
from ansible_collections.fleetiam.maintenance_windows.plugins.module_utils.errors import MaintenanceWindowError
from ansible_collections.fleetiam.maintenance_windows.plugins.module_utils.runner import reconcile
from ansible_collections.fleetiam.maintenance_windows.plugins.module_utils.sessions import warm_service_models

EXECUTION_ENV = "FLEETIAM_MW_EXECUTION"
COLLECTION = ".".join(__name__.split(".")[1:3])
PLUGINS = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
# Ansible's own lookups that the roles call (its filters and tests load all at once).
BUILTIN_LOOKUPS = ("env", "file", "vars")


@functools.lru_cache(maxsize=None)
def warm_jinja_plugins():
    """Load the collection's filters, tests and lookups, and Ansible's own, in this process.

    A template loads the plugins it names when it compiles, and a worker that has not
    inherited them loads each again, 5 to 20 ms apiece, in every task that uses one."""
    for loader, kind in ((filter_loader, "filter"), (test_loader, "test"), (lookup_loader, "lookup")):
        folder = os.path.join(PLUGINS, kind)
        names = sorted(name[:-3] for name in os.listdir(folder) if name.endswith(".py")) if os.path.isdir(folder) else []
        for name in ["%s.%s" % (COLLECTION, name) for name in names] + ["ansible.builtin.%s" % name for name in (
                BUILTIN_LOOKUPS if kind == "lookup" else ("bool",) if kind == "filter" else ("defined",))]:
            try:
                loader.get(name, class_only=True)
            except Exception:  # a warm-up only: the task that uses the plugin reports its error
                pass


class InProcessAction(ActionBase):
    """Base of the collection's action plugins: subclasses name a reconciler and its options."""

    TRANSFERS_FILES = False
    reconciler = None

    def __init_subclass__(cls, **kwargs):
        # Paid once in the main process, where Ansible imports action plugins before forking.
        super().__init_subclass__(**kwargs)
        warm_service_models(("sts",) + tuple(cls.reconciler.services))
        warm_jinja_plugins()
        policy_reference.warm()

    @staticmethod
    def resource_options():
        raise NotImplementedError

    def _runs_in_process(self):
        if os.environ.get(EXECUTION_ENV, "in_process") == "module":
            return False
        if any(self._task.environment or []):  # ``environment:`` applies to modules only
            return False
        return getattr(self._connection, "transport", None) == "local"

    def run(self, tmp=None, task_vars=None):
        self._supports_check_mode = True
        self._supports_async = False
        result = super(InProcessAction, self).run(tmp, task_vars)
        if not self._runs_in_process():
            result.update(self._execute_module(task_vars=task_vars, wrap_async=False))
            return result
        validation = ArgumentSpecValidator(build_argument_spec(self.resource_options())).validate(self._task.args)
        no_log_values = validation._no_log_values
        if validation.error_messages:
            result.update(failed=True, msg="; ".join(validation.error_messages))
            return remove_values(result, no_log_values)
        try:
            outcome = reconcile(self.reconciler, validation.validated_parameters, self._play_context.check_mode,
                                diff_mode=bool(self._task.diff))
        except MaintenanceWindowError as err:
            outcome = dict(failed=True, changed=False, **err.to_result())
        warnings = outcome.pop("warnings", None)
        if warnings:
            result.setdefault("warnings", []).extend(warnings)
        result.update(outcome)
        if "credentials" in outcome:
            # Shown censored, while a registered variable still holds the session.
            result["_ansible_no_log"] = True
        return remove_values(result, no_log_values)
