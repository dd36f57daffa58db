"""The audit playbook on a fleet of five accounts on moto, through a counting proxy.

``compliant`` was set up by playbooks/setup.yml; ``drifted`` too, then its Task 1 policy was
edited out of band; ``missing`` was never set up; ``unauditable`` names a Task 3 group that
does not exist, so its check fails there; ``misconfigured`` gives a role variable of the
wrong type, so the role cannot start. Principals with and without ``iam:PassRole`` on the
service role and maintenance window tasks with and without a ``ServiceRoleArn`` are arranged
with boto3. The audit runs once, without --check, by its collection name; the tests read its
audit.json, its proxy log, and its audit.html in a real headless browser.
"""

from __future__ import annotations

import json
import os
import re
import subprocess

import pytest

from tests.integration.audit import browser
from tests.integration.fleet.iam_documents import ROLE_NAME, TASK1_POLICY, policy_arn, reference, role_arn
from tests.support import aws
from tests.support.aws_proxy import AwsProxy
from tests.support.fleet import (
    BIN, CONTRACTORS_GROUP, OPERATORS_AND_CONTRACTORS, OPERATORS_GROUP, PLAYBOOKS, REPO, Fleet, PlaybookRun,
    ansible_env)

COMPLIANT, DRIFTED, MISSING, UNAUDITABLE, MISCONFIGURED = (
    "compliant", "drifted", "missing", "unauditable", "misconfigured")
HOSTS = (COMPLIANT, DRIFTED, MISSING, UNAUDITABLE, MISCONFIGURED)
MISSING_GROUP = "no-such-group"
HOST_VARS = {UNAUDITABLE: {"mw_pass_role_groups": [OPERATORS_GROUP, MISSING_GROUP]},
             MISCONFIGURED: {"mw_role_max_session_duration": "one hour"}}
# One region: the call counts below are per account.
AUDIT_GROUP_VARS = dict(OPERATORS_AND_CONTRACTORS, mw_regions=[aws.REGION])
# The accounts where the audit got a session and read the principals and maintenance windows.
READ_HOSTS = (COMPLIANT, DRIFTED, MISSING, UNAUDITABLE)
TASK_KEYS = ("policy", "service_role", "pass_role", "deny")
SERVICE_LINKED_ROLE = "arn:aws:iam::%s:role/aws-service-role/ssm.amazonaws.com/AWSServiceRoleForAmazonSSM"
# The matrix colours of playbooks/templates/audit.html.j2.
MATRIX_COLOURS = {"compliant": "#2e9e44", "drifted": "#f0a202", "missing": "#d64933", "error": "#8c8c8c"}
# Reads only: STS to enter each account, and IAM/SSM Get, List and Describe calls.
READ_ACTION = re.compile(r"^(AssumeRole|GetCallerIdentity|Get[A-Z]\w*|List[A-Z]\w*|Describe[A-Z]\w*)$")


def _document(*statements):
    return json.dumps({"Version": "2012-10-17", "Statement": list(statements)})


def _arrange_pass_role_principals(endpoint_url, account):
    """In the compliant account: who can pass the service role, by each kind of grant, and who cannot."""
    iam = aws.create_principals(endpoint_url, account, users=("alice", "bob", "deployer", "mallory"),
                                roles=("ci-runner", "break-glass"))
    iam.add_user_to_group(GroupName=OPERATORS_GROUP, UserName="alice")  # Task 3 grant, through the group
    iam.add_user_to_group(GroupName=CONTRACTORS_GROUP, UserName="bob")  # Task 4 Deny: no PassRole at all
    iam.put_user_policy(UserName="deployer", PolicyName="iam-admin",
                        PolicyDocument=_document({"Effect": "Allow", "Action": "iam:*", "Resource": "*"}))
    iam.put_user_policy(UserName="mallory", PolicyName="everything",
                        PolicyDocument=_document({"Effect": "Allow", "Action": "*", "Resource": "*"}))
    iam.put_user_policy(UserName="mallory", PolicyName="but-not-passing-roles",
                        PolicyDocument=_document({"Effect": "Deny", "Action": "iam:PassRole", "Resource": "*"}))
    managed = iam.create_policy(PolicyName="pass-maintenance-roles", PolicyDocument=_document(
        {"Effect": "Allow", "Action": "iam:Pass*", "Resource": "arn:aws:iam::*:role/Maintenance*"}))["Policy"]
    iam.attach_role_policy(RoleName="ci-runner", PolicyArn=managed["Arn"])
    iam.attach_role_policy(RoleName="break-glass", PolicyArn="arn:aws:iam::aws:policy/AdministratorAccess")


