"""Fixtures of the reliability tests: member accounts with the groups the tasks need."""

from __future__ import annotations

import itertools

import pytest

from tests.support import aws

from .setup_tasks import create_principals

_PREFIXES = itertools.count()


@pytest.fixture
def task_account(moto):
    """A fresh member account holding the two groups of Tasks 3 and 4; returns (id, iam client)."""
    account = aws.create_member_accounts(moto.url, 1, prefix="rel%d" % next(_PREFIXES))[0]
    iam = aws.account_client(moto.url, account, "iam")
    create_principals(iam)
    return account, iam
