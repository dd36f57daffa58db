"""iam_policy_attachment against moto: AmazonSSMFullAccess by name on a user, a group and a
role, preview, attach, no change, drift repaired, detach; what it refuses."""

from __future__ import annotations

import json

import pytest

from ansible_collections.fleetiam.maintenance_windows.plugins.module_utils.attachment import PolicyAttachment
from ansible_collections.fleetiam.maintenance_windows.plugins.module_utils.errors import (
    InvalidInputError,
    PrincipalNotFoundError,
)

from tests.integration.modules.guide_documents import TRUST

SSM_FULL_ACCESS = "arn:aws:iam::aws:policy/AmazonSSMFullAccess"
KEY = {"user": "UserName", "group": "GroupName", "role": "RoleName"}


def create_principal(iam, kind, name):
    if kind == "role":
        iam.create_role(RoleName=name, AssumeRolePolicyDocument=json.dumps(TRUST))
    else:
        getattr(iam, "create_%s" % kind)(**{KEY[kind]: name})


def attached(iam, kind, name):
    listed = getattr(iam, "list_attached_%s_policies" % kind)(**{KEY[kind]: name})["AttachedPolicies"]
    return sorted(p["PolicyArn"] for p in listed)


@pytest.mark.parametrize("kind", ["user", "group", "role"])
def test_preview_attach_no_change_drift_repair_and_detach(run, account_iam, snapshot, unique_suffix, kind):
    principal = "registrants" + unique_suffix
    create_principal(account_iam, kind, principal)
    options = dict(principal_type=kind, principal_name=principal, policy_arn="AmazonSSMFullAccess")
    empty = snapshot()

    preview = run(PolicyAttachment, check_mode=True, **options)
    assert preview["changed"] is True
    assert preview["policy_arn"] == SSM_FULL_ACCESS
    assert preview["diff"]["before"] == {"managed_policies": []}
    assert preview["diff"]["after"] == {"managed_policies": [SSM_FULL_ACCESS]}
    assert snapshot() == empty

    assert run(PolicyAttachment, **options)["changed"] is True
    assert attached(account_iam, kind, principal) == [SSM_FULL_ACCESS]

    applied = snapshot()
    for check_mode in (True, False):
        again = run(PolicyAttachment, check_mode=check_mode, **options)
        assert again["changed"] is False
        assert again["diff"]["before"] == again["diff"]["after"] == {"managed_policies": [SSM_FULL_ACCESS]}
    assert snapshot() == applied

    getattr(account_iam, "detach_%s_policy" % kind)(**{KEY[kind]: principal, "PolicyArn": SSM_FULL_ACCESS})
    drifted = snapshot()
    shown = run(PolicyAttachment, check_mode=True, **options)
    assert shown["changed"] is True
    assert (shown["diff"]["before"], shown["diff"]["after"]) == (
        {"managed_policies": []}, {"managed_policies": [SSM_FULL_ACCESS]})
    assert snapshot() == drifted

    assert run(PolicyAttachment, **options)["changed"] is True
    assert attached(account_iam, kind, principal) == [SSM_FULL_ACCESS]

    absent = dict(options, state="absent")
    if kind == "group":  # nothing can record on a group that this collection attached it
        for check_mode in (True, False):
            kept = run(PolicyAttachment, check_mode=check_mode, **absent)
            assert (kept["changed"], kept["attached"]) == (False, True)
            assert "IAM groups cannot be tagged" in kept["kept"]
        assert snapshot() == applied
        absent["adopt"] = True
    assert run(PolicyAttachment, check_mode=True, **absent)["changed"] is True
    assert snapshot() == applied
    detached = run(PolicyAttachment, **absent)
    assert detached["changed"] is True
    assert detached["diff"]["after"] == {"managed_policies": []}
    assert snapshot() == empty
    assert run(PolicyAttachment, **absent)["changed"] is False


def test_other_attachments_of_the_principal_are_left_alone(run, account_iam, unique_suffix):
    principal = "registrants" + unique_suffix
    legacy = "arn:aws:iam::aws:policy/service-role/AmazonSSMMaintenanceWindowRole"
    create_principal(account_iam, "user", principal)
    account_iam.attach_user_policy(UserName=principal, PolicyArn=legacy)
    run(PolicyAttachment, principal_type="user", principal_name=principal, policy_arn="AmazonSSMFullAccess")
    assert attached(account_iam, "user", principal) == [SSM_FULL_ACCESS, legacy]
    run(PolicyAttachment, principal_type="user", principal_name=principal, policy_arn=SSM_FULL_ACCESS,
        state="absent")
    assert attached(account_iam, "user", principal) == [legacy]


def test_a_principal_that_does_not_exist_is_named_and_nothing_is_written(run, account, snapshot):
    before = snapshot()
    with pytest.raises(PrincipalNotFoundError) as missing:
        run(PolicyAttachment, principal_type="group", principal_name="nobody", policy_arn="AmazonSSMFullAccess")
    assert missing.value.account == account
    assert missing.value.message().startswith("account %s, group nobody: the group does not exist" % account)
    assert snapshot() == before


def test_an_aws_managed_policy_that_does_not_exist_is_refused(run, account, account_iam, snapshot, unique_suffix):
    principal = "registrants" + unique_suffix
    create_principal(account_iam, "user", principal)
    before = snapshot()
    with pytest.raises(InvalidInputError) as refused:
        run(PolicyAttachment, principal_type="user", principal_name=principal,
            policy_arn="AmazonSSMMaintenanceWindowRole")  # lives under service-role/
    message = refused.value.message()
    assert "the managed policy arn:aws:iam::aws:policy/AmazonSSMMaintenanceWindowRole does not exist" in message
    assert "service-role/AmazonSSMMaintenanceWindowRole" in message
    assert refused.value.account == account
    assert snapshot() == before


def test_a_malformed_policy_arn_is_refused_and_nothing_is_written(run, account, account_iam, snapshot, unique_suffix):
    principal = "registrants" + unique_suffix
    create_principal(account_iam, "user", principal)
    before = snapshot()
    with pytest.raises(InvalidInputError) as refused:
        run(PolicyAttachment, principal_type="user", principal_name=principal,
            policy_arn="arn:aws::iam::aws:policy/AmazonSSMFullAccess")
    assert "is not a valid IAM policy ARN" in refused.value.message()
    assert snapshot() == before


def test_attach_and_detach_are_create_and_delete_and_a_pending_role_previews_its_attachment(run, account_iam,
                                                                                            unique_suffix):
    name = "attach-kinds" + unique_suffix
    options = dict(principal_type="role", principal_name=name, policy_arn="AmazonSSMFullAccess")
    pending = run(PolicyAttachment, check_mode=True, principal_pending=True, **options)
    assert (pending["changed"], pending["change"], pending["principal_exists"]) == (True, "create", False)
    with pytest.raises(PrincipalNotFoundError):
        run(PolicyAttachment, principal_pending=True, **options)
    create_principal(account_iam, "role", name)
    assert run(PolicyAttachment, **options)["change"] == "create"
    assert run(PolicyAttachment, **options)["change"] == "none"
    assert run(PolicyAttachment, state="absent", **options)["change"] == "delete"
