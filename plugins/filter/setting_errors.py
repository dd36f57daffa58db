# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
name: setting_errors
short_description: What in a role's settings cannot work together, or would grant too much
version_added: 0.1.0
description:
  - Checks the permissions role's C(mw_) settings that are each of the right type (see
    P(fleetiam.maintenance_windows.role_argument_errors#lookup)) but cannot work together, or
    would grant more than asked - a wildcard, a non-role ARN or another account's role as
    C(mw_sns_role_arn) (it becomes an C(iam:PassRole) Resource), a wildcard in the service
    role's name or path, an empty or malformed C(mw_trusted_services), a principal in both a
    pass-role and a deny list, one inline policy name for Task 3 and Task 4, the service role
    as its own Task 3 principal, a negative C(mw_batch_size).
  - Returns one message per problem, each naming the variable and ending with its fix; an
    empty list when the settings can work.
author: fleetiam maintainers (@fleetiam)
options:
  _input:
    description: The role's C(mw_) settings, by name.
    type: dict
    required: true
  account_id:
    description: The account's id, where known; the SNS role's account is compared with it.
    type: str
    default: ""
  partition:
    description: The account's partition, where known; the SNS role's partition is compared with it.
    type: str
    default: ""
"""

EXAMPLES = r"""
- name: Refuse settings that cannot work
  ansible.builtin.assert:
    that: __errors | length == 0
    fail_msg: "{{ __errors | join(' ') }}"
  vars:
    __errors: "{{ {'mw_sns_role_arn': mw_sns_role_arn} | fleetiam.maintenance_windows.setting_errors(account_id='111122223333') }}"
"""

RETURN = r"""
_value:
  description: One message per problem, each ending with its fix.
  type: list
  elements: str
"""

from ansible_collections.fleetiam.maintenance_windows.plugins.plugin_utils.setting_checks import setting_errors


class FilterModule(object):
    def filters(self):
        return dict(setting_errors=setting_errors)