def _register_tasks(endpoint_url, account, window_name, service_role_arns):
    """A maintenance window with one Run Command task per ``{task name: ServiceRoleArn or None}``."""
    ssm = aws.account_client(endpoint_url, account, "ssm")
    window = ssm.create_maintenance_window(Name=window_name, Schedule="cron(0 2 ? * SUN *)", Duration=2, Cutoff=1,
                                           AllowUnassociatedTargets=True)["WindowId"]
    ids = {}
    for name, service_role_arn in service_role_arns.items():
        request = dict(WindowId=window, Name=name, TaskArn="AWS-RunPatchBaseline", TaskType="RUN_COMMAND",
                       Targets=[{"Key": "InstanceIds", "Values": ["i-0123456789abcdef0"]}],
                       MaxConcurrency="1", MaxErrors="1")
        if service_role_arn:
            request["ServiceRoleArn"] = service_role_arn
        ids[name] = ssm.register_task_with_maintenance_window(**request)["WindowTaskId"]
    return window, ids


@pytest.fixture(scope="module")
def fleet(moto, tmp_path_factory):
    accounts = dict(zip(HOSTS, aws.create_member_accounts(moto.url, len(HOSTS), prefix="audit")))
    for account in accounts.values():
        aws.create_principals(moto.url, account, groups=(OPERATORS_GROUP, CONTRACTORS_GROUP))
    return Fleet(tmp_path_factory.mktemp("audit-setup"), moto.url, accounts,
                 group_vars=AUDIT_GROUP_VARS, host_vars=HOST_VARS)


@pytest.fixture(scope="module")
def arranged(moto, fleet):
    """Setup in two accounts, drift in one of them, principals and maintenance window tasks."""
    setup = fleet.run("setup", "setup.yml", "--limit", "%s,%s" % (COMPLIANT, DRIFTED))
    assert setup.returncode == 0, setup
    drifted = fleet.accounts[DRIFTED]
    narrowed = reference(TASK1_POLICY, drifted)
    narrowed["Statement"] = narrowed["Statement"][:1]  # the service role loses iam:PassRole on itself
    aws.account_client(moto.url, drifted, "iam").create_policy_version(
        PolicyArn=policy_arn(drifted), PolicyDocument=json.dumps(narrowed), SetAsDefault=True)

    compliant = fleet.accounts[COMPLIANT]
    _arrange_pass_role_principals(moto.url, compliant)
    aws.account_client(moto.url, fleet.accounts[MISSING], "iam").create_user(UserName="admin")
    aws.account_client(moto.url, fleet.accounts[MISSING], "iam").put_user_policy(
        UserName="admin", PolicyName="administrator",
        PolicyDocument=_document({"Effect": "Allow", "Action": "*", "Resource": "*"}))
    windows = {
        COMPLIANT: _register_tasks(moto.url, compliant, "weekly-patching",
                                   {"patch-with-custom-role": role_arn(compliant), "patch-without-role": None}),
        DRIFTED: _register_tasks(moto.url, drifted, "nightly-backups",
                                 {"backup-with-service-linked-role": SERVICE_LINKED_ROLE % drifted}),
    }
    return windows


