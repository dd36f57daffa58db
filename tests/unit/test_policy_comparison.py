"""Policy documents are compared by meaning: what IAM treats as the same document is the
same, and every real difference is one."""

from __future__ import annotations

import json
from urllib.parse import quote

import pytest

from ansible_collections.fleetiam.maintenance_windows.plugins.module_utils.policy import (
    for_display,
    normalize,
    parse,
    same_policy,
    to_wire,
)


def statement(**fields):
    base = {"Effect": "Allow", "Action": "iam:PassRole", "Resource": "arn:aws:iam::111122223333:role/MwRole"}
    base.update(fields)
    return {key: value for key, value in base.items() if value is not None}


def document(*statements, **top):
    return dict({"Version": "2012-10-17", "Statement": list(statements)}, **top)


PASS_ROLE = statement(Condition={"StringEquals": {"iam:PassedToService": ["ssm.amazonaws.com"]}})
LIST_ROLES = statement(Action="iam:ListRoles", Resource="arn:aws:iam::111122223333:role/")

SAME_MEANING = [
    ("keys in another order",
     document(PASS_ROLE),
     {"Statement": [{"Resource": PASS_ROLE["Resource"], "Condition": PASS_ROLE["Condition"],
                     "Action": "iam:PassRole", "Effect": "Allow"}], "Version": "2012-10-17"}),
    ("statements in another order",
     document(PASS_ROLE, LIST_ROLES),
     document(LIST_ROLES, PASS_ROLE)),
    ("actions in another order",
     document(statement(Action=["ssm:SendCommand", "ssm:CancelCommand"], Resource="*")),
     document(statement(Action=["ssm:CancelCommand", "ssm:SendCommand"], Resource="*"))),
    ("resources in another order",
     document(statement(Resource=["arn:aws:states:*:*:stateMachine:*", "arn:aws:states:*:*:execution:*:*"])),
     document(statement(Resource=["arn:aws:states:*:*:execution:*:*", "arn:aws:states:*:*:stateMachine:*"]))),
    ("a one-item list against a plain string",
     document(statement(Action=["iam:PassRole"], Resource=["arn:aws:iam::111122223333:role/MwRole"])),
     document(statement())),
    ("a one-item condition value list against a string",
     document(PASS_ROLE),
     document(statement(Condition={"StringEquals": {"iam:PassedToService": "ssm.amazonaws.com"}}))),
    ('an empty Sid against none (the console writes "Sid": "")',
     document(statement(Sid="")),
     document(statement())),
    ("a duplicated statement",
     document(PASS_ROLE, PASS_ROLE),
     document(PASS_ROLE)),
    ("a duplicated action and resource",
     document(statement(Action=["iam:PassRole", "iam:PassRole"], Resource=["*", "*"])),
     document(statement(Resource="*"))),
    ("the case of action names",
     document(statement(Action=["SSM:SendCommand", "ssm:cancelcommand"], Resource="*")),
     document(statement(Action=["ssm:SendCommand", "ssm:CancelCommand"], Resource="*"))),
    ("the case of condition operators and keys",
     document(statement(Condition={"stringequals": {"IAM:PassedToService": "ssm.amazonaws.com"}})),
     document(PASS_ROLE)),
    ('Principal "*" against {"AWS": "*"}',
     document(statement(Principal="*", Action="sts:AssumeRole", Resource=None)),
     document(statement(Principal={"AWS": "*"}, Action="sts:AssumeRole", Resource=None))),
    ("service principals in another order",
     document(statement(Principal={"Service": ["ssm.amazonaws.com", "ec2.amazonaws.com"]},
                        Action="sts:AssumeRole", Resource=None)),
     document(statement(Principal={"Service": ["ec2.amazonaws.com", "ssm.amazonaws.com"]},
                        Action="sts:AssumeRole", Resource=None))),
    # IAM stores an account id given as an AWS principal as the account's root ARN.
    ("an account id principal against its root ARN",
     document(statement(Principal={"AWS": ["111122223333", "arn:aws:iam::444455556666:role/Hub"]},
                        Action="sts:AssumeRole", Resource=None)),
     document(statement(Principal={"AWS": ["arn:aws:iam::111122223333:root", "arn:aws:iam::444455556666:role/Hub"]},
                        Action="sts:AssumeRole", Resource=None))),
    ("an empty Condition against none",
     document(statement(Condition={})),
     document(statement())),
    ("a single statement object against a list of one",
     {"Version": "2012-10-17", "Statement": PASS_ROLE},
     document(PASS_ROLE)),
    ("a boolean condition value against its string",
     document(statement(Condition={"Bool": {"aws:SecureTransport": True}})),
     document(statement(Condition={"Bool": {"aws:SecureTransport": "true"}}))),
]


@pytest.mark.parametrize("one, other", [case[1:] for case in SAME_MEANING], ids=[case[0] for case in SAME_MEANING])
def test_documents_that_differ_only_in_form_are_the_same_policy(one, other):
    assert same_policy(one, other)
    assert same_policy(other, one)


