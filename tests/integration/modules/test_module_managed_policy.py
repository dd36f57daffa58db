"""iam_managed_policy against moto: preview, create, no change, drift repaired, delete;
the five-version limit, reuse of versions, detaching before delete, and what it refuses."""

from __future__ import annotations

import json

import pytest

from ansible_collections.fleetiam.maintenance_windows.plugins.module_utils.errors import (
    InvalidInputError,
    ResourceConflictError,
)
from ansible_collections.fleetiam.maintenance_windows.plugins.module_utils.managed_policy import ManagedPolicy
from ansible_collections.fleetiam.maintenance_windows.plugins.module_utils.policy import for_display, same_policy

from tests.integration.modules.guide_documents import (
    POLICY_NAME,
    TRUST,
    policy_arn,
    service_role_policy,
    without_automation,
)
from tests.integration.modules.module_runs import OWNED, OWNED_VIEW, default_document, policy_versions
from tests.support.aws_proxy import AwsProxy


@pytest.fixture
def policy_name(unique_suffix):
    return POLICY_NAME + unique_suffix


def numbered_policy(number):
    """A valid policy that differs from every other number's."""
    return {"Version": "2012-10-17", "Statement": [
        {"Effect": "Allow", "Action": "ssm:SendCommand", "Resource": "arn:aws:ssm:*:*:document/Doc%d" % number}]}


def test_preview_create_no_change_drift_repair_and_delete(run, account, account_iam, snapshot, policy_name):
    wanted = service_role_policy(account)
    options = dict(name=policy_name, policy=wanted, description="Task 1", tags={"team": "mw"})
    arn = policy_arn(account, policy_name)
    empty = snapshot()

    preview = run(ManagedPolicy, check_mode=True, **options)
    assert preview["changed"] is True
    assert preview["arn"] == arn
    assert preview["diff"]["before"] == {}
    assert preview["diff"]["after"]["document"] == for_display(wanted)
    assert snapshot() == empty

    created = run(ManagedPolicy, **options)
    assert created["changed"] is True
    assert created["arn"] == arn
    stored = account_iam.get_policy(PolicyArn=arn)["Policy"]
    assert (stored["Description"], stored["DefaultVersionId"]) == ("Task 1", "v1")
    assert account_iam.list_policy_tags(PolicyArn=arn)["Tags"] == OWNED + [{"Key": "team", "Value": "mw"}]
    assert same_policy(default_document(account_iam, arn), wanted)

    applied = snapshot()
    for check_mode in (True, False):
        again = run(ManagedPolicy, check_mode=check_mode, **options)
        assert again["changed"] is False
        assert again["diff"]["before"] == again["diff"]["after"]
        assert again["policy"]["default_version_id"] == "v1"
    assert snapshot() == applied

    # Out of band: someone trims the Automation actions and adds a tag.
    drifted = without_automation(wanted)
    account_iam.create_policy_version(PolicyArn=arn, PolicyDocument=json.dumps(drifted), SetAsDefault=True)
    account_iam.tag_policy(PolicyArn=arn, Tags=[{"Key": "owner", "Value": "someone"}])
    drifted_state = snapshot()

    shown = run(ManagedPolicy, check_mode=True, **options)
    assert shown["changed"] is True
    before, after = shown["diff"]["before"], shown["diff"]["after"]
    assert "ssm:StartAutomationExecution" not in before["document"]["Statement"][0]["Action"]
    assert "ssm:StartAutomationExecution" in after["document"]["Statement"][0]["Action"]
    assert after["document"] == for_display(wanted)
    assert (before["tags"], after["tags"]) == (
        dict(OWNED_VIEW, team="mw", owner="someone"), dict(OWNED_VIEW, team="mw"))
    assert snapshot() == drifted_state

    repaired = run(ManagedPolicy, **options)
    assert repaired["changed"] is True
    assert same_policy(default_document(account_iam, arn), wanted)
    # v1 holds the wanted document: it is made the default again, no third version is made.
    assert sorted(policy_versions(account_iam, arn)) == ["v1", "v2"]
    assert repaired["policy"]["default_version_id"] == "v1"
    assert account_iam.list_policy_tags(PolicyArn=arn)["Tags"] == OWNED + [{"Key": "team", "Value": "mw"}]
    assert run(ManagedPolicy, **options)["changed"] is False

    repaired_state = snapshot()
    preview_delete = run(ManagedPolicy, check_mode=True, name=policy_name, state="absent")
    assert preview_delete["changed"] is True
    assert preview_delete["diff"]["after"] == {}
    assert snapshot() == repaired_state

    deleted = run(ManagedPolicy, name=policy_name, state="absent")
    assert deleted["changed"] is True
    assert deleted["diff"]["before"]["document"] == for_display(wanted)
    assert deleted["policy"] is None
    with pytest.raises(account_iam.exceptions.NoSuchEntityException):
        account_iam.get_policy(PolicyArn=arn)
    assert snapshot() == empty

    assert run(ManagedPolicy, name=policy_name, state="absent")["changed"] is False


