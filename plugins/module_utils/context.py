# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""``AwsContext``: one account's connection, for any AWS service and operation.

Every call is retried (see retries.py) and counted in ``ctx.calls`` (operation -> count)
and ``ctx.retries``; the per-service error codes are those of services.py.

* ``ctx.read(service, operation, resource, none_on=(), region=None, **request)``: the
  response, or ``None`` for an error code in ``none_on`` (codes, or ``"not_found"`` for the
  service's own not-found codes). Other errors raise ``AwsApiError`` naming the account,
  resource, operation, code and a fix.
* ``ctx.write(service, operation, resource, check_mode, region=None, **request)``: the
  response, or ``None`` when skipped in check mode or when a removal (``delete_``,
  ``detach_``, ...) finds nothing: that is done already. In either mode the request is
  first checked against the operation's input shape (requests.py): lengths, patterns, enums.
* ``ctx.pages(service, operation, key, resource, none_on=(), region=None, **request)``:
  every item under ``key`` across all pages (``key`` a tuple: a dict key -> items). The
  page tokens are those of botocore's paginator config; each page is one ``read``, so it is
  retried and counted. Operations without a paginator are one call.
* ``ctx.client(service, region=None)``, ``ctx.wait_until(probe, timeout)``,
  ``ctx.diff(resource, before, after)``, ``ctx.identity()``, ``ctx.account_id``,
  ``ctx.partition``, ``ctx.region``.

Regions: one (assumed) session serves every region. ``region=`` on a call, or
``ctx.in_region(region)``, a view of the same context (session, identity, counters, retry
policy, client cache) whose calls and ``region`` are in that region.
"""

from __future__ import annotations

from ansible_collections.fleetiam.maintenance_windows.plugins.module_utils import sessions
from ansible_collections.fleetiam.maintenance_windows.plugins.module_utils.arns import (
    account_of_arn,
    partition_for_region,
    partition_of_arn,
    validate_account_id,
    validate_partition,
)
from ansible_collections.fleetiam.maintenance_windows.plugins.module_utils.aws_sdk import (
    ClientError,
    EndpointConnectionError,
    NoCredentialsError,
    PartialCredentialsError,
    jmespath,
)
from ansible_collections.fleetiam.maintenance_windows.plugins.module_utils.errors import (
    AwsApiError,
    CredentialsError,
)
from ansible_collections.fleetiam.maintenance_windows.plugins.module_utils.requests import check_request
from ansible_collections.fleetiam.maintenance_windows.plugins.module_utils.retries import (
    RetryPolicy,
    call_with_retries,
    error_code,
)
from ansible_collections.fleetiam.maintenance_windows.plugins.module_utils.services import (
    is_removal,
    matches,
    transient_codes,
)

ACCESS_DENIED_CODES = ("AccessDenied", "AccessDeniedException", "UnauthorizedOperation")


def next_page_request(config, page):
    """The token parameters of the page after ``page``, from a botocore paginator config;
    None on the last page."""
    if config is None:
        return None
    more = config.get("more_results")
    if more and not jmespath.search(more, page):
        return None
    inputs, outputs = config["input_token"], config["output_token"]
    inputs = inputs if isinstance(inputs, list) else [inputs]
    outputs = outputs if isinstance(outputs, list) else [outputs]
    tokens = {name: jmespath.search(expression, page) for name, expression in zip(inputs, outputs)}
    tokens = {name: value for name, value in tokens.items() if value not in (None, "")}
    return tokens or None


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
        session = sessions.session_for(params)
        self.region = params.get("region") or session.get_config_variable("region") or "us-east-1"
        if params.get("assume_role_arn"):
            session = self._assume_role(session)
        self._session = session

    # -- clients and regions -------------------------------------------------------------
    def client(self, service, region=None):
        key = (service, region or self.region)
        if key not in self._clients:
            self._clients[key] = sessions.create_client(self._session, service, key[1], self.params,
                                                        self._account_id)
        return self._clients[key]

    def in_region(self, region):
        return RegionView(self, region)

    # -- calls ---------------------------------------------------------------------------
    def _call(self, service, operation, resource=None, region=None, **request):
        """One retried, counted call; AWS's own errors are raised as ``ClientError``."""
        client = self.client(service, region)
        self.calls[operation] = self.calls.get(operation, 0) + 1
        try:
            response, retries = call_with_retries(getattr(client, operation), self.retry_policy,
                                                  service=service, **request)
        except ClientError as exc:
            # Retries also count when the call ends in an error a caller expects (not found).
            self.retries += getattr(exc, "retries", 0)
            raise
        except (NoCredentialsError, PartialCredentialsError):
            raise sessions.no_credentials(self._account_id)
        except EndpointConnectionError as exc:
            raise sessions.unreachable(exc, self._account_id, resource)
        self.retries += retries
        return response

    def read(self, service, operation, resource, none_on=(), region=None, **request):
        """The response; ``None`` for an error code in ``none_on`` (codes, or ``"not_found"``)."""
        try:
            return self._call(service, operation, resource, region, **request)
        except ClientError as exc:
            if matches(service, error_code(exc), none_on):
                return None
            self.raise_api_error(exc, resource, operation, service)

    def write(self, service, operation, resource, check_mode, region=None, **request):
        """The only way reconcilers write: skipped in check mode (``None``). A removal that
        finds nothing is done: a concurrent run did it, or our own first attempt did before
        its answer was lost and the call was retried. The request is checked against the
        service model first, in check mode too: a preflight refuses what AWS would. In check
        mode a value that AWS gives only once an earlier write is made (a new policy's id) is
        None, and not checked."""
        unknown = [name for name, value in request.items() if value is None] if check_mode else ()
        check_request(self.client(service, region), operation, request, resource, self._account_id, unknown)
        if check_mode:
            return None
        gone = "not_found" if is_removal(operation) else ()
        return self.read(service, operation, resource, none_on=gone, region=region, **request)

    def pages(self, service, operation, key, resource, none_on=(), region=None, **request):
        """Every item under ``key`` (a tuple of keys: a dict of lists) across all pages."""
        config = sessions.paginator_config(self.client(service, region), operation)
        keys = (key,) if isinstance(key, str) else tuple(key)
        items = {name: [] for name in keys}
        seen = []
        while True:
            page = self.read(service, operation, resource, none_on=none_on, region=region, **request)
            if page is None:
                return None
            for name in keys:
                items[name].extend(page.get(name) or [])
            tokens = next_page_request(config, page)
            if tokens is None:
                return items[key] if isinstance(key, str) else items
            if tokens in seen:
                raise AwsApiError("%s returned the same page token twice" % operation, resource=resource,
                                  account=self._account_id, code="RepeatedPageToken", fix="run again")
            seen.append(tokens)
            request.update(tokens)

    def raise_api_error(self, exc, resource, operation, service=None):
        """Turn a permanent ClientError into an ``AwsApiError`` that says what to do."""
        code = error_code(exc)
        message = exc.response.get("Error", {}).get("Message", "") if isinstance(exc, ClientError) else str(exc)
        fix = None
        if code in ACCESS_DENIED_CODES:
            fix = "grant the automation's identity this IAM action (see docs/least-privilege.md)"
        elif code in transient_codes(service):
            fix = "AWS kept throttling or failing; run again, or lower forks for this fleet"
        raise AwsApiError("%s failed: %s: %s" % (operation, code, message), resource=resource,
                          account=self._account_id, code=code, fix=fix,
                          operation=getattr(exc, "operation_name", None), detail=message)

    def wait_until(self, probe, timeout):
        """AWS is often eventually consistent: call ``probe`` until it returns something, with
        waits from 0.5 s doubling to 5 s; ``None`` when ``timeout`` seconds did not suffice."""
        deadline = self.retry_policy.clock() + max(0, timeout)
        delay = 0.5
        while True:
            found = probe()
            if found or self.retry_policy.clock() + delay > deadline:
                return found or None
            self.retry_policy.sleep(delay)
            delay = min(delay * 2, 5)

    def diff(self, resource, before, after):
        """A --diff entry whose headers name the account (where known without a call): a fleet
        run prints the diffs of many accounts interleaved, and each must say whose it is."""
        header = "account %s: %s" % (self._account_id, resource) if self._account_id else resource
        return dict(before=before, after=after, before_header=header, after_header=header)

    # -- identity ------------------------------------------------------------------------
    def _assume_role(self, session):
        self.calls["assume_role"] = self.calls.get("assume_role", 0) + 1
        assumed, response, retries = sessions.assume_role(session, self.region, self.params, self._account_id,
                                                          self.retry_policy)
        self.retries += retries
        self._account_id = account_of_arn(self.params["assume_role_arn"])
        self._partition = self._partition or partition_of_arn(self.params["assume_role_arn"])
        creds = response["Credentials"]
        self.assumed_credentials = dict(access_key=creds["AccessKeyId"], secret_key=creds["SecretAccessKey"],
                                        session_token=creds["SessionToken"], expiration=str(creds.get("Expiration")))
        self.caller_arn = response.get("AssumedRoleUser", {}).get("Arn")
        return assumed

    def _caller_identity(self):
        try:
            identity = self._call("sts", "get_caller_identity")
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


class RegionView(object):
    """``ctx`` in another region: its calls go there; everything else is ``ctx``'s own."""

    def __init__(self, ctx, region):
        self._ctx = ctx
        self.region = region

    def __getattr__(self, name):
        return getattr(self._ctx, name)

    def client(self, service, region=None):
        return self._ctx.client(service, region or self.region)

    def in_region(self, region):
        return RegionView(self._ctx, region)

    def read(self, service, operation, resource, none_on=(), region=None, **request):
        return self._ctx.read(service, operation, resource, none_on, region or self.region, **request)

    def write(self, service, operation, resource, check_mode, region=None, **request):
        return self._ctx.write(service, operation, resource, check_mode, region or self.region, **request)

    def pages(self, service, operation, key, resource, none_on=(), region=None, **request):
        return self._ctx.pages(service, operation, key, resource, none_on, region or self.region, **request)

    def identity(self):
        return dict(self._ctx.identity(), region=self.region)
