"""The modules in real ansible-playbook runs on localhost: their arguments parse (run as
modules, and in-process as account hosts run them), --check --diff shows the changes and
writes nothing, a second apply changes nothing, and the secret key and session token given
as module options appear nowhere in -vvv output."""

from __future__ import annotations

import re
import sys

import pytest
import yaml

from tests.integration.modules.guide_documents import (
    PASS_ROLE_POLICY_NAME,
    POLICY_NAME,
    ROLE_NAME,
    TRUST,
    pass_role_policy,
    service_role_policy,
)
from tests.integration.modules.module_runs import iam_snapshot
from tests.support import aws
from tests.support.fleet import run_playbook

GROUP = "maintenance-operators"
MISSING_GROUP = "nobody"
FQCN = "fleetiam.maintenance_windows."


def playbook(account, group):
    """Tasks 1 to 3 of the guide, one task per module, with the connection as module defaults."""
    return [{
        "hosts": "member",
        "gather_facts": False,
        "module_defaults": {"group/fleetiam.maintenance_windows.aws": "{{ module_connection }}"},
        "tasks": [
            {"name": "Account", FQCN + "aws_account_info": {}, "register": "account_info"},
            {"name": "Task 1 policy", FQCN + "iam_managed_policy": {
                "name": POLICY_NAME, "policy": service_role_policy(account)}, "register": "task1"},
            {"name": "Task 2 role", FQCN + "iam_role": {
                "name": ROLE_NAME, "assume_role_policy": TRUST, "managed_policies": ["{{ task1.arn }}"]}},
            {"name": "Task 3 pass role", FQCN + "iam_inline_policy": {
                "principal_type": "group", "principal_name": group, "policy_name": PASS_ROLE_POLICY_NAME,
                "policy": pass_role_policy(account)}},
            {"name": "Task 3 SSM access", FQCN + "iam_policy_attachment": {
                "principal_type": "group", "principal_name": group, "policy_arn": "AmazonSSMFullAccess"}},
        ],
    }]


@pytest.fixture
def session(moto, account):
    """Temporary credentials of the account's admin role: the keys given as module options."""
    sts = aws.client(moto.url, "sts")
    credentials = sts.assume_role(RoleArn="arn:aws:iam::%s:role/%s" % (account, aws.ADMIN_ROLE),
                                  RoleSessionName="playbook-test")["Credentials"]
    return dict(access_key=credentials["AccessKeyId"], secret_key=credentials["SecretAccessKey"],
                session_token=credentials["SessionToken"])


@pytest.fixture
def write_playbook(tmp_path, moto, account, session):
    """``write_playbook(group)``: the paths of the playbook for ``group`` and its inventory."""
    inventory = {"all": {"hosts": {"member": {
        "ansible_connection": "local",
        "ansible_python_interpreter": sys.executable,
        "module_connection": dict(session, endpoint_url=moto.url, region=aws.REGION),
    }}}}
    (tmp_path / "inventory.yml").write_text(yaml.safe_dump(inventory))

    def write(group):
        (tmp_path / "playbook.yml").write_text(yaml.safe_dump(playbook(account, group), sort_keys=False))
        return str(tmp_path / "playbook.yml"), str(tmp_path / "inventory.yml")
    return write


def added_lines(output):
    """The lines --diff shows as added."""
    return [line.rstrip() for line in output.splitlines() if line.startswith("+") and not line.startswith("+++")]


def assert_no_secret_in(run, session):
    for name in ("secret_key", "session_token"):
        # Its first characters too: output may wrap or cut a long value.
        for part in (session[name], session[name][:20]):
            assert part not in run.output, "the %s appears in the output" % name


