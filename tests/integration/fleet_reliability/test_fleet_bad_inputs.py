"""Bad inputs at the fleet level: one playbooks/setup.yml run in which each bad account
fails alone, before any write in it (its IAM is compared before and after), with one
message naming the account, the input and the fix, in the output and in the fleet summary JSON,
while the good accounts converge.

The fleet has a moto server of its own with IAM evaluation on during the run, so that the
hub user can be refused sts:AssumeRole into one account: the member accounts' admin roles
hold AdministratorAccess, the hub user may assume every one of them but that one. Missing
credentials are a run of their own (credentials are the controller's, not an account's).
"""

from __future__ import annotations

import collections
import json
import os

import pytest

from tests.integration.fleet.iam_documents import POLICY_NAME, ROLE_NAME, AccountIam
from tests.integration.reliability.setup_tasks import iam_snapshot
from tests.support import aws
from tests.support.aws_proxy import AwsProxy
from tests.support.fleet import CONTRACTORS_GROUP, OPERATORS_AND_CONTRACTORS, OPERATORS_GROUP, Fleet
from tests.support.moto_server import MotoServer, free_port

from .fleet_bad_input_cases import CASES, NO_CREDENTIALS, NOTIFICATION_ROLE, filled, render_table
from .fleet_checks import assert_account_right, task1_policy

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))))
GOOD_HOSTS = ("good-1", "good-2")
# Not a bad input: the account's admin role may not write inline group policies, which only
# a write can reveal. Tasks 1 and 2 are written, Task 3 fails; the summary says just that.
WRITE_REFUSED = "write-refused"
# A good account that also passes an SNS notification role: its preflight previews the
# role's SNS inline policy before the role exists.
SNS_HOST = "good-2"
HUB_USER = "fleet-automation"
ADMINISTRATOR_ACCESS = "arn:aws:iam::aws:policy/AdministratorAccess"

FleetRun = collections.namedtuple("FleetRun", "run accounts port before after")


def admin_role_arn(account):
    return "arn:aws:iam::%s:role/%s" % (account, aws.ADMIN_ROLE)


def sns_role_arn(account):
    return "arn:aws:iam::%s:role/%s" % (account, NOTIFICATION_ROLE)


@pytest.fixture(scope="module")
def server():
    with MotoServer() as own_server:
        yield own_server


@pytest.fixture(scope="module")
def accounts(server, new_accounts):
    """{host: account id}; every admin role may do anything, the write-refused one no PutGroupPolicy."""
    hosts = GOOD_HOSTS + tuple(case.host for case in CASES) + (WRITE_REFUSED,)
    ids = dict(zip(hosts, new_accounts(len(hosts), server)))
    for host, account in ids.items():
        iam = aws.account_client(server.url, account, "iam")
        iam.attach_role_policy(RoleName=aws.ADMIN_ROLE, PolicyArn=ADMINISTRATOR_ACCESS)
        if host == WRITE_REFUSED:
            iam.put_role_policy(RoleName=aws.ADMIN_ROLE, PolicyName="NoGroupPolicies", PolicyDocument=json.dumps({
                "Version": "2012-10-17",
                "Statement": [{"Effect": "Deny", "Action": "iam:PutGroupPolicy", "Resource": "*"}]}))
    return ids


@pytest.fixture(scope="module")
def hub_user(server, accounts):
    """The hub identity of the run: an IAM user that may assume every admin role but one."""
    hub = aws.client(server.url, "iam")
    hub.create_user(UserName=HUB_USER)
    # One pattern and one Deny: a list of every role would exceed IAM's 2,048 characters for a user.
    hub.put_user_policy(UserName=HUB_USER, PolicyName="AssumeFleetRoles", PolicyDocument=json.dumps({
        "Version": "2012-10-17", "Statement": [
            {"Effect": "Allow", "Action": "sts:AssumeRole", "Resource": admin_role_arn("*")},
            {"Effect": "Deny", "Action": "sts:AssumeRole", "Resource": admin_role_arn(accounts["assume-role-denied"])}]}))
    key = hub.create_access_key(UserName=HUB_USER)["AccessKey"]
    return dict(AWS_ACCESS_KEY_ID=key["AccessKeyId"], AWS_SECRET_ACCESS_KEY=key["SecretAccessKey"])


@pytest.fixture(scope="module")
def fleet_run(server, accounts, hub_user, tmp_path_factory):
    port = free_port()
    host_vars = {case.host: filled(case.host_vars, accounts[case.host], port) for case in CASES}
    host_vars[SNS_HOST] = dict(mw_sns_role_arn=sns_role_arn(accounts[SNS_HOST]))
    fleet = Fleet(tmp_path_factory.mktemp("bad-inputs"), server.url, accounts, group_vars=OPERATORS_AND_CONTRACTORS,
                  host_vars=host_vars)
    snapshot = {host: AccountIam(server.url, account).iam for host, account in accounts.items()}
    before = {host: iam_snapshot(iam) for host, iam in snapshot.items()}
    server.enable_iam_evaluation(free_requests=0)
    try:
        run = fleet.run("apply", "setup.yml", env=hub_user)
    finally:
        # Off again for the checks: the test's own keys are no IAM user's.
        server.enable_iam_evaluation(free_requests=10 ** 12)
    after = {host: iam_snapshot(iam) for host, iam in snapshot.items()}
    return FleetRun(run, accounts, port, before, after)


