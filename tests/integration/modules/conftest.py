"""Fixtures of the module tests: each module's reconciler runs in-process, as the action
plugins run it, in a fresh member account of the session's moto server."""

from __future__ import annotations

import itertools

import pytest

from ansible_collections.fleetiam.maintenance_windows.plugins.module_utils.account import AccountInfo

from tests.integration.modules.module_runs import iam_snapshot, run_module
from tests.support import aws

_SUFFIXES = itertools.count(1)


@pytest.fixture(scope="module")
def account(moto, request):
    """One member account per test module, not per test: moto fills each new account's IAM
    with every AWS managed policy, which takes seconds. Tests name their own resources
    apart (``unique_suffix``) and compare snapshots taken during the test itself."""
    return aws.create_member_accounts(moto.url, 1, prefix=request.module.__name__.rpartition(".")[2])[0]


@pytest.fixture
def unique_suffix():
    """A suffix that no other test of the session uses, for the names of what a test creates."""
    return "-%d" % next(_SUFFIXES)


@pytest.fixture
def run(connection):
    """``run(Reconciler, check_mode=False, **module options)`` in the test's account, assuming its role."""
    def run_in_account(reconciler, check_mode=False, **values):
        return run_module(reconciler, connection, check_mode, **values)
    return run_in_account


@pytest.fixture
def snapshot(account_iam):
    """``snapshot()``: the account's IAM now, to compare before and after a run."""
    return lambda: iam_snapshot(account_iam)


@pytest.fixture
def session_connection(connection, moto):
    """Connection options as the role's later tasks use them: the session aws_account_info
    handed on, with account and partition known (no assume-role, no STS call)."""
    info = run_module(AccountInfo, connection, return_credentials=True)
    return dict(info["credentials"], account_id=info["account_id"], partition=info["partition"],
                region=info["region"], endpoint_url=moto.url)
