# -*- coding: utf-8 -*-
"""Test callback: the api_retries of every module result, summed per host, written as JSON
to the file named by API_RETRIES_FILE when the playbook ends.

Results the action censors (aws_account_info, which holds the assumed session) show no
api_retries: the retries of AssumeRole are not in these sums.
"""

from __future__ import annotations

import collections
import json
import os

from ansible.plugins.callback import CallbackBase


class CallbackModule(CallbackBase):
    CALLBACK_VERSION = 2.0
    CALLBACK_TYPE = "aggregate"
    CALLBACK_NAME = "api_retries"
    CALLBACK_NEEDS_ENABLED = True

    def __init__(self):
        super().__init__()
        self.retries = collections.Counter()

    def _count(self, result):
        data = result.result  # ansible-core 2.19's public result API
        for one in data.get("results", [data]):
            if isinstance(one, dict):
                self.retries[result.host.get_name()] += int(one.get("api_retries") or 0)

    def v2_runner_on_ok(self, result):
        self._count(result)

    def v2_runner_on_failed(self, result, ignore_errors=False):
        self._count(result)

    def v2_playbook_on_stats(self, stats):
        with open(os.environ["API_RETRIES_FILE"], "w") as handle:
            json.dump(dict(self.retries), handle, sort_keys=True)
