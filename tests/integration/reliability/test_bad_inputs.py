"""Bad inputs at the module level: each fails with a message that names the account, the
input and the fix, and writes nothing (the account's IAM is compared before and after).

The table is bad_input_cases.CASES; docs/bad-inputs.md is that table rendered.
"""

from __future__ import annotations

import contextlib
import json
import os
import subprocess
import sys

import pytest

from ansible_collections.fleetiam.maintenance_windows.plugins.module_utils import runner
from ansible_collections.fleetiam.maintenance_windows.plugins.module_utils.retries import RetryPolicy
from ansible_collections.fleetiam.maintenance_windows.plugins.module_utils.errors import (
    AwsApiError,
    MaintenanceWindowError,
)

from tests.support import aws
from tests.support.moto_server import MotoServer, free_port

from .bad_input_cases import ARGUMENT_SPEC_CASES, CASES, render_markdown
from .setup_tasks import (
    DENY_POLICY,
    PASS_ROLE_POLICY_NAME,
    POLICY_NAME,
    REGISTRANTS_GROUP,
    ROLE_NAME,
    InlinePolicy,
    ManagedPolicy,
    PolicyAttachment,
    Role,
    apply_steps,
    connection_for,
    create_principals,
    fast_retry_policy,
    iam_snapshot,
    params,
    pass_role_policy,
    policy_arn,
    run_steps,
    service_role_policy,
    trust_policy,
)

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))))
RECONCILERS = {"iam_managed_policy": ManagedPolicy, "iam_role": Role, "iam_inline_policy": InlinePolicy,
               "iam_policy_attachment": PolicyAttachment}
HUB_ACCOUNT = "123456789012"  # moto's default account: where the hub's own credentials act
EXTERNAL_ID_ROLE = "ExternalIdRole"


def valid_values(module, account):
    """Correct values for each module: a case changes one thing."""
    return {
        "iam_managed_policy": dict(name=POLICY_NAME, policy=service_role_policy(account)),
        "iam_role": dict(name=ROLE_NAME, assume_role_policy=trust_policy(), managed_policies=[policy_arn(account)]),
        "iam_inline_policy": dict(principal_type="group", principal_name=REGISTRANTS_GROUP,
                                  policy_name=PASS_ROLE_POLICY_NAME, policy=pass_role_policy(account)),
        "iam_policy_attachment": dict(principal_type="group", principal_name=REGISTRANTS_GROUP,
                                      policy_arn="AmazonSSMFullAccess"),
    }[module]


def with_account(value, account):
    if isinstance(value, str):
        return value.replace("{account}", account)
    if isinstance(value, list):
        return [with_account(item, account) for item in value]
    if isinstance(value, dict):
        return {key: with_account(item, account) for key, item in value.items()}
    return value


@pytest.fixture(scope="module")
def applied_account(moto):
    """A member account that holds the four tasks: bad input must leave them as they are."""
    account = aws.create_member_accounts(moto.url, 1, prefix="badinput")[0]
    iam = aws.account_client(moto.url, account, "iam")
    create_principals(iam)
    run_steps(apply_steps(account), connection_for(moto.url, account))
    # Another team's policy (no owner tag), beside the admin role the account came with.
    iam.create_policy(PolicyName="TheirPolicy", PolicyDocument=json.dumps(DENY_POLICY))
    return account, iam


