"""Two runs reconciling the same resource of the same account at once (two playbooks, or one
playbook listing an account twice) end in the wanted state, within IAM's limits."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor

from ansible_collections.fleetiam.maintenance_windows.plugins.module_utils import runner

from tests.support.aws_proxy import AwsProxy, FaultPlan

from .setup_tasks import (
    REGISTRANTS_GROUP,
    ROLE_NAME,
    InlinePolicy,
    ManagedPolicy,
    Role,
    apply_steps,
    connection_for,
    fast_retry_policy,
    params,
    pass_role_policy,
    policy_arn,
    policy_versions,
    service_role_policy,
    trust_policy,
)

# Enough rounds that the versions wrap around the limit of five more than once.
ROUNDS = 8
# Each request waits this long in the proxy, so that both runs read before either writes.
LATENCY = 0.01
# Where a test counts on the race itself: longer than a thread can lag behind the other.
RACE_LATENCY = 0.25
EXTRA_ACTIONS = ["ssm:DescribeDocument", "ssm:GetDocument", "ssm:ListDocuments", "ssm:DescribeParameters",
                 "ssm:GetParameter", "ssm:GetParametersByPath", "ssm:DescribeInstanceProperties",
                 "ssm:ListInventoryEntries"]


def in_parallel(*calls):
    """Run the calls at the same moment in threads; their results (or errors) in order."""
    start = threading.Barrier(len(calls))

    def run(call):
        start.wait()
        try:
            return call()
        except Exception as exc:  # reported by the caller's assertion, with the exception itself
            return exc

    with ThreadPoolExecutor(len(calls)) as pool:
        return list(pool.map(run, calls))


def reconcile_twice(reconciler, connection, **values):
    def run():
        return runner.reconcile(reconciler, params(reconciler, connection, **values), False, fast_retry_policy())
    return in_parallel(run, run)


def assert_succeeded(results):
    errors = [result for result in results if isinstance(result, Exception)]
    assert not errors, [error.message() if hasattr(error, "message") else repr(error) for error in errors]


def test_parallel_runs_of_one_managed_policy_keep_at_most_five_versions(moto, task_account):
    account, iam = task_account
    limit_hits = 0
    with AwsProxy(moto.url, FaultPlan(latency=LATENCY)) as proxy:
        connection = connection_for(proxy.url, account)
        for round_ in range(ROUNDS):
            document = service_role_policy(account, EXTRA_ACTIONS[:round_])
            proxy.reset_counts()
            results = reconcile_twice(ManagedPolicy, connection, name="MaintenanceWindowServiceRolePolicy",
                                      policy=document)
            assert_succeeded(results)
            limit_hits += sum(1 for r in proxy.records if r.action == "CreatePolicyVersion" and r.status == 409)
            versions = policy_versions(iam, account)
            assert 1 <= len(versions) <= 5
            assert [doc for version_id, is_default, doc in versions if is_default] == [document]
            assert any(result["changed"] for result in results)
    # The runs did collide: the limit of five was met and handled inside the reconciler.
    assert limit_hits > 0


def test_parallel_runs_of_one_role_agree(moto, task_account):
    account, iam = task_account
    services = ["ssm.amazonaws.com", "ec2.amazonaws.com", "sns.amazonaws.com"]
    # The count of CreateRole below counts on the race: both runs read before either creates.
    with AwsProxy(moto.url, FaultPlan(latency=RACE_LATENCY)) as proxy:
        connection = connection_for(proxy.url, account)
        policy_step, policy_values = apply_steps(account)[0]  # the role's policy must exist first
        runner.reconcile(policy_step, params(policy_step, connection, **policy_values), False)
        for round_ in range(4):
            trust = trust_policy(tuple(services[:1 + round_ % 3]))
            description = "Performs maintenance window tasks (round %d)" % round_
            results = reconcile_twice(Role, connection, name=ROLE_NAME, assume_role_policy=trust,
                                      description=description, managed_policies=[policy_arn(account)])
            assert_succeeded(results)
            role = iam.get_role(RoleName=ROLE_NAME)["Role"]
            assert role["AssumeRolePolicyDocument"] == trust
            assert role["Description"] == description
            attached = iam.list_attached_role_policies(RoleName=ROLE_NAME)["AttachedPolicies"]
            assert [p["PolicyArn"] for p in attached] == [policy_arn(account)]
        # Both created it in round 0: one of them met EntityAlreadyExists and converged.
        assert proxy.calls["CreateRole"] == 2
        removed = reconcile_twice(Role, connection, name=ROLE_NAME, state="absent")
    assert_succeeded(removed)
    assert ROLE_NAME not in [r["RoleName"] for r in iam.list_roles()["Roles"]]


def test_parallel_runs_of_one_inline_policy_agree(moto, task_account):
    account, iam = task_account
    with AwsProxy(moto.url, FaultPlan(latency=LATENCY)) as proxy:
        connection = connection_for(proxy.url, account)
        for round_ in range(4):
            document = pass_role_policy(account)
            document["Statement"] = document["Statement"][:1 + round_ % 3]
            results = reconcile_twice(InlinePolicy, connection, principal_type="group",
                                      principal_name=REGISTRANTS_GROUP, policy_name="MaintenanceWindowPassRole",
                                      policy=document)
            assert_succeeded(results)
            stored = iam.get_group_policy(GroupName=REGISTRANTS_GROUP, PolicyName="MaintenanceWindowPassRole")
            assert stored["PolicyDocument"] == document
    # Both removals must read before either deletes, so that one of them meets the other's
    # delete: a longer latency than the rounds' keeps that true on a busy machine too.
    with AwsProxy(moto.url, FaultPlan(latency=RACE_LATENCY)) as proxy:
        removed = reconcile_twice(InlinePolicy, connection_for(proxy.url, account), principal_type="group",
                                  principal_name=REGISTRANTS_GROUP, policy_name="MaintenanceWindowPassRole",
                                  state="absent")
        assert proxy.calls["DeleteGroupPolicy"] == 2
    assert_succeeded(removed)
    assert iam.list_group_policies(GroupName=REGISTRANTS_GROUP)["PolicyNames"] == []


def test_racing_runs_with_different_documents_leave_one_and_the_next_run_settles(moto, task_account):
    account, iam = task_account
    ours, theirs = (service_role_policy(account, EXTRA_ACTIONS[:n]) for n in (1, 2))
    with AwsProxy(moto.url, FaultPlan(latency=LATENCY)) as proxy:
        connection = connection_for(proxy.url, account)
        for race in range(3):
            results = in_parallel(*[
                lambda document=document: runner.reconcile(
                    ManagedPolicy, params(ManagedPolicy, connection, name="MaintenanceWindowServiceRolePolicy",
                                          policy=document), False, fast_retry_policy())
                for document in (ours, theirs)])
            assert_succeeded(results)
            versions = policy_versions(iam, account)
            assert len(versions) <= 5
            assert [doc for version_id, is_default, doc in versions if is_default][0] in (ours, theirs)
        runner.reconcile(ManagedPolicy, params(ManagedPolicy, connection, name="MaintenanceWindowServiceRolePolicy",
                                               policy=ours), False, fast_retry_policy())
    assert [doc for version_id, is_default, doc in policy_versions(iam, account) if is_default] == [ours]
