"""Task 4 for the whole organisation: the service control policy guardrail of the organisation
host (step scp). Preview, apply, apply again, drift and its repair, the audit, teardown twice;
each input refused before any write; and the proof, with the evaluator of
tests/support/scp_evaluator.py, that the document written denies task registration to all but
the Identity Center operators, the exempted users and the automation's own role."""

from __future__ import annotations

import json
import os

import pytest

from tests.support import aws
from tests.support.fleet import OPERATORS_AND_CONTRACTORS, Fleet, assume_role_arn
from tests.support.scp_evaluator import denies

MANAGEMENT_ACCOUNT = "123456789012"  # moto's default account: the hub, which made the organisation
NAME = "FleetTestDenyTaskRegistration"
REGISTER = "ssm:RegisterTaskWithMaintenanceWindow"
ORGANIZATION_VARS = dict(
    mw_assume_role_arn=assume_role_arn(MANAGEMENT_ACCOUNT),
    mw_scp_name=NAME,
    mw_pass_role_permission_sets=["MaintenanceOperators"],
    mw_scp_exempt_principal_arns=["arn:aws:iam::*:user/maintenance/*"],
    mw_scp_enable_policy_type=True,
    # The set is named for its exemption only: this fleet's permission sets are not managed here.
    mw_manage_permission_sets=False,
)


def stored(client, name=NAME):
    return aws.service_control_policy(client, name)


@pytest.fixture(scope="module")
def org(moto, new_accounts):
    """Two member accounts, one in an OU of its own (the target), one under the root; SCPs disabled."""
    guarded, outside = new_accounts(2)
    client = aws.client(moto.url, "organizations")
    root = aws.scps_disabled(client)
    unit = client.create_organizational_unit(ParentId=root, Name="scp-fleet")["OrganizationalUnit"]["Id"]
    client.move_account(AccountId=guarded, SourceParentId=root, DestinationParentId=unit)
    return dict(client=client, root=root, unit=unit, guarded=guarded, outside=outside)


@pytest.fixture(scope="module")
def fleet(org, moto, tmp_path_factory):
    return Fleet(tmp_path_factory.mktemp("scp"), moto.url, {"guarded": org["guarded"], "outside": org["outside"]},
                 group_vars=OPERATORS_AND_CONTRACTORS,
                 organization={"organization": dict(ORGANIZATION_VARS, mw_scp_targets=[org["unit"]])})


def _refused(fleet, step, *extra_vars):
    """A run of the organisation host alone that must fail; its failure text, on one line."""
    args = ["--limit", "organization"] + [arg for value in extra_vars for arg in ("-e", json.dumps(value))]
    run = fleet.run(step, "setup.yml", *args)
    assert run.returncode != 0 and run.recap["organization"]["failed"] == 1, run
    return " ".join(run.failures()["organization"].split())


# -- refused before any write -------------------------------------------------------------------
def test_scps_not_enabled_on_the_root_are_refused_with_how_to_enable_them(fleet, org):
    failure = _refused(fleet, "refused-not-enabled", {"mw_scp_enable_policy_type": False})
    assert "service control policies are not enabled on the root %s" % org["root"] in failure
    assert "set mw_scp_enable_policy_type: true" in failure
    assert "aws organizations enable-policy-type --root-id %s --policy-type SERVICE_CONTROL_POLICY" % org["root"] \
        in failure
    assert stored(org["client"]) is None


def test_an_scp_that_exempts_no_task_registrant_is_refused(fleet, org):
    failure = _refused(fleet, "refused-no-exemption",
                       {"mw_pass_role_permission_sets": [], "mw_scp_exempt_principal_arns": []})
    assert "service control policy %s: no exemption for anyone who registers maintenance window tasks" % NAME \
        in failure
    assert "mw_scp_allow_no_exemptions: true" in failure
    assert stored(org["client"]) is None


def test_a_target_outside_the_organisation_is_refused(fleet, org):
    failure = _refused(fleet, "refused-target", {"mw_scp_targets": [org["unit"], "ou-zzzz-zzzzzzzz"]})
    assert "the targets ou-zzzz-zzzzzzzz are not a root, OU or account of organization o-" in failure
    assert stored(org["client"]) is None


def test_a_document_over_the_size_limit_is_refused(fleet, org):
    many = ["arn:aws:iam::*:role/team-%03d/maintenance-operator" % n for n in range(150)]
    failure = _refused(fleet, "refused-size", {"mw_scp_exempt_principal_arns": many})
    assert "characters without white space; AWS Organizations allows 5120" in failure
    assert stored(org["client"]) is None
    assert org["client"].list_roots()["Roots"][0]["PolicyTypes"] == []  # nor enabled


# -- the story ----------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def preview(fleet, org):
    return fleet.run("preview", "setup.yml", "--check", "--diff")


@pytest.fixture(scope="module")
def audit_before(fleet, preview):
    return fleet.run("audit-before", "audit.yml", "--limit", "organization")


@pytest.fixture(scope="module")
def setup(fleet, preview, audit_before):
    return fleet.run("setup", "setup.yml")


@pytest.fixture(scope="module")
def second(fleet, setup):
    return fleet.run("second", "setup.yml")


