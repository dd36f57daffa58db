"""The role's options, one account each, in one apply and one apply again.

legacy: the older guide's variant (AWS managed policy, EC2/SSM/SNS trust);
sns: SNS notifications for Run Command tasks and the confused-deputy condition;
narrow: the guide's customisation advice (statements and actions dropped), with
AmazonSSMFullAccess for the registrants.
"""

from __future__ import annotations

import pytest

from tests.integration.fleet.iam_documents import (
    AWS_MANAGED_POLICY_ARN, PASS_ROLE_POLICY_NAME, POLICY_NAME, ROLE_NAME, SNS_PASS_ROLE_POLICY,
    SNS_PASS_ROLE_POLICY_NAME, SSM_FULL_ACCESS_ARN, TASK1_POLICY, TASK3_PASS_ROLE_POLICY, TRUST_POLICY, AccountIam,
    policy_arn, reference, role_arn, same)
from tests.support.fleet import OPERATORS_AND_CONTRACTORS, OPERATORS_GROUP, Fleet

HOSTS = ("legacy", "sns", "narrow")
SNS_ROLE_NAME = "MaintenanceWindowSnsRole"
LEGACY_SERVICES = ["ec2.amazonaws.com", "ssm.amazonaws.com", "sns.amazonaws.com"]


@pytest.fixture(scope="module")
def fleet(moto, new_accounts, tmp_path_factory):
    accounts = dict(zip(HOSTS, new_accounts(len(HOSTS))))
    host_vars = {
        "legacy": {"mw_policy_mode": "aws_managed", "mw_trusted_services": LEGACY_SERVICES},
        "sns": {"mw_sns_role_arn": role_arn(accounts["sns"], SNS_ROLE_NAME),
                "mw_trust_source_account_condition": True},
        "narrow": {"mw_policy_include_step_functions": False, "mw_policy_include_lambda": False,
                   "mw_policy_include_automation": False,
                   "mw_policy_include_describe_instance_information": False,
                   "mw_attach_ssm_full_access": True},
    }
    return Fleet(tmp_path_factory.mktemp("options"), moto.url, accounts, host_vars=host_vars,
                 group_vars=OPERATORS_AND_CONTRACTORS)


@pytest.fixture(scope="module")
def iam(fleet):
    return {host: AccountIam(fleet.endpoint_url, account) for host, account in fleet.accounts.items()}


@pytest.fixture(scope="module")
def apply(fleet):
    return fleet.run("apply", "setup.yml")


@pytest.fixture(scope="module")
def apply_again(fleet, apply):
    return fleet.run("apply-again", "setup.yml")


def test_options_apply(apply):
    assert apply.returncode == 0, apply
    assert apply.changed_hosts() == sorted(HOSTS)


def test_legacy_variant_attaches_the_aws_managed_policy_and_no_customer_policy(apply, iam):
    account = iam["legacy"]
    assert account.attached_to_role() == [AWS_MANAGED_POLICY_ARN]
    assert POLICY_NAME not in account.customer_policy_names()
    trust = reference(TRUST_POLICY, account.account)
    trust["Statement"][0]["Principal"]["Service"] = LEGACY_SERVICES
    assert same(account.trust_policy(), trust)


def test_sns_role_may_be_passed_by_the_service_role_and_the_registrants(apply, iam):
    account = iam["sns"]
    sns_role_arn = role_arn(account.account, SNS_ROLE_NAME)
    assert account.inline_names("role", ROLE_NAME) == [SNS_PASS_ROLE_POLICY_NAME]
    assert same(account.inline("role", ROLE_NAME, SNS_PASS_ROLE_POLICY_NAME),
                reference(SNS_PASS_ROLE_POLICY, account.account, sns_role_arn=sns_role_arn))
    registrants = reference(TASK3_PASS_ROLE_POLICY, account.account)
    registrants["Statement"].append({"Effect": "Allow", "Action": "iam:PassRole", "Resource": sns_role_arn})
    assert same(account.inline("group", OPERATORS_GROUP, PASS_ROLE_POLICY_NAME), registrants)


def test_source_account_condition_names_the_account_itself(apply, iam):
    account = iam["sns"]
    trust = reference(TRUST_POLICY, account.account)
    trust["Statement"][0]["Condition"] = {"StringEquals": {"aws:SourceAccount": account.account}}
    assert same(account.trust_policy(), trust)


def test_policy_toggles_drop_the_statements_and_actions_not_needed(apply, iam):
    account = iam["narrow"]
    narrowed = reference(TASK1_POLICY, account.account)
    dropped_actions = {"ssm:GetAutomationExecution", "ssm:StartAutomationExecution", "ssm:DescribeInstanceInformation"}
    narrowed["Statement"][0]["Action"] = [a for a in narrowed["Statement"][0]["Action"] if a not in dropped_actions]
    narrowed["Statement"] = [s for s in narrowed["Statement"]
                             if s["Action"] not in (["states:DescribeExecution", "states:StartExecution"],
                                                    ["lambda:InvokeFunction"])]
    assert len(narrowed["Statement"]) == 4
    assert same(account.policy_document(), narrowed)
    assert account.attached_to_role() == [policy_arn(account.account)]


def test_registrants_get_amazon_ssm_full_access_only_when_asked(apply, iam):
    assert iam["narrow"].attached_to_group(OPERATORS_GROUP) == [SSM_FULL_ACCESS_ARN]
    assert iam["sns"].attached_to_group(OPERATORS_GROUP) == []


def test_options_apply_again_changes_nothing(apply_again):
    assert apply_again.returncode == 0, apply_again
    assert apply_again.changed_hosts() == []
    assert {host: reported["status"] for host, reported in apply_again.summary.items()} == dict.fromkeys(HOSTS, "unchanged")
