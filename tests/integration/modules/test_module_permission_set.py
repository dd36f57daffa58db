"""permission_set_policies against the hub's IAM Identity Center (the local AWS provisions a set
to the accounts it is assigned to, as AWS does): preview, apply, no change and no provisioning,
drift and repair, removal of exactly its own references; the checks before any write; the
provisioning failure AWS reports."""

from __future__ import annotations

import itertools
import json

import pytest

from ansible_collections.fleetiam.maintenance_windows.plugins.module_utils.errors import MaintenanceWindowError
from ansible_collections.fleetiam.maintenance_windows.plugins.module_utils.managed_policy import ManagedPolicy
from ansible_collections.fleetiam.maintenance_windows.plugins.module_utils.permission_set import PermissionSetPolicies
from ansible_collections.fleetiam.maintenance_windows.plugins.module_utils.tags import OWNER_TAG_KEY, OWNER_TAG_VALUE

from tests.integration.modules.module_runs import run_module

from tests.support import aws

POLICY = dict(name="mw-pass-role-permission-set", path="/maintenance-windows/")
SSM_FULL_ACCESS = "arn:aws:iam::aws:policy/AmazonSSMFullAccess"
DOCUMENT = {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "iam:ListRoles", "Resource": "*"}]}
FOREIGN = "someone-elses"  # a reference of the set's own, which the module leaves alone
_NAMES = itertools.count(1)


@pytest.fixture(scope="module")
def members(moto):
    """Two member accounts holding the policy the references name (the collection's, as setup
    makes it), and one without it."""
    accounts = aws.create_member_accounts(moto.url, 3, prefix="permission-set")
    for account in accounts[:2]:
        iam = aws.account_client(moto.url, account, "iam")
        iam.create_policy(PolicyName=POLICY["name"], Path=POLICY["path"], PolicyDocument=json.dumps(DOCUMENT),
                          Tags=[{"Key": OWNER_TAG_KEY, "Value": OWNER_TAG_VALUE}])
        iam.create_policy(PolicyName=FOREIGN, PolicyDocument=json.dumps(DOCUMENT))
    return accounts


@pytest.fixture
def hub(moto):
    return dict(endpoint_url=moto.url, region=aws.REGION, access_key=aws.HUB_CREDENTIALS["aws_access_key_id"],
                secret_key=aws.HUB_CREDENTIALS["aws_secret_access_key"])


@pytest.fixture
def sso(moto):
    return aws.client(moto.url, "sso-admin")


def _set(moto, accounts):
    name = "Operators%d" % next(_NAMES)
    return name, aws.create_permission_set(moto.url, name, accounts)


def _held(sso, moto, arn):
    request = dict(InstanceArn=aws.identity_center_instance(moto.url), PermissionSetArn=arn)
    references = sso.list_customer_managed_policy_references_in_permission_set(**request)
    managed = sso.list_managed_policies_in_permission_set(**request)
    return (sorted(r["Path"] + r["Name"] for r in references["CustomerManagedPolicyReferences"]),
            sorted(p["Arn"] for p in managed["AttachedManagedPolicies"]), sso.get_inline_policy_for_permission_set(
                **request)["InlinePolicy"])


def _sso_role_policies(moto, account, name):
    iam = aws.account_client(moto.url, account, "iam")
    [role] = [r["RoleName"] for r in iam.list_roles(PathPrefix="/aws-reserved/sso.amazonaws.com/")["Roles"]
              if r["RoleName"].startswith("AWSReservedSSO_%s_" % name)]
    return sorted(p["PolicyArn"] for p in iam.list_attached_role_policies(RoleName=role)["AttachedPolicies"])


