"""Fixtures of the module tests: each module's reconciler runs in-process, as the action
plugins run it, in a fresh member account of the session's moto server."""

from __future__ import annotations

import itertools

import pytest
from botocore.awsrequest import AWSResponse

from ansible_collections.fleetiam.maintenance_windows.plugins.module_utils import sessions as aws_sessions
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


@pytest.fixture
def boundary_queries_answered_as_iam_does(monkeypatch, account_iam):
    """moto 5.2's ListEntitiesForPolicy ignores PolicyUsageFilter: asked for the principals
    with a policy as permissions boundary, it answers with those it is attached to. Here the
    modules' PermissionsBoundary queries are answered from the account's roles instead, as
    IAM answers them (moto keeps boundaries of roles only). Other queries reach moto."""
    def boundary_entities(params, **_):
        request = params.get("body") or {}
        if request.get("PolicyUsageFilter") != "PermissionsBoundary":
            return None
        roles = []
        for page in account_iam.get_paginator("list_roles").paginate():
            for listed in page["Roles"]:
                role = account_iam.get_role(RoleName=listed["RoleName"])["Role"]
                if (role.get("PermissionsBoundary") or {}).get("PermissionsBoundaryArn") == request["PolicyArn"]:
                    roles.append({"RoleName": role["RoleName"], "RoleId": role["RoleId"]})
        answer = {"PolicyGroups": [], "PolicyUsers": [], "PolicyRoles": roles, "IsTruncated": False}
        return AWSResponse(params.get("url"), 200, {}, None), answer

    new_session = aws_sessions.new_session

    def session_with_iams_answer(profile=None):
        session = new_session(profile)
        session.register("before-call.iam.ListEntitiesForPolicy", boundary_entities)
        return session

    monkeypatch.setattr(aws_sessions, "new_session", session_with_iams_answer)
