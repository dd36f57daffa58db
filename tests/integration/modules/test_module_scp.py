"""organizations_scp against the local AWS, in the management account (the hub, 123456789012):
refusals before any write, create, second run, drift and its repair, removal, coverage."""

from __future__ import annotations

import json

import pytest

from ansible_collections.fleetiam.maintenance_windows.plugins.module_utils import runner
from ansible_collections.fleetiam.maintenance_windows.plugins.module_utils.errors import (
    InvalidInputError,
    ResourceConflictError,
)
from ansible_collections.fleetiam.maintenance_windows.plugins.module_utils.scp import (
    OWNER_TAG,
    ServiceControlPolicy,
    organizations_scp_options,
)

from tests.conftest import module_params
from tests.support import aws

DENY = {"Version": "2012-10-17", "Statement": [{
    "Effect": "Deny", "Action": ["ssm:RegisterTaskWithMaintenanceWindow", "ssm:UpdateMaintenanceWindowTask"],
    "Resource": "*",
    "Condition": {"ArnNotLike": {"aws:PrincipalArn": ["arn:aws:iam::*:role/OrganizationAccountAccessRole"]}}}]}


@pytest.fixture(scope="module")
def org(moto):
    """The organisation's client, a root with SCPs disabled, two OUs (one inside the other) and accounts in them."""
    accounts = aws.create_member_accounts(moto.url, 3, prefix="scp-module")
    client = aws.client(moto.url, "organizations")
    root = client.list_roots()["Roots"][0]["Id"]
    outer = client.create_organizational_unit(ParentId=root, Name="scp-module-outer")["OrganizationalUnit"]["Id"]
    inner = client.create_organizational_unit(ParentId=outer, Name="scp-module-inner")["OrganizationalUnit"]["Id"]
    for account, parent in zip(accounts, (outer, inner)):
        client.move_account(AccountId=account, SourceParentId=root, DestinationParentId=parent)
    return dict(client=client, root=root, outer=outer, inner=inner, accounts=accounts)


def run(moto, check_mode=False, **values):
    connection = dict(endpoint_url=moto.url, region=aws.REGION, access_key=aws.HUB_CREDENTIALS["aws_access_key_id"],
                      secret_key=aws.HUB_CREDENTIALS["aws_secret_access_key"])
    params = module_params(organizations_scp_options(), **dict(connection, **values))
    return runner.reconcile(ServiceControlPolicy, params, check_mode)


def ours(client, name):
    return aws.service_control_policy(client, name)


def test_scps_not_enabled_on_the_root_are_refused_before_any_write(moto, org):
    aws.scps_disabled(org["client"])
    with pytest.raises(InvalidInputError) as refused:
        run(moto, name="scp-module-refused", policy=DENY, targets=[org["outer"]])
    message = refused.value.message()
    assert "service control policies are not enabled on the root %s" % org["root"] in message
    assert "mw_scp_enable_policy_type: true" in message and "enable-policy-type --root-id" in message
    assert ours(org["client"], "scp-module-refused") is None


@pytest.mark.parametrize("policy, targets, problem", [
    ({"Version": "2012-10-17", "Statement": [dict(DENY["Statement"][0], Principal="*")]}, None,
     "statement 1 of a service control policy may not have a Principal"),
    ({"Version": "2012-10-17", "Statement": [dict(DENY["Statement"][0], Effect="Block")]}, None, "Effect 'Block'"),
    ({"Version": "2012-10-17", "Statement": [dict(DENY["Statement"][0], Condition={"ArnNotLike": {
        "aws:PrincipalArn": ["arn:aws:iam::*:role/exempt-%04d" % n for n in range(200)]}})]}, None,
     "characters without white space; AWS Organizations allows 5120"),
    (DENY, ["ou-nope"], "the targets ou-nope are not ids of a root, an OU or an account"),
    (DENY, ["ou-zzzz-zzzzzzzz", "999999999999"], "the targets 999999999999, ou-zzzz-zzzzzzzz are not a root, OU or "
                                                 "account of organization"),
])
def test_bad_input_is_refused_before_any_write(moto, org, policy, targets, problem):
    with pytest.raises(InvalidInputError) as refused:
        run(moto, name="scp-module-bad", policy=policy, targets=targets or [org["outer"]], enable_policy_type=True)
    assert problem in refused.value.message()
    assert ours(org["client"], "scp-module-bad") is None


