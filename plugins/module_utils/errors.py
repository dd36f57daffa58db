# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Typed errors raised below ``main()``; the module edge turns them into one message.

Every error knows which account and which resource it concerns and how to fix it, so
that a failure in a fleet of hundreds of accounts can be acted on from its message alone.
"""

from __future__ import annotations


class MaintenanceWindowError(Exception):
    """Base of every error the collection raises on purpose."""

    kind = "error"

    def __init__(self, problem, resource=None, fix=None, account=None, code=None):
        super().__init__(problem)
        self.problem = problem
        self.resource = resource
        self.fix = fix
        self.account = account
        self.code = code

    def message(self):
        where = []
        if self.account:
            where.append("account %s" % self.account)
        if self.resource:
            where.append(self.resource)
        text = self.problem
        if where:
            text = "%s: %s" % (", ".join(where), text)
        if self.fix:
            text = "%s. Fix: %s" % (text.rstrip("."), self.fix)
        return text

    def to_result(self):
        """Keyword arguments for ``fail_json``: the message plus machine-readable parts."""
        result = dict(msg=self.message(), error_kind=self.kind)
        if self.account:
            result["account_id"] = self.account
        if self.resource:
            result["resource"] = self.resource
        if self.code:
            result["error_code"] = self.code
        return result


class InvalidInputError(MaintenanceWindowError):
    """The caller's input is wrong; nothing was written."""

    kind = "invalid_input"


class PrincipalNotFoundError(MaintenanceWindowError):
    """A user, group or role named by the caller does not exist (we never create it)."""

    kind = "principal_not_found"


class ResourceConflictError(MaintenanceWindowError):
    """The resource exists in a shape this module must not change (path, boundary use)."""

    kind = "conflict"


class NotOwnedError(ResourceConflictError):
    """A role or policy of the configured name exists, and this collection did not create it."""

    kind = "not_owned"


class CredentialsError(MaintenanceWindowError):
    """No usable credentials, or an assume-role that was refused."""

    kind = "credentials"


class AwsApiError(MaintenanceWindowError):
    """AWS answered with an error that retrying did not or could not cure.

    ``operation`` is the API's name for the call (``GetRole``) and ``detail`` AWS's own
    message, for callers that word the error themselves."""

    kind = "aws_api"

    def __init__(self, problem, operation=None, detail=None, **kwargs):
        super().__init__(problem, **kwargs)
        self.operation = operation
        self.detail = detail
