"""What the modules own: a role or policy of the name that this collection did not create is
refused (in check mode too) and left by teardown, unless adopted; a policy name taken under
another path is refused naming both paths; an attachment that was there before is kept by
teardown and reported."""

from __future__ import annotations

import json

import pytest

from ansible_collections.fleetiam.maintenance_windows.plugins.module_utils.attachment import PolicyAttachment
from ansible_collections.fleetiam.maintenance_windows.plugins.module_utils.errors import ResourceConflictError
from ansible_collections.fleetiam.maintenance_windows.plugins.module_utils.managed_policy import ManagedPolicy
from ansible_collections.fleetiam.maintenance_windows.plugins.module_utils.role import Role
from ansible_collections.fleetiam.maintenance_windows.plugins.module_utils.tags import ATTACHED_TAG_KEY

from tests.integration.modules.guide_documents import (
    DENY,
    LEGACY_TRUST,
    POLICY_NAME,
    ROLE_NAME,
    TRUST,
    policy_arn,
    service_role_policy,
)
from tests.integration.modules.module_runs import OWNED, OWNED_VIEW

ADMINISTRATOR_ACCESS = "arn:aws:iam::aws:policy/AdministratorAccess"
SSM_FULL_ACCESS = "arn:aws:iam::aws:policy/AmazonSSMFullAccess"
SAYS_FOREIGN = "it exists and this collection did not create it (it has no tag fleetiam:maintenance-windows=managed)"


@pytest.fixture
def foreign_role(account_iam, unique_suffix):
    """Another team's role of the service role's name: its own trust, AdministratorAccess, an
    inline policy and an instance profile."""
    name = ROLE_NAME + unique_suffix
    account_iam.create_role(RoleName=name, AssumeRolePolicyDocument=json.dumps(LEGACY_TRUST),
                            Tags=[{"Key": "team", "Value": "platform"}])
    account_iam.attach_role_policy(RoleName=name, PolicyArn=ADMINISTRATOR_ACCESS)
    account_iam.put_role_policy(RoleName=name, PolicyName="TheirInlinePolicy", PolicyDocument=json.dumps(DENY))
    account_iam.create_instance_profile(InstanceProfileName="TheirProfile" + unique_suffix)
    account_iam.add_role_to_instance_profile(InstanceProfileName="TheirProfile" + unique_suffix, RoleName=name)
    return name


@pytest.fixture
def foreign_policy(account, account_iam, unique_suffix):
    name = POLICY_NAME + unique_suffix
    account_iam.create_policy(PolicyName=name, PolicyDocument=json.dumps(DENY))
    return name


def role_options(name):
    return dict(name=name, assume_role_policy=TRUST, managed_policies=[SSM_FULL_ACCESS])


@pytest.mark.parametrize("check_mode", [True, False], ids=["check", "apply"])
def test_a_foreign_role_is_refused_and_nothing_is_written(run, account, snapshot, foreign_role, check_mode):
    before = snapshot()
    with pytest.raises(ResourceConflictError) as refused:
        run(Role, check_mode=check_mode, **role_options(foreign_role))
    message = refused.value.message()
    assert message.startswith("account %s, role %s: %s" % (account, foreign_role, SAYS_FOREIGN))
    assert "Fix: choose another name (mw_role_name)" in message
    assert "set adopt: true (role variable mw_adopt_existing)" in message
    assert snapshot() == before


def test_teardown_leaves_a_foreign_role_whole_and_says_so(run, snapshot, foreign_role):
    before = snapshot()
    for check_mode in (True, False):
        left = run(Role, check_mode=check_mode, name=foreign_role, state="absent")
        assert (left["changed"], left["ownership"]) == (False, "not ours")
        assert left["kept"].startswith("role %s was not created by this collection" % foreign_role)
    assert snapshot() == before


def test_an_adopted_role_gets_the_tag_and_is_then_owned_and_deleted_by_teardown(run, account_iam, foreign_role):
    adopted = run(Role, adopt=True, **role_options(foreign_role))
    assert (adopted["changed"], adopted["ownership"]) == (True, "adopted")
    assert adopted["role"]["tags"] == dict(OWNED_VIEW, team="platform")
    assert account_iam.list_role_tags(RoleName=foreign_role)["Tags"] == OWNED + [{"Key": "team", "Value": "platform"}]

    again = run(Role, **role_options(foreign_role))  # no adopt needed any more
    assert (again["changed"], again["ownership"]) == (False, "owned")

    deleted = run(Role, name=foreign_role, state="absent")
    assert (deleted["changed"], deleted["ownership"]) == (True, "owned")
    with pytest.raises(account_iam.exceptions.NoSuchEntityException):
        account_iam.get_role(RoleName=foreign_role)


