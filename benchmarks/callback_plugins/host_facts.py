# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Benchmark callback: what the facts Ansible keeps for each host weigh at the playbook's end.

Enabled by benchmarks/run.py only, for both tools. Ansible keeps every host's facts (set_fact,
registered results) until the playbook ends, each host its own copy, so they are what grows
the main process with the fleet whatever the machine's load; a peak RSS read on a busy
machine also holds results waiting to be processed. The figure is the deep size
(sys.getsizeof of every object reachable once) of the facts of each host, as JSON to
BENCH_HOST_FACTS_FILE: the mean per host, the largest host, and the largest facts.
"""

from __future__ import annotations

DOCUMENTATION = r"""
name: host_facts
type: aggregate
short_description: the deep size of each host's facts at the playbook's end, for benchmarks/run.py
description:
  - Writes {hosts, mean_bytes, max_bytes, largest} to BENCH_HOST_FACTS_FILE.
requirements:
  - enabled in callbacks_enabled
"""

import json
import os
import sys

from ansible.plugins.callback import CallbackBase


def deep_size(value, seen):
    if id(value) in seen:
        return 0
    seen.add(id(value))
    size = sys.getsizeof(value)
    if isinstance(value, dict):
        size += sum(deep_size(key, seen) + deep_size(item, seen) for key, item in value.items())
    elif isinstance(value, (list, tuple, set, frozenset)):
        size += sum(deep_size(item, seen) for item in value)
    elif hasattr(value, "__dict__"):
        size += deep_size(vars(value), seen)
    return size


class CallbackModule(CallbackBase):
    CALLBACK_VERSION = 2.0
    CALLBACK_TYPE = "aggregate"
    CALLBACK_NAME = "host_facts"
    CALLBACK_NEEDS_ENABLED = True

    def __init__(self, *args, **kwargs):
        super(CallbackModule, self).__init__(*args, **kwargs)
        self.variable_manager = None

    def v2_playbook_on_play_start(self, play):
        self.variable_manager = play.get_variable_manager()

    def v2_playbook_on_stats(self, stats):
        path = os.environ.get("BENCH_HOST_FACTS_FILE")
        if not path or self.variable_manager is None:
            return
        per_host, largest = [], {}
        for facts in list(self.variable_manager._nonpersistent_fact_cache.values()):
            sizes = {name: deep_size(value, set()) for name, value in facts.items()}
            per_host.append(sum(sizes.values()))
            for name, size in sizes.items():
                largest[name] = max(largest.get(name, 0), size)
        with open(path, "w") as handle:
            json.dump(dict(hosts=len(per_host), mean_bytes=round(sum(per_host) / max(1, len(per_host))),
                           max_bytes=max(per_host or [0]),
                           largest=dict(sorted(largest.items(), key=lambda item: -item[1])[:8])), handle)