def test_updates_past_five_versions_prune_the_oldest_and_never_hit_the_limit(run, account, policy_name, account_iam):
    arn = policy_arn(account, policy_name)
    for number in range(1, 9):
        result = run(ManagedPolicy, name=policy_name, policy=numbered_policy(number))
        assert result["changed"] is True
        assert result["policy"]["default_version_id"] == "v%d" % number
        versions = account_iam.list_policy_versions(PolicyArn=arn)["Versions"]
        assert len(versions) == min(number, 5)
        assert [v["VersionId"] for v in versions if v["IsDefaultVersion"]] == ["v%d" % number]
    # The five newest documents are kept, v4 to v8, each version with its own document.
    kept = policy_versions(account_iam, arn)
    assert sorted(kept, key=lambda v: int(v[1:])) == ["v4", "v5", "v6", "v7", "v8"]
    for version_id, (is_default, document) in kept.items():
        assert same_policy(document, numbered_policy(int(version_id[1:])))


def test_previewing_an_update_at_five_versions_writes_nothing(run, account, policy_name, account_iam, snapshot):
    for number in range(1, 6):
        run(ManagedPolicy, name=policy_name, policy=numbered_policy(number))
    full = snapshot()
    preview = run(ManagedPolicy, check_mode=True, name=policy_name, policy=numbered_policy(6))
    assert preview["changed"] is True
    assert preview["diff"]["after"]["document"] == for_display(numbered_policy(6))
    assert snapshot() == full


def test_an_identical_older_version_is_made_the_default_instead_of_a_new_one(run, account, policy_name, account_iam):
    arn = policy_arn(account, policy_name)
    for number in (1, 2, 3):
        run(ManagedPolicy, name=policy_name, policy=numbered_policy(number))
    # The same meaning, written differently: a one-item list, another key order.
    same_as_2 = {"Statement": [{"Resource": ["arn:aws:ssm:*:*:document/Doc2"], "Action": ["SSM:SendCommand"],
                                "Effect": "Allow"}], "Version": "2012-10-17"}
    result = run(ManagedPolicy, name=policy_name, policy=same_as_2)
    assert result["changed"] is True
    assert result["policy"]["default_version_id"] == "v2"
    versions = policy_versions(account_iam, arn)
    assert sorted(versions) == ["v1", "v2", "v3"]
    assert versions["v2"][0] is True


def test_check_mode_on_a_fresh_account_returns_the_arn_with_the_path(run, account, policy_name, snapshot):
    empty = snapshot()
    preview = run(ManagedPolicy, check_mode=True, name=policy_name, path="/maintenance/",
                  policy=service_role_policy(account))
    assert preview["arn"] == "arn:aws:iam::%s:policy/maintenance/%s" % (account, policy_name)
    assert preview["policy"]["arn"] == preview["arn"]
    assert snapshot() == empty


