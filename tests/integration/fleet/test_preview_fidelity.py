"""Previews that do not lie: rounds of random out-of-band drift on a set-up fleet, each round
previewed, applied and previewed again.

Each round drifts every account at random (documents, versions, trust, attachments, inline
policies, tags, descriptions, deleted roles and policies; over the rounds every kind at least
once), then checks that the preview wrote nothing, that the (account, step, resource, change)
it predicted are exactly those the apply then made (and the recap counts those), and that the
next preview predicts nothing. The rounds are seeded: a failure names its seed and drift, and
MW_FIDELITY_SEED=<seed> replays it (MW_FIDELITY_ROUNDS, default 3, sets how many rounds).
"""

from __future__ import annotations

import json
import os
import random

import pytest
from botocore.exceptions import ClientError

from tests.integration.reliability.setup_tasks import iam_snapshot
from tests.support import aws
from tests.support.fleet import CONTRACTORS_GROUP, OPERATORS_AND_CONTRACTORS, OPERATORS_GROUP, Fleet

HOSTS = ("fidelity-a", "fidelity-b")
SEED = int(os.environ.get("MW_FIDELITY_SEED", "16"))
ROUNDS = int(os.environ.get("MW_FIDELITY_ROUNDS", "3"))

ROLE = "MaintenanceWindowServiceRole"
POLICY = "MaintenanceWindowServiceRolePolicy"
SNS_POLICY = "MaintenanceWindowSnsPassRole"
PASS_ROLE_POLICY = "MaintenanceWindowPassRole"
DENY_POLICY = "DenyMaintenanceWindowTaskRegistration"
SSM_FULL_ACCESS = "arn:aws:iam::aws:policy/AmazonSSMFullAccess"
# Setup with every resource kind: tags, the SNS PassRole inline policy on the role, the
# AmazonSSMFullAccess attachment of Task 3.
GROUP_VARS = dict(OPERATORS_AND_CONTRACTORS, mw_tags={"team": "platform", "cost-centre": "ops"},
                  mw_attach_ssm_full_access=True,
                  mw_sns_role_arn="arn:aws:iam::111111111111:role/MaintenanceWindowSnsRole",
                  mw_sns_role_allow_other_account=True)
PAST_TENSE = {"would create": "created", "would update": "updated", "would delete": "deleted",
              "would attach": "attached", "would detach": "detached"}
OTHER_DOCUMENT = {"Version": "2012-10-17", "Statement": [
    {"Effect": "Allow", "Action": "ssm:DescribeMaintenanceWindows", "Resource": "*"}]}
OTHER_TRUST = {"Version": "2012-10-17", "Statement": [
    {"Effect": "Allow", "Principal": {"Service": "ec2.amazonaws.com"}, "Action": "sts:AssumeRole"}]}


def _policy_arn(account):
    return "arn:aws:iam::%s:policy/%s" % (account, POLICY)


def _new_default_version(iam, account, rng):
    """A document edited out of band: a new default version (the oldest spare goes at five)."""
    arn = _policy_arn(account)
    versions = iam.list_policy_versions(PolicyArn=arn)["Versions"]
    if len(versions) >= 5:
        spare = sorted((v for v in versions if not v["IsDefaultVersion"]), key=lambda v: v["CreateDate"])
        iam.delete_policy_version(PolicyArn=arn, VersionId=spare[0]["VersionId"])
    iam.create_policy_version(PolicyArn=arn, PolicyDocument=json.dumps(OTHER_DOCUMENT), SetAsDefault=True)


def _spare_version(iam, account, rng):
    """A non-default version added: not the setup's business, so nothing to change."""
    arn = _policy_arn(account)
    if len(iam.list_policy_versions(PolicyArn=arn)["Versions"]) < 5:
        iam.create_policy_version(PolicyArn=arn, PolicyDocument=json.dumps(OTHER_DOCUMENT), SetAsDefault=False)


def _older_default(iam, account, rng):
    """An older version made the default again."""
    arn = _policy_arn(account)
    spare = [v["VersionId"] for v in iam.list_policy_versions(PolicyArn=arn)["Versions"] if not v["IsDefaultVersion"]]
    if spare:
        iam.set_default_policy_version(PolicyArn=arn, VersionId=rng.choice(sorted(spare)))


def _trust(iam, account, rng):
    iam.update_assume_role_policy(RoleName=ROLE, PolicyDocument=json.dumps(OTHER_TRUST))


def _detach_policy_from_role(iam, account, rng):
    iam.detach_role_policy(RoleName=ROLE, PolicyArn=_policy_arn(account))


def _detach_ssm_full_access(iam, account, rng):
    iam.detach_group_policy(GroupName=OPERATORS_GROUP, PolicyArn=SSM_FULL_ACCESS)


def _delete_inline(iam, account, rng):
    choice = rng.choice([("role", ROLE, SNS_POLICY), ("group", OPERATORS_GROUP, PASS_ROLE_POLICY),
                         ("group", CONTRACTORS_GROUP, DENY_POLICY)])
    kind, name, policy = choice
    getattr(iam, "delete_%s_policy" % kind)(**{kind.capitalize() + "Name": name, "PolicyName": policy})