def test_teardown_with_adopt_deletes_an_untagged_role_of_an_earlier_version(run, account_iam, unique_suffix):
    name = ROLE_NAME + unique_suffix
    account_iam.create_role(RoleName=name, AssumeRolePolicyDocument=json.dumps(TRUST))
    deleted = run(Role, name=name, state="absent", adopt=True)
    assert (deleted["changed"], deleted["ownership"]) == (True, "adopted")
    with pytest.raises(account_iam.exceptions.NoSuchEntityException):
        account_iam.get_role(RoleName=name)


@pytest.mark.parametrize("check_mode", [True, False], ids=["check", "apply"])
def test_a_foreign_policy_is_refused_and_nothing_is_written(run, account, snapshot, foreign_policy, check_mode):
    before = snapshot()
    with pytest.raises(ResourceConflictError) as refused:
        run(ManagedPolicy, check_mode=check_mode, name=foreign_policy, policy=service_role_policy(account))
    message = refused.value.message()
    assert message.startswith("account %s, managed policy /%s: %s" % (account, foreign_policy, SAYS_FOREIGN))
    assert "Fix: choose another name (mw_policy_name)" in message
    assert snapshot() == before


def test_a_foreign_policy_is_kept_by_teardown_or_adopted_when_told(run, account, account_iam, snapshot,
                                                                   foreign_policy):
    before = snapshot()
    left = run(ManagedPolicy, name=foreign_policy, state="absent")
    assert (left["changed"], left["ownership"]) == (False, "not ours")
    assert "was not created by this collection" in left["kept"]
    assert snapshot() == before

    adopted = run(ManagedPolicy, adopt=True, name=foreign_policy, policy=service_role_policy(account))
    assert (adopted["changed"], adopted["ownership"]) == (True, "adopted")
    arn = policy_arn(account, foreign_policy)
    assert account_iam.list_policy_tags(PolicyArn=arn)["Tags"] == OWNED
    deleted = run(ManagedPolicy, name=foreign_policy, state="absent")
    assert (deleted["changed"], deleted["ownership"]) == (True, "owned")
    with pytest.raises(account_iam.exceptions.NoSuchEntityException):
        account_iam.get_policy(PolicyArn=arn)


@pytest.mark.parametrize("check_mode", [True, False], ids=["check", "apply"])
def test_a_policy_name_taken_under_another_path_is_refused_naming_both_paths(run, account, account_iam, snapshot,
                                                                             unique_suffix, check_mode):
    name = POLICY_NAME + unique_suffix
    account_iam.create_policy(PolicyName=name, Path="/team/", PolicyDocument=json.dumps(DENY))
    before = snapshot()
    with pytest.raises(ResourceConflictError) as refused:
        run(ManagedPolicy, check_mode=check_mode, name=name, path="/", policy=service_role_policy(account))
    message = refused.value.message()
    assert message.startswith("account %s, managed policy /%s: a policy of this name exists under path /team/ (%s)"
                              % (account, name, policy_arn(account, "team/" + name)))
    assert "Fix: set the path to /team/ (mw_policy_path) to manage that policy, or choose another name" in message
    assert snapshot() == before


@pytest.mark.parametrize("kind", ["user", "role"])
def test_an_attachment_made_before_is_kept_by_teardown_and_reported(run, account_iam, snapshot, unique_suffix, kind):
    name = "registrants" + unique_suffix
    if kind == "role":
        account_iam.create_role(RoleName=name, AssumeRolePolicyDocument=json.dumps(TRUST))
    else:
        account_iam.create_user(UserName=name)
    getattr(account_iam, "attach_%s_policy" % kind)(**{kind.capitalize() + "Name": name, "PolicyArn": SSM_FULL_ACCESS})
    options = dict(principal_type=kind, principal_name=name, policy_arn="AmazonSSMFullAccess")
    before = snapshot()

    assert run(PolicyAttachment, **options)["changed"] is False  # setup: already there, not recorded as ours
    for check_mode in (True, False):
        kept = run(PolicyAttachment, check_mode=check_mode, state="absent", **options)
        assert (kept["changed"], kept["attached"]) == (False, True)
        assert kept["kept"].startswith("%s left attached to %s %s: it was attached before this collection"
                                       % (SSM_FULL_ACCESS, kind, name))
    assert snapshot() == before

    removed = run(PolicyAttachment, state="absent", adopt=True, **options)
    assert (removed["changed"], removed["attached"]) == (True, False)


def test_an_attachment_this_collection_made_is_recorded_on_the_user_and_removed_with_its_record(
        run, account_iam, snapshot, unique_suffix):
    name = "registrants" + unique_suffix
    account_iam.create_user(UserName=name, Tags=[{"Key": "team", "Value": "ops"}])
    before = snapshot()
    options = dict(principal_type="user", principal_name=name, policy_arn="AmazonSSMFullAccess")
    assert run(PolicyAttachment, **options)["changed"] is True
    assert account_iam.list_user_tags(UserName=name)["Tags"] == [
        {"Key": "team", "Value": "ops"}, {"Key": ATTACHED_TAG_KEY, "Value": "aws:policy/AmazonSSMFullAccess"}]
    assert run(PolicyAttachment, state="absent", **options)["changed"] is True
    assert snapshot() == before
