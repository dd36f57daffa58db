# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Runs fleetiam.maintenance_windows.maintenance_window_task in-process on the controller (see plugin_utils/in_process.py)."""

from __future__ import annotations

from ansible_collections.fleetiam.maintenance_windows.plugins.module_utils.window_task import (
    MaintenanceWindowTaskRole,
    window_task_options,
)
from ansible_collections.fleetiam.maintenance_windows.plugins.plugin_utils.in_process import InProcessAction


class ActionModule(InProcessAction):
    reconciler = MaintenanceWindowTaskRole
    resource_options = staticmethod(window_task_options)
