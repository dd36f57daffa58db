"""aws_account_info against moto: which account, partition and caller, with and without
assuming a role, and the assumed session handed on only when asked for."""

from __future__ import annotations

import pytest

from ansible_collections.fleetiam.maintenance_windows.plugins.module_utils.account import AccountInfo, settings_digest

from tests.integration.modules.module_runs import run_module
from tests.support import aws

HUB_ACCOUNT = "123456789012"  # moto's default account, where the hub's own keys act


@pytest.fixture
def hub_connection(moto):
    """The hub's own keys, no role to assume."""
    return dict(endpoint_url=moto.url, region=aws.REGION, access_key=aws.HUB_CREDENTIALS["aws_access_key_id"],
                secret_key=aws.HUB_CREDENTIALS["aws_secret_access_key"])


@pytest.mark.parametrize("check_mode", [False, True], ids=["apply", "check"])
def test_assuming_the_account_role_names_the_account_in_one_call(run, moto, account, check_mode):
    info = run(AccountInfo, check_mode=check_mode)
    assert info["changed"] is False
    assert (info["account_id"], info["partition"], info["region"], info["endpoint_url"]) == (
        account, "aws", "us-east-1", moto.url)
    assert info["caller_arn"] == "arn:aws:sts::%s:assumed-role/%s/fleetiam-maintenance-windows" % (
        account, aws.ADMIN_ROLE)
    assert (info["api_calls"], info["api_retries"]) == (1, 0)
    assert "credentials" not in info


def test_the_assumed_session_is_handed_on_when_asked_for_and_acts_in_the_account(run, moto, account):
    info = run(AccountInfo, return_credentials=True, role_session_name="handed-on")
    credentials = info["credentials"]
    assert set(credentials) == {"access_key", "secret_key", "session_token", "expiration"}
    assert credentials["secret_key"] != aws.HUB_CREDENTIALS["aws_secret_access_key"]
    sts = aws.client(moto.url, "sts", aws_access_key_id=credentials["access_key"],
                     aws_secret_access_key=credentials["secret_key"], aws_session_token=credentials["session_token"])
    assert sts.get_caller_identity()["Arn"] == info["caller_arn"]
    assert info["caller_arn"].endswith("/handed-on")


def test_without_a_role_the_callers_own_account_is_read_in_one_call(hub_connection):
    info = run_module(AccountInfo, hub_connection)
    assert (info["account_id"], info["partition"]) == (HUB_ACCOUNT, "aws")
    assert info["caller_arn"].startswith("arn:aws:sts::%s:" % HUB_ACCOUNT)
    assert (info["api_calls"], info["api_retries"]) == (1, 0)


def test_without_a_role_there_is_no_session_to_hand_on(hub_connection):
    info = run_module(AccountInfo, hub_connection, return_credentials=True)
    assert "credentials" not in info
    assert aws.HUB_CREDENTIALS["aws_secret_access_key"] not in repr(info)


@pytest.mark.parametrize("region, partition", [("cn-north-1", "aws-cn"), ("us-gov-west-1", "aws-us-gov")])
def test_the_partition_is_the_one_of_the_callers_arn(session_connection, region, partition):
    # moto answers every region at one endpoint, with ARNs of the region's partition.
    connection = {k: v for k, v in session_connection.items() if k != "partition"}
    info = run_module(AccountInfo, dict(connection, region=region))
    assert info["caller_arn"].startswith("arn:%s:sts::%s:" % (partition, session_connection["account_id"]))
    assert (info["partition"], info["region"]) == (partition, region)


def test_the_session_names_the_options_it_was_made_for_by_a_digest_without_the_external_id(run, connection):
    info = run(AccountInfo, external_id="fleet-secret-id", return_credentials=True)
    made_for = dict(connection, external_id="fleet-secret-id")
    assert info["settings_digest"] == settings_digest(made_for)
    assert "fleet-secret-id" not in repr(info)
    # Another account, identity or endpoint is another session; a name the module ignores is not.
    for option, other in (("assume_role_arn", "arn:aws:iam::111122223333:role/Other"), ("external_id", "other"),
                          ("profile", "other"), ("region", "eu-west-1"), ("endpoint_url", "http://127.0.0.1:1")):
        assert settings_digest(dict(made_for, **{option: other})) != info["settings_digest"], option
    assert settings_digest(dict(made_for, role_session_name="other")) == info["settings_digest"]