@pytest.fixture(scope="module")
def evaluating_server():
    """A moto server of its own (evaluation is server-wide), with a member account, a hub
    user without any permission, one allowed to assume roles, and a hub-account role whose
    trust wants an external id (moto checks trust only within one account)."""
    with MotoServer() as server:
        account = aws.create_member_accounts(server.url, 1, prefix="evaluation")[0]
        hub = aws.client(server.url, "iam")
        keys = {}
        for user in ("no-permissions", "automation"):
            hub.create_user(UserName=user)
            key = hub.create_access_key(UserName=user)["AccessKey"]
            keys[user] = dict(access_key=key["AccessKeyId"], secret_key=key["SecretAccessKey"])
        hub.put_user_policy(UserName="automation", PolicyName="AssumeRoles", PolicyDocument=json.dumps(
            {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "sts:AssumeRole", "Resource": "*"}]}))
        hub.create_role(RoleName=EXTERNAL_ID_ROLE, AssumeRolePolicyDocument=json.dumps({
            "Version": "2012-10-17", "Statement": [{
                "Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::%s:user/automation" % HUB_ACCOUNT},
                "Action": "sts:AssumeRole", "Condition": {"StringEquals": {"sts:ExternalId": "agreed-external-id"}}}]}))
        yield server, account, keys


@contextlib.contextmanager
def iam_evaluation(server):
    """Evaluation on inside the block; after it, off again (a free-request count no test reaches)."""
    server.enable_iam_evaluation(free_requests=0)
    try:
        yield
    finally:
        server.enable_iam_evaluation(free_requests=10 ** 12)


@pytest.fixture
def without_credentials(monkeypatch, tmp_path):
    """No AWS_* variables, empty config and credentials files, no instance metadata lookup."""
    for name in list(os.environ):
        if name.startswith("AWS_"):
            monkeypatch.delenv(name)
    for name in ("AWS_CONFIG_FILE", "AWS_SHARED_CREDENTIALS_FILE"):
        empty = tmp_path / name.lower()
        empty.write_text("")
        monkeypatch.setenv(name, str(empty))
    # Never let botocore ask 169.254.169.254: only 127.0.0.1 may be reached.
    monkeypatch.setenv("AWS_EC2_METADATA_DISABLED", "true")


def target(case, moto, applied_account, request):
    """(connection options, account id, IAM client of that account, server or None)."""
    region = dict(region=aws.REGION)
    if case.connection in ("assume_denied", "external_id_mismatch", "unknown_access_key"):
        server, account, keys = request.getfixturevalue("evaluating_server")
        role = "arn:aws:iam::%s:role/%s" % (account, aws.ADMIN_ROLE)
        if case.connection == "assume_denied":
            connection = dict(region, endpoint_url=server.url, assume_role_arn=role, **keys["no-permissions"])
        elif case.connection == "unknown_access_key":
            connection = dict(region, endpoint_url=server.url, assume_role_arn=role,
                              access_key="AKIAUNKNOWNKEY000000", secret_key="not-a-known-secret")
        else:
            account = HUB_ACCOUNT
            connection = dict(region, endpoint_url=server.url, **keys["automation"],
                              assume_role_arn="arn:aws:iam::%s:role/%s" % (account, EXTERNAL_ID_ROLE))
        iam = aws.account_client(server.url, account, "iam") if account != HUB_ACCOUNT \
            else aws.client(server.url, "iam")
        return connection, account, iam, server
    account, iam = applied_account
    if case.connection in ("no_credentials", "no_credentials_direct"):
        request.getfixturevalue("without_credentials")
        connection = dict(region, endpoint_url=moto.url)
        if case.connection == "no_credentials":
            connection["assume_role_arn"] = "arn:aws:iam::%s:role/%s" % (account, aws.ADMIN_ROLE)
    elif case.connection == "refused_endpoint":
        connection = connection_for("http://127.0.0.1:%d" % free_port(), account)
    else:
        connection = connection_for(moto.url, account)
    return connection, account, iam, None