def test_check_diff_apply_and_apply_again(monkeypatch, account, account_iam, session, write_playbook):
    playbook_files = write_playbook(GROUP)
    account_iam.create_group(GroupName=GROUP)
    before = iam_snapshot(account_iam)

    # As modules: a worker runs each module's own main() with the task's arguments.
    monkeypatch.setenv("FLEETIAM_MW_EXECUTION", "module")
    preview = run_playbook(*playbook_files, extra_args=("--check", "--diff", "-vvv"))
    assert preview.returncode == 0, preview
    assert preview.recap["member"]["changed"] == 4, preview
    # The account is in a header where the module knows it without a call: the policy's and
    # the role's ARNs need it; this playbook gives the later two no account_id.
    for header in ("account %s: managed policy /%s" % (account, POLICY_NAME), "account %s: role %s" % (account, ROLE_NAME),
                   "inline policy %s on group %s" % (PASS_ROLE_POLICY_NAME, GROUP),
                   "managed policies of group %s" % GROUP):
        assert "+++ after: %s\n" % header in preview.output, preview
    added = added_lines(preview.output)
    for shown in ("- ssm:SendCommand", "- ssm.amazonaws.com", "- arn:aws:iam::aws:policy/AmazonSSMFullAccess",
                  "- arn:aws:iam::%s:role/%s" % (account, ROLE_NAME)):
        assert any(line.endswith(shown) for line in added), shown
    assert iam_snapshot(account_iam) == before
    assert_no_secret_in(preview, session)
    # -vvv shows each module's invocation: the options are there, their secret values are not.
    assert re.search(r"secret_key: '?VALUE_SPECIFIED_IN_NO_LOG_PARAMETER", preview.output), preview

    # In-process, as account hosts with a local connection run them.
    monkeypatch.delenv("FLEETIAM_MW_EXECUTION")
    applied = run_playbook(*playbook_files, extra_args=("-vvv",))
    assert applied.returncode == 0, applied
    assert applied.recap["member"]["changed"] == 4, applied
    assert iam_snapshot(account_iam) != before
    assert_no_secret_in(applied, session)
    after_apply = iam_snapshot(account_iam)

    again = run_playbook(*playbook_files, extra_args=("-vvv",))
    assert again.returncode == 0, again
    assert again.recap["member"] == dict(ok=5, changed=0, unreachable=0, failed=0, skipped=0, rescued=0,
                                         ignored=0), again
    assert iam_snapshot(account_iam) == after_apply
    assert_no_secret_in(again, session)


def test_a_failing_task_names_the_problem_without_the_secrets(write_playbook, session, account):
    # No such group: Task 3 fails with a message that names the account and the group.
    failed = run_playbook(*write_playbook(MISSING_GROUP), extra_args=("--check", "-vvv"))
    assert failed.returncode == 2, failed
    assert "account %s, group %s: the group does not exist" % (account, MISSING_GROUP) in failed.output, failed
    assert_no_secret_in(failed, session)


@pytest.mark.parametrize("execution", ["module", "in_process"])
def test_the_diff_is_returned_in_diff_mode_only_and_the_change_always(
        monkeypatch, tmp_path, account, write_playbook, execution):
    monkeypatch.setenv("FLEETIAM_MW_EXECUTION", execution)
    inventory = write_playbook(GROUP)[1]
    # A policy no other test of this account creates: the preview must find it missing.
    check = {"name": "Task 1 policy", "check_mode": True, "register": "task1",
             FQCN + "iam_managed_policy": {"name": "DiffModeProbe-" + execution, "policy": service_role_policy(account)}}
    (tmp_path / "diff_mode.yml").write_text(yaml.safe_dump([{
        "hosts": "member", "gather_facts": False,
        "module_defaults": {"group/fleetiam.maintenance_windows.aws": "{{ module_connection }}"},
        "tasks": [check, {"name": "What was registered", "ansible.builtin.assert": {"that": [
            "task1.change == 'create'", "(task1.diff is defined) == ansible_diff_mode"]}}],
    }]))
    for extra_args in ((), ("--diff",)):
        run = run_playbook(str(tmp_path / "diff_mode.yml"), inventory, extra_args=extra_args)
        assert run.returncode == 0, run
