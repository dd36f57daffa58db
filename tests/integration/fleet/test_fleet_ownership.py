"""What the collection does not own, through setup.yml and teardown.yml, each account's whole
IAM compared before and after.

taken: another team's role has the service role's name (its own trust, AdministratorAccess,
an inline policy, an instance profile): setup fails that account before any write, naming
the role and the choice, and teardown leaves the role whole, saying so.
adopting: the same, with mw_adopt_existing: the role is taken over (tagged), and teardown
deletes it.
attached-before: the registrants group had AmazonSSMFullAccess before setup: teardown keeps
it, reports it kept (preview and apply), and the account ends as it began.
"""

from __future__ import annotations

import json

import pytest

from tests.integration.fleet.iam_documents import ROLE_NAME, SSM_FULL_ACCESS_ARN
from tests.integration.reliability.setup_tasks import iam_snapshot
from tests.support import aws
from tests.support.fleet import OPERATORS_AND_CONTRACTORS, OPERATORS_GROUP, Fleet

HOSTS = ("taken", "adopting", "attached-before")
ADMINISTRATOR_ACCESS = "arn:aws:iam::aws:policy/AdministratorAccess"
THEIR_TRUST = {"Version": "2012-10-17", "Statement": [
    {"Effect": "Allow", "Principal": {"Service": "ec2.amazonaws.com"}, "Action": "sts:AssumeRole"}]}
THEIR_POLICY = {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:ListBucket", "Resource": "*"}]}
KEPT_GROUP_ATTACHMENT = "%s attached to group %s" % (SSM_FULL_ACCESS_ARN, OPERATORS_GROUP)


def create_their_role(iam):
    iam.create_role(RoleName=ROLE_NAME, AssumeRolePolicyDocument=json.dumps(THEIR_TRUST))
    iam.attach_role_policy(RoleName=ROLE_NAME, PolicyArn=ADMINISTRATOR_ACCESS)
    iam.put_role_policy(RoleName=ROLE_NAME, PolicyName="TheirPolicy", PolicyDocument=json.dumps(THEIR_POLICY))
    iam.create_instance_profile(InstanceProfileName="TheirProfile")
    iam.add_role_to_instance_profile(InstanceProfileName="TheirProfile", RoleName=ROLE_NAME)


@pytest.fixture(scope="module")
def fleet(moto, new_accounts, tmp_path_factory):
    accounts = dict(zip(HOSTS, new_accounts(len(HOSTS))))
    iam = {host: aws.account_client(moto.url, account, "iam") for host, account in accounts.items()}
    create_their_role(iam["taken"])
    create_their_role(iam["adopting"])
    iam["attached-before"].attach_group_policy(GroupName=OPERATORS_GROUP, PolicyArn=SSM_FULL_ACCESS_ARN)
    fleet = Fleet(tmp_path_factory.mktemp("ownership"), moto.url, accounts,
                  group_vars=dict(OPERATORS_AND_CONTRACTORS, mw_attach_ssm_full_access=True),
                  host_vars={"adopting": {"mw_adopt_existing": True}})
    fleet.iam = iam
    fleet.before = states(fleet)
    return fleet


def states(fleet):
    return {host: iam_snapshot(iam) for host, iam in fleet.iam.items()}


@pytest.fixture(scope="module")
def setup(fleet):
    run = fleet.run("setup", "setup.yml")
    return dict(run=run, after=states(fleet))


@pytest.fixture(scope="module")
def teardown_preview(fleet, setup):
    return fleet.run("teardown-preview", "teardown.yml", "--check")


@pytest.fixture(scope="module")
def teardown(fleet, teardown_preview):
    run = fleet.run("teardown", "teardown.yml")
    return dict(run=run, after=states(fleet))


def test_setup_fails_the_account_with_their_role_before_any_write_naming_the_role_and_the_choice(fleet, setup):
    run = setup["run"]
    assert run.returncode != 0, run
    taken = run.summary["taken"]
    assert (taken["status"], taken["changes"]) == ("failed", [])
    assert "role %s: it exists and this collection did not create it" % ROLE_NAME in taken["error"]
    assert "mw_adopt_existing" in taken["error"] and "mw_role_name" in taken["error"]
    assert setup["after"]["taken"] == fleet.before["taken"]
    assert {host: run.summary[host]["status"] for host in ("adopting", "attached-before")} == dict.fromkeys(
        ("adopting", "attached-before"), "changed")


def test_an_adopted_role_is_taken_over_and_tagged(fleet, setup):
    iam = fleet.iam["adopting"]
    role = iam.get_role(RoleName=ROLE_NAME)["Role"]
    assert {"Key": "fleetiam:maintenance-windows", "Value": "managed"} in role["Tags"]
    assert role["AssumeRolePolicyDocument"]["Statement"][0]["Principal"] == {"Service": ["ssm.amazonaws.com"]}


def test_the_teardown_preview_reports_what_it_leaves(teardown_preview):
    assert teardown_preview.returncode == 0, teardown_preview
    kept = {host: [(k["resource"], k["action"]) for k in reported["kept"]]
            for host, reported in teardown_preview.summary.items()}
    assert kept["attached-before"] == [(KEPT_GROUP_ATTACHMENT, "kept")]
    their_role = "arn:aws:iam::%s:role/%s" % (teardown_preview.summary["taken"]["account_id"], ROLE_NAME)
    assert kept["taken"] == [(their_role, "kept")]
    assert "- kept: Task 3 AmazonSSMFullAccess: %s" % KEPT_GROUP_ATTACHMENT in teardown_preview.summary_markdown


def test_teardown_leaves_what_it_does_not_own_and_says_so(fleet, teardown):
    run = teardown["run"]
    assert run.returncode == 0, run
    # Their role, whole; the group's AmazonSSMFullAccess of before: each account as it began.
    assert teardown["after"]["taken"] == fleet.before["taken"]
    assert teardown["after"]["attached-before"] == fleet.before["attached-before"]
    [kept] = run.summary["attached-before"]["kept"]
    assert (kept["resource"], kept["action"]) == (KEPT_GROUP_ATTACHMENT, "kept")
    assert "IAM groups cannot be tagged" in kept["reason"]
    assert [k["reason"] for k in run.summary["taken"]["kept"]] == [
        "role %s was not created by this collection (no tag fleetiam:maintenance-windows=managed); left as it is"
        % ROLE_NAME]


def test_teardown_deletes_the_adopted_role(fleet, teardown):
    iam = fleet.iam["adopting"]
    with pytest.raises(iam.exceptions.NoSuchEntityException):
        iam.get_role(RoleName=ROLE_NAME)
    assert iam.get_instance_profile(InstanceProfileName="TheirProfile")["InstanceProfile"]["Roles"] == []
