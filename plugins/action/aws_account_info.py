# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Runs fleetiam.maintenance_windows.aws_account_info in-process on the controller (see plugin_utils/in_process.py)."""

from __future__ import annotations

from ansible_collections.fleetiam.maintenance_windows.plugins.module_utils.account import AccountInfo, account_info_options
from ansible_collections.fleetiam.maintenance_windows.plugins.plugin_utils.in_process import InProcessAction


class ActionModule(InProcessAction):
    reconciler = AccountInfo
    resource_options = staticmethod(account_info_options)
