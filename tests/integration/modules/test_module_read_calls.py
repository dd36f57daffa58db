"""The calls a module makes when nothing is to change, with the session the role hands on
(account known, no assume-role): the read path documented in the README and module docs.
These are counts of calls, not of time; a counting proxy names each call."""

from __future__ import annotations

import json

import pytest

from ansible_collections.fleetiam.maintenance_windows.plugins.module_utils.account import AccountInfo
from ansible_collections.fleetiam.maintenance_windows.plugins.module_utils.attachment import PolicyAttachment
from ansible_collections.fleetiam.maintenance_windows.plugins.module_utils.errors import PrincipalNotFoundError
from ansible_collections.fleetiam.maintenance_windows.plugins.module_utils.inline_policy import InlinePolicy
from ansible_collections.fleetiam.maintenance_windows.plugins.module_utils.managed_policy import ManagedPolicy
from ansible_collections.fleetiam.maintenance_windows.plugins.module_utils.role import Role

from tests.integration.modules.guide_documents import (
    DENY,
    POLICY_NAME,
    ROLE_NAME,
    TRUST,
    service_role_policy,
)
from tests.integration.modules.module_runs import run_module
from tests.support import aws
from tests.support.aws_proxy import AwsProxy

GROUP = "registrants"


@pytest.fixture(scope="module")
def applied(account, moto):
    """Every module applied once in the module's account; returns the task options by case."""
    aws.account_client(moto.url, account, "iam").create_group(GroupName=GROUP)
    tasks = {
        "managed policy": (ManagedPolicy, dict(name=POLICY_NAME, policy=service_role_policy(account))),
        "role": (Role, dict(name=ROLE_NAME, assume_role_policy=TRUST)),
        "role with attachments": (Role, dict(name=ROLE_NAME, managed_policies=["AmazonSSMFullAccess"])),
        "inline policy": (InlinePolicy, dict(principal_type="group", principal_name=GROUP,
                                             policy_name="DenyRegistration", policy=DENY)),
        "attachment": (PolicyAttachment, dict(principal_type="group", principal_name=GROUP,
                                              policy_arn="AmazonSSMFullAccess")),
    }
    connection = dict(endpoint_url=moto.url, region=aws.REGION, access_key=aws.HUB_CREDENTIALS["aws_access_key_id"],
                      secret_key=aws.HUB_CREDENTIALS["aws_secret_access_key"],
                      assume_role_arn="arn:aws:iam::%s:role/%s" % (account, aws.ADMIN_ROLE))
    for reconciler, options in tasks.values():
        run_module(reconciler, connection, **options)
    return tasks


@pytest.mark.parametrize("case, calls", [
    ("managed policy", ["GetPolicy", "GetPolicyVersion"]),
    ("role", ["GetRole"]),
    ("role with attachments", ["GetRole", "ListAttachedRolePolicies"]),
    ("inline policy", ["GetGroupPolicy"]),
    ("attachment", ["ListAttachedGroupPolicies"]),
])
@pytest.mark.parametrize("check_mode", [False, True], ids=["apply", "check"])
def test_an_unchanged_resource_costs_only_its_documented_reads(moto, applied, session_connection, case, calls,
                                                               check_mode):
    reconciler, options = applied[case]
    with AwsProxy(moto.url) as proxy:
        result = run_module(reconciler, dict(session_connection, endpoint_url=proxy.url), check_mode, **options)
    assert result["changed"] is False, json.dumps(result["diff"])
    assert [record.action for record in proxy.records] == calls
    assert (result["api_calls"], result["api_retries"]) == (len(calls), 0)


@pytest.mark.parametrize("check_mode", [False, True], ids=["apply", "check"])
def test_an_inline_policy_not_there_yet_costs_two_reads(moto, applied, account, session_connection, check_mode):
    """NoSuchEntity from GetGroupPolicy; the group's list of inline policies then says that the
    group exists and names the others, whose sizes count against IAM's aggregate limit."""
    name = "NotThereYet" + ("Checked" if check_mode else "Applied")
    with AwsProxy(moto.url) as proxy:
        result = run_module(InlinePolicy, dict(session_connection, endpoint_url=proxy.url), check_mode,
                            principal_type="group", principal_name=GROUP, policy_name=name, policy=DENY)
    reads = ["GetGroupPolicy", "ListGroupPolicies", "GetGroupPolicy"]  # the last: the group's DenyRegistration
    assert result["changed"] is True
    assert [record.action for record in proxy.records] == reads + ([] if check_mode else ["PutGroupPolicy"])
    if not check_mode:
        aws.account_client(moto.url, account, "iam").delete_group_policy(GroupName=GROUP, PolicyName=name)


def test_an_inline_policy_on_a_missing_group_costs_two_reads_and_names_the_group(moto, session_connection):
    with AwsProxy(moto.url) as proxy:
        with pytest.raises(PrincipalNotFoundError) as missing:
            run_module(InlinePolicy, dict(session_connection, endpoint_url=proxy.url), principal_type="group",
                       principal_name="NoSuchGroup", policy_name="DenyRegistration", policy=DENY)
    assert "group NoSuchGroup: the group does not exist" in missing.value.message()
    assert [record.action for record in proxy.records] == ["GetGroupPolicy", "ListGroupPolicies"]


def test_account_info_assumes_the_role_in_one_call(moto, connection):
    with AwsProxy(moto.url) as proxy:
        result = run_module(AccountInfo, dict(connection, endpoint_url=proxy.url), return_credentials=True)
    assert [record.action for record in proxy.records] == ["AssumeRole"]
    assert result["api_calls"] == 1


def test_account_info_with_a_handed_on_session_asks_sts_once(moto, session_connection):
    with AwsProxy(moto.url) as proxy:
        result = run_module(AccountInfo, dict(session_connection, endpoint_url=proxy.url))
    assert [record.action for record in proxy.records] == ["GetCallerIdentity"]
    assert result["api_calls"] == 1