@pytest.fixture(scope="module")
def audit(moto, fleet, arranged, tmp_path_factory):
    """One audit run without --check, by the playbook's collection name, through a counting proxy."""
    workdir = tmp_path_factory.mktemp("audit")
    with AwsProxy(moto.url) as proxy:
        through_proxy = Fleet(workdir, proxy.url, fleet.accounts, group_vars=AUDIT_GROUP_VARS,
                              host_vars=HOST_VARS)
        report_dir = str(workdir / "reports")
        command = [os.path.join(BIN, "ansible-playbook"), "-i", through_proxy.inventory,
                   "fleetiam.maintenance_windows.audit", "-e", "mw_report_dir=%s" % report_dir]
        done = subprocess.run(command, env=ansible_env(), cwd=REPO, stdin=subprocess.DEVNULL,
                              stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, check=False)
        calls = dict(proxy.calls)
    run = PlaybookRun(command, done.returncode, done.stdout, report_dir)
    latest = os.path.join(report_dir, "latest")
    with open(os.path.join(latest, "audit.json")) as handle:
        report = json.load(handle)
    rows = {row["host"]: row for row in report["accounts"]}
    return dict(run=run, rows=rows, calls=calls, report_dir=latest, report=report)


def _statuses(row):
    return {key: row["tasks"][key]["status"] for key in TASK_KEYS}


def test_audit_classifies_every_setup_task_of_every_account(audit, fleet):
    rows = audit["rows"]
    assert sorted(rows) == sorted(HOSTS), audit["run"]
    assert _statuses(rows[COMPLIANT]) == dict.fromkeys(TASK_KEYS, "compliant")
    assert _statuses(rows[DRIFTED]) == dict(policy="drifted", service_role="compliant", pass_role="compliant",
                                            deny="compliant")
    assert _statuses(rows[MISSING]) == dict.fromkeys(TASK_KEYS, "missing")
    # Task 3 fails on the group that does not exist; Task 4 was not reached.
    assert _statuses(rows[UNAUDITABLE]) == dict(policy="missing", service_role="missing", pass_role="error",
                                                deny="error")
    assert _statuses(rows[MISCONFIGURED]) == dict.fromkeys(TASK_KEYS, "error")
    assert {host: row["status"] for host, row in rows.items()} == {
        COMPLIANT: "compliant", DRIFTED: "drifted", MISSING: "missing", UNAUDITABLE: "error", MISCONFIGURED: "error"}
    assert {host: row["account_id"] for host, row in rows.items()} == fleet.accounts


def test_audit_names_what_differs_and_why_a_check_failed(audit, fleet):
    rows = audit["rows"]
    [drifted] = rows[DRIFTED]["tasks"]["policy"]["findings"]
    assert drifted.startswith("differs: %s; " % policy_arn(fleet.accounts[DRIFTED])), drifted
    assert "document: statement to add " in drifted  # what differs, as the console diff shows it
    assert rows[MISSING]["tasks"]["pass_role"]["findings"] == [
        "missing: inline policy MaintenanceWindowPassRole on group %s" % OPERATORS_GROUP]
    assert rows[COMPLIANT]["tasks"]["pass_role"]["checked"] == 1
    assert MISSING_GROUP in " ".join(rows[UNAUDITABLE]["tasks"]["pass_role"]["findings"])
    assert rows[UNAUDITABLE]["tasks"]["deny"]["findings"] == ["not checked: an earlier step failed (see errors)"]
    assert any(MISSING_GROUP in message for message in rows[UNAUDITABLE]["errors"])
    assert any("mw_role_max_session_duration" in message for message in rows[MISCONFIGURED]["errors"])
    assert (rows[MISCONFIGURED]["pass_role_principals"], rows[MISCONFIGURED]["legacy_role_tasks"]) == (None, None)
    assert [rows[host]["errors"] for host in (COMPLIANT, DRIFTED, MISSING)] == [[], [], []]


