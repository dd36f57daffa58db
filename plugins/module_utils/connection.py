# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Connection, credentials, assume-role and retries: the one place modules talk to AWS.

Only botocore is imported (boto3 adds import time and nothing these modules use). Every
call goes through ``AwsContext.call``, which classifies errors once: transient ones
(throttling, 5xx, dropped connections, IAM's EntityTemporarilyUnmodifiable and
ConcurrentModification) are retried with jittered exponential backoff inside a bounded
total time; permanent ones (AccessDenied, NoSuchEntity, validation) are raised at once.
"""

from __future__ import annotations

import functools
import random
import time

from ansible_collections.fleetiam.maintenance_windows.plugins.module_utils.arns import (
    account_of_arn,
    parse_iam_arn,
    partition_for_region,
    partition_of_arn,
    validate_account_id,
    validate_partition,
)
from ansible_collections.fleetiam.maintenance_windows.plugins.module_utils.errors import (
    AwsApiError,
    CredentialsError,
    InvalidInputError,
)

try:
    import botocore.session
    from botocore.config import Config
    from botocore.exceptions import (
        BotoCoreError,
        ClientError,
        ConnectionClosedError,
        EndpointConnectionError,
        NoCredentialsError,
        PartialCredentialsError,
        ProfileNotFound,
        ReadTimeoutError,
        ConnectTimeoutError,
    )
    BOTOCORE_IMPORT_ERROR = None
except ImportError as exc:  # reported by require_botocore() in the module edge
    BOTOCORE_IMPORT_ERROR = exc

COLLECTION_VERSION = "0.1.0"
USER_AGENT = "fleetiam.maintenance_windows/%s" % COLLECTION_VERSION

TRANSIENT_CODES = frozenset((
    "Throttling", "ThrottlingException", "ThrottledException", "RequestLimitExceeded",
    "TooManyRequestsException", "RequestThrottled", "RequestThrottledException",
    "SlowDown", "ServiceUnavailable", "ServiceUnavailableException", "InternalFailure",
    "InternalError", "ServiceFailure", "RequestTimeout", "RequestTimeoutException",
    "PriorRequestNotComplete", "EntityTemporarilyUnmodifiable", "ConcurrentModification",
    "IDPCommunicationError",
))

# IAM operations that take something away (see AwsContext.iam_write).
REMOVALS = ("delete_", "detach_", "remove_")


def connection_argument_spec():
    """The options every module shares: credentials, endpoint, assume-role, account hints."""
    return dict(
        profile=dict(type="str", aliases=["aws_profile"]),
        access_key=dict(type="str", aliases=["aws_access_key_id"], no_log=True),
        secret_key=dict(type="str", aliases=["aws_secret_access_key"], no_log=True),
        session_token=dict(type="str", aliases=["aws_session_token"], no_log=True),
        region=dict(type="str", aliases=["aws_region"]),
        endpoint_url=dict(type="str", aliases=["aws_endpoint_url"]),
        validate_certs=dict(type="bool", default=True),
        ca_bundle=dict(type="path", aliases=["aws_ca_bundle"]),
        assume_role_arn=dict(type="str"),
        external_id=dict(type="str", no_log=True),
        role_session_name=dict(type="str", default="fleetiam-maintenance-windows"),
        account_id=dict(type="str"),
        partition=dict(type="str", choices=["aws", "aws-cn", "aws-us-gov"]),
    )


def build_argument_spec(resource_options):
    """One function builds every module's spec: the shared connection options plus its own."""
    spec = connection_argument_spec()
    spec.update(resource_options)
    return spec


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


def classify(exc):
    """``transient``, ``connection`` or ``permanent`` for an exception from botocore."""
    if isinstance(exc, ClientError):
        code = error_code(exc)
        status = exc.response.get("ResponseMetadata", {}).get("HTTPStatusCode") or 0
        if code in TRANSIENT_CODES or status >= 500 or status == 429:
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


