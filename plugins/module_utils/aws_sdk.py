# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The botocore names the collection uses, imported in this one place.

Without botocore the names still exist (stand-in exception classes, so that ``except``
clauses and ``isinstance`` checks elsewhere stay valid) and ``require_botocore()``, which
every entry point calls before any AWS call, says how to install it. Only botocore is
imported: boto3 adds import time and nothing the collection uses.
"""

from __future__ import annotations

import sys

from ansible_collections.fleetiam.maintenance_windows.plugins.module_utils.errors import CredentialsError

try:
    import botocore.session as botocore_session
    import jmespath  # botocore's own dependency, for its paginator configs' token expressions
    from botocore.config import Config
    from botocore.hooks import HierarchicalEmitter
    from botocore.exceptions import (
        BotoCoreError,
        ClientError,
        ConnectionClosedError,
        ConnectTimeoutError,
        EndpointConnectionError,
        NoCredentialsError,
        PartialCredentialsError,
        ProfileNotFound,
        ReadTimeoutError,
    )
    BOTOCORE_IMPORT_ERROR = None
except ImportError as exc:
    BOTOCORE_IMPORT_ERROR = exc
    botocore_session = Config = HierarchicalEmitter = jmespath = None

    class BotoCoreError(Exception):
        """Stand-in: nothing raises it without botocore."""

    # Distinct stand-ins, as botocore's are: an ``except`` of one never catches another.
    (ClientError, ConnectionClosedError, ConnectTimeoutError, EndpointConnectionError, NoCredentialsError,
     PartialCredentialsError, ProfileNotFound, ReadTimeoutError) = (
        type(name, (BotoCoreError,), {}) for name in (
            "ClientError", "ConnectionClosedError", "ConnectTimeoutError", "EndpointConnectionError",
            "NoCredentialsError", "PartialCredentialsError", "ProfileNotFound", "ReadTimeoutError"))


def require_botocore():
    """Raised at the entry points when botocore is missing, with the install command."""
    if BOTOCORE_IMPORT_ERROR is not None:
        raise CredentialsError("botocore is not installed for %s" % sys.executable,
                               fix="pip install botocore boto3 (see requirements.txt)")


__all__ = ["BOTOCORE_IMPORT_ERROR", "BotoCoreError", "ClientError", "Config", "ConnectionClosedError",
           "ConnectTimeoutError", "EndpointConnectionError", "HierarchicalEmitter", "NoCredentialsError", "PartialCredentialsError",
           "ProfileNotFound", "ReadTimeoutError", "botocore_session", "jmespath", "require_botocore"]
