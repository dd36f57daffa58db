"""Tasks 3 and 4 through IAM Identity Center: an organisation of three accounts whose operators
arrive through two permission sets assigned to every account. Preview (writes nothing), apply
(the guide's documents as a customer-managed policy in every account, the references on the
sets, provisioned to the accounts' AWSReservedSSO_ roles), apply again (nothing changed, no
provisioning), drift and repair, teardown twice; an assigned account missing from the
inventory and a protected SSO role given as a principal fail before any write."""

from __future__ import annotations

import itertools
import json
import os

import pytest

from tests.integration.fleet.iam_documents import (
    SSM_FULL_ACCESS_ARN,
    TASK3_PASS_ROLE_POLICY,
    TASK4_DENY_POLICY,
    AccountIam,
    reference,
    same,
)
from tests.support import aws
from tests.support.fleet import Fleet, assume_role_arn

MANAGEMENT_ACCOUNT = "123456789012"  # moto's default account: the hub, which holds Identity Center
PASS_ROLE_POLICY = "MaintenanceWindowPassRoleForPermissionSets"
DENY_POLICY = "DenyMaintenanceWindowTaskRegistrationForPermissionSets"
_FLEETS = itertools.count(1)


def _variables(operators, contractors, **more):
    return dict(mw_pass_role_permission_sets=[operators], mw_deny_permission_sets=[contractors],
                mw_attach_ssm_full_access=True, **more)


def _new_fleet(moto, workdir, accounts, assigned_to, **more):
    """A fleet of ``accounts`` and the management account's host, with two permission sets of
    its Identity Center assigned to ``assigned_to``: {name: ARN}."""
    number = next(_FLEETS)
    names = ("MaintenanceOperators%d" % number, "Contractors%d" % number)
    sets = {name: aws.create_permission_set(moto.url, name, assigned_to) for name in names}
    variables = _variables(*names, **more)
    fleet = Fleet(workdir, moto.url, {"account%d" % i: a for i, a in enumerate(accounts)}, group_vars=variables,
                  organization={"organization": dict(variables, mw_assume_role_arn=assume_role_arn(MANAGEMENT_ACCOUNT))})
    return fleet, sets


def _held(moto, arn):
    """The set's references and managed policies, and the accounts holding its latest version."""
    sso = aws.client(moto.url, "sso-admin")
    request = dict(InstanceArn=aws.identity_center_instance(moto.url), PermissionSetArn=arn)
    return dict(
        references=sorted(r["Path"] + r["Name"] for r in sso.list_customer_managed_policy_references_in_permission_set(
            **request)["CustomerManagedPolicyReferences"]),
        managed=sorted(p["Arn"] for p in sso.list_managed_policies_in_permission_set(**request)["AttachedManagedPolicies"]),
        outdated=sso.list_accounts_for_provisioned_permission_set(
            ProvisioningStatus="LATEST_PERMISSION_SET_NOT_PROVISIONED", **request)["AccountIds"])


def _sso_role(moto, account, permission_set):
    """The policies of the account's AWSReservedSSO_ role of ``permission_set``."""
    iam = aws.account_client(moto.url, account, "iam")
    [role] = [r["RoleName"] for r in iam.list_roles(PathPrefix="/aws-reserved/sso.amazonaws.com/")["Roles"]
              if r["RoleName"].startswith("AWSReservedSSO_%s_" % permission_set)]
    return role, sorted(p["PolicyArn"] for p in iam.list_attached_role_policies(RoleName=role)["AttachedPolicies"])


def _state(moto, fleet, sets):
    return dict(sets={name: _held(moto, arn) for name, arn in sets.items()},
                policies={account: (AccountIam(moto.url, account).policy_document(PASS_ROLE_POLICY),
                                    AccountIam(moto.url, account).policy_document(DENY_POLICY))
                          for account in fleet.accounts.values()})


@pytest.fixture(scope="module")
def accounts(moto):
    return aws.create_member_accounts(moto.url, 3, prefix="identity-center")


@pytest.fixture(scope="module")
def story(moto, accounts, tmp_path_factory):
    fleet, sets = _new_fleet(moto, tmp_path_factory.mktemp("permission-sets"), accounts, accounts)
    return dict(fleet=fleet, sets=sets, before=_state(moto, fleet, sets))


