"""No secret key or session token appears in a module's result or error message.

The one deliberate exception is aws_account_info with return_credentials (the role asks for
the assumed session once per account and registers it with no_log); its session is then
used, as the role does, for every other call here.
"""

from __future__ import annotations

import json

import pytest

from ansible_collections.fleetiam.maintenance_windows.plugins.module_utils import runner
from ansible_collections.fleetiam.maintenance_windows.plugins.module_utils.errors import MaintenanceWindowError

from tests.support import aws
from tests.support.moto_server import free_port

from .setup_tasks import (
    REGISTRANTS_GROUP,
    AccountInfo,
    InlinePolicy,
    ManagedPolicy,
    PolicyAttachment,
    Role,
    apply_steps,
    connection_for,
    fast_retry_policy,
    params,
    run_steps,
    teardown_steps,
)


def test_results_and_errors_never_contain_a_secret_key_or_session_token(moto, task_account):
    account = task_account[0]
    hub = connection_for(moto.url, account)
    session = runner.reconcile(AccountInfo, params(AccountInfo, hub, return_credentials=True), False)["credentials"]
    with_session = dict(endpoint_url=moto.url, region=aws.REGION, account_id=account, partition="aws",
                        access_key=session["access_key"], secret_key=session["secret_key"],
                        session_token=session["session_token"])
    secrets = [aws.HUB_CREDENTIALS["aws_secret_access_key"], session["secret_key"], session["session_token"]]

    texts = [json.dumps(runner.reconcile(AccountInfo, params(AccountInfo, hub), False))]
    for connection in (hub, with_session):
        for steps, check_mode in ((apply_steps(account), True), (apply_steps(account), False),
                                  (apply_steps(account), False), (teardown_steps(account), False)):
            texts += [json.dumps(result, default=str) for result in run_steps(steps, connection, check_mode=check_mode)]

    failing = [
        (InlinePolicy, dict(principal_type="group", principal_name="NoSuchGroup", policy_name="P",
                            policy={"Version": "2012-10-17", "Statement": [
                                {"Effect": "Allow", "Action": "ssm:SendCommand", "Resource": "*"}]})),
        (PolicyAttachment, dict(principal_type="group", principal_name=REGISTRANTS_GROUP,
                                policy_arn="AmazonSSMFullAcess")),
        (ManagedPolicy, dict(name="P", policy="{not json")),
        (Role, dict(name="NewRole")),
    ]
    for connection in (hub, with_session, dict(with_session, endpoint_url="http://127.0.0.1:%d" % free_port())):
        for reconciler, values in failing:
            with pytest.raises(MaintenanceWindowError) as failure:
                runner.reconcile(reconciler, params(reconciler, connection, **values), False,
                                 fast_retry_policy(max_attempts=2))
            texts += [failure.value.message(), json.dumps(failure.value.to_result())]

    leaks = [(secret[:6] + "...", text[:120]) for secret in secrets for text in texts if secret in text]
    assert not leaks
