# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Benchmark callback: when each task started and ended on each host, as JSON lines.

Enabled by benchmarks/run.py only (ANSIBLE_CALLBACKS_ENABLED=task_timing), for both tools,
to tell where an account's time goes. The file is BENCH_TASK_TIMING_FILE. Each record is
written when its task ends, not kept: the benchmark measures the main process's memory,
and records held until the end would grow it by the tool's tasks per host.
"""

from __future__ import annotations

DOCUMENTATION = r"""
name: task_timing
type: aggregate
short_description: per host and task start and end times, for benchmarks/run.py
description:
  - Writes one JSON line of {host, task, action, status, start, end} per task and host to BENCH_TASK_TIMING_FILE.
requirements:
  - enabled in callbacks_enabled
"""

import json
import os
import time

from ansible.plugins.callback import CallbackBase


class CallbackModule(CallbackBase):
    CALLBACK_VERSION = 2.0
    CALLBACK_TYPE = "aggregate"
    CALLBACK_NAME = "task_timing"
    CALLBACK_NEEDS_ENABLED = True

    def __init__(self, *args, **kwargs):
        super(CallbackModule, self).__init__(*args, **kwargs)
        self._started = {}  # (host, task uuid) -> time.time() when its worker was started
        path = os.environ.get("BENCH_TASK_TIMING_FILE")
        # Line-buffered: a forked worker inherits no unwritten record.
        self._output = open(path, "w", buffering=1) if path else None

    def v2_runner_on_start(self, host, task):
        self._started[(host.get_name(), task._uuid)] = time.time()

    def _finish(self, result, status):
        host = result._host.get_name()
        task = result._task
        start = self._started.pop((host, task._uuid), None)
        if start is not None and self._output:
            self._output.write(json.dumps(dict(host=host, task=task.get_name(), action=task.action, status=status,
                                               start=start, end=time.time())) + "\n")

    def v2_runner_on_ok(self, result):
        self._finish(result, "ok")

    def v2_runner_on_failed(self, result, ignore_errors=False):
        self._finish(result, "failed")

    def v2_runner_on_skipped(self, result):
        self._finish(result, "skipped")

    def v2_runner_on_unreachable(self, result):
        self._finish(result, "unreachable")

    def v2_playbook_on_stats(self, stats):
        if self._output:
            self._output.close()
            self._output = None