@pytest.fixture(scope="module")
def preview(story):
    return story["fleet"].run("preview", "setup.yml", "--check", "--diff")


@pytest.fixture(scope="module")
def applied(story, preview):
    return story["fleet"].run("apply", "setup.yml", "--diff")


@pytest.fixture(scope="module")
def again(story, applied):
    return story["fleet"].run("again", "setup.yml")


def test_the_preview_shows_the_references_and_the_provisioning_and_writes_nothing(moto, story, preview):
    assert preview.returncode == 0, preview
    assert _state(moto, story["fleet"], story["sets"]) == story["before"]
    shown = preview.diffs().get("organization", "") + preview.output
    for name in story["sets"]:
        assert "permission set %s of instance" % name in shown
    assert "+    - /%s" % PASS_ROLE_POLICY in shown and "+    - /%s" % DENY_POLICY in shown
    assert SSM_FULL_ACCESS_ARN in shown and "would provision to accounts %s" % ", ".join(sorted(
        story["fleet"].accounts.values())) in shown
    changes = preview.summary["organization"]["changes"]
    assert [(c["step"], c["resource"], c["action"]) for c in changes] == [
        ("Task 3 permission sets", "permission set %s" % name, "would update") for name in list(story["sets"])[:1]] + [
        ("Task 4 permission sets", "permission set %s" % name, "would update") for name in list(story["sets"])[1:]]


def test_apply_writes_the_guides_documents_references_them_and_provisions(moto, story, applied):
    assert applied.returncode == 0, applied
    operators, contractors = story["sets"]
    for account in story["fleet"].accounts.values():
        iam = AccountIam(moto.url, account)
        assert same(iam.policy_document(PASS_ROLE_POLICY), reference(TASK3_PASS_ROLE_POLICY, account))
        assert same(iam.policy_document(DENY_POLICY), reference(TASK4_DENY_POLICY, account))
        assert _sso_role(moto, account, operators)[1] == sorted([
            "arn:aws:iam::%s:policy/%s" % (account, PASS_ROLE_POLICY), SSM_FULL_ACCESS_ARN])
        assert _sso_role(moto, account, contractors)[1] == ["arn:aws:iam::%s:policy/%s" % (account, DENY_POLICY)]
    held = _state(moto, story["fleet"], story["sets"])["sets"]
    assert held[operators] == dict(references=["/" + PASS_ROLE_POLICY], managed=[SSM_FULL_ACCESS_ARN], outdated=[])
    assert held[contractors] == dict(references=["/" + DENY_POLICY], managed=[], outdated=[])
    assert applied.summary["organization"]["status"] == "changed"


def test_a_second_apply_changes_nothing_and_does_not_provision(story, again):
    assert again.returncode == 0, again
    assert again.changed_hosts() == []
    assert all(row["changes"] == [] for row in again.summary.values())
    assert "provisioned to accounts" not in again.output


def test_the_audit_reports_each_permission_set_its_references_and_the_accounts_it_reaches(moto, story, again):
    audit = story["fleet"].run("audit", "audit.yml")
    assert audit.returncode == 0, audit
    with open(os.path.join(audit.run_dir, "audit-permission-sets.json")) as handle:
        report = json.load(handle)
    assert report["run"]["name"] == "audit"
    reported = report["permission_sets"]
    accounts = sorted(story["fleet"].accounts.values())
    assert [(row["task"], row["item"], row["holds_references"], row["accounts"], row["changed"]) for row in reported] == [
        ("Task 3", name, True, accounts, False) for name in list(story["sets"])[:1]] + [
        ("Task 4", name, True, accounts, False) for name in list(story["sets"])[1:]]
    assert "holds the references: True; reaches accounts: %s" % ", ".join(accounts) in " ".join(audit.output.split())


