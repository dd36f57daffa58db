"""What an account holds after the fleet setup, read with boto3 directly from moto (never
through the proxy under test), and what it must hold: the documents of the reference page
(tests/integration/fleet/iam_documents.py)."""

from __future__ import annotations

import json
import os

from tests.integration.fleet.iam_documents import (
    DENY_POLICY_NAME,
    PASS_ROLE_POLICY_NAME,
    ROLE_NAME,
    SNS_PASS_ROLE_POLICY,
    SNS_PASS_ROLE_POLICY_NAME,
    TASK1_POLICY,
    TASK3_PASS_ROLE_POLICY,
    TASK4_DENY_POLICY,
    TRUST_POLICY,
    policy_arn,
    reference,
    same,
)
from tests.integration.modules.module_runs import OWNED
from tests.support.fleet import CONTRACTORS_GROUP, OPERATORS_GROUP

CALLBACK_PLUGINS = os.path.join(os.path.dirname(os.path.abspath(__file__)), "callback_plugins")


def task1_policy(account, include_lambda=True):
    """The guide's Task 1 policy; without its Lambda statement for mw_policy_include_lambda: false."""
    document = reference(TASK1_POLICY, account)
    if not include_lambda:
        document["Statement"] = [statement for statement in document["Statement"]
                                 if statement["Action"] != ["lambda:InvokeFunction"]]
    return document


def policy_versions(account_iam):
    """Every stored version of the Task 1 policy: [(version id, is default, document)]."""
    arn = policy_arn(account_iam.account)
    versions = []
    for version in account_iam.iam.list_policy_versions(PolicyArn=arn)["Versions"]:
        stored = account_iam.iam.get_policy_version(PolicyArn=arn, VersionId=version["VersionId"])
        versions.append((version["VersionId"], version["IsDefaultVersion"], stored["PolicyVersion"]["Document"]))
    return versions


def default_document(account_iam):
    """The Task 1 policy's default document: exactly one version is the default."""
    defaults = [document for version_id, is_default, document in policy_versions(account_iam) if is_default]
    assert len(defaults) == 1, defaults
    return defaults[0]


def assert_account_right(account_iam, document, sns_role_arn=None):
    """The four tasks exactly: ``document`` in one default version (at most five, no duplicate
    of it), the role with its trust and only the Task 1 policy, one PassRole inline policy on
    the operators and one Deny inline policy on the contractors, with the guide's documents;
    with ``sns_role_arn``, the role's inline policy to pass it and Task 3's grant of it."""
    number = account_iam.account
    pass_role = reference(TASK3_PASS_ROLE_POLICY, number)
    role_inline = []
    if sns_role_arn:
        pass_role["Statement"].append({"Effect": "Allow", "Action": "iam:PassRole", "Resource": sns_role_arn})
        role_inline = [SNS_PASS_ROLE_POLICY_NAME]
        assert same(account_iam.inline("role", ROLE_NAME, SNS_PASS_ROLE_POLICY_NAME),
                    reference(SNS_PASS_ROLE_POLICY, number, sns_role_arn=sns_role_arn))
    versions = policy_versions(account_iam)
    assert 1 <= len(versions) <= 5, versions
    assert same(default_document(account_iam), document)
    assert [same(stored, document) for version_id, is_default, stored in versions].count(True) == 1, versions
    assert same(account_iam.trust_policy(), reference(TRUST_POLICY, number))
    assert account_iam.attached_to_role() == [policy_arn(number)]
    assert account_iam.inline_names("role", ROLE_NAME) == role_inline
    assert account_iam.inline_names("group", OPERATORS_GROUP) == [PASS_ROLE_POLICY_NAME]
    assert same(account_iam.inline("group", OPERATORS_GROUP, PASS_ROLE_POLICY_NAME), pass_role)
    assert account_iam.inline_names("group", CONTRACTORS_GROUP) == [DENY_POLICY_NAME]
    assert same(account_iam.inline("group", CONTRACTORS_GROUP, DENY_POLICY_NAME), reference(TASK4_DENY_POLICY, number))


def leave_five_versions(account_iam):
    """The Task 1 policy as older runs left it: five versions of other documents, so that
    the next version needs room first (IAM keeps at most five); the policy carries the
    collection's tag, as a run of this version leaves it."""
    number = account_iam.account
    older = task1_policy(number)
    older["Statement"] = older["Statement"][:1]
    account_iam.iam.create_policy(PolicyName=policy_arn(number).rpartition("/")[2], PolicyDocument=json.dumps(older),
                                  Tags=OWNED)
    for extra in ("ssm:GetDocument", "ssm:ListDocuments", "ssm:DescribeParameters", "ssm:GetParameter"):
        older["Statement"][0]["Action"] = older["Statement"][0]["Action"] + [extra]
        account_iam.iam.create_policy_version(PolicyArn=policy_arn(number), PolicyDocument=json.dumps(older),
                                              SetAsDefault=True)


def api_retries_env(path):
    """The environment of a run whose module results' api_retries are summed into ``path``."""
    return dict(ANSIBLE_CALLBACK_PLUGINS=CALLBACK_PLUGINS, ANSIBLE_CALLBACKS_ENABLED="api_retries",
                API_RETRIES_FILE=str(path))


def read_json(path):
    with open(path) as handle:
        return json.load(handle)
