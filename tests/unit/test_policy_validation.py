"""Policy documents are checked before any write: each problem is refused with what is
wrong and how to fix it."""

from __future__ import annotations

import json

import pytest

from ansible_collections.fleetiam.maintenance_windows.plugins.module_utils.errors import InvalidInputError
from ansible_collections.fleetiam.maintenance_windows.plugins.module_utils.policy import (
    check_size,
    size_without_whitespace,
    validate,
)

SEND_COMMAND = {"Effect": "Allow", "Action": "ssm:SendCommand", "Resource": "*"}
ASSUME_BY_SSM = {"Effect": "Allow", "Principal": {"Service": "ssm.amazonaws.com"}, "Action": "sts:AssumeRole"}


def identity(**changes):
    stmt = dict(SEND_COMMAND)
    stmt.update(changes)
    return {"Version": "2012-10-17", "Statement": [{k: v for k, v in stmt.items() if v is not None}]}


def trust(**changes):
    stmt = dict(ASSUME_BY_SSM)
    stmt.update(changes)
    return {"Version": "2012-10-17", "Statement": [{k: v for k, v in stmt.items() if v is not None}]}


def refusal(document, kind="identity", partition=None):
    with pytest.raises(InvalidInputError) as raised:
        validate(document, kind, "policy document", partition=partition)
    return raised.value


def test_a_valid_identity_policy_is_returned_as_a_mapping():
    assert validate('{"Version": "2012-10-17", "Statement": [%s]}' % (
        '{"Effect": "Allow", "Action": "ssm:SendCommand", "Resource": "*"}')) == identity()


def test_a_valid_trust_policy_passes():
    assert validate(trust(Sid=""), "trust") == trust(Sid="")


def test_the_guides_legacy_trust_with_three_services_passes():
    legacy = trust(Principal={"Service": ["ec2.amazonaws.com", "ssm.amazonaws.com", "sns.amazonaws.com"]})
    assert validate(legacy, "trust") == legacy


BAD_DOCUMENTS = [
    ("not JSON", '{"Version": "2012-10-17", "Statement": [', "identity", "is not valid JSON", "check the JSON syntax"),
    ("JSON but an array", '[{"Effect": "Allow"}]', "identity", "JSON but not an object", "a policy is an object"),
    ("a number", 42, "identity", "is a int, not a JSON object", "as a YAML/JSON mapping"),
    ("no Statement", {"Version": "2012-10-17"}, "identity", "has no Statement", "add at least one statement"),
    ("an unknown top-level key", dict(identity(), Statements=[]), "identity", "unknown top-level keys ['Statements']",
     "only Version, Id and Statement"),
    ("an unknown Version", dict(identity(), Version="2020-01-01"), "identity", "has Version '2020-01-01'",
     '"Version": "2012-10-17"'),
    ("a statement that is not an object", {"Statement": ["ssm:SendCommand"]}, "identity",
     "statement 1 is not an object", "each statement is a mapping"),
    ("a misspelt statement key", identity(Resources="*"), "identity", "unknown keys ['Resources']",
     "check the spelling"),
    ("Effect Permit", identity(Effect="Permit"), "identity", "has Effect 'Permit'", 'Effect is "Allow" or "Deny"'),
    ("Effect in lower case", identity(Effect="allow"), "identity", "has Effect 'allow'", 'Effect is "Allow"'),
    ("no Effect", identity(Effect=None), "identity", "has Effect None", 'Effect is "Allow" or "Deny"'),
    ("no Action", identity(Action=None), "identity", "needs exactly one of Action or NotAction", '"Action"'),
    ("Action and NotAction", identity(NotAction="ssm:CancelCommand"), "identity",
     "needs exactly one of Action or NotAction", '"Action"'),
    ("an action without service", identity(Action="SendCommand"), "identity", "malformed action 'SendCommand'",
     '"service:Action"'),
    ("an action that is not a string", identity(Action=["ssm:SendCommand", 7]), "identity", "malformed action 7",
     '"service:Action"'),
    ("an identity policy with Principal", identity(Principal={"AWS": "*"}), "identity",
     "of an identity policy may not have a Principal", "it belongs in trust policies"),
    ("an identity policy without Resource", identity(Resource=None), "identity",
     "needs exactly one of Resource or NotResource", '"Resource": "*"'),
    ("Resource and NotResource", identity(NotResource="*"), "identity",
     "needs exactly one of Resource or NotResource", '"Resource": "*"'),
    ("the guide's misprinted ARN", identity(Resource="arn:aws::iam::111122223333:role/MwRole"), "identity",
     "malformed ARN 'arn:aws::iam::111122223333:role/MwRole'", "not arn:aws::iam::"),
    ("an ARN of an unknown partition", identity(Resource="arn:aws-mars:iam::111122223333:role/MwRole"), "identity",
     "malformed ARN", "arn:PARTITION:SERVICE"),
    ("a resource that is not a string", identity(Resource=[{"arn": "x"}]), "identity",
     "Resource that is not a string", "an ARN string"),
    ("a Condition that is a list", identity(Condition=["StringEquals"]), "identity",
     "Condition that is not a mapping", '{"Operator": {"key": "value"}}'),
    ("a trust policy without Principal", trust(Principal=None), "trust", "has no Principal",
     '{"Service": "ssm.amazonaws.com"}'),
    ("a trust policy with Resource", trust(Resource="*"), "trust", "of a trust policy may not have a Resource",
     "remove Resource"),
    ("a trust policy without Action", trust(Action=None), "trust", "needs exactly one of Action or NotAction",
     '"Action"'),
]