def call_with_retries(func, policy, **kwargs):
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
            kind = classify(exc)
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


@functools.lru_cache(maxsize=None)
def _shared_loader():
    """One botocore data loader per process: service models are parsed once, not per client."""
    return botocore.session.Session().get_component("data_loader")


def warm_service_models():
    """Load the IAM and STS models now (before Ansible forks its workers)."""
    if BOTOCORE_IMPORT_ERROR is None:
        session = _new_session()
        for service in ("iam", "sts"):
            session.get_service_model(service)
        session.get_component("endpoint_resolver")


def _new_session(profile=None):
    session = botocore.session.Session(profile=profile)
    session.register_component("data_loader", _shared_loader())
    session.user_agent_extra = USER_AGENT
    return session


def _botocore_session(params):
    try:
        session = _new_session(params.get("profile"))
        if params.get("profile"):
            session.get_scoped_config()  # botocore looks the profile up lazily: raise ProfileNotFound here
        if params.get("access_key") or params.get("secret_key"):
            if not (params.get("access_key") and params.get("secret_key")):
                raise CredentialsError("access_key and secret_key must be given together",
                                       fix="give both, or neither to use the environment or a profile")
            session.set_credentials(params["access_key"], params["secret_key"], params.get("session_token"))
        return session
    except ProfileNotFound:
        raise CredentialsError("the AWS profile %r does not exist" % params.get("profile"),
                               fix="add it to ~/.aws/config, or set mw_aws_profile / profile to one that exists")