def _edit_inline(iam, account, rng):
    kind, name, policy = rng.choice([("role", ROLE, SNS_POLICY), ("group", CONTRACTORS_GROUP, DENY_POLICY)])
    getattr(iam, "put_%s_policy" % kind)(PolicyDocument=json.dumps(OTHER_DOCUMENT),
                                         **{kind.capitalize() + "Name": name, "PolicyName": policy})


def _tags(iam, account, rng):
    if rng.random() < 0.5:
        iam.untag_role(RoleName=ROLE, TagKeys=["team"])
    else:
        iam.tag_policy(PolicyArn=_policy_arn(account),
                       Tags=[{"Key": "cost-centre", "Value": "drifted"}, {"Key": "extra", "Value": "out-of-band"}])


def _description(iam, account, rng):
    iam.update_role(RoleName=ROLE, Description="changed by hand")


def _delete_role(iam, account, rng):
    for attached in iam.list_attached_role_policies(RoleName=ROLE)["AttachedPolicies"]:
        iam.detach_role_policy(RoleName=ROLE, PolicyArn=attached["PolicyArn"])
    for inline in iam.list_role_policies(RoleName=ROLE)["PolicyNames"]:
        iam.delete_role_policy(RoleName=ROLE, PolicyName=inline)
    iam.delete_role(RoleName=ROLE)


def _delete_policy(iam, account, rng):
    arn = _policy_arn(account)
    for role in iam.list_entities_for_policy(PolicyArn=arn)["PolicyRoles"]:
        iam.detach_role_policy(RoleName=role["RoleName"], PolicyArn=arn)
    for version in iam.list_policy_versions(PolicyArn=arn)["Versions"]:
        if not version["IsDefaultVersion"]:
            iam.delete_policy_version(PolicyArn=arn, VersionId=version["VersionId"])
    iam.delete_policy(PolicyArn=arn)


DRIFTS = (_new_default_version, _spare_version, _older_default, _trust, _detach_policy_from_role,
          _detach_ssm_full_access, _delete_inline, _edit_inline, _tags, _description, _delete_role, _delete_policy)


def featured_drifts(seed, rounds, hosts):
    """{(round, host): drifts}: every kind of drift in some account of some round, at random."""
    kinds = list(DRIFTS)
    random.Random(seed).shuffle(kinds)
    slots = [(round_number, host) for round_number in range(rounds) for host in hosts]
    featured = {slot: [] for slot in slots}
    for index, kind in enumerate(kinds):
        featured[slots[index % len(slots)]].append(kind)
    return featured


def drift(fleet, rng, featured):
    """In each account its featured drifts and up to two more at random, in random order; one
    whose resource is gone already is moot."""
    done = {}
    for host, account in sorted(fleet.accounts.items()):
        iam = aws.account_client(fleet.endpoint_url, account, "iam")
        chosen = list(featured.get(host, []))
        chosen += rng.sample([kind for kind in DRIFTS if kind not in chosen], rng.randint(0, 2))
        rng.shuffle(chosen)
        done[host] = []
        for change in chosen:
            try:
                change(iam, account, rng)
            except ClientError as err:
                if err.response["Error"]["Code"] != "NoSuchEntity":
                    raise
                continue
            done[host].append(change.__name__.lstrip("_"))
    return done


def snapshots(fleet):
    return {host: iam_snapshot(aws.account_client(fleet.endpoint_url, account, "iam"))
            for host, account in fleet.accounts.items()}


def changes(run, tense=lambda action: action):
    """The run's (account, step, resource, change), sorted: a change made twice shows twice."""
    return sorted((reported["account_id"], change["step"], change["resource"], tense(change["action"]))
                  for reported in run.summary.values() for change in reported["changes"])


@pytest.fixture(scope="module")
def fleet(moto, new_accounts, tmp_path_factory):
    fleet = Fleet(tmp_path_factory.mktemp("preview-fidelity"), moto.url, dict(zip(HOSTS, new_accounts(len(HOSTS)))),
                  group_vars=GROUP_VARS)
    setup = fleet.run("setup", "setup.yml")
    assert setup.returncode == 0, setup
    return fleet


@pytest.mark.parametrize("round_number", range(ROUNDS))
def test_a_preview_after_random_drift_predicts_exactly_what_the_apply_does(fleet, round_number):
    seed = SEED * 1000 + round_number
    featured = featured_drifts(SEED, ROUNDS, HOSTS)
    drifted = drift(fleet, random.Random(seed), {host: featured[(round_number, host)] for host in HOSTS})
    replay = "seed %s (MW_FIDELITY_SEED=%s), drift %s" % (seed, SEED, drifted)

    before = snapshots(fleet)
    preview = fleet.run("round%d-preview" % round_number, "setup.yml", "--check")
    assert preview.returncode == 0, (replay, preview)
    assert snapshots(fleet) == before, "the preview wrote to AWS: " + replay

    apply = fleet.run("round%d-apply" % round_number, "setup.yml")
    assert apply.returncode == 0, (replay, apply)
    assert changes(apply) == changes(preview, tense=PAST_TENSE.get), replay
    recap = {host: counts["changed"] for host, counts in apply.recap.items() if host in HOSTS}
    assert recap == {host: len(reported["changes"]) for host, reported in apply.summary.items()}, replay

    again = fleet.run("round%d-preview-again" % round_number, "setup.yml", "--check")
    assert again.returncode == 0, (replay, again)
    assert changes(again) == [], replay
