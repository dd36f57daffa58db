"""Requests checked against botocore's service model before they are sent, and in check
mode, where nothing is sent: the model's maximums, patterns and enums, which botocore
itself does not check; the messages name the parameter and its limit, never its value."""

from __future__ import annotations

import pytest

from ansible_collections.fleetiam.maintenance_windows.plugins.module_utils.context import AwsContext
from ansible_collections.fleetiam.maintenance_windows.plugins.module_utils.errors import InvalidInputError
from ansible_collections.fleetiam.maintenance_windows.plugins.module_utils.sessions import create_client, new_session

ACCOUNT = "111122223333"
SECRET_LIKE = "s3cr3t external id with spaces"


@pytest.fixture
def ctx():
    return AwsContext(dict(access_key="AKIDEXAMPLE", secret_key="secret", region="us-east-1", account_id=ACCOUNT))


def test_a_description_over_the_models_maximum_is_refused_in_check_mode(ctx):
    with pytest.raises(InvalidInputError) as raised:
        ctx.write("iam", "create_role", "role R", True, RoleName="R", AssumeRolePolicyDocument="{}",
                  Description="d" * 1001)
    message = raised.value.message()
    assert message.startswith("account %s, role R: AWS would refuse CreateRole: Description has 1001 characters; "
                              "AWS allows at most 1000" % ACCOUNT)
    assert "Fix: shorten the description" in message


@pytest.mark.parametrize("request_, says", [
    (dict(RoleName="R", Description="tab\x07bell"), "Description has characters AWS does not allow there"),
    (dict(RoleName="R", MaxSessionDuration=50000), "MaxSessionDuration is 50000; AWS allows at most 43200"),
    (dict(RoleName="R" * 65), "RoleName has 65 characters; AWS allows at most 64"),
])
def test_patterns_maximum_values_and_lengths_come_from_the_model(ctx, request_, says):
    with pytest.raises(InvalidInputError) as raised:
        ctx.write("iam", "update_role", "role R", True, **request_)
    assert says in raised.value.message()


def test_a_right_request_in_check_mode_is_skipped(ctx):
    assert ctx.write("iam", "update_role", "role R", True, RoleName="R", Description="fine") is None


def test_the_value_is_never_in_the_message():
    params = dict(access_key="AKIDEXAMPLE", secret_key="secret", region="us-east-1",
                  assume_role_arn="arn:aws:iam::%s:role/Admin" % ACCOUNT, external_id=SECRET_LIKE,
                  role_session_name="s" * 65)
    with pytest.raises(InvalidInputError) as raised:
        AwsContext(params)
    message = raised.value.message()
    assert SECRET_LIKE not in message and "s" * 65 not in message
    assert "RoleSessionName has 65 characters; AWS allows at most 64" in message
    assert "ExternalId has characters AWS does not allow there" in message
    assert "sts:RoleSessionName condition" in message.partition("Fix: ")[2]
    assert message.startswith("account %s" % ACCOUNT)


def test_an_endpoint_url_without_a_scheme_says_how_to_write_it():
    with pytest.raises(InvalidInputError) as raised:
        create_client(new_session(), "iam", "us-east-1", dict(endpoint_url="127.0.0.1:5000"), ACCOUNT)
    assert raised.value.message() == ("account %s: endpoint_url '127.0.0.1:5000' has no scheme. "
                                      "Fix: write it with its scheme, e.g. https://127.0.0.1:5000 (mw_endpoint_url)"
                                      % ACCOUNT)