REAL_DIFFERENCES = [
    ("Effect", document(PASS_ROLE), document(dict(PASS_ROLE, Effect="Deny"))),
    ("Resource", document(PASS_ROLE), document(dict(PASS_ROLE, Resource="arn:aws:iam::111122223333:role/Other"))),
    ("Resource against NotResource", document(statement(Resource="*")),
     document(statement(Resource=None, NotResource="*"))),
    ("a condition value", document(PASS_ROLE),
     document(statement(Condition={"StringEquals": {"iam:PassedToService": ["ec2.amazonaws.com"]}}))),
    ("the case of a condition value", document(PASS_ROLE),
     document(statement(Condition={"StringEquals": {"iam:PassedToService": ["SSM.amazonaws.com"]}}))),
    ("a condition operator", document(PASS_ROLE),
     document(statement(Condition={"StringLike": {"iam:PassedToService": ["ssm.amazonaws.com"]}}))),
    ("a condition dropped", document(PASS_ROLE), document(statement())),
    ("an action added", document(statement(Resource="*")),
     document(statement(Action=["iam:PassRole", "iam:ListRoles"], Resource="*"))),
    ("a statement added", document(PASS_ROLE), document(PASS_ROLE, LIST_ROLES)),
    ("a non-empty Sid", document(statement()), document(statement(Sid="PassTheServiceRole"))),
    ("the principal", document(statement(Principal={"Service": "ssm.amazonaws.com"}, Action="sts:AssumeRole",
                                         Resource=None)),
     document(statement(Principal={"Service": "sns.amazonaws.com"}, Action="sts:AssumeRole", Resource=None))),
    ("the Version", document(PASS_ROLE), document(PASS_ROLE, Version="2008-10-17")),
    ("another account's root",
     document(statement(Principal={"AWS": "111122223333"}, Action="sts:AssumeRole", Resource=None)),
     document(statement(Principal={"AWS": "arn:aws:iam::444455556666:root"}, Action="sts:AssumeRole", Resource=None))),
    ("a user of the account against the account",
     document(statement(Principal={"AWS": "111122223333"}, Action="sts:AssumeRole", Resource=None)),
     document(statement(Principal={"AWS": "arn:aws:iam::111122223333:user/root"}, Action="sts:AssumeRole",
                        Resource=None))),
]


@pytest.mark.parametrize("left, right", [case[1:] for case in REAL_DIFFERENCES],
                         ids=[case[0] for case in REAL_DIFFERENCES])
def test_a_real_difference_is_a_different_policy(left, right):
    assert not same_policy(left, right)


def test_no_document_is_only_the_same_as_no_document():
    assert same_policy(None, None)
    assert not same_policy(None, document(PASS_ROLE))
    assert not same_policy(document(PASS_ROLE), None)


# IAM returns documents URL-encoded (RFC 3986, as stored: white space and all). botocore
# decodes them before moto's or IAM's answer reaches the modules, so moto cannot show
# this path; these are the strings a raw IAM answer holds.
def url_encoded(value, indent=None):
    return quote(json.dumps(value, indent=indent), safe="")


def test_a_url_encoded_document_as_iam_returns_it_is_parsed():
    assert parse(url_encoded(document(PASS_ROLE))) == document(PASS_ROLE)


def test_a_url_encoded_document_with_lower_case_escapes_is_parsed():
    encoded = url_encoded(document(PASS_ROLE)).replace("%7B", "%7b")
    assert encoded.startswith("%7b")
    assert parse(encoded) == document(PASS_ROLE)


def test_a_url_encoded_document_with_white_space_is_the_same_policy_as_the_compact_one():
    stored = url_encoded(document(statement(Sid=""), PASS_ROLE), indent=4)
    assert "%0A" in stored
    assert same_policy(stored, to_wire(document(PASS_ROLE, statement())))


def test_a_url_encoded_document_keeps_percent_signs_of_its_values():
    tagged = document(statement(Condition={"StringLike": {"aws:ResourceTag/Owner": "100%"}}))
    assert parse(url_encoded(tagged)) == tagged


def test_a_json_string_and_a_mapping_are_the_same_policy():
    assert same_policy(json.dumps(document(PASS_ROLE)), document(PASS_ROLE))


def test_normalised_documents_are_equal_for_equal_meaning():
    left = document(statement(Action=["SSM:SendCommand", "ssm:sendcommand"], Resource=["*"], Sid=""))
    right = document(statement(Action="ssm:SendCommand", Resource="*"))
    assert normalize(left) == normalize(right) == document(statement(Action=["ssm:sendcommand"], Resource=["*"]))


def test_display_keeps_the_case_and_the_statement_order_the_user_wrote():
    shown = for_display(document(LIST_ROLES, statement(Action="SSM:SendCommand", Resource="*")))
    assert shown["Statement"] == [
        {"Effect": "Allow", "Action": ["iam:ListRoles"], "Resource": ["arn:aws:iam::111122223333:role/"]},
        {"Effect": "Allow", "Action": ["SSM:SendCommand"], "Resource": ["*"]},
    ]


def test_display_of_no_document_is_none():
    assert for_display(None) is None


def test_the_wire_form_is_compact_json_in_the_users_order():
    wire = to_wire(document(LIST_ROLES, PASS_ROLE))
    assert " " not in wire
    assert json.loads(wire) == document(LIST_ROLES, PASS_ROLE)
