# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Tag plans shared by the role and managed-policy reconcilers, and the ownership tags."""

from __future__ import annotations

from collections import namedtuple

from ansible_collections.fleetiam.maintenance_windows.plugins.module_utils.errors import NotOwnedError

TagPlan = namedtuple("TagPlan", ["set", "remove", "result"])


def tag_list(tags):
    return [dict(Key=str(key), Value=str(value)) for key, value in sorted((tags or {}).items())]


def plan_tags(current, wanted, purge):
    """What to tag and untag to go from ``current`` to ``wanted`` (``None``: leave alone)."""
    current = dict(current or {})
    if wanted is None:
        return TagPlan({}, [], current)
    wanted = {str(k): str(v) for k, v in wanted.items()}
    to_set = {k: v for k, v in wanted.items() if current.get(k) != v}
    to_remove = sorted(k for k in current if k not in wanted) if purge else []
    result = dict(current)
    result.update(wanted)
    for key in to_remove:
        result.pop(key, None)
    return TagPlan(to_set, to_remove, result)


# What this collection owns: the roles and customer-managed policies it created (or was told
# to adopt) carry this tag; teardown deletes nothing without it.
OWNER_TAG_KEY = "fleetiam:maintenance-windows"
OWNER_TAG_VALUE = "managed"
# The AWS managed policies this collection attached to a user or role, in a tag on that
# principal (space-separated ARNs without "arn:PARTITION:iam::"). IAM groups cannot be tagged.
ATTACHED_TAG_KEY = "fleetiam:maintenance-windows:attached"


def is_owned(tags):
    """Whether ``tags`` (a dict) mark the resource as this collection's."""
    return (tags or {}).get(OWNER_TAG_KEY) == OWNER_TAG_VALUE


def with_owner_tag(tags, purge):
    """(wanted tags, purge) for a resource this collection owns: the caller's tags plus the
    owner tag; without caller tags, only the owner tag is added and the rest left alone."""
    wanted = {str(k): str(v) for k, v in (tags or {}).items()}
    wanted[OWNER_TAG_KEY] = OWNER_TAG_VALUE
    return wanted, bool(purge) and tags is not None


def owner_settings(params):
    """(adopt, wanted tags, purge) of a role or customer-managed policy module's ``params``."""
    return (params.get("adopt", False),) + with_owner_tag(params.get("tags"), params.get("purge_tags", True))


def ownership(tags, adopt):
    """``owned`` (it has the owner tag), ``adopted`` (it has not, and the caller adopts what
    exists), or ``None``: not this collection's."""
    if is_owned(tags):
        return "owned"
    return "adopted" if adopt else None


def claim(tags, adopt, resource, account, rename_with):
    """The ownership of an existing resource that is to be changed; one that is not ours is
    refused (``rename_with``: the role variable that names it otherwise)."""
    owner = ownership(tags, adopt)
    if owner:
        return owner
    raise NotOwnedError(
        "it exists and this collection did not create it (it has no tag %s=%s): setup would take it over "
        "and teardown would delete it" % (OWNER_TAG_KEY, OWNER_TAG_VALUE),
        resource=resource, account=account,
        fix="choose another name (%s), or, if it is this collection's (set up by an earlier version) or may be "
            "taken over, set adopt: true (role variable mw_adopt_existing) once" % rename_with)


def left_alone(resource):
    """The ``kept`` reason of a resource that teardown leaves because it is not ours."""
    return "%s was not created by this collection (no tag %s=%s); left as it is" % (
        resource, OWNER_TAG_KEY, OWNER_TAG_VALUE)
