"""iam_role against moto: preview, create, no change, drift repaired, delete; attachments
kept or purged, the path conflict, deleting a role that holds policies and an instance
profile, and trust policies refused before any write."""

from __future__ import annotations

import json

import pytest

from ansible_collections.fleetiam.maintenance_windows.plugins.module_utils.errors import (
    InvalidInputError,
    ResourceConflictError,
)
from ansible_collections.fleetiam.maintenance_windows.plugins.module_utils.policy import for_display, same_policy
from ansible_collections.fleetiam.maintenance_windows.plugins.module_utils.role import Role

from tests.integration.modules.guide_documents import (
    DENY,
    LEGACY_TRUST,
    ROLE_NAME,
    TRUST,
    role_arn,
    service_role_policy,
)
from tests.integration.modules.module_runs import OWNED, OWNED_VIEW

SSM_FULL_ACCESS = "arn:aws:iam::aws:policy/AmazonSSMFullAccess"
LEGACY_POLICY = "arn:aws:iam::aws:policy/service-role/AmazonSSMMaintenanceWindowRole"


@pytest.fixture
def role_name(unique_suffix):
    return ROLE_NAME + unique_suffix


@pytest.fixture
def service_policy(account, account_iam, unique_suffix):
    """The ARN of a Task 1 policy made out of band, for the role to attach."""
    return account_iam.create_policy(PolicyName="ServicePolicy" + unique_suffix,
                                     PolicyDocument=json.dumps(service_role_policy(account)))["Policy"]["Arn"]


def attached(account_iam, role_name):
    listed = account_iam.list_attached_role_policies(RoleName=role_name)["AttachedPolicies"]
    return sorted(p["PolicyArn"] for p in listed)


def test_preview_create_no_change_drift_repair_and_delete(run, account, account_iam, snapshot, role_name,
                                                          service_policy):
    options = dict(name=role_name, assume_role_policy=TRUST, description="Maintenance window service role",
                   max_session_duration=7200, managed_policies=[service_policy], tags={"team": "mw"})
    arn = role_arn(account, role_name)
    empty = snapshot()

    preview = run(Role, check_mode=True, **options)
    assert preview["changed"] is True
    assert preview["arn"] == arn
    assert preview["diff"]["before"] == {}
    after = preview["diff"]["after"]
    assert after["assume_role_policy_document"] == for_display(TRUST)
    assert after["managed_policies"] == [service_policy]
    assert (after["description"], after["max_session_duration"], after["tags"]) == (
        "Maintenance window service role", 7200, dict(OWNED_VIEW, team="mw"))
    assert snapshot() == empty

    created = run(Role, **options)
    assert created["changed"] is True
    role = account_iam.get_role(RoleName=role_name)["Role"]
    assert same_policy(role["AssumeRolePolicyDocument"], TRUST)
    assert (role["Arn"], role["Description"], role["MaxSessionDuration"]) == (
        arn, "Maintenance window service role", 7200)
    assert role["Tags"] == OWNED + [{"Key": "team", "Value": "mw"}]
    assert created["ownership"] == "created"
    assert attached(account_iam, role_name) == [service_policy]
    assert created["role"]["role_id"] == role["RoleId"]

    applied = snapshot()
    for check_mode in (True, False):
        again = run(Role, check_mode=check_mode, **options)
        assert again["changed"] is False
        assert again["diff"]["before"] == again["diff"]["after"]
    assert snapshot() == applied

    # Out of band: the legacy trust, the policy detached, another description.
    account_iam.update_assume_role_policy(RoleName=role_name, PolicyDocument=json.dumps(LEGACY_TRUST))
    account_iam.detach_role_policy(RoleName=role_name, PolicyArn=service_policy)
    account_iam.update_role(RoleName=role_name, Description="changed by hand")
    drifted = snapshot()

    shown = run(Role, check_mode=True, **options)
    assert shown["changed"] is True
    before, after = shown["diff"]["before"], shown["diff"]["after"]
    assert before["assume_role_policy_document"]["Statement"][0]["Principal"] == {
        "Service": ["ec2.amazonaws.com", "sns.amazonaws.com", "ssm.amazonaws.com"]}
    assert after["assume_role_policy_document"] == for_display(TRUST)
    assert (before["managed_policies"], after["managed_policies"]) == ([], [service_policy])
    assert (before["description"], after["description"]) == ("changed by hand", "Maintenance window service role")
    assert snapshot() == drifted

    assert run(Role, **options)["changed"] is True
    role = account_iam.get_role(RoleName=role_name)["Role"]
    assert same_policy(role["AssumeRolePolicyDocument"], TRUST)
    assert role["Description"] == "Maintenance window service role"
    assert attached(account_iam, role_name) == [service_policy]
    assert snapshot() == applied
    assert run(Role, **options)["changed"] is False

    preview_delete = run(Role, check_mode=True, name=role_name, state="absent")
    assert preview_delete["changed"] is True
    assert preview_delete["diff"]["after"] == {}
    assert snapshot() == applied

    deleted = run(Role, name=role_name, state="absent")
    assert deleted["changed"] is True
    assert deleted["role"] is None
    with pytest.raises(account_iam.exceptions.NoSuchEntityException):
        account_iam.get_role(RoleName=role_name)
    # The policy it used stays: it is iam_managed_policy's to delete.
    assert account_iam.get_policy(PolicyArn=service_policy)["Policy"]["AttachmentCount"] == 0

    assert run(Role, name=role_name, state="absent")["changed"] is False


