"""Transient AWS failures are retried with jittered backoff inside a bounded time; permanent
ones are raised at once. A fake clock stands in for time: no test waits."""

from __future__ import annotations

import pytest
from botocore.exceptions import (
    ConnectionClosedError,
    ConnectTimeoutError,
    EndpointConnectionError,
    NoCredentialsError,
    ParamValidationError,
    ReadTimeoutError,
)

from ansible_collections.fleetiam.maintenance_windows.plugins.module_utils.aws_sdk import ClientError
from ansible_collections.fleetiam.maintenance_windows.plugins.module_utils.retries import (
    RetryPolicy,
    call_with_retries,
    classify,
)


def client_error(code, status=400, operation="GetRole"):
    return ClientError({"Error": {"Code": code, "Message": "%s happened" % code},
                        "ResponseMetadata": {"HTTPStatusCode": status}}, operation)


class FakeTime(object):
    """A clock that only moves when the code under test sleeps."""

    def __init__(self):
        self.now = 1000.0
        self.sleeps = []

    def clock(self):
        return self.now

    def sleep(self, seconds):
        self.sleeps.append(seconds)
        self.now += seconds


class FlakyCall(object):
    """Raises the given exceptions in turn, then answers; records its keyword arguments."""

    def __init__(self, *failures):
        self.failures = list(failures)
        self.calls = []

    def __call__(self, **kwargs):
        self.calls.append(kwargs)
        if self.failures:
            raise self.failures.pop(0)
        return {"Role": {"RoleName": kwargs.get("RoleName")}}


def policy(time, rng=lambda: 1.0, **settings):
    return RetryPolicy(sleep=time.sleep, clock=time.clock, rng=rng, **settings)


@pytest.mark.parametrize("code", [
    "Throttling", "ThrottlingException", "RequestLimitExceeded", "TooManyRequestsException",
    "ServiceUnavailable", "InternalFailure", "ServiceFailure", "RequestTimeout",
    "EntityTemporarilyUnmodifiable", "ConcurrentModification", "PriorRequestNotComplete",
])
def test_throttling_and_iams_temporary_conditions_are_transient(code):
    assert classify(client_error(code)) == "transient"


@pytest.mark.parametrize("status", [500, 502, 503, 504, 429])
def test_server_errors_and_429_are_transient_whatever_their_code(status):
    assert classify(client_error("SomethingNew", status=status)) == "transient"


@pytest.mark.parametrize("code", [
    "AccessDenied", "NoSuchEntity", "EntityAlreadyExists", "MalformedPolicyDocument", "LimitExceeded",
    "DeleteConflict", "ValidationError", "InvalidClientTokenId",
])
def test_client_mistakes_and_refusals_are_permanent(code):
    assert classify(client_error(code)) == "permanent"


def test_dropped_and_timed_out_connections_are_transient():
    assert classify(ConnectionClosedError(endpoint_url="http://127.0.0.1:1")) == "transient"
    assert classify(ReadTimeoutError(endpoint_url="http://127.0.0.1:1")) == "transient"
    assert classify(ConnectTimeoutError(endpoint_url="http://127.0.0.1:1")) == "transient"


def test_an_unreachable_endpoint_is_a_connection_failure():
    assert classify(EndpointConnectionError(endpoint_url="http://127.0.0.1:1")) == "connection"


def test_other_botocore_errors_are_permanent():
    assert classify(NoCredentialsError()) == "permanent"
    assert classify(ParamValidationError(report="RoleName is missing")) == "permanent"


def test_a_call_that_succeeds_is_made_once_without_waiting():
    time = FakeTime()
    call = FlakyCall()
    assert call_with_retries(call, policy(time), RoleName="MwRole") == ({"Role": {"RoleName": "MwRole"}}, 0)
    assert call.calls == [{"RoleName": "MwRole"}]
    assert time.sleeps == []


def test_transient_failures_are_retried_with_the_same_arguments_until_the_call_succeeds():
    time = FakeTime()
    call = FlakyCall(client_error("Throttling"), client_error("ServiceUnavailable", 503),
                     ConnectionClosedError(endpoint_url="http://127.0.0.1:1"))
    response, retries = call_with_retries(call, policy(time), RoleName="MwRole")
    assert response == {"Role": {"RoleName": "MwRole"}}
    assert retries == 3
    assert call.calls == [{"RoleName": "MwRole"}] * 4
    assert len(time.sleeps) == 3


