# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
name: fleet
type: stdout
short_description: One line per account and change or failure, for runs on fleets of accounts
version_added: 0.1.0
description:
  - A stdout callback for the fleet playbooks (C(setup), C(teardown), C(audit)) on hundreds of
    accounts. At the default verbosity it prints, instead of every task of every account, one
    line per account and resource that changes (or in a preview would change) and one per
    failure, with its message once; the diffs under C(--diff); the messages of C(debug) tasks
    (the fleet summary, the progress of each batch, where the report is); and the PLAY RECAP.
  - With C(-v) or more it prints exactly what Ansible's C(default) callback prints.
  - "Ansible takes its stdout callback from its configuration, not from a playbook: select it
    in C(ansible.cfg) (C([defaults] stdout_callback = fleetiam.maintenance_windows.fleet)) or
    for one run with C(ANSIBLE_STDOUT_CALLBACK=fleetiam.maintenance_windows.fleet)."
author: fleetiam maintainers (@fleetiam)
extends_documentation_fragment:
  - default_callback
  - result_format_callback
requirements:
  - set as stdout callback in the configuration
"""

EXAMPLES = r"""
# ansible.cfg
# [defaults]
# stdout_callback = fleetiam.maintenance_windows.fleet
#
# or for one run:
# ANSIBLE_STDOUT_CALLBACK=fleetiam.maintenance_windows.fleet ansible-playbook -i fleet.yml fleetiam.maintenance_windows.setup --check --diff
"""

from ansible import constants as C
from ansible.playbook.task_include import TaskInclude
from ansible.plugins.callback.default import CallbackModule as DefaultCallback

from ansible_collections.fleetiam.maintenance_windows.plugins.plugin_utils.step_results import action_of


def _result_of(result):
    """The result dict, host name and task of a callback's task result (ansible-core 2.17 to 2.19+)."""
    try:
        return result.result, result.host.get_name(), result.task
    except AttributeError:  # before ansible-core 2.19
        return result._result, result._host.get_name(), result._task


def _change_of(res, check_mode):
    """"would create", "created", "attached", ... as the fleet summary says it."""
    if res.get("change") in ("create", "update", "delete"):
        return action_of(res, check_mode)
    return "would change" if check_mode else "changed"


def _task_name(task):
    """The task's own name, without its role's ("permissions : Task 1 | ..." is "Task 1 | ...")."""
    name = task.get_name().strip()
    return name.split(" : ", 1)[-1] if task._role else name


class CallbackModule(DefaultCallback):
    CALLBACK_VERSION = 2.0
    CALLBACK_TYPE = "stdout"
    CALLBACK_NAME = "fleetiam.maintenance_windows.fleet"

    def _compact(self):
        return self._display.verbosity < 1

    def _line(self, host, task, what, color, item=None):
        name = _task_name(task)
        label = " (%s)" % item if item is not None else ""
        self._display.display("%-8s %s  %s%s: %s" % (color[1], host, name, label, what), color=color[0])

    def _warnings(self, result, res):
        if hasattr(self, "_handle_warnings_and_exception"):  # ansible-core 2.19+
            self._handle_warnings_and_exception(result)
        else:
            self._handle_warnings(res)

    def _show_diffs(self, res, task):
        if not task.diff:
            return
        for one in res.get("results") or [res]:
            if one.get("changed") and one.get("diff"):
                text = self._get_diff(one["diff"])
                if text:
                    self._display.display(text)

    # -- results -------------------------------------------------------------------------
    def v2_runner_on_ok(self, result):
        if not self._compact():
            return super().v2_runner_on_ok(result)
        res, host, task = _result_of(result)
        if isinstance(task, TaskInclude):
            return None
        self._warnings(result, res)
        if task.action in ("debug", "ansible.builtin.debug", "ansible.legacy.debug") and "msg" in res:
            msg = res["msg"]
            self._display.display("\n".join(msg) if isinstance(msg, list) else str(msg))
            return None
        if res.get("changed") and not (task.loop and "results" in res):
            self._line(host, task, _change_of(res, task.check_mode), (C.COLOR_CHANGED, "changed"))
        return None

    def v2_runner_item_on_ok(self, result):
        if not self._compact():
            return super().v2_runner_item_on_ok(result)
        res, host, task = _result_of(result)
        if res.get("changed") and not isinstance(task, TaskInclude):
            self._line(host, task, _change_of(res, task.check_mode), (C.COLOR_CHANGED, "changed"),
                       item=self._get_item_label(res))
        return None

    def v2_runner_on_failed(self, result, ignore_errors=False):
        if not self._compact():
            return super().v2_runner_on_failed(result, ignore_errors)
        res, host, task = _result_of(result)
        if not (task.loop and "results" in res):  # a loop's items have said it
            self._line(host, task, self._message(res), (C.COLOR_ERROR, "FAILED"))
        return None

    def v2_runner_item_on_failed(self, result):
        if not self._compact():
            return super().v2_runner_item_on_failed(result)
        res, host, task = _result_of(result)
        self._line(host, task, self._message(res), (C.COLOR_ERROR, "FAILED"), item=self._get_item_label(res))
        return None

    @staticmethod
    def _message(res):
        return " ".join(str(res.get("msg") or res.get("reason") or "failed").split())

    def v2_runner_on_skipped(self, result):
        if not self._compact():
            super().v2_runner_on_skipped(result)

    def v2_runner_item_on_skipped(self, result):
        if not self._compact():
            super().v2_runner_item_on_skipped(result)

    def v2_on_file_diff(self, result):
        if not self._compact():
            return super().v2_on_file_diff(result)
        res, _host, task = _result_of(result)
        self._show_diffs(res, task)
        return None

    # -- banners -------------------------------------------------------------------------
    def v2_playbook_on_task_start(self, task, is_conditional):
        if not self._compact():
            super().v2_playbook_on_task_start(task, is_conditional)

    def v2_playbook_on_handler_task_start(self, task):
        if not self._compact():
            super().v2_playbook_on_handler_task_start(task)

    def v2_playbook_on_include(self, included_file):
        if not self._compact():
            super().v2_playbook_on_include(included_file)

    def v2_playbook_on_play_start(self, play):
        if not self._compact():
            return super().v2_playbook_on_play_start(play)
        if self._play is None or self._play.get_name() != play.get_name():  # a play's later batches: no banner
            self._display.banner("PLAY [%s]" % play.get_name().strip())
        self._play = play
        return None

    def v2_playbook_on_no_hosts_matched(self):
        if not self._compact():
            super().v2_playbook_on_no_hosts_matched()