def test_drift_is_previewed_and_repaired(moto, story, again):
    fleet, sets = story["fleet"], story["sets"]
    operators = next(iter(sets))
    sso = aws.client(moto.url, "sso-admin")
    sso.detach_customer_managed_policy_reference_from_permission_set(
        InstanceArn=aws.identity_center_instance(moto.url), PermissionSetArn=sets[operators],
        CustomerManagedPolicyReference={"Name": PASS_ROLE_POLICY, "Path": "/"})
    drifted_account = fleet.accounts["account1"]
    iam = aws.account_client(moto.url, drifted_account, "iam")
    iam.create_policy_version(PolicyArn="arn:aws:iam::%s:policy/%s" % (drifted_account, DENY_POLICY),
                              PolicyDocument=json.dumps({"Version": "2012-10-17", "Statement": [
                                  {"Effect": "Allow", "Action": "ssm:*", "Resource": "*"}]}), SetAsDefault=True)
    drifted = _state(moto, fleet, sets)

    preview = fleet.run("drift-preview", "setup.yml", "--check", "--diff")
    assert preview.returncode == 0, preview
    assert _state(moto, fleet, sets) == drifted
    assert [c["step"] for c in preview.summary["organization"]["changes"]] == ["Task 3 permission sets"]
    assert [c["step"] for c in preview.summary["account1"]["changes"]] == ["Task 4 permission set policy"]

    repaired = fleet.run("repair", "setup.yml")
    assert repaired.returncode == 0, repaired
    assert _held(moto, sets[operators])["references"] == ["/" + PASS_ROLE_POLICY]
    assert _held(moto, sets[operators])["outdated"] == []
    assert same(AccountIam(moto.url, drifted_account).policy_document(DENY_POLICY),
                reference(TASK4_DENY_POLICY, drifted_account))
    assert fleet.run("settled", "setup.yml").changed_hosts() == []


def test_teardown_detaches_provisions_then_deletes_the_policies_and_twice_changes_nothing(moto, story, applied):
    fleet, sets = story["fleet"], story["sets"]
    removed = fleet.run("teardown", "teardown.yml")
    assert removed.returncode == 0, removed
    assert _state(moto, fleet, sets) == story["before"]
    for account in fleet.accounts.values():
        for name in sets:
            assert _sso_role(moto, account, name)[1] == []
    twice = fleet.run("teardown-again", "teardown.yml")
    assert twice.returncode == 0 and twice.changed_hosts() == [], twice


def test_an_assigned_account_missing_from_the_inventory_fails_before_any_write(moto, accounts, tmp_path_factory):
    fleet, sets = _new_fleet(moto, tmp_path_factory.mktemp("permission-sets-missing"), accounts[:2], accounts)
    before = {name: _held(moto, arn) for name, arn in sets.items()}
    run = fleet.run("setup", "setup.yml")
    assert run.returncode != 0 and run.summary["organization"]["failed"], run
    message = " ".join(run.summary["organization"]["error"].split())
    assert "provisioned to accounts %s, which do not hold the referenced policies" % accounts[2] in message
    assert "Fix: add those accounts to the inventory group mw_accounts" in message
    assert {name: _held(moto, arn) for name, arn in sets.items()} == before


def test_a_protected_sso_role_as_a_principal_fails_before_any_write(moto, accounts, tmp_path_factory):
    [account] = accounts[:1]
    role = "AWSReservedSSO_Operators_0123456789abcdef"
    aws.account_client(moto.url, account, "iam").create_role(
        RoleName=role, Path="/aws-reserved/sso.amazonaws.com/", AssumeRolePolicyDocument=json.dumps(
            {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "sts:AssumeRoleWithSAML",
                                                     "Principal": {"Federated": "arn:aws:iam::%s:saml-provider/x"
                                                                   % account}}]}))
    fleet = Fleet(tmp_path_factory.mktemp("permission-sets-protected"), moto.url, {"account": account},
                  group_vars={"mw_pass_role_roles": [role], "mw_role_name": "SsoProtectedTestRole"})
    run = fleet.run("setup", "setup.yml")
    assert run.returncode != 0 and run.summary["account"]["failed"], run
    message = " ".join(run.summary["account"]["error"].split())
    assert "account %s, role %s: the role is IAM Identity Center's" % (account, role) in message
    assert "mw_pass_role_permission_sets / mw_deny_permission_sets" in message
    assert run.summary["account"]["changes"] == []
    assert AccountIam(moto.url, account).role("SsoProtectedTestRole") is None
