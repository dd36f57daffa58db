# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Which failures are worth another try, and trying again within a bounded time.

Transient failures (throttling, 5xx, 429, dropped connections, and each service's
temporary conditions from ``services.SERVICE_ERRORS``) are retried with jittered
exponential backoff inside a bounded total time; permanent ones (AccessDenied, not found,
validation) are raised at once.
"""

from __future__ import annotations

import random
import time

from ansible_collections.fleetiam.maintenance_windows.plugins.module_utils.aws_sdk import (
    BotoCoreError,
    ClientError,
    ConnectionClosedError,
    ConnectTimeoutError,
    EndpointConnectionError,
    ReadTimeoutError,
)
from ansible_collections.fleetiam.maintenance_windows.plugins.module_utils.services import transient_codes


class RetryPolicy(object):
    """How long to keep trying a transient failure: jittered backoff, bounded in total."""

    def __init__(self, max_attempts=10, base_delay=0.25, max_delay=8.0, deadline=90.0,
                 connection_attempts=3, sleep=time.sleep, clock=time.monotonic, rng=random.random):
        self.max_attempts = max_attempts
        self.base_delay = base_delay
        self.max_delay = max_delay
        self.deadline = deadline
        self.connection_attempts = connection_attempts
        self.sleep = sleep
        self.clock = clock
        self.rng = rng

    def delay(self, attempt):
        """Full jitter: uniform in [0, min(max_delay, base * 2**attempt)]."""
        return self.rng() * min(self.max_delay, self.base_delay * (2 ** attempt))


def error_code(exc):
    if isinstance(exc, ClientError):
        return exc.response.get("Error", {}).get("Code", "")
    return type(exc).__name__


def classify(exc, service=None):
    """``transient``, ``connection`` or ``permanent`` for an exception from botocore; without
    ``service``, every service's temporary conditions count as transient."""
    if isinstance(exc, ClientError):
        status = exc.response.get("ResponseMetadata", {}).get("HTTPStatusCode") or 0
        if error_code(exc) in transient_codes(service) or status >= 500 or status == 429:
            return "transient"
        return "permanent"
    if isinstance(exc, EndpointConnectionError):
        # Includes "connection refused": worth a short retry, not the full budget.
        return "connection"
    if isinstance(exc, (ConnectionClosedError, ReadTimeoutError, ConnectTimeoutError)):
        return "transient"
    if isinstance(exc, BotoCoreError) and "Connection" in type(exc).__name__:
        return "transient"
    return "permanent"


def call_with_retries(func, policy, service=None, **kwargs):
    """Call ``func(**kwargs)``; returns ``(response, retries)``."""
    started = policy.clock()
    attempt = 0
    connection_failures = 0
    while True:
        try:
            return func(**kwargs), attempt
        except (ClientError, BotoCoreError) as exc:
            # The retries spent so far, for the caller's count when this error ends the call.
            exc.retries = attempt
            kind = classify(exc, service)
            if kind == "permanent":
                raise
            if kind == "connection":
                connection_failures += 1
                if connection_failures >= policy.connection_attempts:
                    raise
            attempt += 1
            wait = policy.delay(attempt)
            if attempt >= policy.max_attempts or policy.clock() - started + wait > policy.deadline:
                raise
            policy.sleep(wait)
