# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The collection's version, for the user agent.

``galaxy.yml`` is the source of truth; it is not shipped inside a module's payload, so the
version is repeated here as a constant and tests/unit/test_version.py fails when the two differ.
"""

from __future__ import annotations

COLLECTION_VERSION = "0.1.0"
USER_AGENT = "fleetiam.maintenance_windows/%s" % COLLECTION_VERSION