def test_audit_shows_that_what_setup_made_is_owned(audit, fleet):
    rows = audit["rows"]
    account = fleet.accounts[COMPLIANT]
    assert rows[COMPLIANT]["ownership"] == {policy_arn(account): "owned", role_arn(account): "owned"}
    assert rows[MISSING]["ownership"] == {}  # nothing there yet


def test_audit_lists_who_can_pass_the_service_role(audit, fleet):
    rows = audit["rows"]
    compliant = fleet.accounts[COMPLIANT]
    principals = {(p["type"], p["name"]): p for p in rows[COMPLIANT]["pass_role_principals"]}
    assert sorted(principals) == [
        ("group", OPERATORS_GROUP),
        ("role", ROLE_NAME),  # the guide's Task 1 policy: only towards ssm.amazonaws.com
        ("role", "break-glass"),
        ("role", "ci-runner"),
        ("user", "alice"),
        ("user", "deployer"),
    ]  # not bob (contractors), not mallory (explicit Deny), not OrganizationAccountAccessRole
    assert principals[("user", "alice")]["allowed_by"] == [
        "group %s: inline MaintenanceWindowPassRole" % OPERATORS_GROUP]
    assert principals[("role", "ci-runner")]["allowed_by"] == [
        "managed arn:aws:iam::%s:policy/pass-maintenance-roles" % compliant]
    assert principals[("role", "break-glass")]["allowed_by"] == ["managed arn:aws:iam::aws:policy/AdministratorAccess"]
    assert principals[("role", ROLE_NAME)] == dict(
        type="role", name=ROLE_NAME, arn=role_arn(compliant), conditional=True,
        allowed_by=["managed %s" % policy_arn(compliant)])
    assert not principals[("user", "deployer")]["conditional"]
    assert rows[COMPLIANT]["service_role_arn"] == role_arn(compliant)
    # Who can pass it without being a configured Task 3 principal (the group) or through it.
    assert sorted((p["type"], p["name"]) for p in rows[COMPLIANT]["unexpected_pass_role_principals"]) == [
        ("role", "break-glass"), ("role", "ci-runner"), ("user", "deployer")]
    # The narrowed policy no longer lets the drifted account's service role pass itself.
    assert [(p["type"], p["name"]) for p in rows[DRIFTED]["pass_role_principals"]] == [("group", OPERATORS_GROUP)]
    # Never set up: the role does not exist yet, but an administrator could pass it.
    assert [(p["type"], p["name"]) for p in rows[MISSING]["pass_role_principals"]] == [("user", "admin")]


def test_audit_lists_the_tasks_still_on_the_service_linked_role(audit, arranged, fleet):
    rows = audit["rows"]
    window, ids = arranged[COMPLIANT]
    assert [(t["window_id"], t["window_name"], t["task_id"], t["task_name"], t["service_role_arn"])
            for t in rows[COMPLIANT]["legacy_role_tasks"]] == [
        (window, "weekly-patching", ids["patch-without-role"], "patch-without-role", "")]
    assert rows[COMPLIANT]["legacy_role_tasks"][0]["reason"].startswith("no ServiceRoleArn")
    assert (rows[COMPLIANT]["maintenance_windows"], rows[COMPLIANT]["maintenance_window_tasks"]) == (1, 2)
    window, ids = arranged[DRIFTED]
    assert [(t["window_id"], t["task_id"], t["service_role_arn"]) for t in rows[DRIFTED]["legacy_role_tasks"]] == [
        (window, ids["backup-with-service-linked-role"], SERVICE_LINKED_ROLE % fleet.accounts[DRIFTED])]
    assert rows[DRIFTED]["legacy_role_tasks"][0]["reason"].startswith("runs with the service-linked role")
    assert (rows[MISSING]["legacy_role_tasks"], rows[MISSING]["maintenance_windows"]) == ([], 0)


