# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
name: settings_digest
short_description: The digest of the connection options a session of aws_account_info is made for
version_added: 0.1.0
description:
  - "SHA-256 of the options C(assume_role_arn), C(external_id), C(profile), C(region) and
    C(endpoint_url), an unset option and an empty one alike: the RV(fleetiam.maintenance_windows.aws_account_info#module:settings_digest)
    that M(fleetiam.maintenance_windows.aws_account_info) returns of a session made with them."
  - Compared with a kept session's digest, it tells whether that session still serves the options
    at hand (another account, identity or endpoint needs a session of its own).
author: fleetiam maintainers (@fleetiam)
options:
  _input:
    description: The options, by the module's option names; others are ignored.
    type: dict
    required: true
"""

EXAMPLES = r"""
# A skipped task registers too: decide with a fact, and include the connection only where needed.
- name: Whether the session kept in account_session still serves this account
  ansible.builtin.set_fact:
    session_serves: >-
      {{ account_session.settings_digest | default('')
         == {'assume_role_arn': account_role_arn} | fleetiam.maintenance_windows.settings_digest }}
"""

RETURN = r"""
_value:
  description: A hexadecimal SHA-256 digest.
  type: str
"""

from ansible_collections.fleetiam.maintenance_windows.plugins.module_utils.account import settings_digest


class FilterModule(object):
    def filters(self):
        return dict(settings_digest=settings_digest)