def test_the_preview_enables_creates_and_attaches_nothing(moto, org):
    aws.scps_disabled(org["client"])
    result = run(moto, check_mode=True, name="scp-module", policy=DENY, targets=[org["outer"]],
                 enable_policy_type=True)
    assert (result["changed"], result["change"]) == (True, "create")
    assert result["diff"]["before"] == {}
    assert result["diff"]["after"]["targets"] == [org["outer"]]
    assert result["diff"]["after"]["scps_enabled_on_root"] is True
    assert "SCPs do not apply to the management account 123456789012" in result["warnings"][0]
    assert ours(org["client"], "scp-module") is None
    assert org["client"].list_roots()["Roots"][0]["PolicyTypes"] == []


def test_apply_enables_scps_creates_the_tagged_policy_and_attaches_it(moto, org):
    result = run(moto, name="scp-module", description="guardrail", policy=DENY, targets=[org["outer"]],
                 enable_policy_type=True, account_ids=org["accounts"])
    assert (result["changed"], result["change"]) == (True, "create")
    policy = ours(org["client"], "scp-module")
    assert policy["targets"] == [org["outer"]] and policy["document"] == DENY
    assert OWNER_TAG in org["client"].list_tags_for_resource(ResourceId=policy["id"])["Tags"]
    assert {"Type": "SERVICE_CONTROL_POLICY", "Status": "ENABLED"} in org["client"].list_roots()["Roots"][0]["PolicyTypes"]
    # The outer OU reaches its own account and the inner OU's.
    assert result["covered_accounts"] == sorted(org["accounts"][:2])
    assert result["uncovered_accounts"] == [org["accounts"][2]]


def test_a_second_run_changes_nothing(moto, org):
    result = run(moto, name="scp-module", description="guardrail", policy=DENY, targets=[org["outer"]])
    assert (result["changed"], result["change"]) == (False, "none")
    assert result["diff"]["before"] == result["diff"]["after"]


def test_drift_is_previewed_then_repaired(moto, org):
    policy = ours(org["client"], "scp-module")
    org["client"].update_policy(PolicyId=policy["id"], Content=json.dumps(
        {"Version": "2012-10-17", "Statement": [{"Effect": "Deny", "Action": "ssm:Nothing", "Resource": "*"}]}))
    org["client"].detach_policy(PolicyId=policy["id"], TargetId=org["outer"])
    org["client"].attach_policy(PolicyId=policy["id"], TargetId=org["accounts"][2])
    preview = run(moto, check_mode=True, name="scp-module", description="guardrail", policy=DENY,
                  targets=[org["outer"]])
    assert (preview["changed"], preview["change"]) == (True, "update")
    assert preview["diff"]["before"]["targets"] == [org["accounts"][2]]
    assert preview["diff"]["after"]["targets"] == [org["outer"]]
    assert ours(org["client"], "scp-module")["targets"] == [org["accounts"][2]]
    run(moto, name="scp-module", description="guardrail", policy=DENY, targets=[org["outer"]])
    repaired = ours(org["client"], "scp-module")
    assert (repaired["document"], repaired["targets"]) == (DENY, [org["outer"]])


def test_targets_no_longer_listed_are_detached_and_no_other_policy_is_touched(moto, org):
    full_access_before = org["client"].list_targets_for_policy(PolicyId="p-FullAWSAccess")["Targets"]
    run(moto, name="scp-module", description="guardrail", policy=DENY, targets=[org["inner"], org["accounts"][2]])
    assert ours(org["client"], "scp-module")["targets"] == sorted([org["inner"], org["accounts"][2]])
    assert org["client"].list_targets_for_policy(PolicyId="p-FullAWSAccess")["Targets"] == full_access_before


def test_a_policy_of_the_name_without_the_owner_tag_is_not_ours(moto, org):
    org["client"].create_policy(Name="scp-module-foreign", Description="", Type="SERVICE_CONTROL_POLICY",
                                Content=json.dumps(DENY))
    with pytest.raises(ResourceConflictError) as refused:
        run(moto, name="scp-module-foreign", policy=DENY, targets=[org["outer"]])
    assert "exists without the tag managed-by=fleetiam.maintenance_windows" in refused.value.message()
    removal = run(moto, name="scp-module-foreign", state="absent")
    assert removal["changed"] is False and "left alone" in removal["warnings"][0]
    assert ours(org["client"], "scp-module-foreign") is not None


def test_absent_detaches_and_deletes_then_changes_nothing(moto, org):
    preview = run(moto, check_mode=True, name="scp-module", state="absent")
    assert (preview["changed"], preview["change"]) == (True, "delete")
    assert ours(org["client"], "scp-module") is not None
    removal = run(moto, name="scp-module", state="absent")
    assert (removal["changed"], removal["change"], removal["targets"]) == (True, "delete", [])
    assert ours(org["client"], "scp-module") is None
    again = run(moto, name="scp-module", state="absent")
    assert (again["changed"], again["change"]) == (False, "none")