def test_attachments_made_by_hand_stay_unless_purged(run, account_iam, role_name):
    wanted = dict(name=role_name, managed_policies=["service-role/AmazonSSMMaintenanceWindowRole"])
    run(Role, assume_role_policy=TRUST, **wanted)
    account_iam.attach_role_policy(RoleName=role_name, PolicyArn=SSM_FULL_ACCESS)

    kept = run(Role, **wanted)
    assert kept["changed"] is False
    assert kept["role"]["managed_policies"] == [SSM_FULL_ACCESS, LEGACY_POLICY]

    purged = run(Role, purge_managed_policies=True, **wanted)
    assert purged["changed"] is True
    assert purged["diff"]["before"]["managed_policies"] == [SSM_FULL_ACCESS, LEGACY_POLICY]
    assert purged["diff"]["after"]["managed_policies"] == [LEGACY_POLICY]
    assert attached(account_iam, role_name) == [LEGACY_POLICY]


def test_a_role_with_another_path_is_a_conflict_and_is_left_alone(run, account, account_iam, snapshot, role_name):
    account_iam.create_role(RoleName=role_name, Path="/legacy/", AssumeRolePolicyDocument=json.dumps(LEGACY_TRUST),
                            Tags=OWNED)
    before = snapshot()
    with pytest.raises(ResourceConflictError) as refused:
        run(Role, name=role_name, path="/", assume_role_policy=TRUST)
    message = refused.value.message()
    assert message.startswith("account %s, role %s: it exists with path /legacy/, not /" % (account, role_name))
    assert "Fix: set the path to /legacy/, or delete the role" in message
    assert snapshot() == before


def test_deleting_a_role_removes_its_attachments_inline_policies_and_instance_profile_first(
        run, account_iam, role_name, unique_suffix):
    profile = "MaintenanceWindowProfile" + unique_suffix
    account_iam.create_role(RoleName=role_name, AssumeRolePolicyDocument=json.dumps(TRUST), Tags=OWNED)
    account_iam.attach_role_policy(RoleName=role_name, PolicyArn=SSM_FULL_ACCESS)
    account_iam.attach_role_policy(RoleName=role_name, PolicyArn=LEGACY_POLICY)
    account_iam.put_role_policy(RoleName=role_name, PolicyName="Deny", PolicyDocument=json.dumps(DENY))
    account_iam.create_instance_profile(InstanceProfileName=profile)
    account_iam.add_role_to_instance_profile(InstanceProfileName=profile, RoleName=role_name)

    deleted = run(Role, name=role_name, state="absent")
    assert deleted["changed"] is True
    with pytest.raises(account_iam.exceptions.NoSuchEntityException):
        account_iam.get_role(RoleName=role_name)
    # The instance profile is not the role's to delete; it is only emptied.
    assert account_iam.get_instance_profile(InstanceProfileName=profile)["InstanceProfile"]["Roles"] == []


@pytest.mark.parametrize("trust, says", [
    ({"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "sts:AssumeRole"}]}, "has no Principal"),
    ({"Version": "2012-10-17", "Statement": [dict(TRUST["Statement"][0], Resource="*")]},
     "of a trust policy may not have a Resource"),
    ("{'Version': '2012-10-17'}", "is not valid JSON"),
], ids=["without Principal", "with Resource", "not JSON"])
def test_a_bad_trust_policy_is_refused_before_any_write(run, account, snapshot, role_name, trust, says):
    # moto would store these (it does not validate trust policies); IAM would refuse them.
    before = snapshot()
    with pytest.raises(InvalidInputError) as refused:
        run(Role, name=role_name, assume_role_policy=trust)
    assert says in refused.value.message()
    assert refused.value.account == account
    assert snapshot() == before


def test_creating_a_role_needs_a_trust_policy(run, account, snapshot, role_name):
    before = snapshot()
    with pytest.raises(InvalidInputError) as refused:
        run(Role, name=role_name, managed_policies=["AmazonSSMFullAccess"])
    assert "creating the role needs a trust policy" in refused.value.message()
    assert snapshot() == before
