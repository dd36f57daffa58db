"""Fleets of member accounts for the fleet-level reliability tests (faults, concurrent runs,
secrets, bad inputs), each module with accounts of its own."""

from __future__ import annotations

import itertools

import pytest

from tests.support import aws
from tests.support.fleet import CONTRACTORS_GROUP, OPERATORS_GROUP

_PREFIXES = itertools.count()


@pytest.fixture(scope="module")
def new_accounts(moto):
    """``new_accounts(3)``: member accounts of the session's moto server, with the Task 3 and 4 groups."""

    def create(count, server=None):
        url = (server or moto).url
        accounts = aws.create_member_accounts(url, count, prefix="fleetrel%d" % next(_PREFIXES))
        for account in accounts:
            aws.create_principals(url, account, groups=(OPERATORS_GROUP, CONTRACTORS_GROUP))
        return accounts

    return create
