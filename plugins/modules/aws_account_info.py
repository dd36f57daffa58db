#!/usr/bin/python
# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
module: aws_account_info
short_description: Account id, partition and caller of the AWS credentials, assuming a role if asked
version_added: 0.1.0
description:
  - Tells which account the given credentials act in, its partition and the caller's ARN.
  - With O(assume_role_arn) it assumes the role once and can hand its temporary
    credentials to the next tasks (O(return_credentials)), so a play acts in each account
    through one session. It runs in check mode too, so a C(--check) preview can reach
    every account.
  - "At most one API call: C(sts:AssumeRole) when a role is assumed, else C(sts:GetCallerIdentity)."
author: fleetiam maintainers (@fleetiam)
extends_documentation_fragment:
  - fleetiam.maintenance_windows.connection
  - fleetiam.maintenance_windows.common.read_only
options:
  return_credentials:
    description:
      - Return the assumed role's temporary credentials as RV(credentials), for later tasks.
      - "Register the result with C(no_log: true) when you use this."
    type: bool
    default: false
"""

EXAMPLES = r"""
- name: Which account do the ambient credentials act in?
  fleetiam.maintenance_windows.aws_account_info:
  register: account

- name: Assume the fleet role once and keep its session for the next tasks
  fleetiam.maintenance_windows.aws_account_info:
    assume_role_arn: "arn:aws:iam::111122223333:role/OrganizationAccountAccessRole"
    return_credentials: true
  register: account_session
  no_log: true
"""

RETURN = r"""
account_id:
  description: The 12-digit account id acted in.
  returned: success
  type: str
  sample: "111122223333"
partition:
  description: The AWS partition.
  returned: success
  type: str
  sample: aws
caller_arn:
  description: The ARN of the identity the calls are made as.
  returned: success
  type: str
  sample: arn:aws:sts::111122223333:assumed-role/OrganizationAccountAccessRole/fleetiam-maintenance-windows
region:
  description: The region used for STS.
  returned: success
  type: str
endpoint_url:
  description: The custom endpoint, if one was given.
  returned: success
  type: str
settings_digest:
  description:
    - SHA-256 of the options the session was made for (O(assume_role_arn), O(external_id), O(profile),
      O(region), O(endpoint_url)), so that a playbook that keeps this result can tell whether it
      still serves its options without keeping the external id. Filter
      P(fleetiam.maintenance_windows.settings_digest#filter) gives the same of the options at hand.
  returned: success
  type: str
  sample: 3f0a9c1be6d34f6d0e1f4b5a7c8d9e0f1a2b3c4d5e6f708192a3b4c5d6e7f809
credentials:
  description: The assumed role's temporary credentials.
  returned: when O(assume_role_arn) and O(return_credentials) are set
  type: dict
  contains:
    access_key:
      description: Access key id.
      type: str
    secret_key:
      description: Secret access key.
      type: str
    session_token:
      description: Session token.
      type: str
    expiration:
      description: When the credentials expire.
      type: str
api_calls:
  description: How many AWS API calls the task made.
  returned: success
  type: int
api_retries:
  description: How many of those were retries of transient failures.
  returned: success
  type: int
"""

from ansible.module_utils.basic import AnsibleModule

from ansible_collections.fleetiam.maintenance_windows.plugins.module_utils.account import (
    AccountInfo,
    account_info_options,
)
from ansible_collections.fleetiam.maintenance_windows.plugins.module_utils.runner import module_main


def main():
    module_main(AnsibleModule, AccountInfo, account_info_options())


if __name__ == "__main__":
    main()