def test_a_permanent_failure_is_raised_at_once():
    time = FakeTime()
    call = FlakyCall(client_error("AccessDenied"))
    with pytest.raises(ClientError) as raised:
        call_with_retries(call, policy(time))
    assert raised.value.response["Error"]["Code"] == "AccessDenied"
    assert raised.value.retries == 0
    assert len(call.calls) == 1
    assert time.sleeps == []


def test_a_permanent_failure_after_transient_ones_carries_the_retries_spent():
    time = FakeTime()
    call = FlakyCall(client_error("Throttling"), client_error("Throttling"), client_error("NoSuchEntity"))
    with pytest.raises(ClientError) as raised:
        call_with_retries(call, policy(time))
    assert raised.value.retries == 2
    assert len(call.calls) == 3


def test_the_backoff_doubles_from_the_base_delay_up_to_the_maximum():
    time = FakeTime()
    call = FlakyCall(*[client_error("Throttling")] * 7)
    call_with_retries(call, policy(time, base_delay=0.25, max_delay=8.0, max_attempts=10, deadline=1000))
    assert time.sleeps == [0.5, 1.0, 2.0, 4.0, 8.0, 8.0, 8.0]


def test_the_backoff_is_jittered_uniformly_below_the_exponential_bound():
    time = FakeTime()
    draws = iter([0.5, 0.0, 0.25])
    call = FlakyCall(*[client_error("Throttling")] * 3)
    call_with_retries(call, policy(time, rng=lambda: next(draws), base_delay=1.0, max_delay=100.0))
    assert time.sleeps == [0.5 * 2, 0.0 * 4, 0.25 * 8]


def test_transient_failures_stop_after_max_attempts_calls():
    time = FakeTime()
    call = FlakyCall(*[client_error("Throttling")] * 10)
    with pytest.raises(ClientError) as raised:
        call_with_retries(call, policy(time, max_attempts=4, deadline=1000))
    assert len(call.calls) == 4
    assert raised.value.retries == 3
    assert len(time.sleeps) == 3


def test_transient_failures_stop_before_a_wait_would_pass_the_deadline():
    time = FakeTime()
    call = FlakyCall(*[client_error("Throttling")] * 10)
    # Waits of 2, 4, 8 (14 s in all) fit in 20 s; the next wait of 16 would not.
    with pytest.raises(ClientError):
        call_with_retries(call, policy(time, base_delay=1.0, max_delay=100.0, max_attempts=50, deadline=20.0))
    assert time.sleeps == [2.0, 4.0, 8.0]
    assert len(call.calls) == 4


def test_time_spent_inside_the_calls_counts_towards_the_deadline():
    time = FakeTime()
    calls = []

    def slow_throttled_call():
        calls.append(time.now)
        time.now += 30  # each answer takes 30 s to arrive
        raise client_error("Throttling")

    # After the third answer 91.5 s have passed: no further wait fits in 90 s.
    with pytest.raises(ClientError):
        call_with_retries(slow_throttled_call, policy(time, base_delay=0.25, max_attempts=50, deadline=90.0))
    assert len(calls) == 3
    assert time.sleeps == [0.5, 1.0]


def test_an_unreachable_endpoint_is_tried_only_a_few_times():
    time = FakeTime()
    call = FlakyCall(*[EndpointConnectionError(endpoint_url="http://127.0.0.1:1")] * 10)
    with pytest.raises(EndpointConnectionError):
        call_with_retries(call, policy(time, connection_attempts=3, max_attempts=10))
    assert len(call.calls) == 3
    assert len(time.sleeps) == 2


def test_connection_failures_mixed_with_throttling_count_only_themselves():
    time = FakeTime()
    refused = EndpointConnectionError(endpoint_url="http://127.0.0.1:1")
    call = FlakyCall(refused, client_error("Throttling"), refused, client_error("Throttling"))
    assert call_with_retries(call, policy(time, connection_attempts=3, deadline=1000))[1] == 4
