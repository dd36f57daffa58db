"""Shared fixtures: one moto server per test session, a fresh member account per test."""

from __future__ import annotations

import itertools
import os
import sys

import pytest

# Shared assertions read as well as the tests' own when they fail. Registered here, before
# any test module or conftest can import them.
pytest.register_assert_rewrite("tests.integration.fleet.iam_documents",
                               "tests.integration.fleet_reliability.fleet_checks")

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
COLLECTIONS_ROOT = os.path.join(REPO, ".build")
# The collection imports itself as ansible_collections.fleetiam.maintenance_windows.
for path in (COLLECTIONS_ROOT, REPO):
    if path not in sys.path:
        sys.path.insert(0, path)

from tests.support import aws  # noqa: E402
from tests.support.moto_server import MotoServer  # noqa: E402

_ACCOUNT_NAMES = itertools.count()


@pytest.fixture(scope="session")
def moto():
    """One moto server (with AWS managed policies) for the whole session."""
    server = MotoServer().start()
    yield server
    server.stop()


@pytest.fixture
def account(moto):
    """A fresh member account of the organization: tests never see each other's IAM."""
    return aws.create_member_accounts(moto.url, 1, prefix="t%d" % next(_ACCOUNT_NAMES))[0]


@pytest.fixture
def account_iam(moto, account):
    """A boto3 IAM client acting inside ``account``, for arranging and checking state."""
    return aws.account_client(moto.url, account, "iam")


@pytest.fixture
def connection(moto, account):
    """Module connection options that act inside ``account`` through assume-role."""
    return dict(
        endpoint_url=moto.url,
        region="us-east-1",
        access_key=aws.HUB_CREDENTIALS["aws_access_key_id"],
        secret_key=aws.HUB_CREDENTIALS["aws_secret_access_key"],
        assume_role_arn="arn:aws:iam::%s:role/%s" % (account, aws.ADMIN_ROLE),
    )


def module_params(options, **values):
    """Module parameters as AnsibleModule would fill them: the spec's defaults, then ``values``."""
    from ansible_collections.fleetiam.maintenance_windows.plugins.module_utils.arguments import (
        build_argument_spec,
    )

    params = {name: spec.get("default") for name, spec in build_argument_spec(options).items()}
    params.update(values)
    return params