def test_preview_apply_no_change_drift_repair_and_removal_of_exactly_its_own(moto, hub, sso, members):
    name, arn = _set(moto, members[:2])
    instance = aws.identity_center_instance(moto.url)
    request = dict(InstanceArn=instance, PermissionSetArn=arn)
    # The set's own policies, which the module must leave alone.
    sso.put_inline_policy_to_permission_set(InlinePolicy=json.dumps(DOCUMENT), **request)
    sso.attach_customer_managed_policy_reference_to_permission_set(
        CustomerManagedPolicyReference={"Name": FOREIGN, "Path": "/"}, **request)
    options = dict(permission_set=name, customer_managed_policies=[POLICY], managed_policies=["AmazonSSMFullAccess"],
                   policy_accounts=members[:2])
    own = "/maintenance-windows/mw-pass-role-permission-set"
    untouched = _held(sso, moto, arn)

    preview = run_module(PermissionSetPolicies, hub, check_mode=True, **options)
    assert preview["changed"] and preview["provisioning"] == dict(status="would provision", accounts=sorted(members[:2]))
    assert preview["diff"]["before"]["customer_managed_policy_references"] == ["/someone-elses"]
    assert preview["diff"]["after"]["customer_managed_policy_references"] == sorted([own, "/someone-elses"])
    assert preview["diff"]["after"]["managed_policies"] == [SSM_FULL_ACCESS]
    assert _held(sso, moto, arn) == untouched

    applied = run_module(PermissionSetPolicies, hub, **options)
    assert applied["changed"] and applied["provisioning"]["status"] == "provisioned"
    assert not applied["holds_references"] and applied["accounts"] == sorted(members[:2])
    assert _held(sso, moto, arn) == (sorted([own, "/someone-elses"]), [SSM_FULL_ACCESS], untouched[2])
    for account in members[:2]:
        assert _sso_role_policies(moto, account, name) == sorted([
            "arn:aws:iam::%s:policy%s" % (account, own), "arn:aws:iam::%s:policy/someone-elses" % account,
            SSM_FULL_ACCESS])

    again = run_module(PermissionSetPolicies, hub, **options)
    assert not again["changed"] and again["provisioning"] is None and again["holds_references"]
    assert again["change"] == "none"

    sso.detach_customer_managed_policy_reference_from_permission_set(
        CustomerManagedPolicyReference={"Name": POLICY["name"], "Path": POLICY["path"]}, **request)
    drift = run_module(PermissionSetPolicies, hub, check_mode=True, **options)
    assert drift["changed"] and own not in drift["diff"]["before"]["customer_managed_policy_references"]
    assert not drift["holds_references"]
    repaired = run_module(PermissionSetPolicies, hub, **options)
    assert repaired["changed"] and repaired["provisioning"]["status"] == "provisioned"

    removed = run_module(PermissionSetPolicies, hub, state="absent", **options)
    assert removed["changed"] and removed["provisioning"]["status"] == "provisioned"
    assert _held(sso, moto, arn) == untouched
    for account in members[:2]:
        assert _sso_role_policies(moto, account, name) == ["arn:aws:iam::%s:policy/someone-elses" % account]
    twice = run_module(PermissionSetPolicies, hub, state="absent", **options)
    assert not twice["changed"] and twice["provisioning"] is None


def test_a_set_provisioned_to_an_account_without_the_policy_fails_before_any_write(moto, hub, sso, members):
    name, arn = _set(moto, members)
    before = _held(sso, moto, arn)
    with pytest.raises(MaintenanceWindowError) as failure:
        run_module(PermissionSetPolicies, hub, permission_set=name, customer_managed_policies=[POLICY],
                   policy_accounts=members[:2])
    message = failure.value.message()
    assert "permission set %s of instance %s" % (name, aws.identity_center_instance(moto.url)) in message
    assert "provisioned to accounts %s, which do not hold the referenced policies" % members[2] in message
    assert "Fix: add those accounts to the inventory group mw_accounts" in message
    assert _held(sso, moto, arn) == before


def test_a_provisioning_failure_names_the_set_the_instance_and_aws_reason(moto, hub, members):
    name = _set(moto, members)[0]
    with pytest.raises(MaintenanceWindowError) as failure:
        run_module(PermissionSetPolicies, hub, permission_set=name, customer_managed_policies=[POLICY],
                   provision_timeout=5)
    message = failure.value.message()
    assert "permission set %s of instance %s" % (name, aws.identity_center_instance(moto.url)) in message
    assert "failed: Received a 404 status error" in message and members[2] in message
    assert "Fix: make sure every account the permission set is assigned to holds the referenced policies" in message


def test_a_permission_set_that_does_not_exist_is_named(moto, hub):
    with pytest.raises(MaintenanceWindowError) as failure:
        run_module(PermissionSetPolicies, hub, permission_set="NoSuchSet", customer_managed_policies=[POLICY])
    message = failure.value.message()
    assert "permission set NoSuchSet of instance %s: the instance has no permission set of this name" % (
        aws.identity_center_instance(moto.url)) in message
    assert "mw_pass_role_permission_sets" in message


def test_a_policy_an_identity_center_role_holds_is_not_deleted_before_its_reference(moto, hub, members):
    name = _set(moto, members[:2])[0]
    run_module(PermissionSetPolicies, hub, permission_set=name, customer_managed_policies=[POLICY])
    member = dict(hub, assume_role_arn="arn:aws:iam::%s:role/%s" % (members[0], aws.ADMIN_ROLE))
    with pytest.raises(MaintenanceWindowError) as failure:
        run_module(ManagedPolicy, member, name=POLICY["name"], path=POLICY["path"], state="absent")
    message = failure.value.message()
    # Any set's role: the tests before this one may have provisioned another set with the same policy.
    assert "cannot delete it while IAM Identity Center's role AWSReservedSSO_" in message
    assert "Fix: remove the reference to it from the permission set and provision the set first" in message
    aws.account_client(moto.url, members[0], "iam").get_policy(
        PolicyArn="arn:aws:iam::%s:policy%s%s" % (members[0], POLICY["path"], POLICY["name"]))  # still there
    run_module(PermissionSetPolicies, hub, permission_set=name, customer_managed_policies=[POLICY], state="absent")
