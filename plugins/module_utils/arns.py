# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""ARNs computed instead of listed, and the IAM naming rules checked before any write."""

from __future__ import annotations

import re

from ansible_collections.fleetiam.maintenance_windows.plugins.module_utils.errors import InvalidInputError

PARTITIONS = ("aws", "aws-cn", "aws-us-gov")

# IAM's own limits (CreateRole, CreatePolicy, CreateUser, CreateGroup, Put*Policy).
NAME_LIMITS = {"role": 64, "user": 64, "group": 128, "policy": 128, "inline policy": 128}
_NAME_RE = re.compile(r"^[\w+=,.@-]+$", re.ASCII)
_PATH_RE = re.compile(r"^/([\x21-\x7E]+/)?$")  # IAM: "/" or "/" + at least one character + "/"
_ACCOUNT_RE = re.compile(r"^\d{12}$")
_IAM_ARN_RE = re.compile(
    r"^arn:(?P<partition>aws|aws-cn|aws-us-gov):iam::(?P<account>\d{12}|aws):"
    r"(?P<kind>role|policy|user|group)(?P<path>/(?:[\x21-\x7E]*/)?)(?P<name>[\w+=,.@-]+)$",
    re.ASCII,
)


def partition_for_region(region):
    """The partition a region belongs to (IAM ARNs differ between partitions)."""
    region = region or ""
    if region.startswith("cn-"):
        return "aws-cn"
    if region.startswith("us-gov-"):
        return "aws-us-gov"
    return "aws"


def validate_name(kind, name):
    limit = NAME_LIMITS[kind]
    if not name:
        raise InvalidInputError("the %s name is empty" % kind, fix="give a %s name" % kind)
    if len(name) > limit:
        raise InvalidInputError(
            "the %s name %r is %d characters long; IAM allows at most %d" % (kind, name, len(name), limit),
            resource="%s %s" % (kind, name[:40] + "..."),
            fix="use a name of at most %d characters" % limit,
        )
    if not _NAME_RE.match(name):
        raise InvalidInputError(
            "the %s name %r has characters IAM does not allow" % (kind, name),
            resource="%s %s" % (kind, name),
            fix="use only letters, digits and + = , . @ _ -",
        )
    return name


def validate_path(path, kind="resource"):
    if path is None:
        return "/"
    if len(path) > 512 or not _PATH_RE.match(path):
        raise InvalidInputError(
            "the IAM path %r for the %s is not valid" % (path, kind),
            fix="a path starts and ends with '/', e.g. '/' or '/maintenance/' (at most 512 characters)",
        )
    return path


def validate_account_id(account_id):
    if account_id is None:
        return None
    account_id = str(account_id)
    if not _ACCOUNT_RE.match(account_id):
        raise InvalidInputError(
            "account id %r is not a 12-digit AWS account id" % account_id,
            fix="give the account id as a quoted 12-digit string",
        )
    return account_id


def validate_partition(partition):
    if partition is not None and partition not in PARTITIONS:
        raise InvalidInputError(
            "partition %r is not one of %s" % (partition, ", ".join(PARTITIONS)),
            fix="use aws, aws-cn or aws-us-gov",
        )
    return partition


def parse_iam_arn(arn, expected_kind=None, what="ARN"):
    """Split an IAM ARN into its parts, rejecting malformed ones such as ``arn:aws::iam::``."""
    match = _IAM_ARN_RE.match(arn or "")
    if not match or (expected_kind and match.group("kind") != expected_kind):
        shape = "arn:PARTITION:iam::ACCOUNT:%s/NAME" % (expected_kind or "role")
        raise InvalidInputError(
            "%s %r is not a valid IAM %s ARN" % (what, arn, expected_kind or "resource"),
            fix="write it as %s (partition aws, aws-cn or aws-us-gov; a 12-digit account)" % shape,
        )
    return match.groupdict()


def role_arn(partition, account_id, name, path="/"):
    return "arn:%s:iam::%s:role%s%s" % (partition, account_id, path, name)


def policy_arn(partition, account_id, name, path="/"):
    return "arn:%s:iam::%s:policy%s%s" % (partition, account_id, path, name)


def aws_managed_policy_arn(partition, name):
    """``AmazonSSMFullAccess`` or ``service-role/AmazonSSMMaintenanceWindowRole`` to an ARN."""
    if name.startswith("arn:"):
        return name
    return "arn:%s:iam::aws:policy/%s" % (partition, name.lstrip("/"))


def account_of_arn(arn):
    """The account id field of any ARN (empty for some global services)."""
    parts = (arn or "").split(":", 5)
    return parts[4] if len(parts) == 6 else None


def known_account_id(assume_role_arn, account_id=""):
    """The account a host names before it connects: its ``account_id``, else the 12-digit
    account of its ``assume_role_arn``, else ``""`` (the hub's own, known once connected)."""
    if account_id:
        return str(account_id)
    account = account_of_arn(str(assume_role_arn or ""))
    return account if account and _ACCOUNT_RE.match(account) else ""


def partition_of_arn(arn):
    parts = (arn or "").split(":", 5)
    return parts[1] if len(parts) == 6 else None
