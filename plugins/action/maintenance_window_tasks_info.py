# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Runs fleetiam.maintenance_windows.maintenance_window_tasks_info in-process on the controller (see plugin_utils/in_process.py)."""

from __future__ import annotations

from ansible_collections.fleetiam.maintenance_windows.plugins.module_utils.window_tasks import (
    MaintenanceWindowTasksInfo,
    window_tasks_options,
)
from ansible_collections.fleetiam.maintenance_windows.plugins.plugin_utils.in_process import InProcessAction


class ActionModule(InProcessAction):
    reconciler = MaintenanceWindowTasksInfo
    resource_options = staticmethod(window_tasks_options)
