"""iam_inline_policy against moto, on a user, a group and a role: preview, put, no change,
drift repaired, delete; principals that do not exist and documents refused before any write."""

from __future__ import annotations

import json

import pytest

from ansible_collections.fleetiam.maintenance_windows.plugins.module_utils.errors import (
    InvalidInputError,
    PrincipalNotFoundError,
)
from ansible_collections.fleetiam.maintenance_windows.plugins.module_utils.inline_policy import InlinePolicy
from ansible_collections.fleetiam.maintenance_windows.plugins.module_utils.policy import for_display, same_policy

from tests.integration.modules.guide_documents import DENY, PASS_ROLE_POLICY_NAME, TRUST, pass_role_policy

KEY = {"user": "UserName", "group": "GroupName", "role": "RoleName"}


def create_principal(iam, kind, name):
    if kind == "role":
        iam.create_role(RoleName=name, AssumeRolePolicyDocument=json.dumps(TRUST))
    else:
        getattr(iam, "create_%s" % kind)(**{KEY[kind]: name})


def stored_document(iam, kind, name, policy_name):
    return getattr(iam, "get_%s_policy" % kind)(**{KEY[kind]: name, "PolicyName": policy_name})["PolicyDocument"]


@pytest.mark.parametrize("kind", ["user", "group", "role"])
def test_preview_put_no_change_drift_repair_and_delete(run, account, account_iam, snapshot, unique_suffix, kind):
    principal = "registrants" + unique_suffix
    create_principal(account_iam, kind, principal)
    wanted = pass_role_policy(account)
    options = dict(principal_type=kind, principal_name=principal, policy_name=PASS_ROLE_POLICY_NAME, policy=wanted)
    empty = snapshot()

    preview = run(InlinePolicy, check_mode=True, **options)
    assert preview["changed"] is True
    assert (preview["diff"]["before"], preview["diff"]["after"]) == ({}, for_display(wanted))
    assert preview["diff"]["after_header"] == "account %s: inline policy %s on %s %s" % (
        account, PASS_ROLE_POLICY_NAME, kind, principal)
    assert snapshot() == empty

    put = run(InlinePolicy, **options)
    assert put["changed"] is True
    assert put["document"] == for_display(wanted)
    assert same_policy(stored_document(account_iam, kind, principal, PASS_ROLE_POLICY_NAME), wanted)

    applied = snapshot()
    for check_mode in (True, False):
        again = run(InlinePolicy, check_mode=check_mode, **options)
        assert again["changed"] is False
        assert again["diff"]["before"] == again["diff"]["after"]
    assert snapshot() == applied

    # Out of band: PassRole widened to every role.
    widened = json.loads(json.dumps(wanted))
    widened["Statement"][0]["Resource"] = "*"
    getattr(account_iam, "put_%s_policy" % kind)(**{KEY[kind]: principal, "PolicyName": PASS_ROLE_POLICY_NAME,
                                                    "PolicyDocument": json.dumps(widened)})
    drifted = snapshot()

    shown = run(InlinePolicy, check_mode=True, **options)
    assert shown["changed"] is True
    assert shown["diff"]["before"]["Statement"][0]["Resource"] == ["*"]
    assert shown["diff"]["after"]["Statement"][0]["Resource"] == [
        "arn:aws:iam::%s:role/MaintenanceWindowServiceRole" % account]
    assert snapshot() == drifted

    assert run(InlinePolicy, **options)["changed"] is True
    assert same_policy(stored_document(account_iam, kind, principal, PASS_ROLE_POLICY_NAME), wanted)
    assert snapshot() == applied

    absent = dict(principal_type=kind, principal_name=principal, policy_name=PASS_ROLE_POLICY_NAME, state="absent")
    preview_delete = run(InlinePolicy, check_mode=True, **absent)
    assert preview_delete["changed"] is True
    assert (preview_delete["diff"]["before"], preview_delete["diff"]["after"]) == (for_display(wanted), {})
    assert snapshot() == applied

    assert run(InlinePolicy, **absent)["changed"] is True
    assert snapshot() == empty
    assert run(InlinePolicy, **absent)["changed"] is False


@pytest.mark.parametrize("kind", ["user", "group", "role"])
def test_a_principal_that_does_not_exist_is_named_and_nothing_is_written(run, account, snapshot, kind):
    before = snapshot()
    with pytest.raises(PrincipalNotFoundError) as missing:
        run(InlinePolicy, principal_type=kind, principal_name="nobody", policy_name="DenyRegistration", policy=DENY)
    assert missing.value.account == account
    assert missing.value.message().startswith(
        "account %s, %s nobody: the %s does not exist (this collection never creates users, groups or roles)"
        % (account, kind, kind))
    assert "Fix: create the %s first" % kind in missing.value.message()
    assert snapshot() == before


def test_removing_a_policy_from_a_principal_that_does_not_exist_changes_nothing(run, snapshot):
    before = snapshot()
    result = run(InlinePolicy, principal_type="group", principal_name="nobody", policy_name="DenyRegistration",
                 state="absent")
    assert (result["changed"], result["principal_exists"]) == (False, False)
    assert snapshot() == before


@pytest.mark.parametrize("kind, document, says", [
    ("group", {"Version": "2012-10-17", "Statement": [dict(DENY["Statement"][0], Principal="*")]},
     "of an identity policy may not have a Principal"),
    ("group", {"Version": "2012-10-17", "Statement": [dict(DENY["Statement"][0], Effect="Block")]},
     "has Effect 'Block'"),
    # 2,048 characters is the limit for a user's inline policies (a group's is 5,120).
    ("user", {"Version": "2012-10-17", "Statement": [
        dict(DENY["Statement"][0], Action=["ssm:Deny%04d" % n for n in range(150)])]}, "IAM allows 2048"),
], ids=["Principal", "Effect", "user size limit"])
def test_a_bad_document_is_refused_before_any_write(run, account, account_iam, snapshot, unique_suffix, kind,
                                                    document, says):
    principal = "contractors" + unique_suffix
    create_principal(account_iam, kind, principal)
    run(InlinePolicy, principal_type=kind, principal_name=principal, policy_name="DenyRegistration", policy=DENY)
    before = snapshot()
    with pytest.raises(InvalidInputError) as refused:
        run(InlinePolicy, principal_type=kind, principal_name=principal, policy_name="DenyRegistration",
            policy=document)
    assert says in refused.value.message()
    assert refused.value.account == account
    assert snapshot() == before


def test_a_role_still_to_be_created_previews_its_inline_policy_as_created_only_when_said_so(run, account, snapshot,
                                                                                            unique_suffix):
    options = dict(principal_type="role", principal_name="not-yet" + unique_suffix, policy_name=PASS_ROLE_POLICY_NAME,
                   policy=pass_role_policy(account))
    empty = snapshot()
    preview = run(InlinePolicy, check_mode=True, principal_pending=True, **options)
    assert (preview["changed"], preview["change"], preview["principal_exists"]) == (True, "create", False)
    assert preview["diff"]["after"] == for_display(pass_role_policy(account))
    assert snapshot() == empty
    for check_mode in (True, False):  # not said, or not a preview: the role must exist
        with pytest.raises(PrincipalNotFoundError):
            run(InlinePolicy, check_mode=check_mode, principal_pending=not check_mode, **options)
