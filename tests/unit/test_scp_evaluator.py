"""The evaluator of the guardrail's proof (tests/support/scp_evaluator.py) follows the IAM
policy reference: ArnLike part by part, negated operators, action wildcards; and it refuses what
it does not cover."""

from __future__ import annotations

import pytest

from tests.support.scp_evaluator import action_matches, arn_like, denies

SSO_OPERATORS = "arn:aws:iam::*:role/aws-reserved/sso.amazonaws.com/*AWSReservedSSO_MaintenanceOperators_*"
GUARDRAIL = {"Version": "2012-10-17", "Statement": [{
    "Effect": "Deny", "Action": ["ssm:RegisterTaskWithMaintenanceWindow", "ssm:UpdateMaintenanceWindowTask"],
    "Resource": "*", "Condition": {"ArnNotLike": {"aws:PrincipalArn": [
        "arn:aws:iam::*:role/OrganizationAccountAccessRole", SSO_OPERATORS]}}}]}


@pytest.mark.parametrize("pattern, arn, expected", [
    (SSO_OPERATORS, "arn:aws:iam::111122223333:role/aws-reserved/sso.amazonaws.com/eu-west-1/"
                    "AWSReservedSSO_MaintenanceOperators_0123456789abcdef", True),
    (SSO_OPERATORS, "arn:aws:iam::111122223333:role/aws-reserved/sso.amazonaws.com/"
                    "AWSReservedSSO_MaintenanceOperatorsPlus_0123", False),
    ("arn:aws:iam::*:role/Ops", "arn:aws:iam::111122223333:role/ops", False),  # case-sensitive
    ("arn:aws:iam::*:role/Ops", "arn:aws:iam::111122223333:role/Ops", True),
    ("arn:aws:iam::*:role/Ops", "arn:aws:iam::111122223333:user/Ops", False),
    ("arn:aws:iam::*:role/Ops", "arn:aws-cn:iam::111122223333:role/Ops", False),
    # Each part is matched on its own: a "*" does not reach across a colon.
    ("arn:aws:iam::*", "arn:aws:iam::111122223333:role/Ops", False),
    ("arn:aws:iam::*:*", "arn:aws:iam::111122223333:role/Ops", True),
    ("arn:aws:iam::11112222333?:role/Ops", "arn:aws:iam::111122223333:role/Ops", True),
])
def test_arn_like_matches_each_part_of_the_arn(pattern, arn, expected):
    assert arn_like(pattern, arn) is expected


def test_actions_match_case_insensitively_with_wildcards():
    assert action_matches("ssm:RegisterTask*", "SSM:registertaskwithmaintenancewindow")
    assert action_matches(["ssm:Update?aintenanceWindowTask"], "ssm:UpdateMaintenanceWindowTask")
    assert not action_matches("ssm:RegisterTask*", "ssm:DeregisterTaskFromMaintenanceWindow")


@pytest.mark.parametrize("principal, action, denied", [
    ("arn:aws:iam::111122223333:role/aws-reserved/sso.amazonaws.com/AWSReservedSSO_MaintenanceOperators_ab12",
     "ssm:RegisterTaskWithMaintenanceWindow", False),
    ("arn:aws:iam::111122223333:role/contractor", "ssm:RegisterTaskWithMaintenanceWindow", True),
    ("arn:aws:iam::111122223333:role/contractor", "ssm:UpdateMaintenanceWindowTask", True),
    ("arn:aws:iam::111122223333:role/contractor", "ssm:DescribeMaintenanceWindows", False),
    ("arn:aws:iam::444455556666:role/OrganizationAccountAccessRole", "ssm:RegisterTaskWithMaintenanceWindow", False),
])
def test_a_negated_operator_denies_all_but_the_matching_principals(principal, action, denied):
    assert denies(GUARDRAIL, principal, action) is denied


def test_several_operators_of_a_condition_must_all_hold():
    both = {"Statement": [dict(GUARDRAIL["Statement"][0], Condition={
        "ArnNotLike": {"aws:PrincipalArn": "arn:aws:iam::*:role/exempt"},
        "ArnLike": {"aws:PrincipalArn": "arn:aws:iam::111122223333:*"}})]}
    assert denies(both, "arn:aws:iam::111122223333:role/other", "ssm:RegisterTaskWithMaintenanceWindow")
    assert not denies(both, "arn:aws:iam::444455556666:role/other", "ssm:RegisterTaskWithMaintenanceWindow")


@pytest.mark.parametrize("condition", [{"StringNotLike": {"aws:PrincipalArn": "*"}},
                                       {"ArnNotLike": {"aws:SourceArn": "*"}},
                                       {"ArnNotLikeIfExists": {"aws:PrincipalArn": "*"}}])
def test_what_it_does_not_cover_is_refused(condition):
    with pytest.raises(ValueError, match="does not cover"):
        denies({"Statement": [dict(GUARDRAIL["Statement"][0], Condition=condition)]}, "arn:aws:iam::1:role/x",
               "ssm:RegisterTaskWithMaintenanceWindow")
