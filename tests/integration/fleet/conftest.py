"""Fleets of member accounts on the session's moto server, for the playbook tests.

A playbook run costs seconds, so a test module shares one fleet between the tests that
follow one story (preview, apply, apply again, ...) and each module has fleets of its own.
"""

from __future__ import annotations

import itertools

import pytest

from tests.support import aws
from tests.support.fleet import CONTRACTORS_GROUP, OPERATORS_GROUP

_FLEET_NAMES = itertools.count()


@pytest.fixture(scope="module")
def new_accounts(moto):
    """``new_accounts(3, groups=[...], users=[...])``: member accounts holding those principals."""

    def create(count, groups=(OPERATORS_GROUP, CONTRACTORS_GROUP), users=()):
        accounts = aws.create_member_accounts(moto.url, count, prefix="fleet%d" % next(_FLEET_NAMES))
        for account in accounts:
            aws.create_principals(moto.url, account, groups=groups, users=users)
        return accounts

    return create
