# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations


class ModuleDocFragment(object):
    # The attributes of every module that changes resources.
    DOCUMENTATION = r"""
attributes:
  check_mode:
    description: Can run in check mode and return the changed status it would report.
    support: full
  diff_mode:
    description: Returns the before and after state when in diff mode.
    support: full
"""

    # The attributes of the read-only modules (extends_documentation_fragment: ...common.read_only).
    READ_ONLY = r"""
attributes:
  check_mode:
    description: Reads only, so check mode changes nothing; the results are the same.
    support: full
  diff_mode:
    description: Nothing is changed, so there is no diff to show.
    support: none
"""

    # The return values every module has (CHANGE: the modules that change resources).
    # ansible-core merges no RETURN from fragments (plugin_docs.add_fragments reads DOCUMENTATION
    # only), so each module's RETURN repeats these entries verbatim and
    # tests/integration/test_packaging.py fails when one differs from these.
    RETURN = r"""
api_calls:
  description: How many AWS API calls the task made.
  returned: success
  type: int
api_retries:
  description: How many of those were retries of transient failures.
  returned: success
  type: int
"""

    CHANGE = r"""
change:
  description: What was done (or in check mode would be done) to the resource - C(create),
    C(update), C(delete), or C(none) when nothing changed.
  returned: success
  type: str
  sample: create
"""