def test_audit_only_reads_even_without_check_mode(audit):
    calls = audit["calls"]
    assert sorted(action for action in calls if not READ_ACTION.match(action)) == []
    # Every account was entered and read through the proxy (the audit did run there).
    assert calls["GetAccountAuthorizationDetails"] == len(READ_HOSTS)
    assert calls["DescribeMaintenanceWindows"] == len(READ_HOSTS)
    assert calls["DescribeMaintenanceWindowTasks"] == 2  # the two accounts with a window


def test_audit_fails_only_the_accounts_it_could_not_check(audit):
    run = audit["run"]
    assert run.returncode == 2, run
    assert {host for host, counts in run.recap.items() if counts["failed"]} == {UNAUDITABLE, MISCONFIGURED}
    assert MISSING_GROUP in run.failures()[UNAUDITABLE]
    assert "mw_role_max_session_duration" in run.failures()[MISCONFIGURED]


def test_audit_markdown_has_one_line_per_account(audit, fleet):
    with open(os.path.join(audit["report_dir"], "audit.md")) as handle:
        markdown = handle.read()
    assert "| %s | %s | drifted | compliant | compliant | compliant | not configured | 1 | 1 |" % (
        fleet.accounts[DRIFTED], DRIFTED) \
        in markdown, markdown
    assert "5 accounts, 1 compliant, 1 drifted, 1 missing, 2 error" in markdown
    assert markdown.startswith("# Maintenance window permissions: audit, %s" % audit["report"]["run"]["time"])
    assert "  - user deployer: " in markdown and "FINDING: not a configured Task 3 principal" in markdown
    assert "(3 not configured)" in markdown


def test_audit_playbook_is_found_by_path_too():
    done = subprocess.run([os.path.join(BIN, "ansible-playbook"), "--syntax-check", "-i", "localhost,",
                           os.path.join(PLAYBOOKS, "audit.yml")], env=ansible_env(), cwd=REPO,
                          stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                          check=False)
    assert done.returncode == 0, done.stdout


@pytest.fixture(scope="module")
def chromium():
    path = browser.find_chromium()
    if path is None:
        pytest.skip("no chromium found (%s): install it with 'make browser' or 'apt-get install chromium'"
                    % ", ".join(browser.BROWSER_NAMES))
    return path


def test_audit_page_shows_the_matrix_colours(audit, chromium, tmp_path):
    page = os.path.join(audit["report_dir"], "audit.html")
    png = browser.screenshot(chromium, page, str(tmp_path / "audit.png"), str(tmp_path / "profile"))
    width, height, rows = browser.decode_png(png)
    assert (width, height) == (1200, 900)
    counts = browser.colour_counts(rows, [browser.hex_colour(c) for c in MATRIX_COLOURS.values()])
    seen = {status: counts[browser.hex_colour(colour)] for status, colour in MATRIX_COLOURS.items()}
    # A matrix cell is about 120 x 36 pixels: each colour fills at least one cell's worth.
    assert {status: count >= 2000 for status, count in seen.items()} == dict.fromkeys(MATRIX_COLOURS, True), seen


def test_audit_page_has_one_matrix_row_per_account(audit, chromium, fleet, tmp_path):
    dom = browser.dump_dom(chromium, os.path.join(audit["report_dir"], "audit.html"), str(tmp_path / "profile"))
    rows = {row["host"]: row for row in browser.matrix_rows(dom)}
    assert len(browser.matrix_rows(dom)) == len(HOSTS)
    assert {host: row["account_id"] for host, row in rows.items()} == fleet.accounts
    for host, row in rows.items():
        # Every column of the page: the four setup tasks and any other account step of the catalog.
        expected = {key: task["status"] for key, task in audit["rows"][host]["tasks"].items()}
        assert {key: "status-%s" % status.replace(" ", "-") for key, status in expected.items()} == {
            key: [c for c in classes if c.startswith("status-")][0] for key, classes in row["tasks"].items()}
        assert "status-row-%s" % audit["rows"][host]["status"] in row["classes"]
