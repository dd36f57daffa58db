# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""botocore sessions and clients: credentials, profiles, assume-role, and the shared models.

Process state, on purpose: ``shared_loader()`` is one botocore data loader per process, so
each service model (and its paginator config) is parsed once, not once per client or per
account; ``builtin_event_hooks()`` holds botocore's built-in event handlers, registered once,
and each session starts from a copy. ``warm_service_models`` fills both, and creates a client
of each service once, before Ansible forks its workers, which inherit it all.
"""

from __future__ import annotations

import copy
import functools

from ansible_collections.fleetiam.maintenance_windows.plugins.module_utils.arns import parse_iam_arn
from ansible_collections.fleetiam.maintenance_windows.plugins.module_utils.aws_sdk import (
    BOTOCORE_IMPORT_ERROR,
    BotoCoreError,
    ClientError,
    Config,
    EndpointConnectionError,
    HierarchicalEmitter,
    NoCredentialsError,
    PartialCredentialsError,
    ProfileNotFound,
    botocore_session,
)
from ansible_collections.fleetiam.maintenance_windows.plugins.module_utils.errors import (
    AwsApiError,
    CredentialsError,
    InvalidInputError,
)
from ansible_collections.fleetiam.maintenance_windows.plugins.module_utils.requests import check_request
from ansible_collections.fleetiam.maintenance_windows.plugins.module_utils.retries import (
    call_with_retries,
    error_code,
)
from ansible_collections.fleetiam.maintenance_windows.plugins.module_utils.version import USER_AGENT


@functools.lru_cache(maxsize=None)
def shared_loader():
    """One botocore data loader per process: service models are parsed once, not per client."""
    return botocore_session.Session().get_component("data_loader")


@functools.lru_cache(maxsize=None)
def builtin_event_hooks():
    """botocore's built-in event handlers on one emitter per process. A new Session registers
    its 120-odd handlers one by one, each inspected and aliased (about 15 ms in a worker);
    ``new_session`` gives each session a copy of this one instead, as botocore copies a
    session's emitter for each of its clients."""
    emitter = HierarchicalEmitter()
    botocore_session.Session(event_hooks=emitter)  # registers the built-in handlers on it
    return emitter


def warm_service_models(services):
    """Load the models, paginator configs and endpoint rule sets of ``services`` now (before
    Ansible forks), and create a client of each: a client loads its rule set from botocore's
    data, listing every service's folder, and names its methods from the model (botocore
    caches the names per process), 20 to 30 ms in each worker otherwise. No call is made."""
    if BOTOCORE_IMPORT_ERROR is None:
        session = new_session()
        for service in services:
            model = session.get_service_model(service)
            for type_name in ("paginators-1", "endpoint-rule-set-1"):
                shared_loader().load_service_model(model.service_name, type_name, model.api_version)
            try:
                session.create_client(service, region_name="us-east-1", aws_access_key_id="warm-up",
                                      aws_secret_access_key="warm-up")
            except BotoCoreError:  # a warm-up only (a broken AWS config, say): the task's own client reports it
                pass


def paginator_config(client, operation):
    """botocore's paginator config of ``operation`` (input/output tokens, more_results), or None."""
    if not client.can_paginate(operation):
        return None
    model = client.meta.service_model
    pagination = shared_loader().load_service_model(model.service_name, "paginators-1", model.api_version)
    return pagination["pagination"][client.meta.method_to_api_mapping[operation]]


def new_session(profile=None):
    session = botocore_session.Session(profile=profile, event_hooks=copy.copy(builtin_event_hooks()),
                                       include_builtin_handlers=False)
    session.register_component("data_loader", shared_loader())
    session.user_agent_extra = USER_AGENT
    return session


def no_credentials(account=None, what="no AWS credentials were found"):
    return CredentialsError(what, account=account,
                            fix="set AWS_PROFILE or AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY, "
                                "or give profile/access_key/assume_role_arn")


def unreachable(exc, account=None, resource=None, what="the AWS endpoint"):
    return AwsApiError("could not connect to %s (%s)" % (what, exc), account=account, resource=resource,
                       code="EndpointConnectionError", fix="check endpoint_url / AWS_ENDPOINT_URL and the network")


def session_for(params):
    """A session with the given profile or keys (else botocore's own credential chain)."""
    try:
        session = new_session(params.get("profile"))
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


def create_client(session, service, region, params, account=None):
    """A client whose retries are ours (see retries.call_with_retries), not botocore's."""
    endpoint = params.get("endpoint_url") or None
    if endpoint and "://" not in endpoint:
        raise InvalidInputError("endpoint_url %r has no scheme" % endpoint, account=account,
                                fix="write it with its scheme, e.g. https://%s (mw_endpoint_url)" % endpoint)
    config = Config(user_agent_extra=USER_AGENT, retries={"total_max_attempts": 1},
                    connect_timeout=10, read_timeout=60)
    verify = (params.get("ca_bundle") or None) if params.get("validate_certs", True) else False
    try:
        return session.create_client(service, region_name=region, endpoint_url=endpoint, verify=verify, config=config)
    except (NoCredentialsError, PartialCredentialsError):
        raise no_credentials()


def assume_role(session, region, params, account_id, policy):
    """Assume ``params["assume_role_arn"]`` with ``session``.

    Returns ``(assumed_session, response, retries)``; ``account_id``, when known, must be the role's.
    """
    arn = params["assume_role_arn"]
    parts = parse_iam_arn(arn, expected_kind="role", what="assume_role_arn")
    if account_id and account_id != parts["account"]:
        raise InvalidInputError("account_id %s differs from the account of assume_role_arn %s"
                                % (account_id, arn), fix="make them agree, or drop account_id")
    account_id = parts["account"]
    sts = create_client(session, "sts", region, params, account_id)
    request = dict(RoleArn=arn, RoleSessionName=params.get("role_session_name") or "fleetiam")
    if params.get("external_id"):
        request["ExternalId"] = params["external_id"]
    check_request(sts, "assume_role", request, "assume_role_arn %s" % arn, account_id)
    try:
        response, retries = call_with_retries(sts.assume_role, policy, service="sts", **request)
    except ClientError as exc:
        raise CredentialsError("assuming %s was refused: %s" % (arn, exc.response["Error"].get("Message", error_code(exc))),
                               account=account_id, code=error_code(exc),
                               fix="check that the role exists and trusts the hub identity (and the external id)")
    except (NoCredentialsError, PartialCredentialsError):
        raise CredentialsError("no AWS credentials were found to assume %s with" % arn, account=account_id,
                               fix="set AWS_PROFILE or AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY for the hub identity")
    except EndpointConnectionError as exc:
        raise unreachable(exc, account=account_id, what="the STS endpoint")
    creds = response["Credentials"]
    assumed = new_session()
    assumed.set_credentials(creds["AccessKeyId"], creds["SecretAccessKey"], creds["SessionToken"])
    return assumed, response, retries
