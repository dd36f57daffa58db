# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Who and where we are: the account facts every other task needs, read-only."""

from __future__ import annotations

import hashlib
import json

# The connection options a session is made for (the external id among them).
SESSION_SETTINGS = ("assume_role_arn", "external_id", "profile", "region", "endpoint_url")


def settings_digest(settings):
    """SHA-256 of the session options in ``settings`` (an unset option and an empty one alike):
    whoever keeps a session can tell whether it still serves the options at hand, without
    keeping the external id."""
    text = json.dumps([settings.get(name) or "" for name in SESSION_SETTINGS])
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def account_info_options():
    return dict(return_credentials=dict(type="bool", default=False))


class AccountInfo(object):
    services = ("sts",)  # warmed before Ansible forks (plugin_utils/in_process.py)

    def __init__(self, ctx, params, check_mode):
        self.ctx = ctx

    def run(self):
        """One call at most: AssumeRole already named the account, else GetCallerIdentity."""
        result = dict(changed=False, **self.ctx.identity())
        result["endpoint_url"] = self.ctx.params.get("endpoint_url")
        result["settings_digest"] = settings_digest(self.ctx.params)
        if self.ctx.assumed_credentials and self.ctx.params.get("return_credentials"):
            # For the next tasks of the same account, so that it is assumed once per run;
            # the role registers this result with no_log.
            result["credentials"] = dict(self.ctx.assumed_credentials)
        return result
