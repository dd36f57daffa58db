# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
name: collection_version
short_description: The version of the fleetiam.maintenance_windows collection that runs
version_added: 0.1.0
description:
  - The version of this collection (its C(galaxy.yml)), as its modules send it in their user
    agent - for reports that say which version made them.
  - Works the same from a repository checkout and from an installed collection.
author: fleetiam maintainers (@fleetiam)
options: {}
"""

EXAMPLES = r"""
- name: Which version of the collection runs
  ansible.builtin.debug:
    msg: "fleetiam.maintenance_windows {{ lookup('fleetiam.maintenance_windows.collection_version') }}"
"""

RETURN = r"""
_raw:
  description: One item, the version, for example C(0.1.0).
  type: list
  elements: str
"""

from ansible.plugins.lookup import LookupBase

from ansible_collections.fleetiam.maintenance_windows.plugins.module_utils.version import COLLECTION_VERSION


class LookupModule(LookupBase):

    def run(self, terms, variables=None, **kwargs):
        return [COLLECTION_VERSION]