@pytest.mark.parametrize("case", CASES, ids=[case.case for case in CASES])
def test_bad_input_fails_clearly_and_writes_nothing(moto, applied_account, request, case):
    connection, account, iam, evaluating = target(case, moto, applied_account, request)
    values = dict(valid_values(case.module, account), **with_account(case.values, account))
    reconciler = RECONCILERS[case.module]
    module_params = params(reconciler, connection, **values)
    before = iam_snapshot(iam)
    with iam_evaluation(evaluating) if evaluating else contextlib.nullcontext():
        with pytest.raises(MaintenanceWindowError) as failure:
            runner.reconcile(reconciler, module_params, False, fast_retry_policy())
    assert iam_snapshot(iam) == before

    error = failure.value
    message = error.message()
    assert type(error).__name__ == case.error
    for fragment in case.says:
        assert with_account(fragment, account) in message
    assert case.fix in message.partition(". Fix: ")[2]
    if case.account_known:
        assert error.account == account
        assert message.startswith("account %s" % account)
    # The module's failure result carries the same message, and never a secret.
    result = json.dumps(error.to_result())
    assert message in json.loads(result)["msg"]
    for secret in (connection.get("secret_key"), aws.HUB_CREDENTIALS["aws_secret_access_key"]):
        assert not secret or secret not in result


def test_a_refused_endpoint_fails_after_a_few_quick_attempts(applied_account):
    """Nothing listens: three connection attempts with short waits, not the whole budget."""
    account = applied_account[0]
    waits = []
    policy = RetryPolicy(sleep=waits.append)
    with pytest.raises(AwsApiError) as failure:
        refused = connection_for("http://127.0.0.1:%d" % free_port(), account)
        runner.reconcile(ManagedPolicy, params(ManagedPolicy, refused, name=POLICY_NAME,
                                               policy=service_role_policy(account)), False, policy)
    assert len(waits) == policy.connection_attempts - 1
    assert failure.value.code == "EndpointConnectionError"


def run_module(module, arguments):
    """The module as Ansible runs it: a separate Python, its arguments as JSON on stdin."""
    env = dict(os.environ, PYTHONPATH=os.path.join(REPO, ".build"))
    completed = subprocess.run(
        [sys.executable, "-m", "ansible_collections.fleetiam.maintenance_windows.plugins.modules." + module],
        input=json.dumps({"ANSIBLE_MODULE_ARGS": arguments}), capture_output=True, text=True, env=env,
        timeout=120, check=False)
    return completed.returncode, completed.stdout, completed.stderr


@pytest.mark.parametrize("module, wrong, message", ARGUMENT_SPEC_CASES, ids=[c[0] for c in ARGUMENT_SPEC_CASES])
def test_wrong_types_fail_cleanly_in_argument_parsing(moto, applied_account, module, wrong, message):
    account, iam = applied_account
    arguments = dict(connection_for(moto.url, account), **valid_values(module, account))
    arguments.update(wrong)
    before = iam_snapshot(iam)
    returncode, stdout, stderr = run_module(module, arguments)
    assert iam_snapshot(iam) == before
    assert returncode == 1
    result = json.loads(stdout)
    assert result["failed"] is True
    assert message in result["msg"]
    assert "Traceback" not in stdout + stderr and "exception" not in result
    assert aws.HUB_CREDENTIALS["aws_secret_access_key"] not in stdout + stderr


def test_a_failing_module_names_the_account_and_the_fix(moto, applied_account):
    account, iam = applied_account
    arguments = dict(connection_for(moto.url, account), principal_type="group", principal_name="NoSuchGroup",
                     policy_name="DenyMaintenanceWindowTaskRegistration", policy=DENY_POLICY)
    before = iam_snapshot(iam)
    returncode, stdout, stderr = run_module("iam_inline_policy", arguments)
    assert iam_snapshot(iam) == before
    assert returncode == 1
    result = json.loads(stdout)
    assert result["failed"] is True
    assert result["error_kind"] == "principal_not_found"
    assert result["account_id"] == account
    assert result["msg"].startswith("account %s, group NoSuchGroup: the group does not exist" % account)
    assert "Fix: create the group first" in result["msg"]
    assert "Traceback" not in stdout + stderr
    assert aws.HUB_CREDENTIALS["aws_secret_access_key"] not in stdout + stderr


def test_the_documented_table_is_the_tested_one():
    with open(os.path.join(REPO, "docs", "bad-inputs.md")) as handle:
        assert handle.read() == render_markdown(), (
            "regenerate: python tests/integration/reliability/bad_input_cases.py > docs/bad-inputs.md")