class AwsContext(object):
    """One account's connection: clients on demand, every call retried and counted."""

    def __init__(self, params, retry_policy=None):
        self.params = params
        self.retry_policy = retry_policy or RetryPolicy()
        self.calls = {}
        self.retries = 0
        self.assumed_credentials = None
        self.caller_arn = None
        self._clients = {}
        self._account_id = validate_account_id(params.get("account_id"))
        self._partition = validate_partition(params.get("partition"))
        session = _botocore_session(params)
        self.region = (params.get("region") or session.get_config_variable("region") or "us-east-1")
        if params.get("assume_role_arn"):
            session = self._assume_role(session, params)
        self._session = session

    # -- clients -------------------------------------------------------------------------
    def _verify(self):
        if not self.params.get("validate_certs", True):
            return False
        return self.params.get("ca_bundle") or None

    def _create_client(self, session, service):
        config = Config(
            user_agent_extra=USER_AGENT,
            retries={"total_max_attempts": 1},  # retries are ours, see call_with_retries
            connect_timeout=10,
            read_timeout=60,
        )
        try:
            return session.create_client(
                service,
                region_name=self.region,
                endpoint_url=self.params.get("endpoint_url") or None,
                verify=self._verify(),
                config=config,
            )
        except (NoCredentialsError, PartialCredentialsError):
            raise CredentialsError("no AWS credentials were found",
                                   fix="set AWS_PROFILE or AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY, "
                                       "or give profile/access_key/assume_role_arn")

    def client(self, service):
        if service not in self._clients:
            self._clients[service] = self._create_client(self._session, service)
        return self._clients[service]

    # -- calls ---------------------------------------------------------------------------
    def call(self, service, operation, resource=None, **kwargs):
        """Call ``operation`` (a botocore snake_case method name) with retries."""
        client = self.client(service)
        self.calls[operation] = self.calls.get(operation, 0) + 1
        try:
            response, retries = call_with_retries(getattr(client, operation), self.retry_policy, **kwargs)
        except ClientError as exc:
            # Retries also count when the call ends in an error a caller expects (NoSuchEntity).
            self.retries += getattr(exc, "retries", 0)
            raise
        except (NoCredentialsError, PartialCredentialsError):
            raise CredentialsError("no AWS credentials were found", account=self._account_id,
                                   fix="set AWS_PROFILE or AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY, "
                                       "or give profile/access_key/assume_role_arn")
        except EndpointConnectionError as exc:
            raise AwsApiError("could not connect to the AWS endpoint (%s)" % exc, account=self._account_id,
                              resource=resource, code="EndpointConnectionError",
                              fix="check endpoint_url / AWS_ENDPOINT_URL and the network")
        self.retries += retries
        return response

    def iam(self, operation, resource, none_on=(), **kwargs):
        """One IAM call; ``None`` for an error code in ``none_on`` (e.g. NoSuchEntity)."""
        try:
            return self.call("iam", operation, resource=resource, **kwargs)
        except ClientError as exc:
            if error_code(exc) in none_on:
                return None
            self.raise_api_error(exc, resource, operation)

    def diff(self, resource, before, after):
        """A --diff entry whose headers name the account (where known without a call): a fleet
        run prints the diffs of many accounts interleaved, and each must say whose it is."""
        header = "account %s: %s" % (self._account_id, resource) if self._account_id else resource
        return dict(before=before, after=after, before_header=header, after_header=header)

    def iam_write(self, operation, resource, check_mode, **kwargs):
        """One IAM write, the only way the reconcilers write: skipped in check mode (``None``).
        A removal that finds nothing is done: a concurrent run did it, or our own first
        attempt did before its answer was lost and the call was retried."""
        if check_mode:
            return None
        gone = ("NoSuchEntity",) if operation.startswith(REMOVALS) else ()
        return self.iam(operation, resource, none_on=gone, **kwargs)

    def wait_until(self, probe, timeout):
        """IAM is eventually consistent: call ``probe`` until it returns something, with waits
        from 0.5 s doubling to 5 s; ``None`` when ``timeout`` seconds did not suffice."""
        deadline = self.retry_policy.clock() + max(0, timeout)
        delay = 0.5
        while True:
            found = probe()
            if found or self.retry_policy.clock() + delay > deadline:
                return found or None
            self.retry_policy.sleep(delay)
            delay = min(delay * 2, 5)

    def iam_attach(self, operation, resource, check_mode, wait_timeout, **request):
        """Attach ``request["PolicyArn"]`` (skipped in check mode). The account's own policy
        may have been created a moment ago (Task 1) and not be attachable yet: its
        NoSuchEntity is waited out within ``wait_timeout``. An AWS managed policy that IAM
        does not find does not exist."""
        if check_mode:
            return None
        arn = request["PolicyArn"]
        waited = 0 if account_of_arn(arn) == "aws" else wait_timeout
        attached = self.wait_until(lambda: self.iam(operation, resource, none_on=("NoSuchEntity",), **request),
                                   waited)
        if attached is None:
            waited_for = " (waited %ss for IAM to show it)" % waited if waited else ""
            raise InvalidInputError(
                "the managed policy %s does not exist%s" % (arn, waited_for),
                resource=resource, account=self.account_id,
                fix="check the policy name or ARN (AWS managed policies need their path, e.g. "
                    "service-role/AmazonSSMMaintenanceWindowRole); create a customer-managed policy first")
        return attached

    def iam_list(self, operation, key, resource, none_on=(), **kwargs):
        """Every item of a paginated IAM list call; ``None`` for an error code in ``none_on``."""
        items = []
        while True:
            page = self.iam(operation, resource, none_on=none_on, **kwargs)
            if page is None:
                return None
            items.extend(page.get(key, []))
            if not page.get("IsTruncated"):
                return items
            kwargs["Marker"] = page["Marker"]

    def raise_api_error(self, exc, resource, action):
        """Turn a permanent ClientError into an ``AwsApiError`` that says what to do."""
        code = error_code(exc)
        message = exc.response.get("Error", {}).get("Message", "") if isinstance(exc, ClientError) else str(exc)
        fix = None
        if code in ("AccessDenied", "AccessDeniedException", "UnauthorizedOperation"):
            fix = "grant the automation's identity this IAM action (see docs/least-privilege.md)"
        elif code in TRANSIENT_CODES:
            fix = "AWS kept throttling or failing; run again, or lower forks for this fleet"
        raise AwsApiError("%s failed: %s: %s" % (action, code, message), resource=resource,
                          account=self._account_id, code=code, fix=fix)

    # -- identity ------------------------------------------------------------------------
    def _assume_role(self, session, params):
        arn = params["assume_role_arn"]
        parts = parse_iam_arn(arn, expected_kind="role", what="assume_role_arn")
        if self._account_id and self._account_id != parts["account"]:
            raise InvalidInputError("account_id %s differs from the account of assume_role_arn %s"
                                    % (self._account_id, arn), fix="make them agree, or drop account_id")
        self._account_id = parts["account"]
        self._partition = self._partition or parts["partition"]
        sts = self._create_client(session, "sts")
        request = dict(RoleArn=arn, RoleSessionName=params.get("role_session_name") or "fleetiam")
        if params.get("external_id"):
            request["ExternalId"] = params["external_id"]
        self.calls["assume_role"] = self.calls.get("assume_role", 0) + 1
        try:
            response, retries = call_with_retries(sts.assume_role, self.retry_policy, **request)
        except ClientError as exc:
            raise CredentialsError("assuming %s was refused: %s" % (arn, exc.response["Error"].get("Message", error_code(exc))),
                                   account=self._account_id, code=error_code(exc),
                                   fix="check that the role exists and trusts the hub identity (and the external id)")
        except (NoCredentialsError, PartialCredentialsError):
            raise CredentialsError("no AWS credentials were found to assume %s with" % arn,
                                   account=self._account_id,
                                   fix="set AWS_PROFILE or AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY for the hub identity")
        except EndpointConnectionError as exc:
            raise AwsApiError("could not connect to the STS endpoint (%s)" % exc, account=self._account_id,
                              code="EndpointConnectionError", fix="check endpoint_url / AWS_ENDPOINT_URL and the network")
        self.retries += retries
        creds = response["Credentials"]
        self.assumed_credentials = dict(
            access_key=creds["AccessKeyId"],
            secret_key=creds["SecretAccessKey"],
            session_token=creds["SessionToken"],
            expiration=str(creds.get("Expiration")),
        )
        self.caller_arn = response.get("AssumedRoleUser", {}).get("Arn")
        assumed = _new_session()
        assumed.set_credentials(creds["AccessKeyId"], creds["SecretAccessKey"], creds["SessionToken"])
        return assumed

    def _caller_identity(self):
        try:
            identity = self.call("sts", "get_caller_identity")
        except ClientError as exc:
            raise CredentialsError("the credentials were refused: %s" % error_code(exc),
                                   code=error_code(exc), fix="check the credentials or the profile")
        self.caller_arn = identity["Arn"]
        self._account_id = self._account_id or identity["Account"]
        self._partition = self._partition or partition_of_arn(identity["Arn"])

    @property
    def account_id(self):
        """The account acted in: from account_id, the assumed role, or one STS call."""
        if self._account_id is None:
            self._caller_identity()
        return self._account_id

    @property
    def partition(self):
        if self._partition is None:
            self._partition = partition_for_region(self.region)
        return self._partition

    def identity(self):
        """Account id, partition and caller ARN, calling STS only where not yet known."""
        if self.caller_arn is None:
            self._caller_identity()
        return dict(account_id=self.account_id, partition=self.partition,
                    caller_arn=self.caller_arn, region=self.region)


def require_botocore():
    """Raised at the module edge when botocore is missing, with the install command."""
    if BOTOCORE_IMPORT_ERROR is not None:
        raise CredentialsError("botocore is not installed for %s" % __import__("sys").executable,
                               fix="pip install botocore boto3 (see requirements.txt)")


__all__ = ["AwsContext", "RetryPolicy", "build_argument_spec", "call_with_retries", "classify",
           "connection_argument_spec", "require_botocore", "account_of_arn", "ClientError"]
