# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Runs fleetiam.maintenance_windows.iam_policy_attachment in-process on the controller (see plugin_utils/in_process.py)."""

from __future__ import annotations

from ansible_collections.fleetiam.maintenance_windows.plugins.module_utils.attachment import PolicyAttachment, attachment_options
from ansible_collections.fleetiam.maintenance_windows.plugins.plugin_utils.in_process import InProcessAction


class ActionModule(InProcessAction):
    reconciler = PolicyAttachment
    resource_options = staticmethod(attachment_options)