def test_the_preview_shows_the_document_and_targets_and_writes_nothing(preview, org):
    assert preview.returncode == 0, preview
    assert stored(org["client"]) is None and org["client"].list_roots()["Roots"][0]["PolicyTypes"] == []
    shown = preview.output
    assert "service control policy %s of organization o-" % NAME in shown
    assert "AWSReservedSSO_MaintenanceOperators_*" in shown and org["unit"] in shown
    assert {"step": "Task 4 SCP", "action": "would create"}.items() <= preview.summary["organization"]["changes"][0].items()


def organization_audit(run):
    with open(os.path.join(run.run_dir, "audit-organization.json")) as handle:
        report = json.load(handle)
    assert report["run"]["playbook"] == "audit.yml"
    return report["organization"]


def test_the_audit_before_setup_finds_the_guardrail_missing(audit_before):
    assert audit_before.returncode == 0, audit_before
    assert organization_audit(audit_before)["tasks"]["scp"]["status"] == "missing"


def test_setup_enables_scps_and_attaches_the_guardrail_to_its_targets(setup, org):
    assert setup.returncode == 0, setup
    policy = stored(org["client"])
    assert policy["targets"] == [org["unit"]]
    assert {"Type": "SERVICE_CONTROL_POLICY", "Status": "ENABLED"} in org["client"].list_roots()["Roots"][0]["PolicyTypes"]
    assert [c["action"] for c in setup.summary["organization"]["changes"]] == ["created"]


def test_the_management_account_warning_is_in_the_output_and_the_summary(setup):
    warning = "SCPs do not apply to the management account %s" % MANAGEMENT_ACCOUNT
    assert warning in " ".join(setup.output.split())
    assert any(warning in w for w in setup.summary["organization"]["warnings"])
    assert warning in setup.summary_markdown


@pytest.mark.parametrize("principal, action, denied", [
    ("role/aws-reserved/sso.amazonaws.com/us-east-1/AWSReservedSSO_MaintenanceOperators_0a1b2c3d", REGISTER, False),
    ("role/aws-reserved/sso.amazonaws.com/AWSReservedSSO_Contractors_0a1b2c3d", REGISTER, True),
    ("role/contractor", REGISTER, True),
    ("role/contractor", "ssm:UpdateMaintenanceWindowTask", True),
    ("role/contractor", "ssm:DescribeMaintenanceWindows", False),
    ("role/%s" % aws.ADMIN_ROLE, REGISTER, False),  # the automation's own role, in any account
    ("user/maintenance/alice", REGISTER, False),  # a Task 3 group's user, exempted by her path
    ("user/bob", REGISTER, True),  # a Task 3 group's user not exempted: the SCP denies him
])
def test_the_written_document_denies_registration_to_all_but_the_exempted(setup, org, principal, action, denied):
    document = stored(org["client"])["document"]
    assert denies(document, "arn:aws:iam::%s:%s" % (org["guarded"], principal), action) is denied


def test_a_second_setup_changes_nothing(second):
    assert second.returncode == 0, second
    assert second.changed_hosts() == [], second
    assert second.summary["organization"]["status"] == "unchanged"


def test_drift_is_previewed_then_repaired(fleet, org, second):
    policy = stored(org["client"])
    org["client"].update_policy(PolicyId=policy["id"], Content=json.dumps(
        {"Version": "2012-10-17", "Statement": [{"Effect": "Deny", "Action": "ssm:Nothing", "Resource": "*"}]}))
    org["client"].detach_policy(PolicyId=policy["id"], TargetId=org["unit"])
    org["client"].attach_policy(PolicyId=policy["id"], TargetId=org["outside"])
    preview = fleet.run("drift-preview", "setup.yml", "--check", "--diff", "--limit", "organization")
    assert preview.returncode == 0, preview
    assert [c["action"] for c in preview.summary["organization"]["changes"]] == ["would update"]
    assert stored(org["client"])["targets"] == [org["outside"]]
    audit = fleet.run("drift-audit", "audit.yml", "--limit", "organization")
    assert organization_audit(audit)["tasks"]["scp"]["status"] == "drifted", audit
    repair = fleet.run("drift-repair", "setup.yml", "--limit", "organization")
    assert repair.returncode == 0, repair
    repaired = stored(org["client"])
    assert repaired["targets"] == [org["unit"]] and repaired["document"] == policy["document"]


def test_the_audit_reports_the_guardrail_and_the_accounts_it_covers(fleet, org, second):
    audit = fleet.run("audit", "audit.yml")
    assert audit.returncode == 0, audit
    # One folder for the run: the organisation's report beside the accounts' audit.json.
    assert sorted(name for name in os.listdir(audit.run_dir) if name.endswith(".json")) == [
        "audit-organization.json", "audit-permission-sets.json", "audit.json"]
    report = organization_audit(audit)
    assert report["tasks"]["scp"]["status"] == "compliant"
    assert report["scp"]["targets"] == [org["unit"]]
    assert report["scp"]["covered_accounts"] == [org["guarded"]]
    assert report["scp"]["uncovered_accounts"] == [org["outside"]]


@pytest.fixture(scope="module")
def teardown(fleet, second):
    return fleet.run("teardown", "teardown.yml"), fleet.run("teardown-again", "teardown.yml")


def test_teardown_detaches_and_deletes_it_and_a_second_changes_nothing(teardown, org):
    first, again = teardown
    assert first.returncode == 0, first
    assert [c["action"] for c in first.summary["organization"]["changes"]] == ["deleted"]
    assert stored(org["client"]) is None
    assert again.returncode == 0, again
    assert again.changed_hosts() == [], again
