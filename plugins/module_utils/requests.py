# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""A request checked against the operation's input shape in botocore's service model.

botocore validates a request only as it sends it, and then only types, required members
and minimums. The model holds more of what AWS refuses: maximum lengths and values,
patterns and enums. ``check_request`` applies all of them, in check mode too (where nothing
is sent), so that a preflight refuses what the apply would have had refused halfway.

The problems name the parameter and its limit, never its value: a value may be a secret
(an external id) or a whole policy document.
"""

from __future__ import annotations

import functools
import re

from ansible_collections.fleetiam.maintenance_windows.plugins.module_utils.errors import InvalidInputError

try:
    from botocore.validate import ParamValidator, ValidationErrors
except ImportError:  # aws_sdk.require_botocore() says how to install it
    ParamValidator = ValidationErrors = object

# What to change when AWS would refuse a parameter; the generic fix otherwise.
FIXES = {
    "RoleSessionName": "give mw_role_session_name (role_session_name) of 2 to 64 letters, digits or +=,.@_-; "
                       "if the role's trust policy has an sts:RoleSessionName condition, keep the two in step",
    "ExternalId": "give mw_external_id (external_id) of 2 to 1224 letters, digits or +=,.@:/_-, "
                  "as the role's trust policy expects it",
    "Description": "shorten the description (at most 1000 characters; no control characters)",
}


@functools.lru_cache(maxsize=64)
def _pattern(expression):
    """The model's (Java) pattern as a Python one; None where Python cannot read it."""
    try:
        return re.compile(expression)
    except re.error:
        return None


class _Problems(ValidationErrors):
    """botocore's collected errors, told without the values."""

    def messages(self):
        return [self._describe(reason, self._get_name(name), details) for reason, name, details in self._errors]

    @staticmethod
    def _describe(reason, name, details):
        if reason == "too long":
            return "%s has %d %s; AWS allows at most %d" % (name, details["size"], details["unit"], details["limit"])
        if reason in ("invalid length", "invalid range"):
            return "%s is below AWS's minimum %s of %s" % (name, "length" if "length" in reason else "value",
                                                           details["min_allowed"])
        if reason == "too large":
            return "%s is %s; AWS allows at most %s" % (name, details["value"], details["limit"])
        if reason == "pattern":
            return "%s has characters AWS does not allow there (pattern %s)" % (name, details["pattern"])
        if reason == "enum":
            return "%s is not one of %s" % (name, ", ".join(details["choices"]))
        if reason == "missing required field":
            return "%s lacks %s" % (name, details["required_name"])
        if reason == "unknown field":
            return "%s has no parameter %s" % (name, details["unknown_param"])
        if reason == "invalid type":
            return "%s is not a %s" % (name, " or ".join(details["valid_types"]))
        return "%s: %s" % (name, reason)


class ModelValidator(ParamValidator):
    """botocore's validator plus the model's maximums, patterns and enums."""

    def _validate_string(self, param, shape, errors, name):
        super()._validate_string(param, shape, errors, name)
        if not isinstance(param, str):
            return
        limit = shape.metadata.get("max")
        if limit is not None and len(param) > limit:
            errors.report(name, "too long", size=len(param), unit="characters", limit=limit)
        pattern = shape.metadata.get("pattern")
        compiled = _pattern(pattern) if pattern else None
        if compiled is not None and not compiled.fullmatch(param):
            errors.report(name, "pattern", pattern=pattern)
        if shape.enum and param not in shape.enum:
            errors.report(name, "enum", choices=shape.enum)

    def _validate_list(self, param, shape, errors, name):
        super()._validate_list(param, shape, errors, name)
        limit = shape.metadata.get("max")
        if isinstance(param, (list, tuple)) and limit is not None and len(param) > limit:
            errors.report(name, "too long", size=len(param), unit="items", limit=limit)

    def _validate_integer(self, param, shape, errors, name):
        super()._validate_integer(param, shape, errors, name)
        limit = shape.metadata.get("max")
        if isinstance(param, int) and limit is not None and param > limit:
            errors.report(name, "too large", value=param, limit=limit)

    def problems(self, request, shape):
        found = _Problems()
        self._validate(request, shape, found, name="")
        return found.messages()


def request_problems(client, operation, request):
    """What AWS would refuse in ``request`` to the client method ``operation`` (``put_role_policy``)."""
    api_name = client.meta.method_to_api_mapping.get(operation)
    if api_name is None:
        return []
    shape = client.meta.service_model.operation_model(api_name).input_shape
    return ModelValidator().problems(request, shape) if shape is not None else []


def check_request(client, operation, request, resource=None, account=None, unknown=()):
    """Raise ``InvalidInputError`` naming what AWS would refuse in ``request``, before it is sent.
    ``unknown``: parameters whose value is not known yet (a preview's id of a resource it would
    create), left out of the check."""
    request = {name: value for name, value in request.items() if name not in unknown}
    problems = [problem for problem in request_problems(client, operation, request)
                if problem.split(" ", 1)[0] not in unknown and not any(name in problem for name in unknown)]
    if problems:
        api_name = client.meta.method_to_api_mapping.get(operation, operation)
        parameters = [problem.split(" ", 1)[0] for problem in problems]
        fixes = [FIXES[parameter] for parameter in parameters if parameter in FIXES]
        raise InvalidInputError(
            "AWS would refuse %s: %s" % (api_name, "; ".join(problems)), resource=resource, account=account,
            code="ValidationError",
            fix="; ".join(fixes) or "change the input that gives %s" % ", ".join(sorted(set(parameters))))