def flat(text):
    """Output text without YAML's line folding and quote doubling."""
    return " ".join(text.split()).replace("''", "'")


def assert_names_account_input_and_fix(message, case, account, port):
    assert "account %s" % account in message
    for fragment in case.says:
        assert filled(fragment, account, port) in message
    assert case.fix in message.partition("Fix: ")[2]


def test_the_good_accounts_converge(fleet_run, server):
    run = fleet_run.run
    for host in GOOD_HOSTS:
        assert run.recap[host]["failed"] == 0, run
        assert run.summary[host]["status"] == "changed"
        account = fleet_run.accounts[host]
        assert_account_right(AccountIam(server.url, account), task1_policy(account),
                             sns_role_arn(account) if host == SNS_HOST else None)


@pytest.mark.parametrize("case", CASES, ids=[case.host for case in CASES])
def test_a_bad_account_fails_alone_before_any_write(fleet_run, case):
    run, account = fleet_run.run, fleet_run.accounts[case.host]
    assert run.returncode != 0
    assert run.recap[case.host]["failed"] == 1, run
    assert fleet_run.after[case.host] == fleet_run.before[case.host]
    reported = run.summary[case.host]
    assert (reported["status"], reported["changes"]) == ("failed", [])
    assert reported["failed_task"].startswith(case.failed_task)
    assert_names_account_input_and_fix(reported["error"], case, account, fleet_run.port)
    assert_names_account_input_and_fix(flat(run.failures()[case.host]), case, account, fleet_run.port)


def test_a_write_refused_midway_is_reported_as_far_as_it_went(fleet_run, server):
    run, account = fleet_run.run, fleet_run.accounts[WRITE_REFUSED]
    assert run.recap[WRITE_REFUSED]["failed"] == 1, run
    reported = run.summary[WRITE_REFUSED]
    assert reported["status"] == "failed"
    assert [(change["step"], change["action"]) for change in reported["changes"]] == [
        ("Task 1 policy", "created"), ("Task 2 role", "created")]
    assert reported["error"].startswith("account %s, inline policy MaintenanceWindowPassRole on group %s: "
                                        "put_group_policy failed: AccessDenied" % (account, OPERATORS_GROUP))
    assert "Fix: grant the automation's identity this IAM action" in reported["error"]
    written = AccountIam(server.url, account)
    assert POLICY_NAME in written.customer_policy_names() and written.role(ROLE_NAME) is not None
    assert written.inline_names("group", OPERATORS_GROUP) == written.inline_names("group", CONTRACTORS_GROUP) == []


@pytest.fixture(scope="module")
def without_credentials(moto, new_accounts, tmp_path_factory):
    """A run with no AWS_* variables and empty config files, through a proxy that counts calls."""
    workdir = tmp_path_factory.mktemp("no-credentials")
    empty = {}
    for name in ("AWS_CONFIG_FILE", "AWS_SHARED_CREDENTIALS_FILE"):
        empty[name] = str(workdir / name.lower())
        open(empty[name], "w").close()
    env = {name: None for name in os.environ if name.startswith("AWS_")}
    env.update(AWS_ACCESS_KEY_ID=None, AWS_SECRET_ACCESS_KEY=None, AWS_DEFAULT_REGION=None,
               # botocore must not ask 169.254.169.254: only 127.0.0.1 may be reached.
               AWS_EC2_METADATA_DISABLED="true", **empty)
    account = new_accounts(1)[0]
    with AwsProxy(moto.url) as proxy:
        run = Fleet(workdir, proxy.url, {NO_CREDENTIALS.host: account}).run("apply", "setup.yml", env=env)
        return run, account, proxy.total_calls()


def test_missing_credentials_fail_every_account_before_any_call(without_credentials):
    run, account, calls = without_credentials
    assert run.recap[NO_CREDENTIALS.host]["failed"] == 1, run
    assert calls == 0
    reported = run.summary[NO_CREDENTIALS.host]
    assert reported["failed_task"].startswith(NO_CREDENTIALS.failed_task)
    assert_names_account_input_and_fix(reported["error"], NO_CREDENTIALS, account, None)
    assert_names_account_input_and_fix(flat(run.failures()[NO_CREDENTIALS.host]), NO_CREDENTIALS, account, None)


def test_the_documented_table_is_the_tested_one():
    with open(os.path.join(REPO, "docs", "reliability.md")) as handle:
        assert render_table() in handle.read(), (
            "paste the output of python tests/integration/fleet_reliability/fleet_bad_input_cases.py "
            "into docs/reliability.md")
