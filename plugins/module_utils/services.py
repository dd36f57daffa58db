# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The one table of per-service error codes: which say "not found", which are worth a retry.

Codes are those of botocore's service models (the error shapes of
``botocore/data/<service>/*/service-2.json``); EC2's model has none, its codes are from the
EC2 API reference ("Error codes for the Amazon EC2 API"), where every not-found code ends
in ``.NotFound`` (``InvalidInstanceID.NotFound``, ``InvalidGroup.NotFound``, ...).
``GLOBAL_TRANSIENT_CODES`` (throttling, 5xx-type codes) apply to every service.
"""

from __future__ import annotations

GLOBAL_TRANSIENT_CODES = frozenset((
    "Throttling", "ThrottlingException", "ThrottledException", "RequestLimitExceeded",
    "TooManyRequestsException", "RequestThrottled", "RequestThrottledException",
    "SlowDown", "ServiceUnavailable", "ServiceUnavailableException", "InternalFailure",
    "InternalError", "ServiceFailure", "RequestTimeout", "RequestTimeoutException",
    "PriorRequestNotComplete",
))

# service -> not_found: codes meaning "no such thing"; not_found_suffix: the same by suffix;
# transient: codes of a temporary condition, retried like throttling.
SERVICE_ERRORS = {
    "iam": dict(
        not_found=("NoSuchEntity",),
        transient=("EntityTemporarilyUnmodifiable", "ConcurrentModification"),
    ),
    "sts": dict(
        not_found=(),
        transient=("IDPCommunicationError",),
    ),
    "organizations": dict(
        not_found=("AccountNotFoundException", "ChildNotFoundException", "HandshakeNotFoundException",
                   "OrganizationalUnitNotFoundException", "ParentNotFoundException", "PolicyNotFoundException",
                   "ResourcePolicyNotFoundException", "RootNotFoundException", "TargetNotFoundException",
                   "PolicyNotAttachedException",
                   "EffectivePolicyNotFoundException", "CreateAccountStatusNotFoundException"),
        transient=("ConcurrentModificationException", "TooManyRequestsException"),
    ),
    "sso-admin": dict(
        not_found=("ResourceNotFoundException",),
        transient=("ConflictException", "ThrottlingException"),
    ),
    "ssm": dict(
        not_found=("DoesNotExistException", "ResourceNotFoundException", "ParameterNotFound",
                   "ParameterVersionNotFound", "AssociationDoesNotExist", "InvocationDoesNotExist",
                   "OpsItemNotFoundException", "ResourcePolicyNotFoundException", "ServiceSettingNotFound"),
        transient=("ThrottlingException", "TooManyUpdates"),
    ),
    "ec2": dict(
        not_found=(),
        not_found_suffix=".NotFound",
        transient=("RequestLimitExceeded",),
    ),
}

# Operations that take something away: when they find nothing, the work is done.
REMOVALS = ("delete_", "detach_", "remove_", "disassociate_", "deregister_")

# Every service's temporary conditions: for callers that do not say which service answered.
ALL_TRANSIENT_CODES = GLOBAL_TRANSIENT_CODES.union(*(set(e["transient"]) for e in SERVICE_ERRORS.values()))


def transient_codes(service=None):
    """The codes worth a retry for ``service`` (for an unknown or no service: every one known)."""
    if service not in SERVICE_ERRORS:
        return ALL_TRANSIENT_CODES
    return GLOBAL_TRANSIENT_CODES.union(SERVICE_ERRORS[service]["transient"])


def is_not_found(service, code):
    errors = SERVICE_ERRORS.get(service, {})
    suffix = errors.get("not_found_suffix")
    return code in errors.get("not_found", ()) or bool(suffix and code.endswith(suffix))


def matches(service, code, none_on):
    """Whether ``code`` is one of ``none_on``: a tuple of codes, or ``"not_found"``."""
    if none_on == "not_found":
        return is_not_found(service, code)
    return code in none_on


def is_removal(operation):
    return operation.startswith(REMOVALS)