@pytest.mark.parametrize("document, kind, says, fix", [case[1:] for case in BAD_DOCUMENTS],
                         ids=[case[0] for case in BAD_DOCUMENTS])
def test_a_bad_document_is_refused_with_the_problem_and_the_fix(document, kind, says, fix):
    error = refusal(document, kind)
    assert says in error.problem
    assert fix in error.fix


def test_the_failing_statement_is_named_by_its_position():
    document = {"Version": "2012-10-17", "Statement": [SEND_COMMAND, dict(SEND_COMMAND, Effect="Permit")]}
    assert "statement 2 has Effect 'Permit'" in refusal(document).problem


def test_an_arn_of_another_partition_than_the_accounts_is_refused():
    error = refusal(identity(Resource="arn:aws:iam::111122223333:role/MwRole"), partition="aws-cn")
    assert "in partition aws, but the account is in partition aws-cn" in error.problem
    assert "aws-cn" in error.fix


def test_arns_of_the_accounts_partition_and_wildcards_pass():
    for partition in ("aws", "aws-cn", "aws-us-gov"):
        document = identity(Action="lambda:InvokeFunction", Resource=["arn:%s:lambda:*:*:function:*" % partition, "*"])
        assert validate(document, partition=partition) == document


def test_a_document_that_names_no_arn_needs_no_partition():
    assert validate(identity(), partition="aws-us-gov") == identity()


def policy_of_size(characters):
    """A valid policy of exactly ``characters`` characters without white space."""
    document = identity(Sid="")
    document["Statement"][0]["Sid"] = "S" * (characters - size_without_whitespace(document))
    assert size_without_whitespace(document) == characters
    return document


def test_a_managed_policy_of_6144_characters_fits():
    assert check_size(policy_of_size(6144), "managed") == 6144


def test_a_managed_policy_over_6144_characters_is_refused():
    with pytest.raises(InvalidInputError) as raised:
        check_size(policy_of_size(6145), "managed", "policy document of managed policy /Big")
    assert raised.value.problem == ("the policy document of managed policy /Big is 6145 characters without "
                                    "white space; IAM allows 6144")
    assert "split it" in raised.value.fix


def test_white_space_does_not_count_towards_the_size():
    document = policy_of_size(6144)
    assert len(json.dumps(document, indent=8)) > 6144
    assert check_size(json.dumps(document, indent=8), "managed") == 6144


# IAM's quotas: managed policy, inline policy of a role, user and group, trust policy (default).
@pytest.mark.parametrize("kind, limit", [("managed", 6144), ("role", 10240), ("user", 2048), ("group", 5120),
                                         ("trust", 2048)])
def test_each_kind_of_document_has_iams_limit(kind, limit):
    assert check_size(policy_of_size(limit), kind) == limit
    with pytest.raises(InvalidInputError):
        check_size(policy_of_size(limit + 1), kind)