def test_delete_detaches_from_every_user_group_and_role_and_deletes_old_versions_first(
        moto, connection, run, account, policy_name, account_iam, unique_suffix):
    user, group, role = "operator" + unique_suffix, "operators" + unique_suffix, "Automation" + unique_suffix
    arn = policy_arn(account, policy_name)
    for number in (1, 2, 3):
        run(ManagedPolicy, name=policy_name, policy=numbered_policy(number))
    account_iam.create_user(UserName=user)
    account_iam.create_group(GroupName=group)
    account_iam.create_role(RoleName=role, AssumeRolePolicyDocument=json.dumps(TRUST))
    account_iam.attach_user_policy(UserName=user, PolicyArn=arn)
    account_iam.attach_group_policy(GroupName=group, PolicyArn=arn)
    account_iam.attach_role_policy(RoleName=role, PolicyArn=arn)

    # Through a counting proxy: moto would delete an attached policy and its versions at
    # once, IAM refuses (DeleteConflict); the order of the calls shows what IAM would see.
    with AwsProxy(moto.url) as proxy:
        result = run(ManagedPolicy, **dict(connection, endpoint_url=proxy.url, name=policy_name, state="absent"))
    assert result["changed"] is True
    writes = [(r.action, r.params.get("VersionId") or r.params.get("UserName") or r.params.get("GroupName")
               or r.params.get("RoleName")) for r in proxy.records
              if not r.action.startswith(("Get", "List", "AssumeRole"))]
    assert writes == [("DetachGroupPolicy", group), ("DetachUserPolicy", user),
                      ("DetachRolePolicy", role), ("DeletePolicyVersion", "v1"),
                      ("DeletePolicyVersion", "v2"), ("DeletePolicy", None)]

    assert account_iam.list_attached_user_policies(UserName=user)["AttachedPolicies"] == []
    assert account_iam.list_attached_group_policies(GroupName=group)["AttachedPolicies"] == []
    assert account_iam.list_attached_role_policies(RoleName=role)["AttachedPolicies"] == []
    with pytest.raises(account_iam.exceptions.NoSuchEntityException):
        account_iam.get_policy(PolicyArn=arn)


def test_delete_is_refused_while_the_policy_is_a_permissions_boundary(
        run, account, policy_name, account_iam, snapshot, unique_suffix):
    bounded, bounded_user, user = "Bounded" + unique_suffix, "bounded" + unique_suffix, "operator" + unique_suffix
    arn = policy_arn(account, policy_name)
    run(ManagedPolicy, name=policy_name, policy=numbered_policy(1))
    account_iam.create_role(RoleName=bounded, AssumeRolePolicyDocument=json.dumps(TRUST), PermissionsBoundary=arn)
    account_iam.create_user(UserName=bounded_user, PermissionsBoundary=arn)
    account_iam.create_user(UserName=user)
    account_iam.attach_user_policy(UserName=user, PolicyArn=arn)
    before = snapshot()

    with pytest.raises(ResourceConflictError) as refused:
        run(ManagedPolicy, name=policy_name, state="absent")
    message = refused.value.message()
    assert message.startswith("account %s, managed policy /%s: " % (account, policy_name))
    assert "permissions boundary of role %s, user %s" % (bounded, bounded_user) in message
    assert "Fix: remove the permissions boundary from those principals first" in message
    # Not even the attachment that would be removed first.
    assert snapshot() == before


@pytest.mark.parametrize("bad_policy, says", [
    ('{"Version": "2012-10-17", "Statement": [', "is not valid JSON"),
    ({"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Resource": "*"}]},
     "needs exactly one of Action or NotAction"),
    ({"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "iam:PassRole",
                                              "Resource": "arn:aws::iam::111122223333:role/MwRole"}]},
     "malformed ARN"),
    ({"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": ["ssm:Action%04d" % n for n in range(500)],
                                              "Resource": "*"}]},
     "IAM allows 6144"),
])
def test_a_malformed_document_is_refused_before_any_write(run, account, policy_name, snapshot, bad_policy, says):
    run(ManagedPolicy, name=policy_name, policy=numbered_policy(1))
    before = snapshot()
    with pytest.raises(InvalidInputError) as refused:
        run(ManagedPolicy, name=policy_name, policy=bad_policy)
    assert says in refused.value.message()
    assert refused.value.account == account
    assert snapshot() == before


def test_state_present_without_a_document_is_refused(run, account, policy_name):
    with pytest.raises(InvalidInputError) as refused:
        run(ManagedPolicy, name=policy_name)
    assert "state=present needs a policy document" in refused.value.message()
